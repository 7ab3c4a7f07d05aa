"""Words for counts, the same way on every page and in every message."""


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 application', '3 applications'; `many` for irregular plurals ('2 readers were')."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
