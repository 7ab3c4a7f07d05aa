"""What the Django admin of every app shares."""

from django.contrib import admin
from django.contrib.auth import get_permission_codename


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are evidence (submitted snapshots, status changes): listed and read, never written here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ModelPermissions:
    """Mixed into a ModelAdmin (before Django's class): the back office asks Django's model permissions
    (User.has_model_perm: a superuser, or someone given them in the admin), not the site's rules. Several rules
    share a model permission's name ("consortia.change_consortium") but answer whether a person may change *this*
    consortium in the site, and no rule lets a superuser do anything (consortia/models.py User.has_perm)."""

    def _has_model_perm(self, request, action: str) -> bool:
        opts = self.opts
        return request.user.has_model_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")

    def has_view_permission(self, request, obj=None):
        return self._has_model_perm(request, "view") or self._has_model_perm(request, "change")

    def has_add_permission(self, request, *args):
        return self._has_model_perm(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._has_model_perm(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._has_model_perm(request, "delete")
