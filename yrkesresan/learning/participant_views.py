"""The participant's own pages: preparation, my course, and the journey map's notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yrkesresan.catalog.models import DeepDiveTask, Journey, PreparationTask
from yrkesresan.enrolment import deep_dive, preparation
from yrkesresan.enrolment.placement import current_placement

from . import taught
from .journey_map import record_step_seen
from .my_course import get_own_registration, my_course
from .participant_forms import DeepDiveForm, DoneForm, NotesForm

# The journey map's notice ------------------------------------------------------------------


@login_required
@require_POST
def step_seen(request, journey):
    """Dismiss the "you have moved on" notice: the current step counts as seen."""
    journey = get_object_or_404(
        Journey.objects.prefetch_related("steps"), slug=journey, status=Journey.Status.PUBLISHED
    )
    step = current_placement(request.user, journey).step
    if step is not None:
        record_step_seen(request.user, journey, step)
    if request.htmx:
        return HttpResponse("")
    return redirect("home:home")


# Preparation -------------------------------------------------------------------------------


@login_required
def preparation_list(request, slug):
    course = preparation.get_course_for_preparation(request.user, slug)
    modules, version = taught.taught_modules(request.user, course)
    return render(
        request,
        "learning/participant/preparation.html",
        {
            "course": course,
            "modules": modules,
            "summary": preparation.summary_of(modules),
            "version": version,
        },
    )


def _module_or_404(user, slug, pk):
    """(course, module, version): the module, 404 unless the user prepares for the course
    and the version they are taught (`taught.taught_version`'s CourseVersion) has it."""
    course = preparation.get_course_for_preparation(user, slug)
    task = get_object_or_404(PreparationTask, course=course, pk=pk)
    _number, version = taught.taught_version(user, course)
    if not taught.has_module(version, task):
        raise Http404  # a module a later version added: not in the version the person is taught
    return taught.course_as_of(course, version), task, version


def _module_context(request, course, task, version, notes_form=None):
    modules = taught.modules_as_of(preparation.modules_of(request.user, course), version)
    module = next(m for m in modules if m.pk == task.pk)
    index = modules.index(module)
    if notes_form is None and module.kind == PreparationTask.Kind.REFLECTION:
        notes = module.mine.notes if module.mine else ""
        notes_form = NotesForm(initial={"notes": notes})
    return {
        "course": course,
        "module": module,
        "summary": preparation.summary_of(modules),
        "previous": modules[index - 1] if index > 0 else None,
        "next": modules[index + 1] if index + 1 < len(modules) else None,
        "notes_form": notes_form,
    }


@login_required
def preparation_module(request, slug, pk):
    course, task, version = _module_or_404(request.user, slug, pk)
    return render(
        request,
        "learning/participant/preparation_module.html",
        _module_context(request, course, task, version),
    )


@login_required
@require_POST
def preparation_done(request, slug, pk):
    course, task, version = _module_or_404(request.user, slug, pk)
    form = DoneForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Choose whether the module is done."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    preparation.set_done(request.user, task, form.cleaned_data["done"])
    back = form.cleaned_data["back"] or "module"
    if request.htmx:
        modules = taught.modules_as_of(preparation.modules_of(request.user, course), version)
        return render(
            request,
            "learning/participant/_done_toggle.html",
            {
                "course": course,
                "module": next(m for m in modules if m.pk == task.pk),
                "summary": preparation.summary_of(modules),
                "back": back,
                "swapped": True,
            },
        )
    if form.cleaned_data["done"]:
        messages.success(request, _("The module is marked as done."))
    else:
        messages.success(request, _("The module is no longer marked as done."))
    if back == "list":
        return redirect(reverse("participant:preparation", args=[slug]) + f"#modul-{task.pk}")
    return redirect("participant:preparation_module", slug=slug, pk=task.pk)


@login_required
@require_POST
def preparation_notes(request, slug, pk):
    course, task, version = _module_or_404(request.user, slug, pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            preparation.save_notes(request.user, task, form.cleaned_data["notes"])
        except preparation.PreparationError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Your notes are saved."))
            return redirect("participant:preparation_module", slug=slug, pk=task.pk)
    return render(
        request,
        "learning/participant/preparation_module.html",
        _module_context(request, course, task, version, notes_form=form),
        status=400,
    )


# My course --------------------------------------------------------------------------------


def _render_my_course(request, registration, forms=None, status=200):
    page = my_course(request.user, registration)
    forms = forms or {}
    tasks = []
    for task, answer in page.deep_dive:
        form = forms.get(task.pk)
        editable = page.is_registered and page.completion is None and deep_dive.is_editable(answer)
        if form is None and editable:
            form = DeepDiveForm(
                prefix=f"uppgift-{task.pk}", initial={"text": answer.text if answer else ""}
            )
        tasks.append({"task": task, "answer": answer, "form": form})
    return render(
        request,
        "learning/participant/my_course.html",
        {"page": page, "round": page.round, "course": page.course, "tasks": tasks},
        status=status,
    )


@login_required
def my_course_page(request, pk):
    registration = get_own_registration(request.user, pk)
    return _render_my_course(request, registration)


@login_required
@require_http_methods(["POST"])
def deep_dive_answer(request, pk, task):
    registration = get_own_registration(request.user, pk)
    task = get_object_or_404(DeepDiveTask, pk=task, course_id=registration.round.course_id)
    form = DeepDiveForm(request.POST, prefix=f"uppgift-{task.pk}")
    if form.is_valid():
        try:
            deep_dive.save_answer(
                registration, task, form.cleaned_data["text"], submit=form.submits
            )
        except deep_dive.DeepDiveError as refused:
            form.add_error(None, str(refused))
        else:
            if form.submits:
                messages.success(request, _("Your answer is handed in for review."))
            else:
                messages.success(request, _("Your draft is saved."))
            return redirect(reverse("participant:my_course", args=[pk]) + f"#uppgift-{task.pk}")
    return _render_my_course(request, registration, forms={task.pk: form}, status=400)
