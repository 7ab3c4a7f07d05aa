"""Forms for configuring programs and rounds. Money is Decimal; times are entered and shown in Pacific time."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.html import format_html

from ccpt.lib.dates import PACIFIC
from ccpt.lib.money import CENT, MoneyField
from consortia.composition import Requirement
from consortia.models import Organization

from .models import (
    SET_ASIDE_LIMIT,
    Appropriation,
    CompetitivePriority,
    Criterion,
    FundingCategory,
    Program,
    RequiredAttachment,
    Round,
)
from .services import rows_in_use

LEAD_KIND_CHOICES = [(kind.value, kind.label) for kind in Organization.Kind if kind in Organization.LEAD_KINDS]


class PacificDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in Pacific time, whatever time zone is active."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": "Enter a date and time, for example 2014-03-28 17:00."}

    def prepare_value(self, value):
        with timezone.override(PACIFIC):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(PACIFIC):
            return super().to_python(value)


def _position_field():
    return forms.IntegerField(
        label="Order", min_value=0, max_value=32767, required=False, help_text="Lower numbers come first; 0 if empty."
    )


class RoundForm(forms.ModelForm):
    """A round's own settings; its rows (categories, rubric, priorities, attachments) have their own pages."""

    funds_available = MoneyField(label="Funds available", min_value=CENT, help_text="Dollars this round may award.")
    loi_deadline = PacificDateTimeField(
        label="Letter-of-intent deadline (Pacific time)",
        required=False,
        help_text="Leave empty when no letter of intent is required. "
        "When set, only consortia that filed one may apply.",
    )
    opens_at = PacificDateTimeField(label="Applications open (Pacific time)")
    closes_at = PacificDateTimeField(label="Applications close (Pacific time)")
    eligible_lead_kinds = forms.MultipleChoiceField(
        label="Organizations that may lead an application",
        choices=LEAD_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of organization that may lead an application."},
    )
    required_composition = forms.MultipleChoiceField(
        label="Consortium members this round requires",
        choices=Requirement.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    grant_start_year = forms.IntegerField(
        label="Grant period starts in fiscal year",
        min_value=2000,
        max_value=2100,
        help_text="The calendar year the first fiscal year starts: 2014 for 2014-15.",
        error_messages={"min_value": "Enter a year from 2000 to 2100.", "max_value": "Enter a year from 2000 to 2100."},
    )
    grant_years = forms.IntegerField(
        label="Number of fiscal years",
        min_value=1,
        max_value=10,
        error_messages={
            "min_value": "A grant period lasts 1 to 10 fiscal years.",
            "max_value": "A grant period lasts 1 to 10 fiscal years.",
        },
    )
    match_percent = forms.DecimalField(
        label="Partner commitment required (% of the amount requested)",
        required=False,
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        help_text="Sustainability: partner commitments must reach this share of the request. "
        "Leave empty for none (no ratio is set in statute).",
        error_messages={"min_value": "The percentage cannot be negative."},
    )
    readers_per_application = forms.IntegerField(
        label="Readers per application",
        min_value=1,
        max_value=10,
        error_messages={
            "min_value": "Each application needs 1 to 10 readers.",
            "max_value": "Each application needs 1 to 10 readers.",
        },
    )
    discrepancy_threshold = forms.DecimalField(
        label="Discrepancy threshold (points)",
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        help_text="Flag an application for reconciliation when readers' totals differ by more than this.",
        error_messages={"min_value": "The threshold cannot be negative."},
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "code",
            "kind",
            "description",
            "funds_available",
            "loi_deadline",
            "opens_at",
            "closes_at",
            "grant_start_year",
            "grant_years",
            "eligible_lead_kinds",
            "required_composition",
            "match_percent",
            "readers_per_application",
            "discrepancy_threshold",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        if creating and self.initial.get("grant_start_year") is None:
            self.initial["grant_start_year"] = timezone.localdate().year + 1
        when = "All times are Pacific time (America/Los_Angeles)."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("The round", "name", "code", "kind", "description", "funds_available"),
            Fieldset(
                "Dates", HTML(format_html('<p class="form-text">{}</p>', when)), "loi_deadline", "opens_at", "closes_at"
            ),
            Fieldset(
                "Grant period",
                Row(Column("grant_start_year", css_class="col-md-6"), Column("grant_years", css_class="col-md-6")),
                HTML(
                    format_html(
                        '<p class="form-text" id="fiscal-years-preview" aria-live="polite">'
                        "Fiscal years of the grant: <strong>{}</strong></p>",
                        self.fiscal_years_preview(),
                    )
                ),
            ),
            Fieldset("Eligibility", "eligible_lead_kinds", "required_composition", "match_percent"),
            Fieldset("Review", "readers_per_application", "discrepancy_threshold"),
        )
        self.helper.add_input(Submit("submit", "Create round" if creating else "Save settings"))

    def fiscal_years_preview(self) -> str:
        try:
            start, years = int(self["grant_start_year"].value()), int(self["grant_years"].value())
        except (TypeError, ValueError):
            return "enter the first year and the number of years"
        if not (2000 <= start <= 2100 and 1 <= years <= 10):
            return "enter a first year from 2000 to 2100 and 1 to 10 years"
        return ", ".join(Round(grant_start_year=start, grant_years=years).fiscal_years)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Round.objects.filter(program_id=self.instance.program_id, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if others.exists():
            raise forms.ValidationError(f"This program already has a round named “{name}”.")
        return name

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Round.objects.filter(code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Another round already uses the code “{code}”; choose another.")
        return code

    def clean(self):
        cleaned = super().clean()
        opens, closes, loi = cleaned.get("opens_at"), cleaned.get("closes_at"), cleaned.get("loi_deadline")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "Applications must close after they open.")
        if loi and closes and loi > closes:
            self.add_error("loi_deadline", "The letter-of-intent deadline must come before applications close.")
        funds = cleaned.get("funds_available")
        if funds is not None and self.instance.pk:
            too_big = self.instance.categories.filter(maximum_award__gt=funds).order_by("-maximum_award").first()
            if too_big:
                self.add_error(
                    "funds_available",
                    f"The funding category “{too_big.name}” has a maximum award of ${too_big.maximum_award:,.2f}, "
                    f"more than ${funds:,.2f}. Lower that maximum first, or keep the funds.",
                )
        return cleaned


class RowForm(forms.ModelForm):
    """One row of a round's configuration; the round is given so that rows can be checked against it."""

    noun = "row"

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(*self.rows())

    def rows(self) -> list:
        return [Row(*(Column(name, css_class="col-md") for name in self._meta.fields))]

    def clean_position(self):
        return self.cleaned_data.get("position") or 0


class CategoryForm(RowForm):
    noun = "funding category"
    maximum_award = MoneyField(label="Maximum award", min_value=CENT)
    planned_grants = forms.IntegerField(
        label="Planned number of grants",
        min_value=1,
        max_value=32767,
        error_messages={"min_value": "Plan at least one grant."},
    )
    position = _position_field()

    class Meta:
        model = FundingCategory
        fields = ["name", "maximum_award", "planned_grants", "position"]

    def rows(self):
        return [
            Row(
                Column("name", css_class="col-md-5"),
                Column("maximum_award", css_class="col-md-3"),
                Column("planned_grants", css_class="col-md-2"),
                Column("position", css_class="col-md-2"),
            )
        ]

    def clean_maximum_award(self):
        amount = self.cleaned_data["maximum_award"]
        if amount > self.round.funds_available:
            raise forms.ValidationError(
                f"The maximum award (${amount:,.2f}) cannot exceed the round's funds available "
                f"(${self.round.funds_available:,.2f})."
            )
        return amount


class CriterionForm(RowForm):
    noun = "criterion"
    max_points = forms.DecimalField(
        label="Maximum points",
        min_value=Decimal("0.5"),
        max_digits=6,
        decimal_places=2,
        error_messages={"min_value": "A criterion is worth at least 0.5 points."},
    )
    weight = forms.DecimalField(
        min_value=Decimal("0"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("1.00"),
        help_text="Points are multiplied by this.",
        error_messages={"min_value": "The weight cannot be negative."},
    )
    response_limit = forms.IntegerField(
        label="Narrative length limit (characters)",
        min_value=100,
        initial=5000,
        error_messages={"min_value": "Allow at least 100 characters for the narrative."},
    )
    position = _position_field()

    class Meta:
        model = Criterion
        fields = ["name", "description", "max_points", "weight", "response_limit", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def rows(self):
        return [
            Row(
                Column("name", css_class="col-md-6"),
                Column("max_points", css_class="col-md-2"),
                Column("weight", css_class="col-md-2"),
                Column("position", css_class="col-md-2"),
            ),
            Row(Column("description", css_class="col-md-9"), Column("response_limit", css_class="col-md-3")),
        ]


class PriorityForm(RowForm):
    noun = "competitive priority"
    bonus_points = forms.DecimalField(
        min_value=Decimal("0"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("0"),
        error_messages={"min_value": "Bonus points cannot be negative."},
    )
    position = _position_field()

    class Meta:
        model = CompetitivePriority
        fields = ["name", "description", "use", "bonus_points", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def rows(self):
        return [
            Row(
                Column("name", css_class="col-md-6"),
                Column("use", css_class="col-md-2"),
                Column("bonus_points", css_class="col-md-2"),
                Column("position", css_class="col-md-2"),
            ),
            Row(Column("description")),
        ]

    def clean(self):
        cleaned = super().clean()
        use, points = cleaned.get("use"), cleaned.get("bonus_points")
        if use == CompetitivePriority.Use.TIE_BREAK and points:
            self.add_error("bonus_points", "A tie-break priority adds no points: set bonus points to 0.")
        if use == CompetitivePriority.Use.BONUS and points == 0:
            self.add_error("bonus_points", "Give the bonus points this priority adds (more than 0).")
        return cleaned


class RequiredAttachmentForm(RowForm):
    noun = "required attachment"
    position = _position_field()

    class Meta:
        model = RequiredAttachment
        fields = ["name", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def rows(self):
        return [
            Row(Column("name", css_class="col-md-10"), Column("position", css_class="col-md-2")),
            Row(Column("description")),
        ]


class LabelledRowsFormSet(BaseInlineFormSet):
    """Rows laid out by their form's helper, with a "Remove this ..." checkbox on saved rows."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = f"Remove this {form.noun}"
            form.helper.layout.append(DELETION_FIELD_NAME)


class RowFormSet(LabelledRowsFormSet):
    """Names unique within the round (reported on the row), and rows in use cannot be removed."""

    def kept_forms(self) -> list:
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self):
        # Replaces BaseModelFormSet.clean(): its duplicate check says only "Please correct the duplicate data".
        seen = set()
        for form in self.kept_forms():
            name = form.cleaned_data.get("name")
            if not name:
                continue
            if name.casefold() in seen:
                form.add_error(
                    "name", f"Another {form.noun} in this round is already named “{name}”; names must be unique."
                )
            seen.add(name.casefold())
        problems = []
        for form in [f for f in self.forms if self.can_delete and self._should_delete_form(f)]:
            if form.instance.pk and (problem := rows_in_use(form.instance)):
                form.add_error(DELETION_FIELD_NAME, problem)
                problems.append(problem)
        if problems:
            raise forms.ValidationError(problems)


def _rows_formset(form):
    return inlineformset_factory(
        Round, form._meta.model, form=form, formset=RowFormSet, extra=1, can_delete=True, can_delete_extra=False
    )


CategoryFormSet = _rows_formset(CategoryForm)
CriterionFormSet = _rows_formset(CriterionForm)
PriorityFormSet = _rows_formset(PriorityForm)
RequiredAttachmentFormSet = _rows_formset(RequiredAttachmentForm)


class RubricForm(forms.ModelForm):
    minimum_fundable_score = forms.DecimalField(
        label="Minimum weighted total to be fundable",
        min_value=Decimal("0"),
        max_digits=7,
        decimal_places=2,
        help_text="An application scoring less cannot be funded. It cannot exceed the rubric's weighted maximum.",
        error_messages={"min_value": "The minimum cannot be negative."},
    )

    class Meta:
        model = Round
        fields = ["minimum_fundable_score"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=Round.Status.choices)
    reason = forms.CharField(required=False, max_length=2000, strip=True)


class CopyRoundForm(forms.Form):
    name = forms.CharField(label="Name of the new round", max_length=200)
    code = forms.SlugField(
        label="Code of the new round",
        max_length=20,
        help_text='Short code used in application numbers, e.g. "r3". Letters, digits, hyphens and underscores.',
    )

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Copy the round"))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Round.objects.filter(program_id=self.round.program_id, name__iexact=name).exists():
            raise forms.ValidationError(f"This program already has a round named “{name}”.")
        return name

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Round.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(f"Another round already uses the code “{code}”; choose another.")
        return code


class ProgramForm(forms.ModelForm):
    set_aside_percent = forms.DecimalField(
        label="Set-aside percentage",
        min_value=Decimal("0"),
        max_value=SET_ASIDE_LIMIT,
        max_digits=5,
        decimal_places=2,
        help_text="Share of all appropriations reserved for planning grants and technical assistance "
        "(EC 53015(e) allows up to 1 percent).",
        error_messages={
            "min_value": "The set-aside cannot be negative.",
            "max_value": "EC 53015(e) allows a set-aside of at most 1 percent; enter a percentage from 0 to 1.",
        },
    )

    class Meta:
        model = Program
        fields = [
            "name",
            "legal_basis",
            "administering_agency",
            "set_aside_percent",
            "set_aside_funds_planning_grants",
            "set_aside_funds_technical_assistance",
        ]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AppropriationForm(forms.ModelForm):
    noun = "appropriation"
    amount = MoneyField(min_value=CENT)

    class Meta:
        model = Appropriation
        fields = ["source", "fiscal_years", "amount", "description"]
        widgets = {"description": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.render_hidden_fields = True
        layout = [
            Row(
                Column("source", css_class="col-md-4"),
                Column("fiscal_years", css_class="col-md-3"),
                Column("amount", css_class="col-md-5"),
            ),
            "description",
        ]
        self.helper.layout = Layout(*layout)


AppropriationFormSet = inlineformset_factory(
    Program,
    Appropriation,
    form=AppropriationForm,
    formset=LabelledRowsFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
)
