from django.contrib import admin

from .models import County, Membership, Municipality, SupportStructure, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "county"]
    list_filter = ["county"]
    search_fields = ["name", "code"]
    list_select_related = ["county"]
    inlines = [MembershipInline]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    search_fields = ["name", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    ordering = ["municipality__name", "name"]


@admin.register(SupportStructure)
class SupportStructureAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]
