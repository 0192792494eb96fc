from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: staff may read the log here, nobody adds, changes or deletes an event."""

    list_display = ["at", "action", "object_label", "actor", "actor_organisation", "channel", "ip_address"]
    list_filter = ["action", "channel"]
    list_select_related = ["actor", "actor_organisation"]
    search_fields = ["object_label"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
