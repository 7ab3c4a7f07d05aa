"""Forms for submitting, withdrawing, reopening and accepting late, and for uploading attachments."""

from pathlib import PurePath

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from ccpt.lib.forms import CleanInput, CrispyForm
from grants.programs.models import RequiredAttachment

from ..models import Application
from ..services.attachments import ALLOWED_DESCRIPTION, validate_upload


class SubmitForm(CrispyForm, forms.Form):
    submit_label = "Submit application"

    confirm = forms.BooleanField(
        label="I am authorized by the lead agency to submit this application, and it is complete and accurate.",
        error_messages={"required": "Confirm that you may submit this application for the lead agency."},
    )


class WithdrawForm(CrispyForm, forms.Form):
    submit_label = "Withdraw application"

    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the application's history.",
    )


class ReasonForm(CrispyForm, forms.Form):
    """A staff action that must say why: the reason is kept in the record."""

    reason_label = "Reason"
    reason_help = "Kept in the application's history and shown with it."
    reason_required = "Give the reason; it is kept in the record."

    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label, field.help_text = self.reason_label, self.reason_help
        field.error_messages["required"] = self.reason_required

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(self.reason_required)
        return reason


class ReopenForm(ReasonForm):
    submit_label = "Reopen for changes"
    reason_label = "Why is the application being reopened?"
    reason_required = "Give the reason for reopening; it is kept in the record."


class LateAcceptanceForm(ReasonForm):
    submit_label = "Accept and submit late"
    reason_label = "Why is this submission accepted after the deadline?"
    reason_required = "Give the reason for accepting this submission late; it is kept in the record."


class AttachmentUploadForm(CleanInput, forms.Form):
    """One file, for one of the round's required attachments or as another supporting file."""

    unknown_slot = False

    required_attachment = forms.CharField(required=False, widget=forms.HiddenInput)
    # Empty files reach clean_file, whose message names the file.
    file = forms.FileField(
        allow_empty_file=True,
        error_messages={
            "required": "Choose a file to upload.",
            "invalid": "No file was received; choose the file again.",
        },
        help_text=f"{ALLOWED_DESCRIPTION}.",
    )

    def __init__(
        self,
        *args,
        application: Application,
        required: RequiredAttachment | None = None,
        replacing: bool = False,
        **kwargs,
    ):
        slot = f"r{required.pk}" if required else "other"
        kwargs.setdefault("auto_id", f"id_{slot}_%s")
        super().__init__(*args, **kwargs)
        self.application = application
        self.required = required
        self.fields["required_attachment"].initial = required.pk if required else ""
        if required:
            self.fields["file"].label = f"{'New file' if replacing else 'File'} for “{required.name}”"
        else:
            self.fields["file"].label = "Another supporting file"
        self.helper = FormHelper()
        self.helper.form_action = reverse("applications:attachment-upload", args=[application.pk])
        self.helper.form_id = f"upload-{slot}"
        self.helper.add_input(Submit("upload", "Replace" if replacing else "Upload", css_id=f"submit-{slot}"))

    @classmethod
    def from_post(cls, data, files, *, application: Application) -> "AttachmentUploadForm":
        """The posted form, for the attachment slot it names (another file when it names none)."""
        value = (data.get("required_attachment") or "").strip()
        known = value.isascii() and value.isdigit() and len(value) <= 18
        required = application.round.required_attachments.filter(pk=int(value)).first() if known else None
        form = cls(data, files, application=application, required=required, replacing=False)
        form.unknown_slot = bool(value) and required is None
        return form

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = PurePath(upload.name).name
        try:
            validate_upload(upload)
        except ValidationError as error:
            raise ValidationError(
                [message if name in message else f"“{name}”: {message}" for message in error.messages]
            ) from error
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.unknown_slot:
            # Only a tampered or outdated page gets here; say it where the person can see it.
            self.add_error(None, "That attachment is not one this round asks for; reload the page and try again.")
        return cleaned
