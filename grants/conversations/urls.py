from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("applications/<int:pk>/conversation/", views.conversation, name="conversation"),
    path("applications/<int:pk>/conversation/<slug:thread>/", views.post, name="post"),
    path("applications/<int:pk>/clarifications/", views.ask, name="ask"),
    path("clarifications/<int:pk>/answer/", views.answer, name="answer"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:pk>/share/", views.share, name="share"),
    path("messages/files/<int:pk>/", views.message_file, name="file"),
]
