"""The programs-of-study section: one form per career pathway."""

from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms

from ccpt.lib.forms import CleanInput

from ..models import Application, ProgramOfStudy
from ..sectors import Sector
from .common import CountField, inline_helper

Section = Application.Section


# Programs of study


class ProgramForm(CleanInput, forms.ModelForm):
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
