"""Forms for building an application: the letter of intent, starting one, and each section of the RFA's forms.

Every section form takes `application=` and has `save_to(locked_application, by=...)`, which writes the
section and returns the Application fields it changed (grants.services.applications.save_section calls it
with the application row locked). `problems()` lists the errors in words for the "draft with problems" note.
"""

import copy
import re
from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet
from django.utils.html import conditional_escape

from ccpt.lib.dates import format_datetime
from ccpt.lib.money import MoneyField
from ccpt.lib.money import money_input as shared_money_input
from consortia.models import Consortium, Membership, Organization
from grants.programs.models import FundingCategory, Round

from ..models import Application, BudgetItem, CommittedResource, NarrativeResponse, PartnerCommitment, ProgramOfStudy
from ..sectors import Sector
from ..services.attachments import ALLOWED_DESCRIPTION, store_attachment, validate_upload

Section = Application.Section


def inline_helper() -> FormHelper:
    """Crispy layout without its own <form> tag: section pages wrap fields with the version and buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def problems(form) -> list[str]:
    """Every error of a form or formset, as "Label: message" sentences."""
    if isinstance(form, BaseFormSet):
        found = [str(e) for e in form.non_form_errors()]
        for number, member in enumerate(form.forms, 1):
            found += [f"{form.item_name} {number}: {p}" for p in problems(member)]
        return found
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        found += [f"{label}: {e}" if label else str(e) for e in errors]
    return found


# Counts typed as text: a type=number input silently submits nothing for "1,200", and nothing typed may be lost.
NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


def money_input(**attrs) -> forms.TextInput:
    return shared_money_input(**{"class": "form-control form-control-sm", **attrs})


def money_field(**kwargs) -> MoneyField:
    """An amount in a section's grid: optional, never negative."""
    kwargs.setdefault("widget", money_input())
    return MoneyField(required=False, **kwargs)


