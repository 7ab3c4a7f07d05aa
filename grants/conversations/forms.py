from django import forms

from ccpt.lib.dates import PacificDateTimeField
from ccpt.lib.forms import CleanInput
from ccpt.lib.once import OncePerClickForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one field (each checked by the service, by content)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class MessageForm(OncePerClickForm):
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 4}))
    files = FilesField(
        label="Attach files (optional)",
        required=False,
        help_text="PDF, Word (.docx), Excel (.xlsx), PNG or JPEG.",
    )

    def __init__(self, *args, note: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if note:  # the staff notes' form, on the same page as the message's
            self.fields["body"].label = "Note for staff"
            self.fields["files"].label = "Attach files to the note (optional)"


class ClarificationForm(OncePerClickForm):
    question = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 3}))
    due_at = PacificDateTimeField(label="Answer due (Pacific time)")


class AnswerForm(CleanInput, forms.Form):
    answer = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 4}))


class PreferenceForm(CleanInput, forms.Form):
    daily_digest = forms.BooleanField(
        label="Send me one email a day with every new message, instead of one email per message",
        required=False,
    )
