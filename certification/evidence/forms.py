"""Forms that take evidence files."""

from django import forms

from certification.forms import VersionedForm


class ReplaceEvidenceForm(VersionedForm):
    file = forms.FileField(
        label="Choose the new file",
        help_text="PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV or plain-text file.",
        error_messages={"required": "Choose a file to upload."},
    )
