from . import views

app_name = "programs"
urlpatterns = views.urlpatterns
