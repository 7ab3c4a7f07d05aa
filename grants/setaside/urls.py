from django.urls import path

from . import views

app_name = "setaside"
urlpatterns = [
    path("programs/<int:pk>/set-aside/", views.set_aside, name="ledger"),
]
