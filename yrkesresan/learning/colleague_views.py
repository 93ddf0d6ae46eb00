"""Colleague search: opted-in people in other municipalities, to lift the phone and ask.

Only `access.findable_colleagues()` is ever searched, whatever the filter: people who have not
opted in are listed nowhere outside their own rounds.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from yrkesresan.accounts import access
from yrkesresan.accounts.models import RoleAssignment
from yrkesresan.catalog.models import Course, Journey
from yrkesresan.core.checked_text import CheckedText
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.organisations.models import Municipality

Role = RoleAssignment.Role
COLLEAGUES_PER_PAGE = 24
# Roles a colleague may be searched by: those that say what someone can help with.
SEARCHABLE_ROLES = [Role.TRAINER, Role.COURSE_LEADER, Role.MANAGER, Role.MUNICIPAL_CONTACT]


class ColleagueSearchForm(CheckedText, forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),  # the members of the day, in __init__
        required=False,
        empty_label=_("All municipalities"),
        error_messages={"invalid_choice": _("Choose a municipality from the list.")},
    )
    title = forms.CharField(
        label=_("Title contains"),
        required=False,
        max_length=100,
        help_text=_("For example barnutredare or familjehemssekreterare."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any role"))] + [(role.value, role.label) for role in SEARCHABLE_ROLES],
        error_messages={"invalid_choice": _("Choose a role from the list.")},
    )
    course = forms.ModelChoiceField(
        label=_("Has taken or is taking the course"),
        queryset=Course.objects.filter(step__journey__status=Journey.Status.PUBLISHED)
        .select_related("step")
        .order_by("step__order", "order", "title"),
        required=False,
        empty_label=_("Any course"),
        error_messages={"invalid_choice": _("Choose a course from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.members().order_by("name")


def search_colleagues(*, municipality=None, title="", role="", course=None):
    """Opted-in, active people matching every filter given, by name."""
    people = access.findable_colleagues()
    if municipality is not None:
        people = people.filter(municipality=municipality)
    if title := title.strip():
        people = people.filter(title__icontains=title)
    if role:
        people = people.filter(
            Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role=role))
        )
    if course is not None:
        completed = Completion.objects.filter(person=OuterRef("pk"), course=course)
        registered = Registration.objects.filter(
            person=OuterRef("pk"),
            round__course=course,
            status__in=[Registration.Status.REGISTERED, Registration.Status.WAITLISTED],
        )
        people = people.filter(Exists(completed) | Exists(registered))
    return (
        people.select_related("municipality")
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=RoleAssignment.objects.filter(role__in=SEARCHABLE_ROLES),
                to_attr="searchable_roles",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


@login_required
def search(request):
    form = ColleagueSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = search_colleagues(
        municipality=filters.get("municipality"),
        title=filters.get("title", ""),
        role=filters.get("role", ""),
        course=filters.get("course"),
    )
    if form.is_bound and not form.is_valid():
        people = people.none()
    page = Paginator(people, COLLEAGUES_PER_PAGE).get_page(request.GET.get("sida"))
    for person in page:
        # A manager of two units is one "Manager".
        person.role_labels = list(
            dict.fromkeys(role.get_role_display() for role in person.searchable_roles)
        )
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "learning/colleagues.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "findable": request.user.findable_by_colleagues,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
