"""Certificates (intyg): verification codes, the public check and the PDF.

A verification code is 12 characters from an alphabet without the look-alikes 0/O and 1/I,
drawn with `secrets` (60 bits: not guessable), shown as XXXX-XXXX-XXXX. People may type it in
any case, with or without dashes and spaces.
"""

import re
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .models import Attendance, Completion

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
GROUP = 4
SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")


def _format(raw):
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def new_verification_code():
    return _format("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def new_verification_codes(count):
    """`count` new codes, none of them already in use (one query)."""
    codes = set()
    while len(codes) < count:
        wanted = {new_verification_code() for _ in range(count - len(codes))}
        taken = set(
            Completion.objects.filter(verification_code__in=wanted).values_list(
                "verification_code", flat=True
            )
        )
        codes |= wanted - taken
    return list(codes)


def normalise_code(text):
    """The code in its stored form (XXXX-XXXX-XXXX), or None if it cannot be one."""
    raw = SEPARATORS.sub("", text or "").upper()
    if len(raw) != CODE_LENGTH or any(char not in ALPHABET for char in raw):
        return None
    return _format(raw)


def find_certificate(text):
    """The completion with this verification code, or None. One indexed lookup for any code
    that is well formed, found or not."""
    code = normalise_code(text)
    if code is None:
        return None
    return Completion.objects.select_related("person").filter(verification_code=code).first()


def verification_url(completion):
    return settings.SITE_URL + reverse("leader:verify_code", args=[completion.verification_code])


def certificate_url(completion):
    return settings.SITE_URL + reverse("leader:certificate", args=[completion.pk])


# What was taught, kept with the completion --------------------------------------------------


def what_was_taught(course, goals=None, version=None):
    """The Completion fields that keep `course` as it is now: its title, content version,
    journey and step names and knowledge goals. `course` with its step and journey loaded;
    `goals` are its knowledge goals in order, read here (one query) when not given.

    `version`: the published CourseVersion the round taught, when it has one; its number,
    title and goals are kept instead of the course's current ones."""
    if version is not None:
        return {
            "course_title": version.content.get("title", course.title),
            "course_version": version.number,
            "journey_name": course.step.journey.name,
            "step_name": course.step.name,
            "knowledge_goals": [
                {"kind": goal["kind"], "text": goal["text"]}
                for goal in version.content.get("goals", [])
            ],
        }
    if goals is None:
        goals = course.goals.order_by("order", "pk")
    return {
        "course_title": course.title,
        "course_version": course.version,
        "journey_name": course.step.journey.name,
        "step_name": course.step.name,
        "knowledge_goals": [{"kind": goal.kind, "text": goal.text} for goal in goals],
    }


def taught_day(day, own_round_id):
    """A course day as a completion keeps it (see Completion.attended_days); `day` with its
    round loaded when it is a make-up day, that is when its round is not `own_round_id`."""
    return {
        "number": day.number,
        "date": day.date.isoformat(),
        "starts_at": day.starts_at.strftime("%H:%M"),
        "ends_at": day.ends_at.strftime("%H:%M"),
        "mode": day.mode,
        "make_up_round": "" if day.round_id == own_round_id else day.round.name,
    }


def present_days(registrations):
    """{registration id: [taught_day]} for each day number, the day the person was present
    on: their own round's day, or the make-up day that replaced it. One query."""
    own_round = {registration.pk: registration.round_id for registration in registrations}
    present = (
        Attendance.objects.filter(registration_id__in=own_round, status=Attendance.Status.PRESENT)
        .select_related("day__round")
        .order_by("day__number", "day__date")
    )
    chosen = {}
    for attendance in present:
        day, mine = attendance.day, own_round[attendance.registration_id]
        days = chosen.setdefault(attendance.registration_id, {})
        current = days.get(day.number)
        if current is None or (current.round_id != mine and day.round_id == mine):
            days[day.number] = day
    return {
        pk: [taught_day(day, own_round[pk]) for _, day in sorted(days.items())]
        for pk, days in chosen.items()
    }


# The PDF ------------------------------------------------------------------------------------

BRAND = (11, 85, 99)
INK = (27, 31, 36)
MUTED = (74, 83, 96)


def _text(value):
    """Core PDF fonts are cp1252: keep å ä ö, – and quotes; replace anything beyond."""
    return str(value).encode("cp1252", errors="replace").decode("cp1252")


class _Certificate(FPDF):
    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = "cp1252"  # what the core fonts are declared with
        self.set_margins(22, 22, 22)
        self.set_auto_page_break(auto=True, margin=20)

    def line_of(self, text, *, size=11, style="", colour=INK, height=None, gap=0):
        self.set_font("Helvetica", style, size)
        self.set_text_color(*colour)
        self.multi_cell(
            0, height or size * 0.5, _text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        if gap:
            self.ln(gap)

    def heading(self, text):
        self.ln(3)
        self.line_of(text, size=12, style="B", colour=BRAND, gap=1)


def certificate_pdf(completion):
    """The certificate as PDF bytes, in the active language: what was taught as the completion
    keeps it. Expects the completion with its person and registration's round and structure
    loaded."""
    person = completion.person
    round = completion.registration.round
    date = formats.date_format(completion.completed_on, "DATE_FORMAT")
    pdf = _Certificate()
    pdf.set_title(_text(_("Certificate: %(course)s") % {"course": completion.course_title}))
    pdf.set_author("Yrkesresan")
    pdf.set_creator("Yrkesresan")
    pdf.set_lang(settings.LANGUAGE_CODE)
    pdf.add_page()

    pdf.line_of("Yrkesresan", size=12, style="B", colour=BRAND, gap=6)
    pdf.line_of(_("Certificate"), size=28, style="B", height=12, gap=6)
    pdf.line_of(person.get_full_name(), size=20, style="B", height=10, gap=2)
    pdf.line_of(_("has completed the course"), size=12, colour=MUTED, gap=2)
    pdf.line_of(completion.course_title, size=16, style="B", height=8, gap=1)
    pdf.line_of(
        _("%(journey)s, step %(step)s. Content version %(version)s.")
        % {
            "journey": completion.journey_name,
            "step": completion.step_name,
            "version": completion.course_version,
        },
        size=10,
        colour=MUTED,
        gap=4,
    )

    pdf.heading(_("Course round"))
    pdf.line_of(
        _("%(round)s, %(term)s, run by %(structure)s")
        % {"round": round.name, "term": round.term, "structure": round.structure}
    )
    pdf.heading(_("Course days"))
    for day in completion.days():
        text = _("Day %(number)s: %(date)s (%(mode)s)") % {
            "number": day.number,
            "date": formats.date_format(day.date, "DATE_FORMAT"),
            "mode": str(day.mode_label).lower(),
        }
        if day.make_up_round:
            text += ", " + _("make-up day in %(round)s") % {"round": day.make_up_round}
        pdf.line_of(text)
    pdf.heading(_("Completed on"))
    pdf.line_of(date)

    goals = completion.goals()
    if goals:
        pdf.heading(_("Knowledge goals"))
        for kind, text in goals:
            pdf.line_of(f"• {kind}: {text}", gap=0.5)

    pdf.ln(6)
    pdf.set_draw_color(*MUTED)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(4)
    pdf.line_of(
        _("Verification code: %(code)s") % {"code": completion.verification_code},
        style="B",
    )
    pdf.line_of(
        _("Anyone can check this certificate at %(url)s") % {"url": verification_url(completion)},
        size=10,
        colour=MUTED,
    )
    return bytes(pdf.output())
