"""Small helpers the views of every app share, and the page shown when the site fails."""

import logging
import secrets

from django.http import HttpResponseServerError
from django.template import loader
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

from .dates import format_datetime

logger = logging.getLogger("ccpt.errors")


def posted(request):
    """The POST data, even when empty, for a form to validate (an empty QueryDict is falsy: `request.POST or None`
    would leave the form unbound and tell nobody what is missing); None on GET."""
    return request.POST if request.method == "POST" else None


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: the error page, with a reference that is also in the log, so that a person who writes to staff
    can be matched with the error. It renders without the database or the request's context processors: either
    may be what failed."""
    now = timezone.now()
    reference = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    # Django logs the traceback next ("Internal Server Error: <path>"); this line ties it to the reference.
    logger.error("Server error, reference %s: %s %s", reference, request.method, request.path)
    page = loader.get_template(template_name).render({"reference": reference, "when": format_datetime(now)})
    return HttpResponseServerError(page)
