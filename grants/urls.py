from .views import (
    applications,
    assignments,
    attachments,
    awards,
    reports,
    reviews,
    rounds,
    scoring,
    screening,
    submissions,
)

app_name = "grants"

# Each views module declares its own routes, so that sub-domains can grow independently.
urlpatterns = [
    *rounds.urlpatterns,
    *applications.urlpatterns,
    *attachments.urlpatterns,
    *submissions.urlpatterns,
    *screening.urlpatterns,
    *assignments.urlpatterns,
    *reviews.urlpatterns,
    *scoring.urlpatterns,
    *awards.urlpatterns,
    *reports.urlpatterns,
]
