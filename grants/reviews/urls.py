from django.urls import path

from .views import assignments, readers, reviews, scoring

app_name = "reviews"
urlpatterns = [
    # assignments
    path("rounds/<int:round_pk>/assignments/", assignments.board, name="assignment-board"),
    path("rounds/<int:round_pk>/assignments/auto/", assignments.auto_assign, name="assignment-auto"),
    path(
        "rounds/<int:round_pk>/assignments/applications/<int:application_pk>/add/",
        assignments.add_reader,
        name="assignment-add",
    ),
    path("rounds/<int:round_pk>/assignments/<int:pk>/remove/", assignments.remove_reader, name="assignment-remove"),
    path("rounds/<int:round_pk>/assignments/<int:pk>/due/", assignments.extend_assignment, name="assignment-extend"),
    path("rounds/<int:round_pk>/assignments/due/", assignments.review_due, name="review-due"),
    path("rounds/<int:round_pk>/conflicts/", assignments.conflicts, name="round-conflicts"),
    # the reader pool
    path("readers/", readers.pool, name="reader-pool"),
    path("readers/invite/", readers.invite, name="reader-invite"),
    path("readers/invitations/<int:pk>/resend/", readers.resend_invitation, name="reader-invitation-resend"),
    path("readers/invitations/<int:pk>/revoke/", readers.revoke_invitation, name="reader-invitation-revoke"),
    path("readers/invitations/<slug:token>/", readers.accept_invitation, name="reader-invitation-accept"),
    path("readers/<int:pk>/", readers.reader, name="reader"),
    path("readers/<int:pk>/rounds/<int:round_pk>/maximum/", readers.set_cap, name="reader-cap"),
    path("readers/<int:pk>/deactivate/", readers.deactivate, name="reader-deactivate"),
    path("readers/<int:pk>/reactivate/", readers.reactivate, name="reader-reactivate"),
    # reviews
    path("reviews/", reviews.queue, name="reviews"),
    path("reviews/<int:pk>/", reviews.review, name="review"),
    path("reviews/<int:pk>/attest/", reviews.attest, name="review-attest"),
    path("reviews/<int:pk>/conflict/", reviews.declare_conflict, name="review-conflict"),
    path("reviews/<int:pk>/others/", reviews.others, name="review-others"),
    path("reviews/<int:pk>/files/<int:attachment_pk>/", reviews.attachment, name="attachment"),
    path("reviews/<int:pk>/unlock/", reviews.unlock, name="review-unlock"),
    # scoring
    path("rounds/<int:pk>/scores/", scoring.dashboard, name="scores"),
    path("rounds/<int:pk>/scores/ranking/", scoring.ranking, name="scores-ranking"),
    path("rounds/<int:pk>/scores/ranking.csv", scoring.ranking_csv, name="scores-csv"),
    path("rounds/<int:pk>/scores/recompute/", scoring.recompute, name="scores-recompute"),
    path("rounds/<int:pk>/results/publish/", scoring.publish, name="results-publish"),
    path("applications/<int:pk>/reconcile/", scoring.reconcile, name="reconcile"),
    path("applications/<int:pk>/reconcile/revisit/", scoring.revisit, name="reconcile-revisit"),
    path("applications/<int:pk>/reconcile/reader/", scoring.add_reader, name="reconcile-reader"),
    path("applications/<int:pk>/reconcile/consensus/", scoring.consensus, name="reconcile-consensus"),
    path("applications/<int:pk>/reconcile/consensus/clear/", scoring.clear_consensus, name="reconcile-clear"),
    path("applications/<int:pk>/priorities/", scoring.priorities, name="priority-claims"),
    path("applications/<int:pk>/results/", scoring.application_results, name="results"),
]
