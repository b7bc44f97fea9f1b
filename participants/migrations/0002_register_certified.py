"""Enter in the register every certification issued before the register existed (the search
text as `participants.models.register.participant_search_text` makes it, written out: a migration
does not import the app's code)."""

from django.db import migrations


def register(apps, schema_editor):
    Decision = apps.get_model("certification", "Decision")
    Participant = apps.get_model("participants", "Participant")
    for decision in Decision.objects.filter(outcome="certified").select_related(
        "application__organisation"
    ):
        application = decision.application
        snapshot = application.profile_snapshot or {}
        legal_name = snapshot.get("legal_name") or application.organisation.legal_name
        numbers = list(snapshot.get("importer_numbers") or [])
        bare = ["".join(c for c in n if c.isalnum()).lower() for n in numbers]
        search = " ".join(
            [legal_name.lower(), (application.reference or "").lower()]
            + [n.lower() for n in numbers]
            + bare
        )
        Participant.objects.get_or_create(
            application=application,
            defaults={
                "organisation_id": application.organisation_id,
                "decision": decision,
                "certified_on": decision.decided_at.date(),
                "route": application.route,
                "terms": decision.terms,
                "legal_name": legal_name,
                "importer_numbers": numbers,
                "search_text": search,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0001_initial"),
        ("certification", "0018_participant_events_decision_terms"),
    ]

    operations = [migrations.RunPython(register, migrations.RunPython.noop)]
