"""A choice among thousands (every consortium, every organization) is written by LongSelect in one pass: the page
shows exactly what Django's own select shows, the choice is checked and cleaned the same way, and it reads the
table once, without a model object per option."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from ccpt.lib.forms import LongSelect, NameChoiceField
from consortia.models import Consortium
from tests.factories import ConsortiumFactory

pytestmark = pytest.mark.django_db


def _forms():
    class Django(forms.Form):
        consortium = forms.ModelChoiceField(
            queryset=Consortium.objects.order_by("name"), required=False, empty_label="Choose <one>", help_text="Why"
        )
        kind = forms.ChoiceField(choices=[("a", 'Tom & Jerry\'s "best"'), ("", mark_safe("<b>None</b>"))])

    class Ours(forms.Form):
        consortium = NameChoiceField(
            queryset=Consortium.objects.order_by("name"), required=False, empty_label="Choose <one>", help_text="Why"
        )
        kind = forms.ChoiceField(
            choices=[("a", 'Tom & Jerry\'s "best"'), ("", mark_safe("<b>None</b>"))], widget=LongSelect
        )

    return Django, Ours


@pytest.mark.parametrize(
    "data", [None, {"consortium": "<chosen>", "kind": "a"}, {"consortium": "999999", "kind": "z"}, {"kind": ""}]
)
def test_it_writes_the_same_html_as_djangos_select_and_cleans_the_same(data):
    consortia = [ConsortiumFactory(name=f"Consortium <{n}> & partners") for n in range(5)]
    if data and data.get("consortium") == "<chosen>":
        data = {**data, "consortium": str(consortia[2].pk)}
    Django, Ours = _forms()
    theirs, ours = Django(data), Ours(data)

    if data is not None:
        assert ours.is_valid() == theirs.is_valid()
        assert ours.errors == theirs.errors
        assert ours.cleaned_data == theirs.cleaned_data
    for name in ("consortium", "kind"):
        attrs = {"class": "form-select", "aria-describedby": "help"}
        assert ours[name].as_widget(attrs=attrs) == theirs[name].as_widget(attrs=attrs)


def test_a_table_of_choices_is_read_in_one_query(django_assert_num_queries):
    for n in range(30):
        ConsortiumFactory(name=f"Consortium {n:02d}")
    _, Ours = _forms()
    form = Ours()

    with django_assert_num_queries(1):
        html = str(form["consortium"])

    assert html.count("<option") == 1 + Consortium.objects.count()
    assert html.index("Consortium 00") < html.index("Consortium 29")
