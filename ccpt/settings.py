"""Settings for CCPT Grants, read from the environment.

With no environment at all the site runs on SQLite and runs Celery tasks in-process,
so a newcomer needs nothing but Python. See README.md for the table of settings.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; absent in CI and production images

# Fail closed: DEBUG is off unless asked for (`make run`, the tests and `manage.py runserver` ask), and without
# DEBUG there is no default secret key: the site refuses to start without DJANGO_SECRET_KEY (ccpt/startup.py).
DEBUG = env.bool("DJANGO_DEBUG", default=False)
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105 - DEBUG only
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    # Ours
    "ccpt.audit",
    "ccpt.background",
    "consortia",
    "grants",
    "grants.programs",
    "grants.setaside",
    "grants.applications",
    "grants.reviews",
    "grants.awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "ccpt.lib.limits.RequestSizeMiddleware",  # before anything reads a request's body
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ccpt.audit.context.OriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ccpt.background.middleware.DeferredWorkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "ccpt.urls"
WSGI_APPLICATION = "ccpt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "consortia.context_processors.roles",
            ],
            # |money, |date_pt and |datetime_pt in every template (ccpt/lib/filters.py).
            "builtins": ["ccpt.lib.filters"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "consortia.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
# Deadlines are shown to users in California time; everything is stored in UTC.
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ccpt.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded attachments live outside static/ and are served only through views that check access.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"  # never routed: files are streamed by permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
CCPT_MAX_UPLOAD_MB = env.int("CCPT_MAX_UPLOAD_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
# A request body larger than the upload limit plus this margin (for the form's other fields) is refused with 413
# before it is read (ccpt.lib.limits.RequestSizeMiddleware).
CCPT_REQUEST_MARGIN_MB = env.int("CCPT_REQUEST_MARGIN_MB", default=10)
# What an uploaded Word or Excel file (a zip archive) may expand to, and how many parts it may hold.
CCPT_MAX_EXPANDED_MB = env.int("CCPT_MAX_EXPANDED_MB", default=100)
CCPT_MAX_ARCHIVE_MEMBERS = env.int("CCPT_MAX_ARCHIVE_MEMBERS", default=2000)
# How much of input that could not be saved a section's draft keeps: of one field, and of the whole section.
CCPT_DRAFT_FIELD_MAX_CHARS = env.int("CCPT_DRAFT_FIELD_MAX_CHARS", default=50_000)
CCPT_DRAFT_SECTION_MAX_CHARS = env.int("CCPT_DRAFT_SECTION_MAX_CHARS", default=200_000)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console in development, locmem in tests, SMTP (EMAIL_URL=smtp+tls://...) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # django-environ drops the leading "/" of filemail:///abs/path; the path is meant to be absolute.
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = "/" + EMAIL_CONFIG["EMAIL_FILE_PATH"].lstrip("/")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CCPT Grants <ccpt-grants@example.org>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Celery: background work goes to the broker's workers. Running it inside web requests instead is an explicit
# choice (CELERY_TASK_ALWAYS_EAGER=true, set by `make run` and the tests); with neither, the site refuses to start.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message whose worker died unacknowledged comes back after this many seconds (kombu's default is an hour); it
# must stay longer than the longest task. The job it carried does not wait for it: the sweeper hands it to another
# worker once the job's lease (CCPT_JOB_LEASE_SECONDS) is over, and the late message then finds it done.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900)}
CCPT_360G_PREFIX = env("CCPT_360G_PREFIX", default="360G-CDE-CCPT-")
CCPT_360G_FUNDER_ID = env("CCPT_360G_FUNDER_ID", default=CCPT_360G_PREFIX + "FUNDER")

# Response headers on every page, in development too (so that the browser tests meet them). No inline script or
# style anywhere: page scripts are static files that read data- attributes or |json_script (README "Headers").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap's form controls draw their icons from data: URLs
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Powerful browser features the site never uses, refused to the page and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture", "encrypted-media",
        "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies that append to X-Forwarded-For stand in front of the site (0: REMOTE_ADDR is the client). The
# audit trail and sign-in throttling read the client's address through this one setting.
CCPT_PROXY_COUNT = env.int("CCPT_PROXY_COUNT", default=0)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every PDF at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Background work is recorded in the database (ccpt/background) and swept: work never handed to the broker, lost
# with it, or whose worker died is sent again. A job runs under a lease: when its worker dies, the sweeper hands it
# to another once the lease is over, so a killed worker's work resumes within lease + sweep interval.
CCPT_JOB_LEASE_SECONDS = env.int("CCPT_JOB_LEASE_SECONDS", default=30)
CCPT_SWEEP_SECONDS = env.int("CCPT_SWEEP_SECONDS", default=10)
CCPT_JOB_RESEND_SECONDS = env.int("CCPT_JOB_RESEND_SECONDS", default=300)  # a sent job not started by then
CCPT_JOB_LATE_SECONDS = env.int("CCPT_JOB_LATE_SECONDS", default=120)  # shown to staff as late
CCPT_JOB_KEEP_DAYS = env.int("CCPT_JOB_KEEP_DAYS", default=30)  # finished jobs are kept this long
CELERY_BROKER_CONNECTION_TIMEOUT = 2

# Scheduled work (run `celery -A ccpt beat` beside the worker, or the management commands from cron).
CELERY_BEAT_SCHEDULE = {
    "sweep-background-work": {"task": "ccpt.background.tasks.sweep", "schedule": CCPT_SWEEP_SECONDS},
    "review-reminders": {
        "task": "ccpt.background.tasks.schedule",
        "args": ["grants.reviews.tasks.send_review_reminders"],
        "schedule": 24 * 60 * 60,
    },
}
