from .views import assignments, reviews, scoring

app_name = "reviews"
# Each views module declares its own routes.
urlpatterns = [*assignments.urlpatterns, *reviews.urlpatterns, *scoring.urlpatterns]
