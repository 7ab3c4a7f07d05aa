from .views import applications, attachments, screening, submissions

app_name = "applications"
# Each views module declares its own routes.
urlpatterns = [
    *applications.urlpatterns,
    *attachments.urlpatterns,
    *submissions.urlpatterns,
    *screening.urlpatterns,
]
