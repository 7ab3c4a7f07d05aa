from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("applications/<int:pk>/appeal/", views.file_appeal, name="file"),
    path("applications/<int:pk>/appeals/", views.mine, name="mine"),
    path("appeals/<int:pk>/", views.appeal, name="appeal"),
    path("appeals/<int:pk>/rereading/close/", views.close_rereading, name="close-rereading"),
    path("appeals/files/<int:pk>/", views.evidence, name="evidence"),
    path("rounds/<int:pk>/appeals/", views.round_appeals, name="round"),
    path("rounds/<int:pk>/appeals/settings/", views.round_settings, name="settings"),
]
