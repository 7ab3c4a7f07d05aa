"""Staff forms of the reader pool: search it, invite a reader, edit a reader's affiliations and expertise, set their
maximum in a round, deactivate or reactivate them."""

from django import forms

from ccpt.lib.forms import CleanInput, CrispyForm, LongSelect, _NameIterator, reason_field
from consortia.forms import NewAccountForm
from consortia.models import Organization
from grants.applications.sectors import Sector


class LongSelectMultiple(LongSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select sends nothing: that means none


class OrganizationsField(forms.ModelMultipleChoiceField):
    """Several organizations of a long table, offered by (id, name) pairs without a model object per option."""

    widget = LongSelectMultiple(attrs={"multiple": True, "size": 8})
    iterator = _NameIterator

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Organization.objects.order_by("name"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Affiliations (organizations the reader works for or represents)")
        kwargs.setdefault(
            "help_text",
            "The reader is in conflict with every application whose lead agency or member is one of these. "
            "Hold Ctrl (Cmd on a Mac) to choose several.",
        )
        super().__init__(**kwargs)


def sectors_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Expertise: CTE industry sectors",
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def expertise_field() -> forms.CharField:
    return forms.CharField(
        label="Expertise (free text)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: apprenticeship design, community college articulation, labor market data.",
    )


class PoolSearchForm(CleanInput, forms.Form):
    """The pool's filters (GET): a word of the name, email or expertise; a sector; the status."""

    q = forms.CharField(label="Name, email or expertise", required=False, max_length=100)
    sector = forms.ChoiceField(label="Industry sector", required=False, choices=[("", "Any sector"), *Sector.choices])
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Active and deactivated"), ("active", "Active"), ("deactivated", "Deactivated")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"


class ReaderInvitationForm(CrispyForm, forms.Form):
    submit_label = "Send the invitation"

    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    organizations = OrganizationsField()
    sectors = sectors_field()
    expertise = expertise_field()


class ReaderProfileForm(CrispyForm, forms.Form):
    submit_label = "Save affiliations and expertise"

    organizations = OrganizationsField()
    sectors = sectors_field()
    expertise = expertise_field()


class LoadCapForm(CrispyForm, forms.Form):
    submit_label = "Save the maximum"

    maximum = forms.IntegerField(
        label="Most applications this reader reads in the round (optional)",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Assigning by hand and automatically stop at it (or at a run's maximum, if smaller). "
        "Leave empty for no maximum of their own.",
        error_messages={
            "invalid": "Enter a whole number, for example 8.",
            "min_value": "Enter at least 1, or leave empty for no maximum.",
        },
    )


class DeactivateReaderForm(CrispyForm, forms.Form):
    submit_label = "Deactivate the reader"
    submit_classes = "btn btn-danger"

    reason = reason_field(
        help_text="For example: the reader withdrew from the program. Kept in the record with your name and the time.",
        required_message="Say why the reader is deactivated; it is kept in the record.",
    )
    remove_unsubmitted = forms.BooleanField(
        label="Also remove them from their applications without a submitted review",
        required=False,
        help_text="Those applications then need another reader on the round's readers board. Submitted reviews stay.",
    )


class ReactivateReaderForm(CrispyForm, forms.Form):
    submit_label = "Reactivate the reader"

    reason = reason_field(label="Reason (optional)", required=False)


class ReaderAccountForm(NewAccountForm):
    """The invited reader's new account; the consortium form's button ("... and join") would say they join a
    consortium."""

    submit_label = "Create my account and accept"