class CountField(forms.IntegerField):
    """A whole number, typed with or without thousands separators: "1,200" is 1200."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget.attrs.update(NUMERIC)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        return super().to_python(value)


def lenient_amount(value) -> Decimal:
    """The amount in a cell for showing totals; whatever is not a number counts as zero."""
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value or "").replace(",", "").replace("$", "").strip() or "0")
    except InvalidOperation:
        return Decimal("0")


# Letter of intent and starting an application


class LetterOfIntentForm(forms.Form):
    consortium = forms.ModelChoiceField(queryset=Consortium.objects.none(), empty_label=None)
    category = forms.ModelChoiceField(
        queryset=FundingCategory.objects.none(),
        required=False,
        label="Intended funding category (optional)",
        empty_label="Not decided yet",
    )
    notes = forms.CharField(
        label="Notes for CDE (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, round_: Round, consortia: list[Consortium], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["consortium"]
        field.queryset = Consortium.objects.filter(pk__in=[c.pk for c in consortia])
        if len(consortia) == 1:
            field.initial = consortia[0].pk
            field.widget = forms.HiddenInput()
        self.fields["category"].queryset = round_.categories.all()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "File the letter of intent"))


class StartApplicationForm(forms.Form):
    consortium = forms.ModelChoiceField(queryset=Consortium.objects.none(), empty_label=None)
    round = forms.ModelChoiceField(queryset=Round.objects.none(), label="Round")
    category = forms.ModelChoiceField(queryset=FundingCategory.objects.none(), label="Funding category")

    def __init__(self, *args, consortia: list[Consortium], open_rounds: list[Round], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["consortium"]
        field.queryset = Consortium.objects.filter(pk__in=[c.pk for c in consortia])
        if len(consortia) == 1:
            field.initial = consortia[0].pk
            field.widget = forms.HiddenInput()
        # Validation accepts any published round and category, so that a round that closed while the page
        # was open is refused with the service's clear reason rather than "Select a valid choice".
        self.fields["round"].queryset = Round.objects.exclude(status=Round.Status.DRAFT)
        self.fields["round"].widget.choices = [("", "Choose a round")] + [
            (r.pk, f"{r} (closes {format_datetime(r.closes_at)})") for r in open_rounds
        ]
        if len(open_rounds) == 1:
            self.fields["round"].initial = open_rounds[0].pk
        self.fields["category"].queryset = FundingCategory.objects.exclude(round__status=Round.Status.DRAFT)
        self.fields["category"].widget.choices = [("", "Choose a funding category")] + [
            (r.name, [(c.pk, str(c)) for c in r.categories.all()]) for r in open_rounds
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Start the application"))

    def clean(self):
        cleaned = super().clean()
        round_, category = cleaned.get("round"), cleaned.get("category")
        if round_ and category and category.round_id != round_.pk:
            self.add_error("category", f"Choose a funding category of {round_}.")
        return cleaned


# Sections kept on the application row


class ApplicationFieldsForm(forms.ModelForm):
    def __init__(self, data=None, files=None, *, application: Application):
        # A copy, so that invalid input never shows up as the application's own title elsewhere on the page.
        super().__init__(data, files, instance=copy.copy(application))
        self.helper = inline_helper()

    def save_to(self, locked: Application, *, by) -> list[str]:
        for name in self._meta.fields:
            setattr(locked, name, self.cleaned_data[name])
        return list(self._meta.fields)

    def warnings(self, application: Application) -> list[str]:
        return []


class SummaryForm(ApplicationFieldsForm):
    class Meta:
        model = Application
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 10})}
        help_texts = {"summary": "What the consortium will build, for whom, and with whom."}


class TargetGroupForm(ApplicationFieldsForm):
    class Meta:
        model = Application
        fields = ["target_group", "grades_served", "students_served"]
        widgets = {"target_group": forms.Textarea(attrs={"rows": 6})}
        field_classes = {"students_served": CountField}
        labels = {"students_served": "Number of students served"}
        error_messages = {"students_served": {"invalid": "Enter a whole number of students, such as 1200."}}


class NeedForm(ApplicationFieldsForm):
    class Meta:
        model = Application
        fields = ["need_statement", "labor_market"]
        widgets = {
            "need_statement": forms.Textarea(attrs={"rows": 8}),
            "labor_market": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "labor_market": "The region's high-need, high-growth, high-wage sectors, with the evidence.",
        }


# Programs of study


class ProgramForm(forms.ModelForm):
    class Meta:
        model = ProgramOfStudy
        fields = [
            "name",
            "sector",
            "k12_sequence",
            "postsecondary_sequence",
            "dual_enrollment",
            "articulation",
            "work_based_learning",
            "student_internships",
            "teacher_internships",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("k12_sequence", "postsecondary_sequence", "articulation", "work_based_learning")
        }
        help_texts = {
            "k12_sequence": "One course per line, in the order students take them.",
            "postsecondary_sequence": "One course or program per line, in order.",
        }

    def __init__(self, *args, fiscal_years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_years = fiscal_years
        self.helper = inline_helper()
        self.fields["sector"].choices = [("", "Choose one of the 15 industry sectors"), *Sector.choices]
        for year in fiscal_years:
            self.fields[f"students_{year}"] = CountField(
                label=f"Students to be served in {year}",
                required=False,
                initial=self.instance.students_by_year.get(year),
                error_messages={"invalid": "Enter a whole number of students."},
            )

    def students_by_year(self) -> dict[str, int]:
        return {
            year: self.cleaned_data[f"students_{year}"]
            for year in self.fiscal_years
            if self.cleaned_data.get(f"students_{year}") is not None
        }


class ProgramFormSet(forms.BaseModelFormSet):
    item_name = "Program"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this program of study"
        years = [Column(f"students_{year}", css_class="col-6 col-md-3") for year in form.fiscal_years]
        form.helper.layout = Layout(
            "id",
            *ProgramForm._meta.fields,
            Fieldset("Students to be served, per fiscal year", Row(*years)),
            *(["DELETE"] if "DELETE" in form.fields else []),
        )

    def __init__(self, data=None, files=None, *, application: Application):
        self.application = application
        super().__init__(
            data,
            files,
            prefix="programs",
            queryset=application.programs.all(),
            form_kwargs={"fiscal_years": application.round.fiscal_years},
        )

    def save_to(self, locked: Application, *, by) -> list[str]:
        position = 0
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                if form.instance.pk:
                    form.instance.delete()
                continue
            if not form.instance.pk and not form.has_changed():
                continue  # the blank row offered for a new program
            program = form.save(commit=False)
            program.application = locked
            program.students_by_year = form.students_by_year()
            program.position = position
            program.save()
            position += 1
        return []

    def warnings(self, application: Application) -> list[str]:
        return []


ProgramFormSetFactory = forms.modelformset_factory(
    ProgramOfStudy, form=ProgramForm, formset=ProgramFormSet, extra=1, can_delete=True, can_delete_extra=False
)


def program_formset(data=None, files=None, *, application: Application) -> ProgramFormSet:
    return ProgramFormSetFactory(data, files, application=application)


# Partners


class PartnerForm(forms.ModelForm):
    letter_upload = forms.FileField(
        label="Commitment letter",
        required=False,
        help_text=f"Signed letter committing the resources: {ALLOWED_DESCRIPTION}.",
    )

    class Meta:
        model = PartnerCommitment
        fields = ["organization", "role", "responsibilities"]
        widgets = {"responsibilities": forms.Textarea(attrs={"rows": 3})}
        labels = {"organization": "Member organization"}
        help_texts = {"role": "Leave blank to use the organization's role in the consortium."}

    def __init__(self, *args, members, member_roles: dict[int, str], fiscal_years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_years = fiscal_years
        self.member_roles = member_roles
        self.helper = inline_helper()
        self.fields["organization"].queryset = members
        self.fields["organization"].error_messages["invalid_choice"] = (
            "Choose one of the consortium's member organizations; add others to the consortium first."
        )
        self.fields["role"].required = False
        self.fields["role"].choices = [("", "Its role in the consortium"), *Membership.Role.choices]
        self.fields["organization"].empty_label = "Choose a member organization"
        committed = {(r.fiscal_year, r.kind): r for r in self.instance.resources.all()} if self.instance.pk else {}
        for year in fiscal_years:
            for kind, label in CommittedResource.Kind.choices:
                resource = committed.get((year, kind))
                self.fields[f"{kind}_{year}"] = money_field(
                    label=f"{label} amount, {year}", initial=resource.amount if resource else None
                )
                self.fields[f"{kind}_note_{year}"] = forms.CharField(
                    label=f"{label} description, {year}",
                    max_length=300,
                    required=False,
                    initial=resource.description if resource else "",
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )

    def clean_letter_upload(self):
        upload = self.cleaned_data.get("letter_upload")
        if upload:
            validate_upload(upload)  # its ValidationError shows on this field
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organization") and not cleaned.get("role"):
            cleaned["role"] = self.member_roles.get(cleaned["organization"].pk, Membership.Role.OTHER)
            self.instance.role = cleaned["role"]
        return cleaned

    def resource_rows(self):
        """[(year, [(amount field, description field) per kind])] for the resources table."""
        return [
            (year, [(self[f"{kind}_{year}"], self[f"{kind}_note_{year}"]) for kind in CommittedResource.Kind.values])
            for year in self.fiscal_years
        ]

    def resources(self) -> list[CommittedResource]:
        return [
            CommittedResource(
                fiscal_year=year,
                kind=kind,
                amount=self.cleaned_data[f"{kind}_{year}"],
                description=self.cleaned_data[f"{kind}_note_{year}"],
            )
            for year in self.fiscal_years
            for kind in CommittedResource.Kind.values
            if self.cleaned_data.get(f"{kind}_{year}") is not None
        ]


class PartnerFormSet(forms.BaseModelFormSet):
    item_name = "Partner"
    resource_kinds = CommittedResource.Kind.labels

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this partner"
        # The resources grid is laid out as a table by the template, after these fields.
        form.helper.layout = Layout(
            "id",
            "organization",
            "role",
            "responsibilities",
            "letter_upload",
            *(["DELETE"] if "DELETE" in form.fields else []),
        )

    def __init__(self, data=None, files=None, *, application: Application):
        self.application = application
        memberships = application.consortium.memberships.all()
        super().__init__(
            data,
            files,
            prefix="partners",
            queryset=application.partners.select_related("organization", "letter").prefetch_related("resources"),
            form_kwargs={
                "members": Organization.objects.filter(memberships__consortium=application.consortium).order_by("name"),
                "member_roles": {m.organization_id: m.role for m in memberships},
                "fiscal_years": application.round.fiscal_years,
            },
        )

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            organization = form.cleaned_data.get("organization")
            if organization and organization.pk in seen:
                raise ValidationError(f"{organization} is listed more than once; list each partner once.")
            if organization:
                seen.add(organization.pk)

    def save_to(self, locked: Application, *, by) -> list[str]:
        for form in self.forms:
            if self._should_delete_form(form):
                if form.instance.pk:
                    form.instance.delete()
                continue
            if not form.instance.pk and not form.has_changed():
                continue
            partner = form.save(commit=False)
            partner.application = locked
            partner.role = form.cleaned_data["role"]
            if upload := form.cleaned_data.get("letter_upload"):
                partner.letter = store_attachment(application=locked, upload=upload, by=by)
            partner.save()
            partner.resources.all().delete()
            resources = form.resources()
            for resource in resources:
                resource.commitment = partner
            CommittedResource.objects.bulk_create(resources)
        return []

    def warnings(self, application: Application) -> list[str]:
        return []


PartnerFormSetFactory = forms.modelformset_factory(
    PartnerCommitment, form=PartnerForm, formset=PartnerFormSet, extra=1, can_delete=True, can_delete_extra=False
)


def partner_formset(data=None, files=None, *, application: Application) -> PartnerFormSet:
    return PartnerFormSetFactory(data, files, application=application)


# Budget


class BudgetForm(forms.Form):
    """The budget page: object codes down, the round's fiscal years across, and a narrative per year."""

    def __init__(self, data=None, files=None, *, application: Application):
        super().__init__(data, files)
        self.application = application
        self.years = application.round.fiscal_years
        self.helper = inline_helper()
        amounts = {(i.object_code, i.fiscal_year): i.amount for i in application.budget_items.all()}
        for code, label in BudgetItem.ObjectCode.choices:
            for year in self.years:
                self.fields[f"amount_{code}_{year}"] = money_field(
                    label=f"{label}, {year}",
                    initial=amounts.get((code, year)),
                    widget=money_input(**{"data-row": code, "data-column": year}),
                )
        for year in self.years:
            self.fields[f"narrative_{year}"] = forms.CharField(
                label=f"Budget narrative for {year}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=application.budget_narratives.get(year, ""),
                help_text="Explain each cost: what it buys and how it serves the pathways.",
            )

    def _amount(self, code: str, year: str) -> Decimal:
        return lenient_amount(self[f"amount_{code}_{year}"].value())

    def grid(self) -> dict:
        """Rows with their fields and totals, column totals and the grand total, from what is on screen."""
        rows = []
        for code, label in BudgetItem.ObjectCode.choices:
            cells = [(year, self[f"amount_{code}_{year}"]) for year in self.years]
            rows.append(
                {"code": code, "label": label, "cells": cells, "total": sum(self._amount(code, y) for y in self.years)}
            )
        columns = [
            (year, sum(self._amount(code, year) for code in BudgetItem.ObjectCode.values)) for year in self.years
        ]
        return {"rows": rows, "columns": columns, "total": sum(total for _, total in columns)}

    def narrative_fields(self):
        return [self[f"narrative_{year}"] for year in self.years]

    def save_to(self, locked: Application, *, by) -> list[str]:
        items = [
            BudgetItem(application=locked, fiscal_year=year, object_code=code, amount=amount)
            for code in BudgetItem.ObjectCode.values
            for year in self.years
            if (amount := self.cleaned_data[f"amount_{code}_{year}"])
        ]
        locked.budget_items.all().delete()
        BudgetItem.objects.bulk_create(items)
        locked.requested_amount = sum((item.amount for item in items), Decimal("0.00"))
        locked.budget_narratives = {
            year: text for year in self.years if (text := self.cleaned_data[f"narrative_{year}"].strip())
        }
        return ["requested_amount", "budget_narratives"]

    def warnings(self, application: Application) -> list[str]:
        maximum = application.category.maximum_award
        if application.requested_amount > maximum:
            return [
                f"The budget totals ${application.requested_amount:,.2f}, more than the ${maximum:,.2f} maximum "
                f"of the {application.category.name} funding category. It is saved as a draft, but the "
                "application cannot be submitted until the request is within the maximum."
            ]
        return []


