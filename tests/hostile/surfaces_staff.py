"""Where CBP staff type, and the participants' pages after certification (see `surfaces`)."""

from django.urls import reverse

from certification.models import Decision, Event, InformationRequest
from participants.models import Appeal, ComplianceReport, NoticeOfViolation, Participant, Removal
from reviews.models import ComplianceFinding, CriterionScore, Recommendation, Recusal
from reviews.selectors import applicable_criteria
from tests.hostile import world as records
from tests.hostile.surfaces import Field, Surface, _today_plus

REASON = Field(5000)


def _in_review(world):
    return world.application("in_review")


def _workspace(world, ctx):
    return "reviewer", reverse("reviews:workspace", args=[_in_review(world).pk])


def _record(world, ctx):
    return "supervisor", reverse("reviews:record", args=[_in_review(world).pk])


def _criterion(world):
    return applicable_criteria(application=_in_review(world))[0]


def _latest(model, **filters):
    return model.objects.filter(**filters).order_by("-pk").first()


def _recommendation(world, ctx):
    made = _latest(Recommendation, application=_in_review(world))
    reasons = made.reasons if made else []
    return {
        "reason_text": reasons[-1]["text"] if reasons else None,
        "reason_remedy": reasons[-1]["remedy"] if reasons else None,
    }


def _questions(world, ctx):
    asked = _latest(InformationRequest, application=_in_review(world))
    items = list(asked.items.order_by("position")) if asked else []
    return {f"question_{n + 1}": items[n].question if n < len(items) else None for n in range(3)}


def _report_url(world, ctx):
    return reverse("participants:report", args=[ctx["report"].pk])


def _action(ctx):
    return ctx["report"].corrective_actions.order_by("-pk").first()


def _with(build, key):
    return lambda world: {key: build(world)}


def _participant_page(persona):
    return lambda world, ctx: (
        persona,
        reverse("participants:participant", args=[world.participant.pk]),
    )


