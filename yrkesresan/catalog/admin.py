"""Catalog administration for national editors (their journeys) and administrators (all)."""

from django.contrib import admin

from yrkesresan.accounts.access import editable_journey_ids

from .models import (
    COURSE_ORDER,
    STEP_ORDER,
    Course,
    CourseDayPlan,
    DeepDiveTask,
    Journey,
    KnowledgeGoal,
    LegalReference,
    PreparationTask,
    Step,
)


class JourneyScopedAdmin(admin.ModelAdmin):
    """Limits rows and permissions to the journeys the user edits.

    `journey_path` is the lookup from the model to its journey's id.
    """

    journey_path = "journey_id"

    def _journey_ids(self, request):
        return editable_journey_ids(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = self._journey_ids(request)
        return queryset if ids is None else queryset.filter(**{f"{self.journey_path}__in": ids})

    def _may_edit(self, request, obj=None):
        ids = self._journey_ids(request)
        if ids is None:
            return True
        if not ids:
            return False
        return obj is None or self._journey_id_of(obj) in ids

    def _journey_id_of(self, obj):
        value = obj
        for part in self.journey_path.removesuffix("_id").split("__"):
            value = getattr(value, part)
        return value.pk

    def has_module_permission(self, request):
        return self._may_edit(request)

    def has_view_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = self._journey_ids(request)
        if ids is not None and db_field.name == "step":
            kwargs["queryset"] = Step.objects.filter(journey_id__in=ids).order_by(*STEP_ORDER)
        if ids is not None and db_field.name == "journey":
            kwargs["queryset"] = Journey.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Journey)
class JourneyAdmin(JourneyScopedAdmin):
    journey_path = "id"
    list_display = ["name", "status", "producer", "order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StepInline]

    def _journey_id_of(self, obj):
        return obj.pk

    def has_add_permission(self, request):
        # New journeys are a decision of the national steering group, entered by administrators.
        return self._journey_ids(request) is None


class GoalInline(admin.TabularInline):
    model = KnowledgeGoal
    extra = 0


class PreparationInline(admin.StackedInline):
    model = PreparationTask
    extra = 0


class DayPlanInline(admin.StackedInline):
    model = CourseDayPlan
    extra = 0


class DeepDiveInline(admin.StackedInline):
    model = DeepDiveTask
    extra = 0


@admin.register(Course)
class CourseAdmin(JourneyScopedAdmin):
    journey_path = "step__journey_id"
    list_display = ["title", "step", "course_days", "version"]
    list_filter = ["step__journey"]
    list_select_related = ["step__journey"]
    ordering = COURSE_ORDER
    prepopulated_fields = {"slug": ["title"]}
    # The version is set by publishing in the editors' workspace (catalog.services).
    readonly_fields = ["version"]
    inlines = [GoalInline, PreparationInline, DayPlanInline, DeepDiveInline]


@admin.register(LegalReference)
class LegalReferenceAdmin(admin.ModelAdmin):
    list_display = ["short_name", "title", "sfs_number", "valid_from", "valid_until"]
    search_fields = ["short_name", "title", "sfs_number"]

    def _is_editor(self, request):
        ids = editable_journey_ids(request.user)
        return ids is None or bool(ids)

    def has_module_permission(self, request):
        return self._is_editor(request)

    def has_view_permission(self, request, obj=None):
        return self._is_editor(request)

    def has_change_permission(self, request, obj=None):
        return self._is_editor(request)

    def has_add_permission(self, request):
        return self._is_editor(request)

    def has_delete_permission(self, request, obj=None):
        return editable_journey_ids(request.user) is None
