from django.urls import path

from .views import reports, setup, uploads

app_name = "reporting"
urlpatterns = [
    path("programs/<int:pk>/indicators/", setup.indicator_list, name="indicators"),
    path("programs/<int:pk>/indicators/new/", setup.indicator_define, name="indicator-define"),
    path("programs/<int:pk>/indicators/standard/", setup.add_standard, name="indicators-standard"),
    path("indicators/<int:pk>/", setup.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/revise/", setup.indicator_revise, name="indicator-revise"),
    path("rounds/<int:pk>/reporting/", setup.reporting_plan, name="plan"),
    path("rounds/<int:pk>/reporting/extra/", setup.extra_report, name="extra-report"),
    path("consortia/<int:pk>/data-managers/", setup.data_manager_list, name="data-managers"),
    path("consortia/<int:pk>/data-managers/name/", setup.data_manager_name, name="data-manager-name"),
    path(
        "consortia/<int:pk>/data-managers/<int:manager_pk>/remove/",
        setup.data_manager_remove,
        name="data-manager-remove",
    ),
    path("awards/<int:pk>/reports/", reports.award_reports, name="award-reports"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/template.csv", uploads.report_template, name="report-template"),
    path("reports/<int:pk>/upload/", uploads.report_upload, name="report-upload"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report-submit"),
    path("reports/<int:pk>/review/", reports.report_review, name="report-review"),
    path("reports/<int:pk>/versions/<int:number>/", reports.version_detail, name="report-version"),
    path("reports/<int:pk>/files/", uploads.report_attach, name="report-attach"),
    path("reports/<int:pk>/files/<int:attachment_pk>/", uploads.report_file, name="report-file"),
    path("reports/<int:pk>/files/<int:attachment_pk>/remove/", uploads.report_detach, name="report-detach"),
]
