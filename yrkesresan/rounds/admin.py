"""Course rounds in the admin site, for administrators; coordinators use the round pages."""

from django.contrib import admin

from .models import CourseDay, Round, Venue, round_order


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "room", "structure", "capacity"]
    list_filter = ["structure"]
    search_fields = ["name", "address", "room"]


class CourseDayInline(admin.TabularInline):
    model = CourseDay
    extra = 0
    fields = [
        "number",
        "date",
        "starts_at",
        "ends_at",
        "mode",
        "venue",
        "meeting_url",
        "room_booked",
        "fika_ordered",
        "material_sent",
        "link_sent",
    ]
    autocomplete_fields = ["venue"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "structure", "term", "status", "seats"]
    ordering = round_order()
    list_filter = ["status", "term", "structure"]
    list_select_related = ["course", "structure"]
    search_fields = ["name", "course__title"]
    autocomplete_fields = ["course_leader"]
    inlines = [CourseDayInline]
    # Seats and status change through the round pages, which promote from the waiting list
    # and erase needs on completion (and check the minimum of participants against the seats);
    # the course of a round with registrations stays its course (one live registration per
    # person and course).
    readonly_fields = ["course", "seats", "minimum_participants", "status"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []
