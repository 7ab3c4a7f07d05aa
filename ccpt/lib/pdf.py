"""PDFs laid out by WeasyPrint from our templates. Every PDF may read our own static files and nothing else:
no network, no local files, whatever an applicant typed into the page.

WeasyPrint needs Pango and HarfBuzz from the operating system. Without them the site still runs: WeasyPrint is
imported here only, lazily, `pdf_available()` says whether it loads, and `render_pdf` raises `PdfUnavailable`
(views answer it with the page `unavailable_page` renders; award notices go without the attached letter).
"""

import logging
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Pages are laid out as if served from here, so that {% static %} paths resolve under it and nothing else does.
BASE_URL = "https://pdf.ccpt-grants.invalid/"

UNAVAILABLE = "PDFs are unavailable on this server (WeasyPrint needs Pango: see the README)."


class PdfUnavailable(RuntimeError):  # not an OSError: background work would take it for a passing mail error
    """WeasyPrint cannot be loaded on this server, most often because Pango is not installed."""

    def __init__(self, reason: str = ""):
        super().__init__(f"{UNAVAILABLE} {reason}".strip())
        self.reason = reason


def _weasyprint():
    """The weasyprint module. A missing system library surfaces as the OSError cffi raises while it is imported
    ("cannot load library 'libpango-1.0-0'"); a missing or broken package as an ImportError."""
    try:
        import weasyprint
        import weasyprint.urls
    except (ImportError, OSError) as error:
        raise PdfUnavailable(f"{type(error).__name__}: {error}") from error
    return weasyprint


@cache
def pdf_available() -> bool:
    """Whether PDFs can be made here. Asked once per process (the import takes half a second, and a library
    installed meanwhile is picked up by restarting the site); the reason is logged once."""
    try:
        _weasyprint()
    except PdfUnavailable as unavailable:
        logger.warning("%s", unavailable)
        return False
    return True


def _static_prefix() -> str:
    return BASE_URL + settings.STATIC_URL.lstrip("/")


def static_file(url: str) -> str:
    """The path on disk of a static file the page asks for; ValueError for anything else."""
    prefix = _static_prefix()
    if not url.startswith(prefix):
        raise ValueError(f"Not fetched while making a PDF: {url}")
    name = url[len(prefix) :].split("?")[0]
    if ".." in name.split("/"):
        raise ValueError(f"Not fetched while making a PDF: {url}")
    found = staticfiles_storage.path(name) if staticfiles_storage.exists(name) else finders.find(name)
    if not found:
        raise ValueError(f"No such static file: {name}")
    return found


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """The template laid out as a PDF; PdfUnavailable when WeasyPrint cannot be loaded here."""
    if not pdf_available():
        raise PdfUnavailable()
    weasyprint = _weasyprint()

    class StaticFilesOnly(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file(url)
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = "text/css" if path.endswith(".css") else "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    html = render_to_string(template_name, context, request=request)
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


def unavailable_page(request, *, back_url: str, back_to: str):
    """The answer to a request for a PDF this server cannot make: 503 (the server lacks something, the request is
    fine), saying so plainly and leading back to the page that shows the same content."""
    context = {"message": UNAVAILABLE, "back_url": back_url, "back_to": back_to}
    return render(request, "pdf_unavailable.html", context, status=503)
