"""The OpenAPI 3 schema (drf-spectacular) and a reference page drawn from it on the server: no script from a CDN,
nothing inline, so it passes the site's Content-Security-Policy."""

from functools import cache

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

METHODS = ("get", "post", "put", "patch", "delete")


class SchemaView(SpectacularAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


@cache
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _type(parameter: dict) -> str:
    schema = parameter.get("schema", {})
    return schema.get("format") or schema.get("type", "")


def operations(schema: dict) -> list[dict]:
    found = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            found.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "description": operation.get("description", ""),
                    "public": any(not requirement for requirement in operation.get("security", [{}])),
                    "scope": "read" if method == "get" else "report-write",
                    "parameters": [
                        {**parameter, "type": _type(parameter)} for parameter in operation.get("parameters", [])
                    ],
                    "request": body.get("$ref", "").rpartition("/")[2],
                    "responses": list(operation.get("responses", {})),
                }
            )
    return found


def reference(request):
    schema = _schema()
    return render(request, "api/reference.html", {"schema": schema, "operations": operations(schema)})
