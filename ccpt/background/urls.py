from django.urls import path

from . import views

app_name = "background"

urlpatterns = [
    path("system/background-work/", views.background_work, name="work"),
    path("system/background-work/<int:pk>/retry/", views.retry, name="retry"),
]
