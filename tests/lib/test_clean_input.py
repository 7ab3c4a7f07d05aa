"""Every form of ours refuses invisible control characters next to the field that had them, and shows the input
again without them, so that sending it again is accepted."""

import importlib
import pkgutil

import pytest
from django import forms
from django.http import QueryDict

from ccpt.lib.forms import CleanInput
from ccpt.lib.text import storable, without_control_characters

MESSAGE = "This contained invisible control characters, which cannot be stored"


class PartnerNote(CleanInput, forms.Form):
    name = forms.CharField(max_length=50)
    kind = forms.ChoiceField(choices=[("business", "Business"), ("college", "College")])
    note = forms.CharField(required=False, widget=forms.Textarea)


def post(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data[key] = value
    return data


def test_it_refuses_a_nul_next_to_the_field_in_plain_words():
    form = PartnerNote(post(name="Capital\x00 Valley", kind="business"))

    assert not form.is_valid()
    assert form.errors["name"] == [PartnerNote.control_characters_message]
    assert form.errors["name"][0].startswith(MESSAGE)
    assert "check what it says, then save again" in form.errors["name"][0]
    assert "Null characters are not allowed." not in str(form.errors)


def test_the_field_shows_the_text_without_them_so_saving_again_works():
    form = PartnerNote(post(name="Capital\x00 Valley\x07", kind="business", note="Line one\r\nLine\ttwo\x0c"))
    form.is_valid()

    assert form["name"].value() == "Capital Valley"
    assert form["note"].value() == "Line one\r\nLine\ttwo"
    again = PartnerNote(post(name=form["name"].value(), kind="business", note=form["note"].value()))
    assert again.is_valid()
    assert again.cleaned_data["note"] == "Line one\r\nLine\ttwo"


def test_a_control_character_in_a_choice_is_refused_too():
    form = PartnerNote(post(name="Capital Valley", kind="business\x00"))

    assert not form.is_valid()
    assert list(form.errors) == ["kind"]
    assert MESSAGE in form.errors["kind"][0]


def test_fields_of_a_prefixed_form_are_found_by_their_own_names():
    form = PartnerNote(post(**{"p-0-name": "Capital Valley", "p-0-kind": "college", "p-0-note": "\x01"}), prefix="p-0")

    assert not form.is_valid()
    assert list(form.errors) == ["note"]


def test_input_without_them_is_left_as_it_was():
    data = post(name="Capital Valley", kind="college")
    form = PartnerNote(data)

    assert form.is_valid()
    assert form.data is data


def test_storable_values_lose_control_characters_in_keys_and_values_alike():
    assert storable({"a\x00": ["x\x00y", "tab\tkept"], "n": 3}) == {"a": ["xy", "tab\tkept"], "n": 3}
    assert without_control_characters("".join(map(chr, range(32)))) == "\t\n\r"


def _our_forms() -> list[type]:
    for root in ("ccpt", "consortia", "grants"):
        package = importlib.import_module(root)
        for module in pkgutil.walk_packages(package.__path__, f"{root}."):
            # Not the migrations, nor the servers' entry points (they check the production settings on import).
            if ".migrations" not in module.name and module.name not in ("ccpt.wsgi", "ccpt.asgi"):
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted(
        {cls for cls in subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in ("ccpt", "consortia", "grants")},
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


@pytest.mark.django_db
def test_every_form_of_ours_cleans_its_input():
    found = _our_forms()

    assert len(found) > 40  # the walk found the apps' forms
    assert [f"{cls.__module__}.{cls.__qualname__}" for cls in found if not issubclass(cls, CleanInput)] == []
