"""Settings for CCPT Grants, read from the environment.

With no environment at all the site runs on SQLite and runs Celery tasks in-process,
so a newcomer needs nothing but Python. See README.md for the table of settings.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ccpt.api.openapi import OPENAPI

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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_ratelimit",
    "csp",
    "rest_framework",
    "drf_spectacular",
    # Ours
    "ccpt.audit",
    "ccpt.api",
    "ccpt.background",
    "consortia",
    "consortia.accounts",
    "grants",
    "grants.programs",
    "grants.setaside",
    "grants.applications",
    "grants.reviews",
    "grants.conversations",
    "grants.appeals",
    "grants.interviews",
    "grants.search",
    "grants.awards",
    "grants.reporting",
    "grants.payments",
    "grants.outcomes",
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
    "django_otp.middleware.OTPMiddleware",
    "ccpt.audit.context.OriginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "consortia.accounts.middleware.SessionExpiryMiddleware",
    "consortia.accounts.middleware.SecondFactorMiddleware",
    "ccpt.background.middleware.DeferredWorkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it turns a sign-in refused for too many failures into our "locked" page (consortia/accounts).
    "axes.middleware.AxesMiddleware",
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
            "builtins": ["ccpt.lib.filters", "django.contrib.humanize.templatetags.humanize"],  # |money, |intcomma
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections live across requests (a new one costs a few ms, and loses its prepared statements), checked before
# each request reuses one.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements. Parameters are sent apart from the SQL, so that a statement a connection runs again and
    # again (every page's session, person and object reads) has the same text each time; psycopg prepares it after
    # its fifth run, and PostgreSQL no longer plans it anew on each request, which took longer than running it
    # (README, "Performance"). DATABASE_PREPARE_THRESHOLD= (empty) turns them off, for a pooler that cannot keep them.
    threshold = env.str("DATABASE_PREPARE_THRESHOLD", default="5").strip()
    if threshold and not threshold.isdigit():
        raise ImproperlyConfigured(
            f"DATABASE_PREPARE_THRESHOLD={threshold!r}: give a whole number of runs (5), or leave it empty to turn "
            "prepared statements off."
        )
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=bool(threshold), prepare_threshold=int(threshold) if threshold else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache every gunicorn worker shares, for the password-reset limits (django-ratelimit): by default a table in the
# database (created by a migration, consortia/accounts/migrations), so no other service is needed;
# CACHE_URL=redis://host:6379/1 uses Redis instead.
CACHES = {
    "default": env.cache_url("CACHE_URL", default="dbcache://ccpt_cache"),
    # Rendered parts of pages ({% cache %}) whose key names everything they show, such as a submitted copy by the
    # checksum of its content: each worker keeps its own, and none can be stale in another. At most 200 (~60 KB each).
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ccpt-fragments",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}

AUTH_USER_MODEL = "consortia.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while the account or the address is locked, before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "consortia.accounts.throttling.AddressThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, but each request reads the person with their roles and second factor in one query.
    "consortia.accounts.backends.PersonBackend",
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

# Signing in (consortia/accounts; README "Signing in"). Failed sign-ins are counted per account (django-axes, in the
# database) and, separately, per address (django-ratelimit, in CACHES["default"]); at its limit the account or the
# address is locked for a while. An address gets a higher limit: a school district may sign in from one address.
CCPT_SIGNIN_FAILURE_LIMIT = env.int("CCPT_SIGNIN_FAILURE_LIMIT", default=5)
CCPT_SIGNIN_ADDRESS_FAILURE_LIMIT = env.int("CCPT_SIGNIN_ADDRESS_FAILURE_LIMIT", default=50)
CCPT_SIGNIN_LOCK_MINUTES = env.int("CCPT_SIGNIN_LOCK_MINUTES", default=15)
AXES_FAILURE_LIMIT = CCPT_SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=CCPT_SIGNIN_LOCK_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]  # the address: throttling.AddressThrottleBackend
AXES_USERNAME_CALLABLE = "consortia.accounts.throttling.typed_email"
AXES_CLIENT_IP_CALLABLE = "ccpt.audit.context.client_address"
AXES_LOCKOUT_CALLABLE = "consortia.accounts.throttling.locked_out_page"
# A lock ends a fixed time after the failure that caused it (the page says when); attempts during it do not extend
# it. A success clears only that account's failures from that address (throttling.py), never the address's count.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_DISABLE_ACCESS_LOG = True  # the audit trail records every sign-in and sign-out
# Masked in the posted data axes keeps with each failure: a mistyped recovery code is nearly a real one.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Two-factor authentication (django-otp): required of program staff and administrators when on; off by default in
# development so that `make run`'s demo logins work with a password alone.
CCPT_REQUIRE_STAFF_2FA = env.bool("CCPT_REQUIRE_STAFF_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "CCPT Grants"
# Sessions end after a while without a request, and in any case some hours after signing in. Applicants and readers
# get longer: they write narratives and reviews for an hour or more in one page before saving it.
CCPT_SESSION_IDLE_MINUTES_STAFF = env.int("CCPT_SESSION_IDLE_MINUTES_STAFF", default=30)
CCPT_SESSION_IDLE_MINUTES = env.int("CCPT_SESSION_IDLE_MINUTES", default=240)
CCPT_SESSION_MAX_HOURS = env.int("CCPT_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = CCPT_SESSION_MAX_HOURS * 60 * 60
# Approving a funding plan, drawing on the set-aside, changing a program's money or someone's roles ask for the
# password (or second-factor code) again when it was not entered in the last this many minutes (accounts/reauth.py).
CCPT_REAUTH_MINUTES = env.int("CCPT_REAUTH_MINUTES", default=15)
# Password-reset requests, per address and per email typed, in an hour (django-ratelimit, in CACHES["default"]).
CCPT_PASSWORD_RESETS_PER_ADDRESS = env.int("CCPT_PASSWORD_RESETS_PER_ADDRESS", default=10)
CCPT_PASSWORD_RESETS_PER_EMAIL = env.int("CCPT_PASSWORD_RESETS_PER_EMAIL", default=3)
RATELIMIT_IP_META_KEY = "ccpt.audit.context.client_address"
# django-ratelimit wants memcached or Redis; the database cache's increment is a read then a write, so two requests
# at the same instant may count once: a limit of 10 may let 11 or 12 through. That is acceptable for password
# resets (each sends an email to the account's owner only); set CACHE_URL=redis://... for an exact count.
SILENCED_SYSTEM_CHECKS = [
    "django_ratelimit.W001",
    # axes wants the address among its lock parameters; the address has its own, higher limit instead
    # (accounts/throttling.py AddressThrottleBackend), so that a district behind one address is not locked by one typo.
    "axes.W006",
]
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

LANGUAGE_CODE = "en-us"
# Deadlines are shown to users in California time; everything is stored in UTC.
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ccpt.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")  # where collectstatic writes
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise before any view or sign-in check.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
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
# The 360Giving prefix a new program starts with; each program keeps its own (programs.Program).
CCPT_360G_PREFIX = env("CCPT_360G_PREFIX", default="360G-CDE-CCPT")

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
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "encrypted-media",
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

# Progress reports: the reminder before a report is due goes this many days before it.
CCPT_REPORT_REMINDER_DAYS = env.int("CCPT_REPORT_REMINDER_DAYS", default=14)

# The API (ccpt/api, README "The API"): tokens per person, their requests throttled per token; anonymous requests
# (the public programs and rounds) per address.
CCPT_API_TOKEN_RATE = env("CCPT_API_TOKEN_RATE", default="600/minute")
CCPT_API_ANONYMOUS_RATE = env("CCPT_API_ANONYMOUS_RATE", default="60/minute")
CCPT_API_MAX_PAGE_SIZE = env.int("CCPT_API_MAX_PAGE_SIZE", default=200)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["ccpt.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["ccpt.api.permissions.TokenScopes"],
    "DEFAULT_THROTTLE_CLASSES": ["ccpt.api.throttling.PerToken"],
    "DEFAULT_THROTTLE_RATES": {"token": CCPT_API_TOKEN_RATE, "anonymous": CCPT_API_ANONYMOUS_RATE},
    "DEFAULT_PAGINATION_CLASS": "ccpt.api.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ccpt.api.errors.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": CCPT_PROXY_COUNT,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = OPENAPI  # the schema's title, description and names: ccpt/api/openapi.py

# Scheduled work (run `celery -A ccpt beat` beside the worker, or the management commands from cron).
CELERY_BEAT_SCHEDULE = {
    "sweep-background-work": {"task": "ccpt.background.tasks.sweep", "schedule": CCPT_SWEEP_SECONDS},
    **{
        name: {"task": "ccpt.background.tasks.schedule", "args": [task], "schedule": 24 * 60 * 60}
        for name, task in {
            "review-reminders": "grants.reviews.tasks.send_review_reminders",
            "message-digests": "grants.conversations.tasks.send_digests",
            "report-reminders": "grants.reporting.tasks.send_report_reminders",
        }.items()
    },
}
