"""Words for counts, the same way on every page and in every message; text without control characters."""

import re


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 application', '3 applications'; `many` for irregular plurals ('2 readers were')."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


# C0 control characters other than tab, line feed and carriage return. PostgreSQL cannot store NUL in text or jsonb
# at all; the others are invisible, arrive by pasting from other programs or by tampering, and break exports
# (XML, CSV viewers, email headers). Text that people type never needs them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def storable(value):
    """`value` (strings, lists and dicts of them, as JSON holds) without control characters, keys included."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value
