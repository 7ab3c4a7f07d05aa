from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.event_list, name="events"),
    path("audit/events.csv", views.event_csv, name="events-csv"),
    path("audit/objects/<int:content_type_id>/<int:object_id>/", views.open_object, name="object"),
]
