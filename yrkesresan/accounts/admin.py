from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.models import log_action

from .models import ApiToken, RoleAssignment, User


class RoleInline(admin.StackedInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["unit", "municipality"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "municipality", "unit", "is_active"]
    list_filter = ["is_active", "is_staff", "municipality__county"]
    list_select_related = ["municipality", "unit"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["municipality", "unit"]
    inlines = [RoleInline]

    def save_formset(self, request, form, formset, change):
        """Save the roles, and put each role given or taken away in the audit trail."""
        super().save_formset(request, form, formset, change)
        if formset.model is not RoleAssignment:
            return
        for role in formset.new_objects:
            log_action(request.user, "role.added", role, subject=role.user_id, role=str(role))
        for role in formset.deleted_objects:
            log_action(request.user, "role.removed", role, subject=role.user_id, role=str(role))

    # Set on the person's page, where the change is audited and their placements follow it.
    readonly_fields = ["work_role"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "title",
                    "profession_started_on",
                    "findable_by_colleagues",
                ]
            },
        ),
        (_("Employer"), {"fields": ["municipality", "unit", "work_role"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        ),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made and revoked on the API tokens page (accounts:tokens), which shows a
    token once and puts the change in the audit trail; here they can only be read."""

    list_display = ["user", "name", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "name"]
    fields = ["user", "name", "digest", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
