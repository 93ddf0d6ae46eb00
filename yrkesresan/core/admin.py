from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

admin.site.site_header = _("Yrkesresan administration")
admin.site.site_title = _("Yrkesresan administration")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
