"""The editors' workspace: a national editor writes their journeys' courses in a draft,
previews it as a participant would see it, publishes it as a new version with a change note,
and compares versions. Not the Django admin.

Views authorise through catalog.access (a course outside the editor's journeys is a 404),
call one function of services.py and respond.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import access, forms, services
from .models import COURSE_ORDER, CourseVersion, LegalReference
from .versions import compare, snapshot


@login_required
def workspace(request):
    access.require_workspace(request.user)
    courses = access.editable_courses(request.user).select_related("step__journey")
    drafts = set(
        CourseVersion.objects.filter(course__in=courses, status="draft").values_list(
            "course_id", flat=True
        )
    )
    courses = courses.order_by(*COURSE_ORDER)
    return render(request, "catalog/workspace.html", {"courses": courses, "drafts": drafts})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    course = access.get_course_for_editor(request.user, slug)
    draft = services.draft_of(course)
    content = draft.content if draft else snapshot(course)
    data = request.POST if request.method == "POST" else None
    text_form = forms.course_text_form(content, data)
    formsets = forms.part_formsets(content, data)
    if data is not None and text_form.is_valid() and all(f.is_valid() for _k, _l, f in formsets):
        try:
            draft = services.start_draft(course, by=request.user)
            services.save_draft(
                draft,
                forms.content_from(text_form, formsets),
                by=request.user,
                revision=forms.posted_revision(request.POST),
            )
        except services.ContentError as error:
            text_form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("editor:edit", slug=course.slug)
    context = {"course": course, "draft": draft, "text_form": text_form, "formsets": formsets}
    return render(request, "catalog/edit.html", context, status=400 if data else 200)


@login_required
def preview(request, slug):
    course = access.get_course_for_editor(request.user, slug)
    draft = services.draft_of(course)
    content = draft.content if draft else snapshot(course)
    laws = LegalReference.objects.filter(pk__in=content.get("legal_references", []))
    return render(
        request,
        "catalog/preview.html",
        {"course": course, "draft": draft, "content": content, "laws": laws},
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug):
    course = access.get_course_for_editor(request.user, slug)
    draft = services.draft_of(course)
    form = forms.PublishForm(
        request.POST or None, initial={"number": services.next_number(course.version)}
    )
    if draft and request.method == "POST" and form.is_valid():
        try:
            version = services.publish_draft(draft, by=request.user, **form.cleaned_data)
        except services.ContentError as error:
            form.add_error(None, str(error))
        else:
            message = _("Version %(number)s is published.") % {"number": version.number}
            messages.success(request, message)
            return redirect("editor:versions", slug=course.slug)
    parts = compare(snapshot(course), draft.content) if draft else []
    return render(
        request,
        "catalog/publish.html",
        {
            "course": course,
            "draft": draft,
            "form": form,
            "parts": parts,
            "changed": any(p.changed for p in parts),
        },  # fmt: skip
        status=400 if request.method == "POST" else 200,
    )


@login_required
def versions(request, slug):
    course = access.get_course_for_editor(request.user, slug)
    published = list(
        course.versions.filter(status="published")
        .select_related("legal_reference", "published_by")
        .order_by("-published_at")
    )
    old, new = forms.compared_versions(request.GET, published)
    parts = compare(old.content, new.content, _law_names(old, new)) if old else []
    return render(
        request,
        "catalog/versions.html",
        {
            "course": course,
            "versions": published,
            "old": old,
            "new": new,
            "parts": parts,
            "changed": any(p.changed for p in parts),
        },  # fmt: skip
    )


def _law_names(*versions):
    ids = {pk for v in versions for pk in v.content.get("legal_references", [])}
    return {law.pk: str(law) for law in LegalReference.objects.filter(pk__in=ids)}
