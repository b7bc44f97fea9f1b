"""The certification letters say "importer number" or "importer numbers" as the count is
(the `importer_numbers_phrase` placeholder). Letters already issued keep the version they were
rendered from; this adds the new text as the next version of each certification kind, but only
where the kind's latest version is still the text shipped in 0011: an admin's own version is left
in use, for the admin to update.

The texts are written out here, not imported from `certification.letters.defaults`, so that what
this migration compares and adds stays as it was when it was written."""

from django.db import migrations

SHIPPED = {
    "certification": (
        "Certification in the Recordkeeping Compliance Program",
        """Dear {{ legal_name }}:

U.S. Customs and Border Protection (CBP) has reviewed your application {{ reference }} to take part
in the Recordkeeping Compliance Program under 19 U.S.C. 1509(f) and 19 CFR 163.12. We are pleased
to tell you that you are **certified** as a participant in the {{ route }}, effective
{{ effective_date }}. The certification covers importer number {{ importer_numbers }}.

## Conditions of participation

While certified, you must:

1. keep in place the procedures you demonstrated under 19 CFR 163.12(b)(3)(i) through (vi): your
   understanding of the recordkeeping requirements, the procedures for explaining them to your
   employees, the procedures for preparing, keeping and producing records, your designated
   individuals, your record maintenance procedure, and your procedures for reporting variances and
   violations;
2. keep your designated individuals current, and tell CBP when they change;
3. report variances and violations of the program to CBP; and
4. take corrective action when CBP notifies you of a variance or violation.

## What participation means

If you are generally in compliance with the recordkeeping requirements and fail to produce a record
CBP demands, CBP may issue a written notice of violation instead of a monetary penalty under
19 U.S.C. 1509(g), unless the failure is willful or repeated. Participation does not limit CBP's
authority to obtain records by summons or court order. Repeated violations may result in penalties
and in removal from the program.

If you have questions, write to {{ office_name }}, {{ office_address }}, quoting {{ reference }}.
""",
    ),
    "certification_alternative": (
        "Certification in the Recordkeeping Compliance Program (negotiated alternative program)",
        """Dear {{ legal_name }}:

U.S. Customs and Border Protection (CBP) has reviewed your application {{ reference }} to take part
in the Recordkeeping Compliance Program under 19 U.S.C. 1509(f) and 19 CFR 163.12. We are pleased
to tell you that you are **certified** as a participant in the {{ route }}, effective
{{ effective_date }}, on the terms below. The certification covers importer number
{{ importer_numbers }}.

## Terms of your alternative program

{{ alternative_terms }}

You must keep to these terms as well as to the conditions that follow.

## Conditions of participation

While certified, you must:

1. keep in place the procedures you demonstrated under 19 CFR 163.12(b)(3)(i) through (vi): your
   understanding of the recordkeeping requirements, the procedures for explaining them to your
   employees, the procedures for preparing, keeping and producing records, your designated
   individuals, your record maintenance procedure, and your procedures for reporting variances and
   violations;
2. keep your designated individuals current, and tell CBP when they change;
3. report variances and violations of the program to CBP; and
4. take corrective action when CBP notifies you of a variance or violation.

## What participation means

If you are generally in compliance with the recordkeeping requirements and fail to produce a record
CBP demands, CBP may issue a written notice of violation instead of a monetary penalty under
19 U.S.C. 1509(g), unless the failure is willful or repeated. Participation does not limit CBP's
authority to obtain records by summons or court order. Repeated violations may result in penalties
and in removal from the program.

If you have questions, write to {{ office_name }}, {{ office_address }}, quoting {{ reference }}.
""",
    ),
}

NEW = {
    "certification": (
        "Certification in the Recordkeeping Compliance Program",
        """Dear {{ legal_name }}:

U.S. Customs and Border Protection (CBP) has reviewed your application {{ reference }} to take part
in the Recordkeeping Compliance Program under 19 U.S.C. 1509(f) and 19 CFR 163.12. We are pleased
to tell you that you are **certified** as a participant in the {{ route }}, effective
{{ effective_date }}. The certification covers {{ importer_numbers_phrase }}.

## Conditions of participation

While certified, you must:

1. keep in place the procedures you demonstrated under 19 CFR 163.12(b)(3)(i) through (vi): your
   understanding of the recordkeeping requirements, the procedures for explaining them to your
   employees, the procedures for preparing, keeping and producing records, your designated
   individuals, your record maintenance procedure, and your procedures for reporting variances and
   violations;
2. keep your designated individuals current, and tell CBP when they change;
3. report variances and violations of the program to CBP; and
4. take corrective action when CBP notifies you of a variance or violation.

## What participation means

If you are generally in compliance with the recordkeeping requirements and fail to produce a record
CBP demands, CBP may issue a written notice of violation instead of a monetary penalty under
19 U.S.C. 1509(g), unless the failure is willful or repeated. Participation does not limit CBP's
authority to obtain records by summons or court order. Repeated violations may result in penalties
and in removal from the program.

If you have questions, write to {{ office_name }}, {{ office_address }}, quoting {{ reference }}.
""",
    ),
    "certification_alternative": (
        "Certification in the Recordkeeping Compliance Program (negotiated alternative program)",
        """Dear {{ legal_name }}:

U.S. Customs and Border Protection (CBP) has reviewed your application {{ reference }} to take part
in the Recordkeeping Compliance Program under 19 U.S.C. 1509(f) and 19 CFR 163.12. We are pleased
to tell you that you are **certified** as a participant in the {{ route }}, effective
{{ effective_date }}, on the terms below. The certification covers
{{ importer_numbers_phrase }}.

## Terms of your alternative program

{{ alternative_terms }}

You must keep to these terms as well as to the conditions that follow.

## Conditions of participation

While certified, you must:

1. keep in place the procedures you demonstrated under 19 CFR 163.12(b)(3)(i) through (vi): your
   understanding of the recordkeeping requirements, the procedures for explaining them to your
   employees, the procedures for preparing, keeping and producing records, your designated
   individuals, your record maintenance procedure, and your procedures for reporting variances and
   violations;
2. keep your designated individuals current, and tell CBP when they change;
3. report variances and violations of the program to CBP; and
4. take corrective action when CBP notifies you of a variance or violation.

## What participation means

If you are generally in compliance with the recordkeeping requirements and fail to produce a record
CBP demands, CBP may issue a written notice of violation instead of a monetary penalty under
19 U.S.C. 1509(g), unless the failure is willful or repeated. Participation does not limit CBP's
authority to obtain records by summons or court order. Repeated violations may result in penalties
and in removal from the program.

If you have questions, write to {{ office_name }}, {{ office_address }}, quoting {{ reference }}.
""",
    ),
}


def add_plural_importer_numbers_versions(apps, schema_editor):
    LetterTemplate = apps.get_model("certification", "LetterTemplate")
    for kind, shipped in SHIPPED.items():
        latest = LetterTemplate.objects.filter(kind=kind).order_by("-version").first()
        if latest is None or (latest.subject, latest.body) != shipped:
            continue  # none yet (the shipped defaults apply), or an admin's own text
        subject, body = NEW[kind]
        LetterTemplate.objects.create(
            kind=kind, version=latest.version + 1, subject=subject, body=body
        )


class Migration(migrations.Migration):
    dependencies = [("certification", "0016_staff_notifications")]

    operations = [
        # Backwards, the added versions stay: letters may already point to them.
        migrations.RunPython(add_plural_importer_numbers_versions, migrations.RunPython.noop)
    ]
