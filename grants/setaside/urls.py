from . import views

app_name = "setaside"
urlpatterns = views.urlpatterns
