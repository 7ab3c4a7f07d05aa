from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("programs/<int:pk>/outcomes/", views.dashboard, name="dashboard"),
    path("programs/<int:pk>/indicator-values.csv", views.values_csv, name="values-csv"),
    path("programs/<int:pk>/indicator-values.json", views.values_json, name="values-json"),
    path("programs/<int:pk>/awards-360giving.json", views.awards_360giving, name="awards-360giving"),
]
