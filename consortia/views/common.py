"""What the consortia views share."""


def search_text(request) -> str:
    """The search box's text (`q`). PostgreSQL refuses NUL characters in a query; nobody means to search for one."""
    return request.GET.get("q", "").replace("\x00", "").strip()
