from django.contrib.auth import urls as auth_urls

# Django's sign-in, sign-out and password pages, by their usual names ("login", "password_reset", ...).
urlpatterns = [*auth_urls.urlpatterns]
