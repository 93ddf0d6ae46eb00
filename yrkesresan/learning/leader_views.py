"""The pages of those who run a round: attendance per day, preparation status, deep-dive
review, completion and make-up days; the certificate and its public verification.

Views authorise through accounts.access and call one service. A round the user does not see is
a 404; a round they see but may not use the page for is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yrkesresan.accounts import access
from yrkesresan.core.reversing import row_urls
from yrkesresan.enrolment import access as enrolment_access
from yrkesresan.enrolment import attendance, certificates, completion, review
from yrkesresan.enrolment.models import Completion, DeepDiveAnswer, MakeUpDay, Registration
from yrkesresan.enrolment.preparation import preparation_done_counts, preparation_total
from yrkesresan.rounds import access as round_access

from .leader_forms import BookMakeUpForm, CompleteForm, MarkAttendanceForm, ReviewForm, VerifyForm

PAGES = [
    (
        "attendance",
        "leader:attendance_days",
        gettext_lazy("Attendance"),
        enrolment_access.can_mark_attendance,
    ),
    (
        "preparation",
        "leader:preparation",
        gettext_lazy("Preparation"),
        enrolment_access.can_mark_attendance,
    ),
    (
        "review",
        "leader:review",
        gettext_lazy("Deep-dive tasks"),
        enrolment_access.can_mark_attendance,
    ),
    (
        "completion",
        "leader:completion",
        gettext_lazy("Completion"),
        enrolment_access.can_mark_complete,
    ),
    ("make_up", "leader:make_up_days", gettext_lazy("Make-up days"), round_access.can_manage_round),
]


def page_context(request, round, current, **context):
    """The context every page of a round has: the round and the menu of its pages."""
    nav = [
        {"url": reverse(url, args=[round.pk]), "label": label, "current": key == current}
        for key, url, label, allowed in PAGES
        if allowed(request.user, round)
    ]
    here = next(item["label"] for item in nav if item["current"])
    return {"round": round, "round_nav": nav, "here": here, **context}


# Attendance ---------------------------------------------------------------------------------


@login_required
@require_GET
def attendance_days(request, pk):
    round = round_access.get_round_requiring(request.user, pk, enrolment_access.can_mark_attendance)
    days = attendance.day_overview(round)
    today = timezone.localdate()
    return render(
        request,
        "learning/leader/attendance_days.html",
        page_context(request, round, "attendance", days=days, today=today),
    )


def _days_of(round, number):
    """The round's days (for the day menu) and the one numbered `number`; 404 if none is."""
    days = list(round.days.select_related("venue").order_by("number"))
    for day in days:
        day.round = round
        if day.number == number:
            return days, day
    raise Http404


def _with_mark_urls(sheet, rows):
    """Each row's address for marking attendance, reversed once for the whole list."""
    mark_url = row_urls("leader:mark_attendance", sheet.round.pk, sheet.day.number)
    for row in rows:
        row.mark_url = mark_url(row.registration.pk)


def _sheet_page(request, round, sheet, days, *, status=200):
    _with_mark_urls(sheet, sheet.rows)
    return render(
        request,
        "learning/leader/attendance.html",
        page_context(request, round, "attendance", sheet=sheet, days=days),
        status=status,
    )


@login_required
@require_GET
def attendance_day(request, pk, number):
    round = round_access.get_round_requiring(request.user, pk, enrolment_access.can_mark_attendance)
    days, day = _days_of(round, number)
    return _sheet_page(request, round, attendance.attendance_sheet(round, day), days)


