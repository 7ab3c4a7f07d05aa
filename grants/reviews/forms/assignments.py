"""Staff forms for readers: record a conflict, assign or remove a reader, assign automatically."""

from django import forms

from ccpt.lib.dates import PacificDateTimeField
from ccpt.lib.forms import CrispyForm, LongSelect, NameChoiceField
from consortia.models import Consortium, Organization

from ..services.assignment import reader_pool


class ReaderChoiceField(forms.ModelChoiceField):
    """A reader with their load in the round, when the queryset is annotated with it."""

    widget = LongSelect  # the whole pool of readers

    def label_from_instance(self, obj):
        load = getattr(obj, "load", None)
        if load is None:
            return f"{obj} ({obj.email})"
        return f"{obj} ({obj.email}): {load} in this round"


class ConflictForm(CrispyForm, forms.Form):
    submit_label = "Record conflict"

    reader = ReaderChoiceField(
        label="Reader", queryset=reader_pool().order_by("last_name", "first_name"), empty_label="Choose a reader"
    )
    consortium = NameChoiceField(
        queryset=Consortium.objects.order_by("name"),
        required=False,
        empty_label="No consortium (name an organization)",
        help_text="The reader may not read any application of this consortium.",
    )
    organization = NameChoiceField(
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label="No organization (name a consortium)",
        help_text="The reader may not read any application whose lead agency or members include it.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the conflict is; kept in the record with your name and the time.",
        error_messages={"required": "Say why the reader is in conflict; it is kept in the record."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the reader is in conflict; it is kept in the record.")
        return reason

    def clean(self):
        cleaned = super().clean()
        consortium, organization = cleaned.get("consortium"), cleaned.get("organization")
        if consortium and organization:
            self.add_error("organization", "Choose either a consortium or an organization, not both.")
        elif not consortium and not organization and "consortium" not in self.errors:
            self.add_error("consortium", "Choose the consortium or the organization the reader is in conflict with.")
        return cleaned


class AssignReaderForm(CrispyForm, forms.Form):
    """Only readers free of conflict and not already on the application are offered."""

    submit_label = "Assign reader"

    reader = ReaderChoiceField(label="Reader", queryset=None, empty_label="Choose a reader")

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reader"].queryset = reader_pool().filter(pk__in=[r.pk for r in eligible])
        # The choices shown carry the loads already computed, without a query per reader.
        self.fields["reader"].choices = [("", "Choose a reader")] + [
            (r.pk, self.fields["reader"].label_from_instance(r)) for r in eligible
        ]


class RemoveReaderForm(CrispyForm, forms.Form):
    submit_label = "Remove reader"
    submit_classes = "btn btn-danger"

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the reader withdrew. Kept in the record with your name and the time.",
        error_messages={"required": "Give a reason for removing the reader; it is kept in the record."},
    )
    replacement = ReaderChoiceField(
        label="Assign instead (optional)",
        queryset=None,
        required=False,
        empty_label="Nobody for now",
        help_text="Only readers free of conflict and not already on the application are offered.",
    )

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["replacement"]
        field.queryset = reader_pool().filter(pk__in=[r.pk for r in eligible])
        field.choices = [("", "Nobody for now")] + [(r.pk, field.label_from_instance(r)) for r in eligible]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason for removing the reader; it is kept in the record.")
        return reason


class AutoAssignForm(CrispyForm, forms.Form):
    submit_label = "Assign automatically"

    max_per_reader = forms.IntegerField(
        label="Maximum applications per reader (optional)",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Counts what each reader already has in this round. Leave empty for no maximum.",
        error_messages={
            "invalid": "Enter a whole number, for example 12.",
            "min_value": "Enter at least 1, or leave empty for no maximum.",
        },
    )


class ReviewDueForm(CrispyForm, forms.Form):
    submit_label = "Save the due date"

    review_due_at = PacificDateTimeField(
        label="Reviews due (Pacific time)",
        required=False,
        help_text="Readers are reminded from 3 days before. Leave empty for no due date.",
    )


class ExtendAssignmentForm(CrispyForm, forms.Form):
    submit_label = "Save this reader's due date"

    due_at = PacificDateTimeField(
        label="This reader's review is due (Pacific time)",
        required=False,
        help_text="Leave empty to go back to the round's due date.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the reader was ill. Kept in the record with your name and the time.",
        error_messages={"required": "Give a reason for the new due date; it is kept in the record."},
    )
