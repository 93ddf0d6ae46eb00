"""Excel exports of a round: the attendance list and what each municipality owes.

Cells are written as values, never formulas: text that starts with "=" stays text.
"""

import io

from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .models import Registration

MONEY = "#,##0.00"
THIN = Side(style="thin", color="808080")


class Sheet:
    """Writes rows one after another into a worksheet."""

    def __init__(self, worksheet):
        self.worksheet = worksheet
        self.row = 0
        self.widths = {}

    def append(self, values, *, bold=False, boxed=False, formats_by_column=None):
        self.row += 1
        for column, value in enumerate(values, start=1):
            cell = self.worksheet.cell(row=self.row, column=column)
            cell.value = value
            if isinstance(value, str):
                # A string is data, whatever it starts with.
                cell.data_type = "s"
            if bold:
                cell.font = Font(bold=True)
            if boxed:
                cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            if formats_by_column and column in formats_by_column:
                cell.number_format = formats_by_column[column]
            width = len(str(value)) if value is not None else 0
            self.widths[column] = max(self.widths.get(column, 8), min(width + 2, 60))
        return self.row

    def finish(self, header_row=None):
        for column, width in self.widths.items():
            self.worksheet.column_dimensions[get_column_letter(column)].width = width
        if header_row:
            self.worksheet.freeze_panes = self.worksheet.cell(row=header_row + 1, column=1)
            for cell in self.worksheet[header_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet_title(text):
    return "".join(c for c in str(text) if c not in "[]:*?/\\")[:31]


def _heading(sheet, round):
    sheet.append([f"{round.course.title} – {round.name} ({round.term})"], bold=True)
    sheet.append([str(round.structure)])


def _day_label(day):
    return _("Day %(number)s, %(date)s") % {
        "number": day.number,
        "date": formats.date_format(day.date, "SHORT_DATE_FORMAT"),
    }


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attendance_workbook(round, days, registrations, *, needs, emails):
    """The attendance list: one row per participant with a seat, a column to tick per day;
    e-mail addresses and diet and accessibility needs only when `emails` and `needs`."""
    workbook = Workbook()
    sheet = Sheet(workbook.active)
    sheet.worksheet.title = _sheet_title(_("Attendance"))
    _heading(sheet, round)
    sheet.append([])
    header = [_("Name"), _("Municipality"), _("Unit")]
    if emails:
        header.append(_("E-mail"))
    header += [_day_label(day) for day in days]
    if needs:
        header += [_("Special diet"), _("Accessibility needs")]
    header_row = sheet.append(header, bold=True, boxed=True)
    for registration in registrations:
        person = registration.person
        values = [
            f"{person.last_name}, {person.first_name}",
            person.municipality.name if person.municipality else "",
            person.unit.name if person.unit else "",
        ]
        if emails:
            values.append(person.email)
        values += ["" for _day in days]
        if needs:
            values += [registration.special_diet, registration.accessibility_needs]
        sheet.append(values, boxed=True)
    sheet.finish(header_row)
    sheet.worksheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.worksheet.page_setup.orientation = "landscape"
    sheet.worksheet.page_setup.fitToWidth = 1
    return _save(workbook)


def fees_workbook(round, rows, billable):
    """What each municipality owes (sheet one) and the participants behind it (sheet two)."""
    workbook = Workbook()
    sheet = Sheet(workbook.active)
    sheet.worksheet.title = _sheet_title(_("Fees"))
    _heading(sheet, round)
    fee_each = rows[0].fee_each if rows else round.fee_for()
    sheet.append([_("Fee model"), round.get_fee_model_display()])
    sheet.append([_("Fee per participant"), fee_each], formats_by_column={2: MONEY})
    sheet.append([_("Billed: participants with a seat and cancellations after the deadline.")])
    sheet.append([])
    money = {5: MONEY, 6: MONEY}
    header_row = sheet.append(
        [
            _("Municipality"),
            _("Participants"),
            _("Late cancellations"),
            _("Billed"),
            _("Fee per participant"),
            _("To pay (SEK)"),
        ],
        bold=True,
        boxed=True,
    )
    for row in rows:
        sheet.append(
            [
                row.municipality,
                row.registered,
                row.late_cancelled,
                row.billable,
                row.fee_each,
                row.total,
            ],
            boxed=True,
            formats_by_column=money,
        )
    sheet.append(
        [
            _("Total"),
            sum(row.registered for row in rows),
            sum(row.late_cancelled for row in rows),
            sum(row.billable for row in rows),
            None,
            sum((row.total for row in rows), 0),
        ],
        bold=True,
        boxed=True,
        formats_by_column=money,
    )
    sheet.finish(header_row)

    people = Sheet(workbook.create_sheet(_sheet_title(_("Participants"))))
    header_row = people.append(
        [_("Municipality"), _("Name"), _("Unit"), _("Status"), _("Fee")], bold=True, boxed=True
    )
    for registration in billable:
        person = registration.person
        status = (
            registration.get_status_display()
            if registration.status == Registration.Status.REGISTERED
            else _("Cancelled after the deadline")
        )
        people.append(
            [
                person.municipality.name if person.municipality else "",
                f"{person.last_name}, {person.first_name}",
                person.unit.name if person.unit else "",
                status,
                fee_each,
            ],
            boxed=True,
            formats_by_column={5: MONEY},
        )
    people.finish(header_row)
    return _save(workbook)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
