"""What the forms of every app share: crispy layouts, one submit button, the reason box, and input cleaning."""

import html

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe

from .text import has_control_characters, without_control_characters


def form_helper(*layout, submit: str = "", tag: bool = True, csrf: bool = True, hidden: bool = False) -> FormHelper:
    """A crispy helper. `tag=False` for fields inside the page's own <form>; `csrf=False` when that form has the
    token already; `hidden=True` to render hidden fields (formset rows); `submit`, the label of one button."""
    helper = FormHelper()
    helper.form_tag = tag
    helper.disable_csrf = not csrf
    helper.render_hidden_fields = hidden
    if layout:
        helper.layout = Layout(*layout)
    if submit:
        helper.add_input(Submit("submit", submit))
    return helper


class MarkedBoundField(forms.BoundField):
    """A field whose widget carries Bootstrap's `is-invalid` when it has errors, however it is rendered.

    crispy-forms adds the class to the fields it lays out; a widget written into a template on its own
    ({{ field }}, as in the budget and partners grids) would otherwise show its message in red beside an
    unmarked box. Django adds aria-invalid and aria-describedby (the message's id) itself.
    """

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.is_hidden:
            classes = (attrs.get("class") or widget.attrs.get("class") or "").split()
            if "is-invalid" not in classes:
                attrs["class"] = " ".join([*classes, "is-invalid"])
        return attrs


class CleanInput:
    """Mixed into every form of ours (tests/lib/test_clean_input.py finds any that is not): input carrying invisible
    control characters (NUL and the other C0 controls but tab and line breaks, see ccpt.lib.text) is refused next to
    its field and shown again without them, so that saving again stores the text as it reads.

    Django's CharField only refuses NUL, with "Null characters are not allowed."; this covers every kind of field
    (a NUL in a choice or an id reaches the database too) with a message that says what to do.
    """

    bound_field_class = MarkedBoundField  # every invalid field is marked the same way, see MarkedBoundField

    control_characters_message = (
        "This contained invisible control characters, which cannot be stored (they often come with text pasted from "
        "another program). They are taken out here: check what it says, then save again."
    )

    def full_clean(self):
        tainted = self._take_out_control_characters() if self.is_bound else set()
        super().full_clean()
        for name in sorted(tainted):
            self.add_error(name, self.control_characters_message)

    def _take_out_control_characters(self) -> set[str]:
        """Replace self.data with a copy without control characters; the names of the fields that had any."""
        data = self.data
        getlist = data.getlist if hasattr(data, "getlist") else lambda key: [data[key]]
        keys = [key for key in data if any(isinstance(v, str) and has_control_characters(v) for v in getlist(key))]
        if not keys:
            return set()
        clean = data.copy()
        for key in keys:
            values = [without_control_characters(v) if isinstance(v, str) else v for v in getlist(key)]
            if hasattr(clean, "setlist"):
                clean.setlist(key, values)
            else:
                clean[key] = values[0]
        self.data = clean
        tainted = set()
        for name, field in self.fields.items():
            html_name = self.add_prefix(name)
            multi = isinstance(field.widget, forms.MultiWidget)
            if not field.disabled and any(k == html_name or (multi and k.startswith(f"{html_name}_")) for k in keys):
                tainted.add(name)
        return tainted


class CrispyForm(CleanInput):
    """Mixed into a form: it lays itself out with one submit button labelled `submit_label`; its input is cleaned
    (CleanInput)."""

    submit_label = "Save"
    submit_classes = "btn btn-primary"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
        button = Submit("submit", self.submit_label)
        button.field_classes = self.submit_classes
        self.helper.add_input(button)


def reason_field(
    label: str = "Reason",
    help_text: str = "Kept in the record with your name and the time.",
    required_message: str = "Give a reason; it is kept in the record.",
    **kwargs,
) -> forms.CharField:
    """The box where a person says why: required unless said otherwise, kept in the record."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=help_text,
        error_messages={"required": required_message},
        **kwargs,
    )


class LongSelect(forms.Select):
    """A <select> of a whole table (every consortium, every organization, every line of a plan), written in one
    pass. Django's Select renders a template per option: ~50 microseconds each, a tenth of a second for a field of
    2,000 consortia. The HTML is the same as Django's, byte for byte; choices in groups are left to Django."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(iter(self.choices))  # not list(self.choices): it would ask a model choice field to count
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen, any_chosen = set(widget["value"]), False
        parts = [f'<select name="{_escape(name)}"{_attributes(widget["attrs"])}>']
        for option, label in choices:
            option = "" if option is None else str(option)
            selected = (self.allow_multiple_selected or not any_chosen) and option in chosen
            any_chosen |= selected
            parts.append(
                f'\n  <option value="{_escape(option)}"{" selected" if selected else ""}>{_escape(label)}</option>\n'
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class _NameIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameChoiceField(forms.ModelChoiceField):
    """A choice of one row of a long table (every consortium, every organization) labelled by its name, offered by
    LongSelect from (id, name) pairs: no model object is made per option. What is chosen is still checked against
    the queryset and cleaned to the object, as ModelChoiceField does."""

    widget = LongSelect
    iterator = _NameIterator


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: True as a bare name, False left out."""
    return "".join(
        f" {_escape(k)}" if v is True else f' {_escape(k)}="{_escape(v)}"' for k, v in attrs.items() if v is not False
    )


def _escape(value) -> str:
    """Django's conditional_escape (the same characters), without its lazy-string wrapper: it is called per option."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))
