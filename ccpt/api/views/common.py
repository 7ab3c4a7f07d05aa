from rest_framework import viewsets

from ..permissions import authorize


class SiteRuled(viewsets.GenericViewSet):
    """A list of `visible(queryset)`; an object allowed by the site's rule `perm` (403 when it is not)."""

    perm = ""

    def base_queryset(self):
        raise NotImplementedError

    def visible(self, queryset):
        return queryset

    def get_queryset(self):
        queryset = self.base_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return self.visible(queryset) if self.action == "list" else queryset

    def get_object(self):
        obj = super().get_object()
        if self.perm:
            authorize(self.request, self.perm, obj)
        return obj
