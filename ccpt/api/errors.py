"""Errors as JSON: DRF's for what it knows (400 with field messages, 401, 403, 404, 429), and a service's refusal
or a model's validation error as a 400 with its message, problems and field messages, never a 500."""

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ccpt.lib.refusal import Refusal


def handle(exc, context):
    if isinstance(exc, Refusal):
        body = {"detail": exc.message}
        if exc.problems:
            body["problems"] = exc.problems
        if exc.errors:
            body["errors"] = {str(name): str(message) for name, message in exc.errors.items()}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response({"detail": "The request is not valid.", "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
