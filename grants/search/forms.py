"""The search form: the words, and the filters, each checked against the choices it offers."""

import re

from django import forms

from ccpt.lib.forms import CleanInput
from consortia.models import Region
from grants.applications.models import Application
from grants.applications.sectors import Sector
from grants.programs.models import FundingCategory, Round

from .services.query import Filters

MAX_CHARS = 200


def _any(label: str, choices) -> list[tuple]:
    return [("", label), *choices]


class SearchForm(CleanInput, forms.Form):
    q = forms.CharField(
        label="Search for",
        max_length=MAX_CHARS,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
        help_text='Words, a "quoted phrase" or an application number; -word leaves out applications with that word.',
        error_messages={
            "required": 'Type a word, a "quoted phrase" or an application number to search for.',
            "max_length": f"Keep the search to {MAX_CHARS} characters or fewer (this one has %(show_value)d).",
        },
    )
    round = forms.TypedChoiceField(label="Round", coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False, choices=_any("Any status", Application.Status.choices))
    region = forms.TypedChoiceField(label="Region", coerce=int, required=False, empty_value=None)
    sector = forms.ChoiceField(label="Industry sector", required=False, choices=_any("Any sector", Sector.choices))
    category = forms.TypedChoiceField(label="Funding category", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = _any(
            "Any round", Round.objects.order_by("-opens_at", "pk").values_list("pk", "name")
        )
        self.fields["region"].choices = _any("Any region", Region.objects.values_list("pk", "name"))
        self.fields["category"].choices = _any(
            "Any category",
            [
                (pk, f"{round_name}: {name}")
                for pk, name, round_name in FundingCategory.objects.order_by(
                    "round__opens_at", "round_id", "position"
                ).values_list("pk", "name", "round__name")
            ],
        )

    def clean_q(self) -> str:
        text = " ".join(self.cleaned_data["q"].split())
        if not re.search(r"\w", text):
            raise forms.ValidationError(
                "Nothing to search for: use letters or numbers (punctuation alone finds nothing)."
            )
        return text

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            round=data["round"],
            status=data["status"],
            region=data["region"],
            sector=data["sector"],
            category=data["category"],
        )
