from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("programs/<int:pk>/indicators/", views.indicator_list, name="indicators"),
    path("programs/<int:pk>/indicators/new/", views.indicator_define, name="indicator-define"),
    path("programs/<int:pk>/indicators/standard/", views.add_standard, name="indicators-standard"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/revise/", views.indicator_revise, name="indicator-revise"),
    path("rounds/<int:pk>/reporting/", views.reporting_plan, name="plan"),
    path("rounds/<int:pk>/reporting/extra/", views.extra_report, name="extra-report"),
    path("consortia/<int:pk>/data-managers/", views.data_manager_list, name="data-managers"),
    path("consortia/<int:pk>/data-managers/name/", views.data_manager_name, name="data-manager-name"),
    path(
        "consortia/<int:pk>/data-managers/<int:manager_pk>/remove/",
        views.data_manager_remove,
        name="data-manager-remove",
    ),
]
