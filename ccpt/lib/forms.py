"""What the forms of every app share: crispy layouts, one submit button, and the reason box."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms


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


class CrispyForm:
    """Mixed into a form: it lays itself out with one submit button labelled `submit_label`."""

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
