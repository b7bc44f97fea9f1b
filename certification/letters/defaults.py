"""The text each kind of letter starts with: version 1 of its template, until an admin saves another.

Installed by migration 0011, and used by `letter_lifecycle` should a kind have no template at all
(a kind added later, or a test database flushed). A change to a kind's text reaches existing
databases as a new version, by a migration of its own that adds it only where the latest version
is still the shipped text (0014: the certification kinds' "importer number(s)"). Markdown with the placeholders of
`certification.letters.PLACEHOLDERS`; a test checks each passes `letters.check_template`.
"""

CONDITIONS = """## Conditions of participation

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
"""

DEFAULT_TEMPLATES = {
    "certification": (
        "Certification in the Recordkeeping Compliance Program",
        """Dear {{ legal_name }}:

U.S. Customs and Border Protection (CBP) has reviewed your application {{ reference }} to take part
in the Recordkeeping Compliance Program under 19 U.S.C. 1509(f) and 19 CFR 163.12. We are pleased
to tell you that you are **certified** as a participant in the {{ route }}, effective
{{ effective_date }}. The certification covers {{ importer_numbers_phrase }}.

"""
        + CONDITIONS,
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

"""
        + CONDITIONS,
    ),
    "denial": (
        "Denial of your application to the Recordkeeping Compliance Program",
        """Dear {{ legal_name }}:

U.S. Customs and Border Protection (CBP) has reviewed your application {{ reference }} to take part
in the Recordkeeping Compliance Program under 19 U.S.C. 1509(f) and 19 CFR 163.12. On
{{ decision_date }} CBP **denied** the application, for the following reasons under
19 CFR 163.13(b)(1):

{{ reasons }}

## Your right to appeal

You may appeal this denial under 19 CFR 163.13(d). Send your appeal in writing, saying why you
believe the decision should change and enclosing any documents that support it, to:

{{ appeal_addressee }}

CBP must receive your appeal by **{{ appeal_deadline }}**. Quote the reference {{ reference }}.

You may apply again when you can show that the requirements are met.
""",
    ),
    "information_request": (
        "Request for information about your application {{ reference }}",
        """Dear {{ legal_name }}:

U.S. Customs and Border Protection (CBP) is reviewing your application {{ reference }} to take part
in the Recordkeeping Compliance Program. Before the review can continue, we need the information
below. Please answer each question by **{{ response_due }}** by signing in to the Recordkeeping
Compliance Program service, where you can also attach documents.

{{ questions }}

This request is part of CBP's review. It is not a decision on your application.
""",
    ),
}


# After certification: the letters the participants app asks for (`letter_lifecycle.letter_create`).
APPEAL_RIGHT = """## Your right to appeal

You may appeal under 19 CFR 163.13(d). Send your appeal in writing, saying why you believe the
decision should change and enclosing any documents that support it, to:

{{ appeal_addressee }}

CBP must receive your appeal by **{{ appeal_deadline }}**. Quote the reference {{ reference }}.
You may also appeal through the Recordkeeping Compliance Program service.
"""

DEFAULT_TEMPLATES |= {
    "notice_of_violation": (
        "Notice of violation in lieu of a monetary penalty",
        """Dear {{ legal_name }}:

{{ violation_statement }}

On {{ demanded_on }} U.S. Customs and Border Protection (CBP) demanded the following record for
entry {{ entry_number }}, and it was not produced:

**{{ record_demanded }}**

Because you are a participant in the Recordkeeping Compliance Program, are generally in compliance,
and the failure was neither willful nor repeated, CBP is issuing this written notice instead of a
monetary penalty (19 U.S.C. 1509(g) and 19 CFR 163.12(d)).

{{ future_failures_warning }}

## What you must do

By **{{ response_due }}**, tell CBP the steps you have taken to prevent this from happening again.
Sign in to the Recordkeeping Compliance Program service to answer, quoting {{ reference }}.
""",
    ),
    "removal": (
        "Removal from the Recordkeeping Compliance Program",
        """Dear {{ legal_name }}:

On {{ decision_date }} U.S. Customs and Border Protection (CBP) decided to remove your
certification in the Recordkeeping Compliance Program (application {{ reference }}), under
19 CFR 163.13(c), for the following reasons:

{{ removal_reasons }}

## When the removal takes effect

{{ effective_statement }}

"""
        + APPEAL_RIGHT,
    ),
    "appeal_decision": (
        "Decision on your appeal",
        """Dear {{ legal_name }}:

CBP received your appeal of {{ appeal_subject }} on {{ appeal_received_on }}. An appeals official
who took no part in the original decision has decided it under 19 CFR 163.13(d), on
{{ decision_date }}.

{{ outcome_statement }}

## The reasons

{{ appeal_reasons }}

If you have questions, write to {{ office_name }}, {{ office_address }}, quoting {{ reference }}.
""",
    ),
    "appeal_delay": (
        "Your appeal: the decision is delayed",
        """Dear {{ legal_name }}:

CBP received your appeal of {{ appeal_subject }} on {{ appeal_received_on }}. Under
19 CFR 163.13(d) an appeal is decided within 30 days unless circumstances require a delay. The
decision on your appeal is delayed, for these reasons:

{{ delay_reasons }}

CBP now expects to decide your appeal by **{{ expected_decision_date }}**. We will write to you
with the decision.
""",
    ),
}
