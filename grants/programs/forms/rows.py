"""A draft round's rows: funding categories, rubric criteria, competitive priorities, required attachments."""

from decimal import Decimal

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.formsets import DELETION_FIELD_NAME

from ccpt.lib.forms import CleanInput, form_helper
from ccpt.lib.money import CENT, MoneyField, format_money

from ..models import (
    CompetitivePriority,
    Criterion,
    FundingCategory,
    RequiredAttachment,
    Round,
)
from ..services import rows_in_use


def _position_field():
    return forms.IntegerField(
        label="Order", min_value=0, max_value=32767, required=False, help_text="Lower numbers come first; 0 if empty."
    )


class RowForm(CleanInput, forms.ModelForm):
    """One row of a round's configuration; the round is given so that rows can be checked against it."""

    noun = "row"

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.helper = form_helper(tag=False, csrf=False, hidden=True)
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
                f"The maximum award ({format_money(amount)}) cannot exceed the round's funds available "
                f"({format_money(self.round.funds_available)})."
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


class RubricForm(CleanInput, forms.ModelForm):
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
        self.helper = form_helper(tag=False, csrf=False)
