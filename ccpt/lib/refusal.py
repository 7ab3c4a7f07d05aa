"""The one way a service refuses: a `Refusal` whose message the person who asked can read.

Views show `message` (next to the form, or as a page message); nothing else needs to be inspected. A refusal may
also list `problems` (what to fix first) and `errors` (messages for single fields, by field name or row id).
"""


class Refusal(Exception):
    def __init__(self, message: str, *, problems: list[str] | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])
        self.errors = dict(errors or {})

    def __str__(self) -> str:
        return self.message


def require_reason(reason: str | None, message: str = "Give a reason; it is kept in the record with your name.") -> str:
    """The reason, stripped; a Refusal when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(message)
    return reason


def show_on_form(form, refusal: Refusal) -> None:
    """Put a refusal on the form it answers: its field messages next to their fields, else the message on top."""
    fields = {name: message for name, message in refusal.errors.items() if name in form.fields}
    for name, message in fields.items():
        form.add_error(name, message)
    if not fields:
        form.add_error(None, refusal.message)
