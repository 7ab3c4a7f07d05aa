"""Every field with an error is marked the same way (Bootstrap's is-invalid: a red border, as select boxes had),
whatever its widget and however it is rendered: through crispy-forms, or written into a grid on its own."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template

from ccpt.lib.forms import CleanInput, form_helper
from ccpt.lib.money import MoneyField
from tests.factories import ApplicationFactory, MembershipFactory, OpenRoundFactory, OrganizationFactory, contact_of
from tests.helpers import post_section

CONTROLS = ("input", "select", "textarea")


class _Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in CONTROLS and attributes.get("type") not in ("hidden", "submit"):
            self.found.append((tag, attributes))


def controls(page: str) -> list[tuple[str, dict]]:
    parser = _Controls()
    parser.feed(page)
    return parser.found


def unmarked(page: str) -> list[str]:
    """The invalid controls (aria-invalid, which Django sets on every field with errors) without is-invalid."""
    return [
        f"{tag} {attrs.get('name')}"
        for tag, attrs in controls(page)
        if attrs.get("aria-invalid") == "true" and "is-invalid" not in (attrs.get("class") or "").split()
    ]


class EveryKind(CleanInput, forms.Form):
    text = forms.CharField(max_length=3)
    number = forms.IntegerField()
    amount = MoneyField()
    when = forms.DateField()
    notes = forms.CharField(widget=forms.Textarea, max_length=3)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField()
    upload = forms.FileField()
    small = forms.CharField(max_length=3, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(tag=False)


BAD = {
    "text": "toolong",
    "number": "many",
    "amount": "-500",
    "when": "someday",
    "notes": "toolong",
    "choice": "z",
    "radio": "z",
    "many": ["z"],
    "small": "toolong",
}


def test_every_kind_of_field_with_an_error_is_marked_through_crispy_forms():
    form = EveryKind(BAD)
    assert set(form.errors) == set(EveryKind.base_fields)

    page = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))

    invalid = [attrs.get("name") for _, attrs in controls(page) if "is-invalid" in (attrs.get("class") or "")]
    assert set(invalid) == set(EveryKind.base_fields)
    assert unmarked(page) == []


def test_a_field_written_on_its_own_is_marked_and_keeps_its_own_classes():
    form = EveryKind(BAD)

    page = "".join(str(form[name]) for name in EveryKind.base_fields)

    assert unmarked(page) == []
    assert 'class="form-control form-control-sm is-invalid"' in page
    assert page.count("is-invalid") >= len(EveryKind.base_fields)


def test_a_valid_field_is_not_marked():
    form = EveryKind({**BAD, "text": "ok"})

    assert "is-invalid" not in str(form["text"])
    assert "is-invalid" in str(form["number"])


@pytest.mark.django_db
def test_the_budget_grid_marks_the_cell_that_is_wrong(client):
    application = ApplicationFactory(round=OpenRoundFactory(grant_start_year=2026, grant_years=2))
    client.force_login(contact_of(application.consortium))

    page = post_section(
        client, application, "budget", {"amount_1000_2026-27": "-500", "amount_2000_2026-27": "12"}
    ).content.decode()

    cell = re.search(r'<input[^>]*name="amount_1000_2026-27"[^>]*>', page).group(0)
    assert "is-invalid" in cell and 'aria-describedby="id_amount_1000_2026-27_error"' in cell
    assert 'id="id_amount_1000_2026-27_error"' in page
    assert "is-invalid" not in re.search(r'<input[^>]*name="amount_2000_2026-27"[^>]*>', page).group(0)
    assert unmarked(page) == []


@pytest.mark.django_db
def test_the_partners_resource_grid_and_its_crispy_fields_mark_what_is_wrong(client):
    application = ApplicationFactory(round=OpenRoundFactory(grant_start_year=2026, grant_years=1))
    member = MembershipFactory(consortium=application.consortium, organization=OrganizationFactory()).organization
    client.force_login(contact_of(application.consortium))
    data = {
        "partners-TOTAL_FORMS": 1,
        "partners-INITIAL_FORMS": 0,
        "partners-0-organization": member.pk,
        "partners-0-responsibilities": "",
        "partners-0-cash_2026-27": "lots",
        "partners-0-cash_note_2026-27": "x" * 301,
    }

    page = post_section(client, application, "partners", data).content.decode()

    for name in ("partners-0-cash_2026-27", "partners-0-cash_note_2026-27"):
        tag = re.search(r'<input[^>]*name="' + re.escape(name) + r'"[^>]*>', page).group(0)
        assert "is-invalid" in tag, name
    assert unmarked(page) == []
