"""What the submitted application's page, its printable record and the readers' page show besides the frozen
snapshot: parts that later apps add (the answers to clarification requests: grants/conversations), each a template
and its context. Nothing here is part of the snapshot or its checksum."""

from collections.abc import Callable

from ..models import Application

# Each part is called with the application and whether the page is a reader's; it returns (template, context), or
# None when it has nothing to show.
_parts: list[Callable[..., tuple[str, dict] | None]] = []


def add_part(part: Callable[..., tuple[str, dict] | None]) -> None:
    _parts.append(part)


def parts_of(application: Application, *, for_readers: bool = False) -> list[tuple[str, dict]]:
    return [shown for part in _parts if (shown := part(application, for_readers=for_readers)) is not None]
