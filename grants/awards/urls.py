from django.urls import path

from .views import awards, notices, plans, reports

app_name = "awards"
urlpatterns = [
    # plans
    path("rounds/<int:pk>/plan/", plans.plan_page, name="plan"),
    path("rounds/<int:pk>/plan/generate/", plans.plan_generate, name="plan-generate"),
    path("plans/<int:pk>/recompute/", plans.plan_recompute, name="plan-recompute"),
    path("plans/<int:pk>/swap/", plans.plan_swap, name="plan-swap"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan-return"),
    path("rounds/<int:pk>/decide-without-awards/", plans.decide_without_awards, name="decide-without-awards"),
    path("plan-lines/<int:pk>/", plans.plan_line, name="plan-line"),
    # awards
    path("rounds/<int:pk>/awards/", awards.round_awards, name="round-awards"),
    path("programs/<int:pk>/awards/", awards.program_awards, name="program-awards"),
    path("awards/", awards.my_awards, name="awards"),
    path("awards/<int:pk>/", awards.award_detail, name="award"),
    path("awards/<int:pk>/letter.pdf", awards.award_letter, name="award-letter"),
    path("awards/<int:pk>/respond/", awards.award_respond, name="award-respond"),
    path("awards/<int:pk>/status/", awards.award_status, name="award-status"),
    path("awards/<int:pk>/amend/", awards.award_amend, name="award-amend"),
    # notices
    path("rounds/<int:pk>/notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/resend/", notices.notice_resend, name="notice-resend"),
    # reports
    path("programs/<int:pk>/dashboard/", reports.program_dashboard, name="program-dashboard"),
    path("programs/<int:pk>/awards.csv", reports.awards_csv, name="awards-csv"),
]
