"""The record that follows the person: their own page and downloads, the downloads for those
who may see the person, and recording a move to another employer."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yrkesresan.accounts import access
from yrkesresan.accounts.models import User
from yrkesresan.accounts.moves import MoveError, move_person
from yrkesresan.core.models import log_view
from yrkesresan.enrolment import certificates

from .forms import MoveForm
from .record import record_as_json, record_as_pdf, record_of


def verification_page():
    """The public page where anyone confirms a certificate by its code."""
    return settings.SITE_URL + reverse("leader:verify")


def _own_person(request):
    return User.objects.select_related("municipality", "unit").get(pk=request.user.pk)


def _download(person, kind):
    """The person's record as an attachment: `kind` is "pdf" or "json"."""
    record = record_of(person)
    stem = f"yrkesresan-register-{slugify(person.get_full_name()) or person.pk}"
    stem += f"-{timezone.localdate().isoformat()}"
    if kind == "pdf":
        content = record_as_pdf(record, verification_page=verification_page())
        content_type = "application/pdf"
    else:
        content = record_as_json(record, verification_url=certificates.verification_url)
        content_type = "application/json; charset=utf-8"
    return HttpResponse(
        content,
        content_type=content_type,
        headers={
            "Content-Disposition": content_disposition_header(True, f"{stem}.{kind}"),
        },
    )


@never_cache
@login_required
def my_record(request):
    person = _own_person(request)
    return render(
        request,
        "learning/record/mine.html",
        {"person": person, "record": record_of(person), "own": True},
    )


@never_cache
@login_required
def my_record_download(request, kind):
    person = _own_person(request)
    return _download(person, kind)


@never_cache
@login_required
def person_record_download(request, pk, kind):
    person = access.get_person_for_user(request.user, pk)
    log_view(request.user, [person], f"record_{kind}")
    return _download(person, kind)


@login_required
@require_http_methods(["GET", "POST"])
def move(request, pk):
    person = access.get_person_for_move(request.user, pk)
    units_url = reverse("record:move", args=[person.pk])
    choosing = request.method == "GET" or "show_units" in request.POST
    if choosing:
        # The municipality was chosen: the form comes back with its units, nothing is saved
        # (htmx asks with a GET for the unit field only; without JavaScript a button posts).
        data = request.POST if request.method == "POST" else request.GET
        initial = {
            "municipality": data.get("municipality"),
            "moved_on": data.get("moved_on") or timezone.localdate(),
        }
        form = MoveForm(initial=initial, units_url=units_url)
        if request.htmx and request.method == "GET":
            return render(request, "learning/record/_unit_field.html", {"field": form["unit"]})
    else:
        form = MoveForm(request.POST, units_url=units_url)
    if not choosing and form.is_valid():
        try:
            move_person(
                person,
                municipality=form.cleaned_data["municipality"],
                unit=form.cleaned_data["unit"],
                moved_on=form.cleaned_data["moved_on"],
                by=request.user,
            )
        except MoveError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(person)s now works in %(municipality)s. Their record went with them.")
                % {"person": person.get_full_name(), "municipality": person.municipality.name},
            )
            if access.can_see_person(request.user, person):
                return redirect("learning:person", pk=person.pk)
            return redirect("learning:staff")
    return render(
        request,
        "learning/record/move.html",
        {"person": person, "form": form},
        status=200 if choosing else 400,
    )
