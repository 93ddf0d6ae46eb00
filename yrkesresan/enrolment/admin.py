from django.contrib import admin

from yrkesresan.rounds.models import round_order

from .models import Placement, Registration


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["person", "journey", "step", "source", "decided_by", "decided_at"]
    list_select_related = ["person", "journey", "step", "decided_by"]
    raw_id_fields = ["person", "decided_by"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "round", "status", "queued_at", "cancelled_late"]
    list_filter = ["status", "cancelled_late"]
    list_select_related = ["person", "round__course"]
    ordering = [*round_order("round__"), "queued_at", "id"]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    raw_id_fields = ["registered_by"]
    # Registrations are made and cancelled through services.register / cancel_registration,
    # which check the rules (seats, one live registration per person and course): a
    # registration is not moved to another person or round here.
    readonly_fields = ["person", "round", "status", "queued_at", "cancelled_at", "cancelled_late"]

    def has_add_permission(self, request):
        return False
