from django.contrib import messages

from . import services


class DeferredWorkMiddleware:
    """Tells the person, after their change is saved, what follow-up work is delayed because the broker (or the
    mail server, in-process) did not answer: "Saved. The receipt will be emailed when the mail service is back."
    It sits after MessageMiddleware, so that the message is stored with the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = services.collect_deferred()
        try:
            response = self.get_response(request)
            if promises := services.deferred_promises():
                said = "; ".join(promise[0].upper() + promise[1:] for promise in promises)
                messages.warning(request, f"Your change is saved. {said}. Nothing is lost.", fail_silently=True)
            return response
        finally:
            services.stop_collecting(token)