@login_required
@require_POST
def mark_attendance(request, pk, number, registration):
    round = round_access.get_round_requiring(request.user, pk, enrolment_access.can_mark_attendance)
    days, day = _days_of(round, number)
    sheet = attendance.attendance_sheet(round, day)
    row = sheet.row_for(registration)
    if row is None:
        raise Http404
    form = MarkAttendanceForm(request.POST)
    error = None
    if form.is_valid():
        try:
            attendance.mark_attendance(
                row.registration,
                day,
                form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except attendance.AttendanceError as refused:
            error = str(refused)
    else:
        error = " ".join(message for errors in form.errors.values() for message in errors)
    if error:
        row.error = error
        row.entered_note = request.POST.get("note", "")[: attendance.NOTE_MAX_LENGTH]
        if request.htmx:
            return _row_response(request, sheet, row, status=400)
        return _sheet_page(request, round, sheet, days, status=400)
    if request.htmx:
        sheet = attendance.attendance_sheet(round, day)
        return _row_response(request, sheet, sheet.row_for(registration))
    status = dict(attendance.Status.choices)[form.cleaned_data["status"]]
    messages.success(
        request, _("%(person)s: %(status)s.") % {"person": row.person, "status": status}
    )
    url = reverse("leader:attendance", args=[round.pk, day.number])
    return redirect(f"{url}#rad-{row.registration.pk}")


def _row_response(request, sheet, row, *, status=200):
    """One row of the list, with the day's counts swapped in beside it (out of band)."""
    _with_mark_urls(sheet, [row])
    return render(
        request,
        "learning/leader/_attendance_row.html",
        {"sheet": sheet, "round": sheet.round, "rows": [row], "counts_oob": True},
        status=status,
    )


# Preparation before day 1 -------------------------------------------------------------------


@login_required
@require_GET
def preparation(request, pk):
    round = round_access.get_round_requiring(request.user, pk, enrolment_access.can_mark_attendance)
    registrations = list(
        Registration.objects.filter(round=round, status=Registration.Status.REGISTERED)
        .select_related("person__municipality", "person__unit")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    done = preparation_done_counts([r.person_id for r in registrations], round.course)
    total = preparation_total(round.course)
    rows = [{"registration": r, "done": done.get(r.person_id, 0)} for r in registrations]
    unfinished = [row for row in rows if row["done"] < total]
    finished = [row for row in rows if row["done"] >= total]
    first_day = round.days.order_by("number").first()
    return render(
        request,
        "learning/leader/preparation.html",
        page_context(
            request,
            round,
            "preparation",
            unfinished=unfinished,
            finished=finished,
            participants=len(rows),
            total=total,
            first_day=first_day,
            today=timezone.localdate(),
        ),
    )


# Deep-dive review ---------------------------------------------------------------------------


def _review_page(request, round, *, bound=None, error=None, status=200):
    answers = list(review.answers_to_review(round))
    for answer in answers:
        if bound is not None and bound.prefix == f"svar-{answer.pk}":
            answer.form = bound
        else:
            answer.form = ReviewForm(prefix=f"svar-{answer.pk}")
    return render(
        request,
        "learning/leader/review.html",
        page_context(
            request,
            round,
            "review",
            answers=answers,
            counts=review.review_counts(round),
            error=error,
        ),
        status=status,
    )


@login_required
@require_GET
def review_list(request, pk):
    round = round_access.get_round_requiring(request.user, pk, enrolment_access.can_mark_attendance)
    return _review_page(request, round)


@login_required
@require_POST
def review_answer(request, pk, answer):
    round = round_access.get_round_requiring(request.user, pk, enrolment_access.can_mark_attendance)
    answer = get_object_or_404(
        DeepDiveAnswer.objects.select_related("registration__person", "task"),
        pk=answer,
        registration__round=round,
    )
    form = ReviewForm(request.POST, prefix=f"svar-{answer.pk}")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == ReviewForm.APPROVE
        try:
            review.review_answer(
                answer, approve=approve, feedback=form.cleaned_data["feedback"], by=request.user
            )
        except review.ReviewError as refused:
            return _review_page(request, round, bound=form, error=str(refused), status=400)
        text = (
            _("The answer of %(person)s to “%(task)s” is approved.")
            if approve
            else _("The answer of %(person)s to “%(task)s” is sent back for more.")
        )
        messages.success(
            request, text % {"person": answer.registration.person, "task": answer.task}
        )
        return redirect("leader:review", pk=round.pk)
    return _review_page(request, round, bound=form, status=400)


# Completion ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def completion_page(request, pk):
    round = round_access.get_round_requiring(request.user, pk, enrolment_access.can_mark_complete)
    candidates = Registration.objects.filter(
        round=round, status=Registration.Status.REGISTERED, completion__isnull=True
    )
    form = CompleteForm(
        request.POST if request.method == "POST" else None, registrations=candidates
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = completion.complete(form.cleaned_data["registrations"], by=request.user)
        except completion.CompletionError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s participant is marked complete and gets the certificate and "
                    "the evaluation by e-mail.",
                    "%(count)s participants are marked complete and get their certificates "
                    "and the evaluation by e-mail.",
                    len(done),
                )
                % {"count": len(done)},
            )
            return redirect("leader:completion", pk=round.pk)
    rows = completion.completion_proposal(round)
    chosen = set(form["registrations"].value() or []) if form.is_bound else None
    for row in rows:
        row.checked = row.ready and (chosen is None or str(row.registration.pk) in chosen)
        row.may_download = row.completion is not None and access.can_see_person(
            request.user, row.person
        )
    return render(
        request,
        "learning/leader/completion.html",
        page_context(
            request,
            round,
            "completion",
            form=form,
            ready=[row for row in rows if row.ready],
            not_ready=[row for row in rows if not row.ready and row.completion is None],
            completed=[row for row in rows if row.completion is not None],
        ),
        status=400 if form.is_bound else 200,
    )


# Make-up days -------------------------------------------------------------------------------


def _make_up_page(request, round, *, error=None, status=200):
    registrations = list(
        Registration.objects.filter(
            round=round, status=Registration.Status.REGISTERED, completion__isnull=True
        )
        .select_related("person__municipality")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    missed = attendance.missed_days_by_registration(round, registrations)
    today = timezone.localdate()
    bookings = {}
    for booking in (
        MakeUpDay.objects.filter(registration__round=round)
        .select_related("day__round", "day__venue")
        .order_by("day__date")
    ):
        bookings.setdefault(booking.registration_id, []).append(booking)
    own_dates = {day.number: day.date for day in round.days.all()}
    candidates = list(attendance.make_up_candidates(request.user, round, today))
    rows = []
    for registration in registrations:
        own_bookings = bookings.get(registration.pk, [])
        pending = {b.day.number for b in own_bookings if b.day.date >= today}
        to_book = [
            {
                "number": number,
                "options": [
                    day
                    for day in candidates
                    if day.number == number and day.date > own_dates[number]
                ],
            }
            for number in missed.get(registration.pk, [])
            if number not in pending
        ]
        if to_book or own_bookings:
            rows.append(
                {
                    "registration": registration,
                    "missed": missed.get(registration.pk, []),
                    "bookings": own_bookings,
                    "to_book": to_book,
                }
            )
    return render(
        request,
        "learning/leader/make_up.html",
        page_context(request, round, "make_up", rows=rows, error=error, today=today),
        status=status,
    )


@login_required
@require_GET
def make_up_days(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    return _make_up_page(request, round)


@login_required
@require_POST
def book_make_up(request, pk):
    round = round_access.get_round_for_manager(request.user, pk)
    form = BookMakeUpForm(
        request.POST,
        registrations=Registration.objects.filter(
            round=round, status=Registration.Status.REGISTERED
        ).select_related("person"),
        days=attendance.make_up_candidates(request.user, round).select_related(None),
    )
    if not form.is_valid():
        error = " ".join(message for errors in form.errors.values() for message in errors)
        return _make_up_page(request, round, error=error, status=400)
    registration, day = form.cleaned_data["registration"], form.cleaned_data["day"]
    try:
        attendance.book_make_up_day(registration, day, by=request.user)
    except attendance.AttendanceError as refused:
        return _make_up_page(request, round, error=str(refused), status=400)
    messages.success(
        request,
        _("%(person)s is booked on day %(number)s of %(round)s.")
        % {"person": registration.person, "number": day.number, "round": day.round.name},
    )
    return redirect("leader:make_up_days", pk=round.pk)


@login_required
@require_POST
def cancel_make_up(request, pk, booking):
    round = round_access.get_round_for_manager(request.user, pk)
    booking = get_object_or_404(
        MakeUpDay.objects.select_related("registration__person", "day__round"),
        pk=booking,
        registration__round=round,
    )
    try:
        attendance.cancel_make_up_day(booking, by=request.user)
    except attendance.AttendanceError as refused:
        return _make_up_page(request, round, error=str(refused), status=400)
    messages.success(
        request,
        _("The make-up day of %(person)s on day %(number)s of %(round)s is cancelled.")
        % {
            "person": booking.registration.person,
            "number": booking.day.number,
            "round": booking.day.round.name,
        },
    )
    return redirect("leader:make_up_days", pk=round.pk)


# Certificates -------------------------------------------------------------------------------


@login_required
@require_GET
def certificate(request, pk):
    """The certificate PDF: for the person themself and those who may see them; else 404."""
    found = get_object_or_404(
        Completion.objects.select_related(
            "person__municipality",
            "course",
            "registration__round__structure",
        ),
        pk=pk,
    )
    if found.person_id != request.user.pk and not access.can_see_person(request.user, found.person):
        raise Http404
    response = HttpResponse(certificates.certificate_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="intyg-{found.course.slug}.pdf"'
    return response


@never_cache
@require_GET
def verify(request):
    """The public form: a code typed in any case, with or without dashes."""
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = certificates.normalise_code(form.cleaned_data["kod"])
        if code is not None:
            return redirect("leader:verify_code", code=code)
        form.add_error(
            "kod",
            _("A verification code has twelve letters and digits, for example ABCD-EFGH-JKLM."),
        )
    return render(
        request,
        "learning/leader/verify.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@never_cache
@require_GET
def verify_code(request, code):
    """Confirms a certificate with nothing but the name, the course and the date."""
    found = certificates.find_certificate(code)
    if found is None:
        return render(
            request,
            "learning/leader/verify_result.html",
            {"found": None, "form": VerifyForm(initial={"kod": code[:40]})},
            status=404,
        )
    return render(
        request,
        "learning/leader/verify_result.html",
        {
            "found": True,
            "name": found.person.get_full_name(),
            "holder_erased": found.person.erased_at is not None,
            "course": found.course_title,
            "completed_on": found.completed_on,
            "code": found.verification_code,
        },
    )
