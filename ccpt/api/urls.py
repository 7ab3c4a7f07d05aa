"""/api/v1/ (the API), /api/schema/ (its OpenAPI 3 description), /api/docs/ (the reference page), and the site's
pages for a person's tokens under /accounts/api-tokens/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import pages
from .views import applications, awards, consortia, docs, indicators, programs, reports

app_name = "api"

router = SimpleRouter()
router.register("programs", programs.ProgramViewSet, basename="program")
router.register("rounds", programs.RoundViewSet, basename="round")
router.register("consortia", consortia.ConsortiumViewSet, basename="consortium")
router.register("applications", applications.ApplicationViewSet, basename="application")
router.register("awards", awards.AwardViewSet, basename="award")
router.register("indicators", indicators.IndicatorViewSet, basename="indicator")
router.register("indicator-values", indicators.ValueViewSet, basename="indicator-value")
router.register("reports", reports.ReportViewSet, basename="report")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", docs.SchemaView.as_view(), name="schema"),
    path("api/docs/", docs.reference, name="docs"),
    path("accounts/api-tokens/", pages.token_list, name="tokens"),
    path("accounts/api-tokens/new/", pages.token_new, name="token-new"),
    path("accounts/api-tokens/<int:pk>/", pages.token_made, name="token-made"),
    path("accounts/api-tokens/<int:pk>/revoke/", pages.token_revoke, name="token-revoke"),
]
