"""Forms for building an application: the letter of intent, starting one, and each section of the RFA's forms.

Every section form takes `application=` and has `save_to(locked_application, by=...)`, which writes the
section and returns the Application fields it changed (grants.services.applications.save_section calls it
with the application row locked). `problems()` lists the errors in words for the "draft with problems" note.
"""

import copy
import re

from django import forms
from django.utils.html import conditional_escape

from ccpt.lib.forms import CleanInput

from ..models import Application, NarrativeResponse
from .budget import BudgetForm
from .common import CountField, inline_helper
from .partners import partner_formset
from .programs_of_study import program_formset

Section = Application.Section


# Sections kept on the application row


class ApplicationFieldsForm(CleanInput, forms.ModelForm):
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


# Narrative responses to the rubric


class NarrativesForm(CleanInput, forms.Form):
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
