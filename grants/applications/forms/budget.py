"""The budget section: an object code by fiscal year grid with a narrative per year."""

from decimal import Decimal

from django import forms

from ccpt.lib.forms import CleanInput
from ccpt.lib.money import format_money

from ..models import Application, BudgetItem
from .common import inline_helper, lenient_amount, money_field, money_input

Section = Application.Section


# Budget


class BudgetForm(CleanInput, forms.Form):
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
                f"The budget totals {format_money(application.requested_amount)}, more than the "
                f"{format_money(maximum)} maximum of the {application.category.name} funding category. It is saved "
                "as a draft, but the application cannot be submitted until the request is within the maximum."
            ]
        return []
