from django.urls import path

from .views import interviews, panels, scores, setup

app_name = "interviews"
urlpatterns = [
    path("rounds/<int:pk>/interviews/", setup.round_interviews, name="round"),
    path("rounds/<int:pk>/interviews/settings/", setup.round_settings, name="settings"),
    path("rounds/<int:pk>/interviews/rubric/new/", setup.criterion, name="criterion-add"),
    path("interviews/rubric/<int:criterion_pk>/", setup.criterion, name="criterion"),
    path("rounds/<int:pk>/interviews/finalists/", setup.finalists, name="finalists"),
    path("interviews/finalists/<int:pk>/remove/", setup.remove_finalist, name="finalist-remove"),
    path("rounds/<int:pk>/interviews/panels/new/", panels.create, name="panel-create"),
    path("interviews/panels/<int:pk>/", panels.panel, name="panel"),
    path("interviews/panels/members/<int:pk>/remove/", panels.remove_member, name="member-remove"),
    path("interviews/finalists/<int:pk>/schedule/", interviews.schedule, name="schedule"),
    path("interviews/<int:pk>/", interviews.interview, name="interview"),
    path("interviews/<int:pk>/another-slot/", interviews.request_slot, name="request-slot"),
    path("interviews/<int:pk>/conflict/", interviews.declare_conflict, name="conflict"),
    path("interviews/slot-requests/<int:pk>/", interviews.answer_request, name="answer-request"),
    path("interviews/mine/", scores.mine, name="mine"),
    path("interviews/<int:pk>/score/", scores.score, name="score"),
    path("interviews/reviews/<int:pk>/unlock/", scores.unlock, name="unlock"),
]
