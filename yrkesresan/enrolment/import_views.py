"""Bulk registration pages: upload a file, see the preview with every bad row, apply it all.

The uploaded file is read in memory (never into a temporary file) and dropped with the request.
Between the preview and "Apply" the session keeps only the parsed rows, which never hold a
personal identity number, and the preview; applying checks every row again.
"""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yrkesresan.core.checked_text import CheckedText
from yrkesresan.rounds import access as round_access

from . import access as enrolment_access
from . import import_jobs, imports
from .models import ImportJob

ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class InMemoryUploadHandler(MemoryFileUploadHandler):
    """Keep every upload in memory, never in a temporary file; stop past MAX_FILE_BYTES."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > imports.MAX_FILE_BYTES:
            self.request.import_file_too_large = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


class UploadForm(CheckedText, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File with the people to register"),
        help_text=gettext_lazy("Excel (.xlsx) or CSV, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_FILE_BYTES:
            raise forms.ValidationError(imports.too_large_message())
        try:
            return imports.parse(upload.read(), upload.name)
        except imports.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        if self.too_large:
            self.errors.pop("file", None)
            self.add_error("file", imports.too_large_message())
        return super().clean()


def _session_key(round):
    return f"rounds.import.{round.pk}"


def _importable_round(user, pk):
    """The round if the user may import into it: 404 if unseen, 403 if only seen."""
    round = round_access.get_round_for_user(user, pk)
    if not enrolment_access.can_import_registrations(user, round):
        raise PermissionDenied
    return round


def _render_preview(request, round, stored, status=200):
    return render(
        request,
        "enrolment/import_preview.html",
        {
            "round": round,
            "stored": stored,
            "preview": stored["preview"],
            "in_background": import_jobs.runs_in_background(stored["rows"]),
        },
        status=status,
    )


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def upload(request, pk):
    round = _importable_round(request.user, pk)
    # Upload handlers can only change before anything reads the body, so the CSRF check
    # runs in _upload, after this.
    request.upload_handlers = [InMemoryUploadHandler(request)]
    return _upload(request, round)


@csrf_protect
def _upload(request, round):
    if request.method != "POST":
        return render(
            request, "enrolment/import_upload.html", {"round": round, "form": UploadForm()}
        )
    form = UploadForm(
        request.POST,
        request.FILES,
        too_large=getattr(request, "import_file_too_large", False),
    )
    if not form.is_valid():
        return render(
            request, "enrolment/import_upload.html", {"round": round, "form": form}, status=400
        )
    parsed = form.cleaned_data["file"]
    plan = imports.check(parsed.rows, round, request.user)
    stored = {
        "token": uuid.uuid4().hex,
        "file_name": form.files["file"].name,
        "rows": [row.as_dict() for row in parsed.rows],
        "dropped_personal_numbers": parsed.dropped_personal_numbers,
        "ignored_columns": parsed.ignored_columns,
        "preview": plan.as_dict(),
    }
    request.session[_session_key(round)] = stored
    return _render_preview(request, round, stored, status=200 if plan.is_ok else 400)


@login_required
@require_http_methods(["GET"])
def preview(request, pk):
    round = _importable_round(request.user, pk)
    stored = request.session.get(_session_key(round))
    if stored is None:
        return redirect("enrolment:round", pk=round.pk)
    return _render_preview(request, round, stored)


@login_required
@require_POST
def apply(request, pk):
    round = _importable_round(request.user, pk)
    key = _session_key(round)
    stored = request.session.get(key)
    if stored is None or request.POST.get("token") != stored["token"]:
        notice = _("The preview is no longer available. Upload the file again to import it.")
        return render(
            request,
            "enrolment/import_upload.html",
            {"round": round, "form": UploadForm(), "notice": notice},
            status=400,
        )
    if import_jobs.runs_in_background(stored["rows"]):
        job = import_jobs.start(round, request.user, stored["rows"], stored.get("file_name", ""))
        del request.session[key]
        return redirect("imports:job", pk=job.pk)
    rows = [imports.ImportRow.from_dict(data) for data in stored["rows"]]
    try:
        result = imports.apply(rows, round, request.user)
    except imports.ImportRejected as rejected:
        stored["preview"] = rejected.plan.as_dict()
        request.session[key] = stored
        return _render_preview(request, round, stored, status=400)
    del request.session[key]
    messages.success(
        request,
        _("Registered: %(registered)s. On the waiting list: %(waitlisted)s.")
        % {"registered": result.registered_count, "waitlisted": result.waitlisted_count}
        + " "
        + ngettext(
            "%(count)s new account has been invited by e-mail.",
            "%(count)s new accounts have been invited by e-mail.",
            result.new_account_count,
        )
        % {"count": result.new_account_count},
    )
    return redirect("enrolment:round", pk=round.pk)


@login_required
@require_GET
def job(request, pk):
    """A background import's progress, polled by htmx until it ends; then its result. Its owner
    and whoever may import into its round follow it; anyone else gets a 404."""
    job = get_object_or_404(
        ImportJob.objects.defer("rows").select_related(
            "round__course__step__journey", "round__course_version", "round__structure"
        ),
        pk=pk,
    )
    round = job.round
    if job.owner_id != request.user.pk and not (
        round_access.may_see_round(request.user, round)
        and enrolment_access.can_import_registrations(request.user, round)
    ):
        raise Http404
    template = "enrolment/_import_job_status.html" if request.htmx else "enrolment/import_job.html"
    return render(request, template, {"job": job, "round": round})
