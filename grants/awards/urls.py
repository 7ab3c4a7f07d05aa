from .views import awards, notices, plans, reports

app_name = "awards"
# Each views module declares its own routes.
urlpatterns = [*plans.urlpatterns, *awards.urlpatterns, *notices.urlpatterns, *reports.urlpatterns]
