"""What the site refuses to start without: called by ccpt/wsgi.py, ccpt/asgi.py and `manage.py runserver`.

These are not system checks: `manage.py migrate` and `check --deploy` must still run on a machine that is being
set up, while serving requests (or running background work in them) without these would break a promise.
"""

import gc

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ccpt.lib.pdf import pdf_available


def problems() -> list[str]:
    found = []
    if not settings.DEBUG:
        try:
            key = settings.SECRET_KEY
        except ImproperlyConfigured:
            key = ""
        if not key or key == settings.DEVELOPMENT_SECRET_KEY:
            found.append("DJANGO_SECRET_KEY is not set: set it to a long random value (DJANGO_DEBUG is false).")
    if not settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        found.append(
            "No broker for background work: set CELERY_BROKER_URL=redis://host:6379/0 and run a Celery worker, "
            "or set CELERY_TASK_ALWAYS_EAGER=true to run background work inside web requests (development only)."
        )
    return found


def refuse_unsafe_start() -> None:
    if found := problems():
        raise ImproperlyConfigured("CCPT Grants will not start:\n- " + "\n- ".join(found))
    # Not a refusal: without WeasyPrint's system libraries the site runs and says PDFs are unavailable where it
    # offers them. Asked here so that the log says so as the site starts, and no visitor waits for the import.
    pdf_available()


def settle() -> None:
    """The last step of starting a web process (ccpt/wsgi.py, ccpt/asgi.py): load every URL pattern and view now,
    then move what start-up made (about 150,000 objects: modules, classes, URL patterns, templates' code) out of the
    garbage collector's sight with gc.freeze(). Otherwise each full collection walks them all again, every few
    dozen requests: 60 to 150 ms added to one request in ten on a list page (bench/api.py found it). Frozen objects
    are still freed if they become garbage after a gc.unfreeze(); nothing made later is frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's URLconf and views
    gc.collect()
    gc.freeze()
