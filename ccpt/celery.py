import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccpt.settings")

app = Celery("ccpt")
# Every CELERY_* Django setting configures the app (serializer, acks_late, time limits, eager mode).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
