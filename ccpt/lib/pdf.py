"""PDFs laid out by WeasyPrint from our templates. Every PDF may read our own static files and nothing else:
no network, no local files, whatever an applicant typed into the page."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

# Pages are laid out as if served from here, so that {% static %} paths resolve under it and nothing else does.
BASE_URL = "https://pdf.ccpt-grants.invalid/"


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
    # Imported here: WeasyPrint is heavy, and only PDF paths need it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file(url)
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = "text/css" if path.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()
