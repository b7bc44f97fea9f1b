"""Known links between a reviewer and an applying organisation, which block an assignment.

A link is not proof of a conflict of interest, but it must not pass unnoticed: a reviewer cannot
take such an application, and a supervisor can give it to them only with a written reason.
"""

from django.db.models import Exists, OuterRef, Q

from recordkeepers.models import Membership, Organisation, User

# Addresses at these providers say nothing about where a person works.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "gmail.com",
        "hotmail.com",
        "icloud.com",
        "live.com",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "yahoo.com",
    }
)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def conflict_links(*, reviewer: User, organisation: Organisation) -> list[str]:
    """Plain-language descriptions of each link found; empty when there is none."""
    links = []
    members = list(organisation.memberships.select_related("user"))
    if any(m.user_id == reviewer.pk for m in members):
        links.append(f"{reviewer} is a member of {organisation.legal_name}.")
    domain = email_domain(reviewer.email)
    if domain and domain not in PUBLIC_EMAIL_DOMAINS:
        sharing = sorted(
            m.user.email
            for m in members
            if m.user_id != reviewer.pk and email_domain(m.user.email) == domain
        )
        if sharing:
            links.append(
                f"{reviewer}'s email address is at {domain}, like that of "
                f"{', '.join(sharing)} of {organisation.legal_name}."
            )
    return links


def linked_organisations(*, user: User, organisation_field: str = "organisation_id") -> Q:
    """Rows whose organisation (`organisation_field`) has a link to `user` that `conflict_links`
    would find, as a query: a membership, or a member at the same non-public email domain."""
    members = Membership.objects.filter(organisation=OuterRef(organisation_field))
    linked = Q(Exists(members.filter(user=user)))
    domain = email_domain(user.email)
    if domain and domain not in PUBLIC_EMAIL_DOMAINS:
        sharing = members.exclude(user=user).filter(user__email__iendswith=f"@{domain}")
        linked |= Q(Exists(sharing))
    return linked
