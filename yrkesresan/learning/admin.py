from django.contrib import admin

from .models import Placement


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["person", "journey", "step", "source", "decided_by", "decided_at"]
    list_select_related = ["person", "journey", "step", "decided_by"]
    raw_id_fields = ["person", "decided_by"]
