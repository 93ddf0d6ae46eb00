"""Only the national questions are administered here. Invitations, responses and answers are
not registered on purpose: the admin must offer no page that lines answers up with people."""

from django.contrib import admin

from .models import Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "about", "kind", "order", "active"]
    list_filter = ["about", "kind", "active"]
    ordering = ["about", "order"]