STAFF = [
    Surface(
        id="recusal",
        form="reviews.forms.queue.RecuseForm",
        persona="reviewer",
        url=lambda world, ctx: reverse("reviews:recuse", args=[_in_review(world).pk]),
        fields={"reason": Field(2000, required="Say what the conflict of interest is.")},
        stored=lambda world, ctx: {
            "reason": getattr(_latest(Recusal, application=_in_review(world)), "reason", None)
        },
        shown=_record,
    ),
    Surface(
        id="scoring notes",
        form="reviews.forms.workspace.RubricScoresForm",
        persona="reviewer",
        url=lambda world, ctx: reverse("reviews:save-scores", args=[_in_review(world).pk]),
        fields={"notes": REASON},
        names=lambda world, ctx: {"notes": f"notes_{_criterion(world).pk}"},
        base=lambda world, ctx: {f"score_{_criterion(world).pk}": "2"},
        stored=lambda world, ctx: {
            "notes": getattr(
                _latest(CriterionScore, application=_in_review(world), criterion=_criterion(world)),
                "notes",
                None,
            )
        },
        shown=_workspace,
    ),
    Surface(
        id="compliance finding",
        form="reviews.forms.workspace.ComplianceFindingForm",
        persona="reviewer",
        url=lambda world, ctx: reverse("reviews:record-finding", args=[_in_review(world).pk]),
        fields={"notes": REASON},
        stored=lambda world, ctx: {
            "notes": getattr(
                _latest(ComplianceFinding, application=_in_review(world)), "notes", None
            )
        },
        shown=_record,
    ),
    Surface(
        id="information request",
        form="reviews.forms.workspace.InformationRequestForm",
        persona="reviewer",
        url=lambda world, ctx: reverse("reviews:request-information", args=[_in_review(world).pk]),
        fields={
            "question_1": Field(5000, required="Write at least one question."),
            "question_2": REASON,
            "question_3": REASON,
        },
        base=lambda world, ctx: {"due": _today_plus(30)},
        stored=_questions,
        shown=_record,
    ),
    Surface(
        id="recommendation",
        form="reviews.forms.recommendation.RecommendationForm",
        persona="reviewer",
        url=lambda world, ctx: reverse("reviews:recommend", args=[_in_review(world).pk]),
        fields={"reason_text": REASON, "reason_remedy": REASON},
        base=lambda world, ctx: {
            "outcome": "denied",
            "reason_ground": "163.13(b)(1)(i)",
            "reason_demonstration": "iii",
            "differs_reason": "The records room was not shown.",
        },
        stored=_recommendation,
        shown=lambda world, ctx: (
            "supervisor",
            reverse("reviews:sign-off", args=[_in_review(world).pk]),
        ),
    ),
    Surface(
        id="sign-off terms",
        form="reviews.forms.recommendation.SignOffForm",
        persona="supervisor",
        url=lambda world, ctx: reverse(
            "reviews:sign-off", args=[world.application("recommended").pk]
        ),
        fields={"terms": Field(10000)},
        base=lambda world, ctx: {"decision": "certified"},
        stored=lambda world, ctx: {
            "terms": getattr(
                _latest(Decision, application=world.application("recommended")), "terms", None
            )
        },
        shown=lambda world, ctx: (
            "supervisor",
            reverse(
                "participants:participant",
                args=[Participant.objects.get(application=world.applications["recommended"]).pk],
            ),
        ),
    ),
    Surface(
        id="sign-off returned with comments",
        form="reviews.forms.recommendation.SignOffForm",
        persona="supervisor",
        url=lambda world, ctx: reverse(
            "reviews:sign-off", args=[world.application("recommended").pk]
        ),
        fields={"comments": Field(5000, required="Say what the reviewer should look at again.")},
        base=lambda world, ctx: {"decision": "return"},
        stored=lambda world, ctx: {
            "comments": getattr(
                _latest(
                    Event,
                    application=world.application("recommended"),
                    data__has_key="comments",
                ),
                "data",
                {},
            ).get("comments")
        },
    ),
    Surface(
        id="variance or violation report",
        form="participants.forms.ReportForm",
        persona="owner_e",
        url=lambda world, ctx: reverse("participants:report-new"),
        fields={
            "what_happened": Field(5000, required="Say what happened."),
            "records_concerned": Field(5000, required="Say which records it concerns."),
            "action_taken": Field(5000, required="Say what you have done about it."),
        },
        base=lambda world, ctx: {"involves_failure": "no", "found_on": _today_plus(0)},
        stored=lambda world, ctx: {
            name: getattr(_latest(ComplianceReport), name, None)
            for name in ("what_happened", "records_concerned", "action_taken")
        },
        shown=lambda world, ctx: (
            "owner_e",
            reverse("participants:report", args=[_latest(ComplianceReport).pk]),
        ),
    ),
    Surface(
        id="corrective action asked for",
        form="participants.forms.CorrectiveActionRequestForm",
        persona="reviewer",
        prepare=_with(records.report, "report"),
        url=lambda world, ctx: reverse(
            "participants:report-request-action", args=[ctx["report"].pk]
        ),
        fields={"request": Field(5000, required="Say what the participant should do.")},
        base=lambda world, ctx: {"due": _today_plus(30)},
        stored=lambda world, ctx: {"request": getattr(_action(ctx), "request", None)},
        shown=lambda world, ctx: ("owner_e", _report_url(world, ctx)),
    ),
    Surface(
        id="corrective action taken",
        form="participants.forms.CorrectiveActionResponseForm",
        persona="owner_e",
        prepare=_with(records.report_awaiting_action, "report"),
        url=lambda world, ctx: reverse("participants:report-respond", args=[ctx["report"].pk]),
        fields={"response": Field(5000, required="Say what you did.")},
        stored=lambda world, ctx: {"response": _action(ctx).response or None},
        shown=lambda world, ctx: ("reviewer", _report_url(world, ctx)),
    ),
    Surface(
        id="report closed",
        form="participants.forms.CloseReportForm",
        persona="reviewer",
        prepare=_with(records.report, "report"),
        url=lambda world, ctx: reverse("participants:report-close", args=[ctx["report"].pk]),
        fields={"note": REASON},
        stored=lambda world, ctx: {
            "note": ComplianceReport.objects.get(pk=ctx["report"].pk).closing_note or None
        },
        shown=lambda world, ctx: ("owner_e", _report_url(world, ctx)),
    ),
    Surface(
        id="failure to produce",
        form="participants.forms.FailureForm",
        persona="reviewer",
        url=lambda world, ctx: reverse("participants:notice-new", args=[world.participant.pk]),
        fields={"record_demanded": Field(2000, required="Say which record was demanded.")},
        base=lambda world, ctx: {
            "entry_number": "123-4567890-3",
            "demanded_on": _today_plus(0),
            "willful": "no",
        },
        stored=lambda world, ctx: {
            "record_demanded": getattr(_latest(NoticeOfViolation), "record_demanded", None)
        },
        shown=lambda world, ctx: (
            "owner_e",
            reverse("participants:notice", args=[_latest(NoticeOfViolation).pk]),
        ),
    ),
    Surface(
        id="notice answered",
        form="participants.forms.NoticeAnswerForm",
        persona="owner_e",
        prepare=_with(records.notice, "notice"),
        url=lambda world, ctx: reverse("participants:notice-answer", args=[ctx["notice"].pk]),
        fields={
            "response": Field(
                5000, required="Say what you have done to prevent it happening again."
            )
        },
        stored=lambda world, ctx: {
            "response": NoticeOfViolation.objects.get(pk=ctx["notice"].pk).response or None
        },
        shown=lambda world, ctx: (
            "reviewer",
            reverse("participants:notice", args=[ctx["notice"].pk]),
        ),
    ),
    Surface(
        id="removal proposed",
        form="participants.forms.RemovalProposalForm",
        persona="reviewer",
        url=lambda world, ctx: reverse("participants:removal-new", args=[world.participant.pk]),
        fields={"reasons": Field(5000, required="Say, in plain words, why: the letter states it.")},
        base=lambda world, ctx: {"grounds": ["c1iii"], "immediate": ""},
        stored=lambda world, ctx: {"reasons": getattr(_latest(Removal), "reasons", None)},
        shown=lambda world, ctx: (
            "supervisor",
            reverse("participants:removal", args=[_latest(Removal).pk]),
        ),
    ),
    Surface(
        id="removal declined",
        form="participants.forms.RemovalDecisionForm",
        persona="supervisor",
        prepare=_with(records.removal, "removal"),
        url=lambda world, ctx: reverse("participants:removal", args=[ctx["removal"].pk]),
        fields={"reason": REASON},
        base=lambda world, ctx: {"decision": "decline"},
        stored=lambda world, ctx: {
            "reason": Removal.objects.get(pk=ctx["removal"].pk).decline_reason or None
        },
        shown=lambda world, ctx: (
            "supervisor",
            reverse("participants:removal", args=[ctx["removal"].pk]),
        ),
    ),
    Surface(
        id="appeal filed",
        form="participants.forms.AppealForm",
        persona="owner_f",
        url=lambda world, ctx: reverse(
            "participants:appeal-new", args=[world.applications["denied"].pk]
        ),
        fields={"statement": Field(10000, required="Say why the decision should change.")},
        stored=lambda world, ctx: {"statement": getattr(_latest(Appeal), "statement", None)},
        shown=lambda world, ctx: (
            "owner_f",
            reverse("participants:appeal", args=[_latest(Appeal).pk]),
        ),
    ),
    Surface(
        id="appeal delayed",
        form="participants.forms.AppealDelayForm",
        persona="appeals",
        prepare=_with(records.appeal, "appeal"),
        url=lambda world, ctx: reverse("participants:appeal-delay", args=[ctx["appeal"].pk]),
        fields={
            "reasons": Field(
                5000, required="Say why the decision is delayed: the appellant is told."
            )
        },
        base=lambda world, ctx: {
            "expected": (ctx["appeal"].decision_due + records.timedelta(days=10)).strftime(
                "%m/%d/%Y"
            )
        },
        stored=lambda world, ctx: {
            "reasons": Appeal.objects.get(pk=ctx["appeal"].pk).delay_reasons or None
        },
        shown=lambda world, ctx: (
            "owner_f",
            reverse("participants:appeal", args=[ctx["appeal"].pk]),
        ),
    ),
    Surface(
        id="appeal decided",
        form="participants.forms.AppealDecisionForm",
        persona="appeals",
        prepare=_with(records.appeal, "appeal"),
        url=lambda world, ctx: reverse("participants:appeal-decide", args=[ctx["appeal"].pk]),
        fields={
            "reasons": Field(10000, required="Give the reasons for the decision on the appeal.")
        },
        base=lambda world, ctx: {"outcome": "upheld"},
        stored=lambda world, ctx: {
            "reasons": Appeal.objects.get(pk=ctx["appeal"].pk).reasons or None
        },
        shown=lambda world, ctx: (
            "owner_f",
            reverse("participants:appeal", args=[ctx["appeal"].pk]),
        ),
    ),
]
