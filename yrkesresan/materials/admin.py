"""Material administration: national editors keep their journeys' material, administrators all."""

from django.contrib import admin

from yrkesresan.catalog.admin import JourneyScopedAdmin
from yrkesresan.catalog.models import COURSE_ORDER, Course, CourseVersion, course_order

from .models import Material


@admin.register(Material)
class MaterialAdmin(JourneyScopedAdmin):
    journey_path = "course__step__journey_id"
    list_display = ["title", "course", "audience", "day_number", "version", "published_on"]
    list_filter = ["audience", "course__step__journey", "course"]
    list_select_related = ["course"]
    search_fields = ["title", "description"]
    ordering = [
        *course_order("course"),
        "audience",
        "day_number",
        "order",
        "title",
        "-published_on",
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = self._journey_ids(request)
        if ids is not None and db_field.name == "course":
            kwargs["queryset"] = Course.objects.filter(step__journey_id__in=ids).order_by(
                *COURSE_ORDER
            )
        if db_field.name == "course_version":
            # Material people read is tied to a published version, never to a draft.
            kwargs["queryset"] = CourseVersion.objects.filter(status="published").select_related(
                "course"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
