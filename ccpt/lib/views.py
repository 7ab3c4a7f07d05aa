"""Small helpers the views of every app share."""


def posted(request):
    """The POST data, even when empty, for a form to validate (an empty QueryDict is falsy: `request.POST or None`
    would leave the form unbound and tell nobody what is missing); None on GET."""
    return request.POST if request.method == "POST" else None
