from .views import applications, attachments, rounds, screening, submissions

app_name = "grants"

# Each views module declares its own routes, so that sub-domains can grow independently.
urlpatterns = [
    *rounds.urlpatterns,
    *applications.urlpatterns,
    *attachments.urlpatterns,
    *submissions.urlpatterns,
    *screening.urlpatterns,
]
