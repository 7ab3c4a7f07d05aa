#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccpt.settings")
    if sys.argv[1:2] == ["runserver"]:
        # Django's development server is never production: it runs with DEBUG, and with background work inside
        # the request when no broker is configured, unless the environment says otherwise.
        os.environ.setdefault("DJANGO_DEBUG", "true")
        if not os.environ.get("CELERY_BROKER_URL"):
            os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
        import django

        django.setup()
        from ccpt.startup import refuse_unsafe_start

        refuse_unsafe_start()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
