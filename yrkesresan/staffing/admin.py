from django.contrib import admin

from .models import Team, TeamDay


class TeamDayInline(admin.TabularInline):
    model = TeamDay
    extra = 0
    raw_id_fields = ["day"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "round"]
    list_select_related = ["round__course"]
    filter_horizontal = ["members"]
    raw_id_fields = ["round"]
    inlines = [TeamDayInline]
