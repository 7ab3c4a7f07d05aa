"""What a draft keeps of a section's input that could not be saved: what was typed into the section's own fields,
without control characters (PostgreSQL cannot store NUL in jsonb), and within limits, so that a 100 KB title does
not become 100 KB stored on every invalid post.

Limits (settings): a bounded field keeps up to twice its max_length, so that someone who overshot the limit still
sees the whole of what they wrote to shorten it; any other field keeps up to CCPT_DRAFT_FIELD_MAX_CHARS; and the
section as a whole keeps up to CCPT_DRAFT_SECTION_MAX_CHARS, taken from its longest values first so that short
fields are kept whole. Every cut is described in a sentence for the person.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.forms.formsets import BaseFormSet

from ccpt.lib.text import without_control_characters


@dataclass
class KeptInput:
    data: dict[str, list[str]] = field(default_factory=dict)
    cuts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Slot:
    label: str
    limit: int
    why: str


def _slots_of(form, label_prefix: str) -> dict[str, _Slot]:
    slots = {}
    for name, form_field in form.fields.items():
        html_name = form.add_prefix(name)
        label = f"{label_prefix}{form_field.label or name}"
        if max_length := getattr(form_field, "max_length", None):
            slot = _Slot(label, 2 * max_length, f"the field takes at most {_characters(max_length)}")
        else:
            cap = settings.CCPT_DRAFT_FIELD_MAX_CHARS
            slot = _Slot(label, cap, f"a draft keeps at most {_characters(cap)} of one field")
        widget = form_field.widget
        if isinstance(widget, forms.MultiWidget):
            slots.update({f"{html_name}{suffix}": slot for suffix in widget.widgets_names})
        else:
            slots[html_name] = slot
    return slots


def _slots(form) -> dict[str, _Slot]:
    """The html names of the section's fields, with a label for messages and how much of each a draft keeps."""
    if isinstance(form, BaseFormSet):
        slots = _slots_of(form.management_form, "")
        for number, member in enumerate(form.forms, 1):
            slots.update(_slots_of(member, f"{form.item_name} {number}: "))
        return slots
    return _slots_of(form, "")


def _characters(count: int) -> str:
    return f"{count:,} character{'' if count == 1 else 's'}"


def _cut(text: str, limit: int, label: str, why: str, cuts: list[str]) -> str:
    if len(text) <= limit:
        return text
    cuts.append(f"{label}: the draft keeps only the first {_characters(limit)} of the {len(text):,} sent ({why}).")
    return text[:limit]


def _share(lengths: list[int], total: int) -> int:
    """The largest length L such that the lengths, each cut to at most L, add up to no more than `total`."""
    remaining, ordered = total, sorted(lengths)
    for index, length in enumerate(ordered):
        left = len(ordered) - index
        if length * left > remaining:
            return remaining // left
        remaining -= length
    return max(ordered, default=0)


def _values(data, key) -> list:
    if hasattr(data, "getlist"):
        return data.getlist(key)
    value = data[key]
    return list(value) if isinstance(value, list | tuple) else [value]


def kept_input(data, form) -> KeptInput:
    """What a draft keeps of `data` (the posted QueryDict, or a dict) for `form` (the section's form or formset)."""
    slots = _slots(form)
    # The CSRF token, the section's version, and anything a page of ours never sends are not kept.
    typed = {key: [without_control_characters(str(v)) for v in _values(data, key)] for key in data if key in slots}
    lengths = [min(len(v), slots[key].limit) for key, values in typed.items() for v in values]
    section_cap = settings.CCPT_DRAFT_SECTION_MAX_CHARS
    share = _share(lengths, section_cap) if sum(lengths) > section_cap else None
    kept = KeptInput()
    for key, values in typed.items():
        slot = slots[key]
        limit, why = slot.limit, slot.why
        if share is not None and share < limit:
            limit, why = share, f"a draft keeps at most {_characters(section_cap)} of a section"
        kept.data[key] = [_cut(value, limit, slot.label, why, kept.cuts) for value in values]
    return kept


def draft_cuts(application, section: str) -> list[str]:
    """What the section's draft did not keep of what was sent, in sentences (empty when it kept everything)."""
    entry = application.section_versions.get(section)
    return list(entry.get("cut", [])) if isinstance(entry, dict) and section in application.section_drafts else []
