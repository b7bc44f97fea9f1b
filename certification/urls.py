"""The applicant's pages: an application, its wizard, withdrawal and answers to CBP's questions, and
the downloads of its files."""

from django.urls import path, register_converter

from certification.evidence import views as evidence
from certification.letters import views as letters
from certification.references import ApplicationKey
from certification.views import applications
from certification.wizard import evidence_views
from certification.wizard import views as wizard

app_name = "certification"

# An application's pages are addressed by its reference (or, for an older draft, its number).
register_converter(ApplicationKey, "application")

urlpatterns = [
    path("new", wizard.application_start, name="application-start"),
    path("evidence/<int:pk>/download", evidence.evidence_download, name="evidence-download"),
    path("letters/<int:pk>/download", letters.letter_download, name="letter-download"),
    path("<application:pk>/", applications.application_detail, name="application-detail"),
    path(
        "<application:pk>/continue", applications.application_continue, name="application-continue"
    ),
    path(
        "<application:pk>/withdraw",
        applications.application_withdraw_view,
        name="application-withdraw",
    ),
    path(
        "<application:pk>/answer-questions",
        applications.information_request_answer,
        name="information-request-answer",
    ),
    path(
        "<application:pk>/evidence/<int:evidence_pk>/replace",
        evidence_views.evidence_replace,
        name="evidence-replace",
    ),
    path("<application:pk>/<slug:slug>/", wizard.wizard_step, name="wizard-step"),
]
