from django.contrib import admin
from django.urls import include, path

from ccpt.lib.views import server_error
from grants.views import dashboard

admin.site.site_header = "CCPT Grants administration"
admin.site.site_title = "CCPT Grants"
handler500 = server_error

urlpatterns = [
    path("accounts/", include("consortia.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("ccpt.background.urls")),
    path("", include("consortia.urls")),
    path("", dashboard, name="dashboard"),
    path("", include("grants.programs.urls")),
    path("", include("grants.applications.urls")),
    path("", include("grants.reviews.urls")),
    path("", include("grants.conversations.urls")),
    path("", include("grants.search.urls")),
    path("", include("grants.awards.urls")),
    path("", include("grants.appeals.urls")),
    path("", include("grants.interviews.urls")),
    path("", include("grants.setaside.urls")),
    path("", include("grants.reporting.urls")),
    path("", include("grants.payments.urls")),
    path("", include("grants.outcomes.urls")),
    path("", include("ccpt.audit.urls")),
    path("", include("ccpt.api.urls")),
]
