"""drf-spectacular's settings for the API's OpenAPI schema (ccpt/settings.py reads them as SPECTACULAR_SETTINGS):
plain values, no Django import, so that the settings module may read them before Django is set up."""

OPENAPI = {
    "TITLE": "CCPT Grants API",
    "DESCRIPTION": "Programs and rounds, consortia, applications, awards with their payments, indicators and "
    "progress reports. Authenticate with `Authorization: Bearer <token>` (tokens are made on the site's Security "
    "page).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "grants.applications.models.Application.Status",
        "AwardStatusEnum": "grants.awards.models.Award.Status",
        "PaymentStatusEnum": "grants.payments.models.Payment.Status",
        "ReportStatusEnum": "grants.reporting.models.reports.ProgressReport.Status",
        "RoundStatusEnum": "grants.programs.models.Round.Status",
    },
}
