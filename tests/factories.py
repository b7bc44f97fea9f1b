from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from recordkeepers.models import Membership, Organisation, StaffRole, User

PASSWORD = "Correct-Horse-Battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Importer {n} LLC")
    entries_per_year = 120
    import_value = Decimal("3500000.00")
    duties_paid = Decimal("210000.00")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


def staff_user(role: StaffRole, **kwargs) -> User:
    user = UserFactory(is_staff=role == StaffRole.ADMIN, **kwargs)
    # get_or_create: a transactional test's flush removes the groups the migration made.
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


def draft_application(*, owner: User, attested: bool = True, complete: bool = True):
    """A draft of the owner's organization: every step answered (unless `complete` is False) and
    signed by the owner (unless `attested` is False), so it can be submitted."""
    from certification.demo import demo_profile, fill_application
    from certification.models import Application
    from certification.services.drafts import application_attest

    application = Application.objects.create(
        organisation=owner.membership.organisation, created_by=owner
    )
    if complete:
        fill_application(
            application=application,
            actor=owner,
            profile=demo_profile(importer_number="27-100000100", ports=["2704"]),
        )
    if attested:
        application_attest(
            application=application,
            actor=owner,
            signer_name=owner.full_name or "Owner",
            signer_title="Compliance manager",
            expected_version=application.version,
        )
    return application


def start_review(*, application, reviewer):
    """The reviewer takes the application and starts the review, as claiming it does."""
    from certification import workflow

    workflow.application_assign(application=application, actor=reviewer, reviewer=reviewer)
    return workflow.application_start_review(application=application, actor=reviewer)


DENIAL_REASONS = [
    {
        "ground": "163.13(b)(1)(i)",
        "demonstration": "iii",
        "text": "No procedure for producing records to CBP on demand was shown.",
        "remedy": "A written procedure saying who answers a CBP request for records, and how soon.",
    }
]


def decide(*, owner, reviewer, supervisor, outcome: str = "certified", application=None):
    """An application taken from draft to a decision through the workflow; returns the Decision.
    The decision's letter is pending: its render is sent on commit."""
    from certification import workflow

    application = application or draft_application(owner=owner)
    workflow.application_submit(application=application, actor=owner)
    start_review(application=application, reviewer=reviewer)
    reasons = DENIAL_REASONS if outcome == "denied" else None
    workflow.application_recommend(
        application=application, actor=reviewer, outcome=outcome, reasons=reasons
    )
    return workflow.application_decide(
        application=application,
        actor=supervisor,
        outcome=outcome,
        reasons=reasons,
        recommended_by=reviewer,
    )