# Narrative responses to the rubric


class NarrativesForm(forms.Form):
    """One answer per rubric criterion. Over-long answers are saved (it is a draft) and flagged."""

    def __init__(self, data=None, files=None, *, application: Application):
        super().__init__(data, files)
        self.criteria = list(application.round.criteria.all())
        self.helper = inline_helper()
        answers = {n.criterion_id: n.text for n in application.narratives.all()}
        for criterion in self.criteria:
            described_by = f"counter_criterion_{criterion.pk}"
            if criterion.description:
                described_by = f"id_criterion_{criterion.pk}_helptext {described_by}"
            self.fields[f"criterion_{criterion.pk}"] = forms.CharField(
                label=criterion.name,
                required=False,
                # crispy renders help text unescaped; the description is plain text typed by an administrator.
                help_text=conditional_escape(criterion.description),
                initial=answers.get(criterion.pk, ""),
                widget=forms.Textarea(
                    attrs={
                        "rows": 10,
                        "data-char-limit": criterion.response_limit,
                        "data-counter": f"counter_criterion_{criterion.pk}",
                        "aria-describedby": described_by,
                    }
                ),
            )

    @staticmethod
    def _normalize(text: str) -> str:
        # Browsers send line breaks as CRLF; count and store them as one character, as the counter shows them.
        return re.sub(r"\r\n?", "\n", text or "")

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            cleaned[name] = self._normalize(cleaned.get(name, ""))
        return cleaned

    def items(self):
        """[(criterion, bound field, length, over by)] for the page's counters."""
        result = []
        for criterion in self.criteria:
            field = self[f"criterion_{criterion.pk}"]
            length = len(self._normalize(field.value()))
            result.append((criterion, field, length, max(0, length - criterion.response_limit)))
        return result

    def save_to(self, locked: Application, *, by) -> list[str]:
        for criterion in self.criteria:
            text = self.cleaned_data[f"criterion_{criterion.pk}"]
            if text.strip():
                NarrativeResponse.objects.update_or_create(
                    application=locked, criterion=criterion, defaults={"text": text}
                )
            else:
                NarrativeResponse.objects.filter(application=locked, criterion=criterion).delete()
        return []

    def warnings(self, application: Application) -> list[str]:
        return [
            f"“{criterion.name}” is {length:,} characters, {over:,} over the {criterion.response_limit:,} limit. "
            "It is saved as a draft; shorten it before submitting."
            for criterion, _, length, over in self.items()
            if over
        ]


SECTION_FORMS = {
    Section.SUMMARY: SummaryForm,
    Section.TARGET_GROUP: TargetGroupForm,
    Section.NEED: NeedForm,
    Section.PROGRAMS: program_formset,
    Section.PARTNERS: partner_formset,
    Section.BUDGET: BudgetForm,
    Section.NARRATIVES: NarrativesForm,
}


def section_form(section: str, application: Application, data=None, files=None):
    return SECTION_FORMS[section](data, files, application=application)
