from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("programs/", views.program_list, name="programs"),
    path("programs/new/", views.program_form, name="program-create"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/edit/", views.program_form, name="program-edit"),
    path("programs/<int:program_pk>/rounds/new/", views.round_form, name="round-create"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_form, name="round-edit"),
    *(
        path(f"rounds/<int:pk>/{section}/", views.round_rows, {"section": section}, name=f"round-{section}")
        for section in views.SECTIONS
    ),
    path("rounds/<int:pk>/status/", views.round_transition, name="round-transition"),
    path("rounds/<int:pk>/copy/", views.round_copy, name="round-copy"),
]
