import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccpt.settings")
application = get_wsgi_application()

from ccpt.startup import refuse_unsafe_start, settle  # noqa: E402 - needs the settings configured above

refuse_unsafe_start()
settle()
