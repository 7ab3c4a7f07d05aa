from django.urls import path

from .views import applications, attachments, screening, submissions

app_name = "applications"
urlpatterns = [
    # applications
    path("applications/", applications.application_list, name="applications"),
    path("applications/start/", applications.application_start, name="application-start"),
    path("rounds/<int:pk>/letter-of-intent/", applications.letter_of_intent, name="letter-of-intent"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path(
        "applications/<int:pk>/sections/<slug:section>/", applications.application_section, name="application-section"
    ),
    # attachments
    path("applications/<int:application_pk>/files/<int:pk>/", attachments.download, name="attachment"),
    path("applications/<int:pk>/attachments/", attachments.attachment_list, name="attachments"),
    path("applications/<int:pk>/attachments/upload/", attachments.upload, name="attachment-upload"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/delete/", attachments.delete, name="attachment-delete"),
    # submissions
    path("applications/<int:pk>/submit/", submissions.submit, name="application-submit"),
    path("applications/<int:pk>/withdraw/", submissions.withdraw, name="application-withdraw"),
    path("applications/<int:pk>/reopen/", submissions.reopen, name="application-reopen"),
    path("applications/<int:pk>/accept-late/", submissions.accept_late, name="application-accept-late"),
    path("applications/<int:pk>/submission/", submissions.submission_detail, name="submission"),
    path("applications/<int:pk>/submission.pdf", submissions.submission_pdf, name="submission-pdf"),
    # screening
    path("rounds/<int:pk>/submissions/", screening.submission_list, name="submissions"),
    path("rounds/<int:pk>/submissions.csv", screening.submission_csv, name="submissions-csv"),
    path("submissions/<int:pk>/screening/", screening.submission_detail, name="submission-screening"),
    path("screening-checks/<int:pk>/override/", screening.override, name="override-check"),
]
