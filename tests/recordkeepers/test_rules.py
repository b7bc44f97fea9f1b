"""The permission predicates as a matrix of persona × object × permission."""

import pytest

pytestmark = pytest.mark.django_db

PERSONAS = ["owner_a", "member_a", "owner_b", "reviewer", "supervisor", "cbp_admin"]

# persona → (may view organisation A, may manage A's members)
EXPECTED = {
    "owner_a": (True, True),
    "member_a": (True, False),
    "owner_b": (False, False),
    "reviewer": (True, False),
    "supervisor": (True, False),
    "cbp_admin": (True, False),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_organisation_permissions(request, persona, organisation_a):
    user = request.getfixturevalue(persona)
    may_view, may_manage = EXPECTED[persona]
    assert user.has_perm("recordkeepers.view_organisation", organisation_a) is may_view
    assert user.has_perm("recordkeepers.manage_members", organisation_a) is may_manage


def test_anonymous_has_no_organisation_permissions(organisation_a):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not anonymous.has_perm("recordkeepers.view_organisation", organisation_a)
    assert not anonymous.has_perm("recordkeepers.manage_members", organisation_a)


def test_staff_predicates_follow_groups(reviewer, supervisor, cbp_admin, owner_a):
    from recordkeepers.rules import is_cbp_admin, is_cbp_staff, is_reviewer, is_supervisor

    assert [is_reviewer(u) for u in (reviewer, supervisor, cbp_admin, owner_a)] == [
        True,
        False,
        False,
        False,
    ]
    assert [is_supervisor(u) for u in (reviewer, supervisor, cbp_admin, owner_a)] == [
        False,
        True,
        False,
        False,
    ]
    assert [is_cbp_admin(u) for u in (reviewer, supervisor, cbp_admin, owner_a)] == [
        False,
        False,
        True,
        False,
    ]
    assert [is_cbp_staff(u) for u in (reviewer, supervisor, cbp_admin, owner_a)] == [
        True,
        True,
        True,
        False,
    ]
