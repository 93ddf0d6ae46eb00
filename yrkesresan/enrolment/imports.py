"""Bulk registration from a spreadsheet: parse the file, check every row, apply all or nothing.

The web page and `manage.py import_registrations` share these steps:

1. `parse(data, filename)` reads an .xlsx or CSV file held in memory (UTF-8 with or without
   BOM, or Windows-1252; comma, semicolon or tab) into `ImportRow`s with their line numbers.
   Columns are recognised by Swedish or English headers in any order.
2. `check(rows, round, by)` finds every bad row and predicts the outcome (seat or waiting
   list, new account or not) without changing anything. `validate` returns only the problems.
3. `apply(rows, round, by)` checks again and registers everyone through
   `services.register` in one transaction, or raises `ImportRejected` and changes nothing.

The platform identifies people by e-mail and does not store Swedish personal identity numbers
(personnummer). A column of them, recognised by its header or by its values, is dropped while
parsing: the numbers never reach an `ImportRow`, a message, the session or the database. The
uploaded file itself is never written anywhere.
"""

import codecs
import csv
import datetime
import io
import logging
import re
import unicodedata
import uuid
import zipfile
from dataclasses import asdict, dataclass, field
from xml.etree import ElementTree

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yrkesresan.accounts import access
from yrkesresan.accounts.models import User
from yrkesresan.core.errors import DomainError
from yrkesresan.core.mail import send
from yrkesresan.core.models import log_action
from yrkesresan.core.personnummer import contains_personnummer
from yrkesresan.organisations.models import Municipality, Unit
from yrkesresan.rounds import access as round_access
from yrkesresan.rounds.models import Round

from . import services
from .models import Registration

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
# Bounds on what is read from a spreadsheet, so that a small file cannot unpack into hours of
# work: columns beyond MAX_COLUMNS are never read, nor lines beyond MAX_SCANNED_LINES.
MAX_COLUMNS = 60
MAX_SCANNED_LINES = 50_000
# An .xlsx of MAX_ROWS people unpacks to well under a megabyte, and holds at most
# MAX_ROWS × MAX_COLUMNS cells plus a few lines of title: anything beyond is refused before a
# cell is read.
MAX_UNPACKED_BYTES = 10 * 1024 * 1024
MAX_CELLS = 70_000
# How far down a title or notes above the header row may reach.
HEADER_SEARCH_LINES = 10

FIELDS = (
    "first_name",
    "last_name",
    "email",
    "municipality",
    "municipality_code",
    "unit",
    "title",
    "started",
    "reason",
)
REQUIRED_FIELDS = ("first_name", "last_name", "email")

FIELD_LABELS = {
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "email": gettext_lazy("e-mail"),
    "municipality": gettext_lazy("municipality"),
    "municipality_code": gettext_lazy("municipality code"),
    "unit": gettext_lazy("unit"),
    "title": gettext_lazy("title"),
    "started": gettext_lazy("started in the profession"),
    "reason": gettext_lazy("reason"),
}

# Headers, normalised by `_header_key` (lower case, no accents, letters and digits only).
HEADERS = {
    "first_name": ["fornamn", "tilltalsnamn", "firstname", "givenname", "forename"],
    "last_name": ["efternamn", "lastname", "surname", "familyname"],
    "email": ["epost", "epostadress", "mejl", "mejladress", "email", "emailaddress", "mail"],
    "municipality": ["kommun", "kommunnamn", "municipality", "municipalityname"],
    "municipality_code": ["kommunkod", "kommunnummer", "municipalitycode", "municipalitynumber"],
    "unit": ["enhet", "enhetsnamn", "unit", "unitname"],
    "title": ["titel", "yrkestitel", "befattning", "title", "jobtitle"],
    "started": [
        "startdatum",
        "startdatumiyrket",
        "anstalldiyrket",
        "anstalldiyrketsedan",
        "iyrketsedan",
        "iyrketfran",
        "yrkesstart",
        "startadeiyrket",
        "startedintheprofession",
        "startedprofession",
        "professionstart",
        "professionstarted",
        "professionstartedon",
        "startdate",
    ],
    "reason": ["skal", "skalforannatsteg", "motivering", "reason", "reasonforanotherstep"],
}
HEADER_FIELDS = {key: name for name, keys in HEADERS.items() for key in keys}
PERSONAL_NUMBER_HEADERS = {
    "personnummer",
    "personnr",
    "pnr",
    "persnr",
    "samordningsnummer",
    "personalidentitynumber",
    "personalidentitynr",
    "swedishpersonalidentitynumber",
    "personalnumber",
    "personnumber",
    "socialsecuritynumber",
    "ssn",
}

# YYMMDD-NNNN, YYMMDD+NNNN (over 100 years old), YYYYMMDDNNNN and YYYYMMDD-NNNN.
PERSONAL_NUMBER = re.compile(r"^(?:(?:19|20)(?=\d{10}$|\d{6}-))?(\d{2})(\d{2})(\d{2})[-+]?\d{4}$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d.%m.%Y")
OLDEST_START = datetime.date(1940, 1, 1)


class ImportFileError(DomainError):
    """The file as a whole cannot be read; the message is a complete, translated sentence."""


@dataclass
class RowProblem:
    """What is wrong with one line of the file. `field` is a key of FIELDS or "" (the row)."""

    line: int | None
    field: str
    message: str

    @property
    def label(self):
        return FIELD_LABELS.get(self.field, "")

    def __str__(self):
        where = f"line {self.line}" if self.line is not None else "file"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class ImportRow:
    """One person from the file: the recognised cells as trimmed text, with its line number.

    `withheld` names the fields whose value looked like a personal identity number: the value
    was left out, and checking reports it.
    """

    line: int
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    municipality: str = ""
    municipality_code: str = ""
    unit: str = ""
    title: str = ""
    started: str = ""
    reason: str = ""
    withheld: list = field(default_factory=list)

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**{name: data[name] for name in ("line", "withheld", *FIELDS) if name in data})


@dataclass
class ParsedFile:
    rows: list
    columns: list  # the fields the file has, in file order
    ignored_columns: list  # headers of columns that were not used
    dropped_personal_numbers: bool = False


def _header_key(text):
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def looks_like_personal_number(value):
    """True for a value shaped like a Swedish personal identity or coordination number."""
    match = PERSONAL_NUMBER.match(re.sub(r"\s", "", value))
    if not match:
        return False
    month, day = int(match.group(2)), int(match.group(3))
    # Coordination numbers (samordningsnummer) add 60 to the day.
    return 1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip()


# What Windows-1252 makes of its bytes 0x80–0x9F: typographic marks and a few letters that
# Swedish, Finnish and English names rarely hold. DOS (CP437/850) and Mac Roman keep å, ä and
# ö there, so a name read with the wrong one shows one of these between two letters. The
# apostrophe of O’Brien is the exception.
WINDOWS_1252_MARKS = set(bytes(range(0x80, 0xA0)).decode("cp1252", "ignore")) - {"’"}
# Words as shown in the message: no digits, so never a number from the file.
WORDS = re.compile(r"[^\s;,0-9]+")


def _not_windows_1252(text):
    """A word of `text` (read as Windows-1252) that shows the file is in another encoding, or
    None. Two clear signs: a mark from 0x80–0x9F between two letters (DOS or Mac Roman letters),
    or a word of four or more letters mostly from the Latin-1 range (Cyrillic, Greek or Arabic
    letters of a one-byte encoding, which come out as À–ÿ)."""
    for word in WORDS.findall(text):
        if "\ufffd" in word:
            return word
        for index in range(1, len(word) - 1):
            if (
                word[index] in WINDOWS_1252_MARKS
                and word[index - 1].isalpha()
                and word[index + 1].isalpha()
            ):
                return word
        for part in re.findall(r"[^\W\d_]{4,}", word):
            if sum("\u00c0" <= char <= "\u00ff" for char in part) * 5 > len(part) * 3:
                return word
    return None


def _decode(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        # Bytes Windows-1252 leaves undefined come out as U+FFFD, which the check finds.
        text = data.decode("cp1252", errors="replace")
        if (word := _not_windows_1252(text)) is None:
            return text
        raise ImportFileError(
            _(
                "The file is neither UTF-8 nor Windows-1252 text: read as such, names "
                "would come out garbled (“%(word)s”). Save it as “CSV UTF-8” and upload "
                "it again."
            )
            % {"word": word}
        )
    raise ImportFileError(
        _("The file could not be read as text. Save it as CSV in UTF-8 or as an Excel file.")
    )


def _csv_lines(data):
    """(line number, cells) for each record of a CSV file; the delimiter is guessed."""
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_("The file could not be read as CSV."))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, [_cell_text(cell) for cell in cells[:MAX_COLUMNS]]
            line = reader.line_num + 1
            if line > MAX_SCANNED_LINES:
                raise ImportFileError(_("The file has too many lines."))
    except csv.Error:
        raise ImportFileError(_("The file could not be read as CSV.")) from None


def _xlsx_lines(data):
    """(row number, cells) for each row of the first worksheet."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many kinds of errors for damaged or foreign files.
        raise ImportFileError(_("The file could not be read as an Excel file.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=1):
            if number > MAX_SCANNED_LINES:
                raise ImportFileError(_("The file has too many lines."))
            yield number, [_cell_text(cell) for cell in cells]
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(_("The file could not be read as an Excel file.")) from None
    finally:
        workbook.close()


def too_large_message():
    return _("The file is larger than %(max)s MB. Split it into smaller files.") % {
        "max": MAX_FILE_BYTES // (1024 * 1024)
    }


def _count_cells(archive):
    """The cells of every worksheet of an .xlsx archive, counted up to MAX_CELLS + 1 by
    streaming their XML (nothing is kept), before openpyxl reads a cell."""
    count = 0
    for member in archive.infolist():
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        with archive.open(member) as stream:
            for _event, element in ElementTree.iterparse(stream, events=("end",)):
                if element.tag.rpartition("}")[2] == "c":
                    count += 1
                    if count > MAX_CELLS:
                        return count
                element.clear()
    return count


def _lines(data, filename):
    name = (filename or "").lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV.")
        )
    if name.endswith(".xlsx"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
                # zipfile never unpacks more than the sizes declared, so this bounds the work.
                if unpacked > MAX_UNPACKED_BYTES:
                    raise ImportFileError(
                        _(
                            "The file unpacks to more than %(max)s MB, far more than a list of "
                            "people needs. Save only the sheet with the people and try again."
                        )
                        % {"max": MAX_UNPACKED_BYTES // (1024 * 1024)}
                    )
                cells = _count_cells(archive)
        except (zipfile.BadZipFile, ElementTree.ParseError):
            raise ImportFileError(_("The file could not be read as an Excel file.")) from None
        if cells > MAX_CELLS:
            raise ImportFileError(
                _(
                    "The file holds more than %(max)s cells, far more than %(rows)s people "
                    "need. Remove what is not the list of people and try again."
                )
                % {"max": MAX_CELLS, "rows": MAX_ROWS}
            )
        return _xlsx_lines(data)
    if name.endswith(".csv"):
        return _csv_lines(data)
    raise ImportFileError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))


def _read_header(cells):
    """Map column index → field; also the personnummer columns and the ignored headers."""
    columns, personal, ignored, seen = {}, set(), [], {}
    for index, header in enumerate(cells):
        if not header:
            continue
        key = _header_key(header)
        if key in PERSONAL_NUMBER_HEADERS or looks_like_personal_number(header):
            personal.add(index)
        elif key in HEADER_FIELDS:
            name = HEADER_FIELDS[key]
            if name in seen:
                raise ImportFileError(
                    _("The columns “%(first)s” and “%(second)s” both hold the %(field)s.")
                    % {"first": seen[name], "second": header, "field": FIELD_LABELS[name]}
                )
            seen[name] = header
            columns[index] = name
        else:
            ignored.append((index, header))
    return columns, personal, ignored


def _missing_columns(columns):
    present = set(columns.values())
    missing = [FIELD_LABELS[name] for name in REQUIRED_FIELDS if name not in present]
    if "municipality" not in present and "municipality_code" not in present:
        missing.append(FIELD_LABELS["municipality"])
    return missing


def _find_header(lines):
    """The header row: the first line, among the first few, that names every required column
    (a title may come before it). Raises ImportFileError naming what the first line lacks."""
    first = None
    for line, cells in lines:
        if not any(cells):
            continue
        header = _read_header(cells)
        if not _missing_columns(header[0]):
            return header
        first = first or header
        if line >= HEADER_SEARCH_LINES:
            break
    if first is None:
        raise ImportFileError(_("The file is empty."))
    raise ImportFileError(
        _(
            "The file has no column for: %(columns)s. The first row must hold the headers, "
            "e.g. förnamn, efternamn, e-post and kommun (or first name, last name, email "
            "and municipality)."
        )
        % {"columns": ", ".join(str(label) for label in _missing_columns(first[0]))}
    )


def parse(data, filename):
    """Read the people in an .xlsx or CSV file (bytes) into ImportRows with line numbers.

    The header row is the first line naming the required columns, among the first few; empty
    lines are skipped. Raises ImportFileError when the file cannot be read, lacks a required
    column or holds more than MAX_ROWS people.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(too_large_message())
    lines = _lines(data, filename)
    columns, personal, ignored = _find_header(lines)
    data_lines = []
    for line, cells in lines:
        if not any(cells):
            continue
        data_lines.append((line, cells))
        if len(data_lines) > MAX_ROWS:
            raise ImportFileError(
                _("The file holds more than %(max)s people. Split it into smaller files.")
                % {"max": MAX_ROWS}
            )
    # A column under another header that holds personal identity numbers is dropped too.
    for index, _header in ignored:
        if any(
            index < len(cells) and looks_like_personal_number(cells[index])
            for _, cells in data_lines
        ):
            personal.add(index)
    rows = []
    for line, cells in data_lines:
        row = ImportRow(line=line)
        for index, name in columns.items():
            value = cells[index] if index < len(cells) else ""
            if looks_like_personal_number(value) or contains_personnummer(value):
                row.withheld.append(name)
            else:
                setattr(row, name, value)
        if any(getattr(row, name) for name in FIELDS) or row.withheld:
            rows.append(row)
    if not rows:
        raise ImportFileError(_("The file has headers but no people."))
    return ParsedFile(
        rows=rows,
        columns=[columns[index] for index in sorted(columns)],
        ignored_columns=[header for index, header in ignored if index not in personal],
        dropped_personal_numbers=bool(personal),
    )


# Checking


@dataclass
class PlannedRow:
    """A row as it would be applied: the person (new or existing), the outcome, the problems."""

    row: ImportRow
    problems: list = field(default_factory=list)
    person: object = None
    new_account: bool = False
    municipality: object = None
    unit: object = None
    outcome: str = ""  # a Registration.Status value when the row is fine

    def problem(self, name, message):
        self.problems.append(RowProblem(self.row.line, name, message))

    def as_dict(self):
        """What the preview shows of the row (JSON-serialisable, for the session)."""
        row = self.row
        return {
            "line": row.line,
            "name": f"{row.first_name} {row.last_name}".strip(),
            "email": row.email,
            "municipality": (
                self.municipality.name
                if self.municipality
                else row.municipality or row.municipality_code
            ),
            "unit": self.unit.name if self.unit else row.unit,
            "new_account": self.new_account,
            "outcome": self.outcome,
            "problems": [
                {"field": str(problem.label), "message": problem.message}
                for problem in self.problems
            ],
        }


@dataclass
class Plan:
    rows: list = field(default_factory=list)
    general_problems: list = field(default_factory=list)

    @property
    def problems(self):
        return self.general_problems + [p for row in self.rows for p in row.problems]

    @property
    def is_ok(self):
        return not self.problems

    def count(self, outcome):
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def registered_count(self):
        return self.count(Registration.Status.REGISTERED)

    @property
    def waitlisted_count(self):
        return self.count(Registration.Status.WAITLISTED)

    @property
    def new_account_count(self):
        return sum(1 for row in self.rows if row.new_account and not row.problems)

    def as_dict(self):
        """A summary and every row for the preview page (JSON-serialisable)."""
        return {
            "ok": self.is_ok,
            "rows": [row.as_dict() for row in self.rows],
            "general_problems": [problem.message for problem in self.general_problems],
            "bad_rows": sum(1 for row in self.rows if row.problems),
            "registered": self.registered_count,
            "waitlisted": self.waitlisted_count,
            "new_accounts": self.new_account_count,
        }


def _shorten(value, limit=60):
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _parse_date(value):
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, date_format).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _municipality_name_keys(value):
    """Forms of a written municipality name to look up: "Eskilstuna kommun", "Göteborgs stad"."""
    name = value.casefold()
    keys = [name]
    for suffix in (" kommun", " stad"):
        if name.endswith(suffix):
            base = name[: -len(suffix)].strip()
            keys.append(base)
            if base.endswith("s"):
                keys.append(base[:-1])
    return keys


def _code_key(value):
    return value.zfill(4) if value.isdigit() and len(value) <= 4 else None


class _Checker:
    """Checks rows against the database; loads what it needs in a few queries up front."""

    def __init__(self, rows, round, by):
        self.rows = rows
        self.round = round
        self.by = by
        self.today = timezone.localdate()
        scope = access.scope_for(by)
        self.own_municipalities = (
            None if round_access.can_manage_round(by, round) else scope.contact_municipality_ids
        )
        self._load()

    def _load(self):
        # All 290 municipalities: names are matched in Python, since SQLite's LOWER() leaves
        # Å, Ä and Ö as they are.
        self.by_code, self.by_name = {}, {}
        for municipality in Municipality.objects.select_related("county").prefetch_related(
            "memberships"
        ):
            self.by_code[municipality.code] = municipality
            self.by_name[municipality.name.casefold()] = municipality
        named = set()
        for row in self.rows:
            for value in (row.municipality_code, row.municipality):
                if _code_key(value):
                    named.add(self.by_code.get(_code_key(value)))
                elif value:
                    keys = _municipality_name_keys(value)
                    named.update(self.by_name.get(key) for key in keys)
        named.discard(None)
        self.units = {
            (unit.municipality_id, unit.name.casefold()): unit
            for unit in Unit.objects.filter(municipality__in=named)
        }
        emails = {row.email.lower() for row in self.rows if row.email}
        self.people = {
            person.email.lower(): person
            for person in User.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=emails)
            .select_related("municipality__county", "unit")
            .prefetch_related("municipality__memberships")
        }
        self.registrations = {
            registration.person_id: registration
            for registration in self.round.registrations.filter(
                person__in=self.people.values()
            ).exclude(status=Registration.Status.CANCELLED)
        }
        self.taken = self.round.registrations.filter(status=Registration.Status.REGISTERED).count()

    def _municipality(self, planned):
        row = planned.row
        by_code = by_name = None
        if row.municipality_code:
            by_code = self.by_code.get(_code_key(row.municipality_code) or "")
            if by_code is None:
                planned.problem(
                    "municipality_code",
                    _("No municipality has the code “%(value)s”.")
                    % {"value": _shorten(row.municipality_code)},
                )
                return None
        if row.municipality:
            code = _code_key(row.municipality)
            if code:
                by_name = self.by_code.get(code)
            else:
                keys = _municipality_name_keys(row.municipality)
                by_name = next((self.by_name[k] for k in keys if k in self.by_name), None)
            if by_name is None:
                planned.problem(
                    "municipality",
                    _("Unknown municipality “%(value)s”.") % {"value": _shorten(row.municipality)},
                )
                return None
        if by_code and by_name and by_code != by_name:
            planned.problem(
                "municipality",
                _("The municipality %(name)s does not have the code %(code)s.")
                % {"name": by_name.name, "code": by_code.code},
            )
            return None
        municipality = by_code or by_name
        if municipality is None:
            planned.problem("municipality", _("The municipality is missing."))
            return None
        if municipality.membership_on(self.today) is None:
            planned.problem("municipality", municipality.not_a_member_message())
            return None
        if self.own_municipalities is not None and municipality.pk not in self.own_municipalities:
            planned.problem(
                "municipality",
                _("You may only register staff of your own municipality, not of %(municipality)s.")
                % {"municipality": municipality.name},
            )
            return None
        return municipality

    def _fields(self, planned, seen_emails):
        row = planned.row
        for name in row.withheld:
            planned.problem(
                name,
                _(
                    "The value looks like a personal identity number, which the platform "
                    "does not store. It was left out."
                ),
            )
        for name, limit in (("first_name", 100), ("last_name", 100)):
            value = getattr(row, name)
            if not value and name not in row.withheld:
                planned.problem(name, _("This is required."))
            elif len(value) > limit:
                planned.problem(
                    name, _("At most %(limit)s characters are allowed.") % {"limit": limit}
                )
        if len(row.title) > 120:
            planned.problem(
                "title", _("At most %(limit)s characters are allowed.") % {"limit": 120}
            )
        if row.email:
            try:
                validate_email(row.email)
                if len(row.email) > 254:
                    raise ValidationError("too long")
            except ValidationError:
                planned.problem(
                    "email",
                    _("“%(value)s” is not a valid e-mail address.")
                    % {"value": _shorten(row.email)},
                )
            else:
                first = seen_emails.setdefault(row.email.lower(), row.line)
                if first != row.line:
                    planned.problem(
                        "email",
                        _("%(email)s is also on line %(line)s.")
                        % {"email": row.email, "line": first},
                    )
        elif "email" not in row.withheld:
            planned.problem("email", _("This is required."))
        if row.started:
            started = _parse_date(row.started)
            if started is None:
                planned.problem(
                    "started",
                    _("“%(value)s” is not a date. Write it as YYYY-MM-DD.")
                    % {"value": _shorten(row.started)},
                )
            elif not OLDEST_START <= started <= self.today:
                planned.problem(
                    "started",
                    _("%(date)s cannot be the date the person started in the profession.")
                    % {"date": started.isoformat()},
                )
        planned.municipality = self._municipality(planned)

    def _unit(self, planned):
        row = planned.row
        if not row.unit or planned.municipality is None:
            return None
        unit = self.units.get((planned.municipality.pk, row.unit.casefold()))
        if unit is None:
            planned.problem(
                "unit",
                _("%(municipality)s has no unit called “%(value)s”.")
                % {"municipality": planned.municipality.name, "value": _shorten(row.unit)},
            )
        return unit

    def _existing(self, planned, person):
        """An existing account keeps its details; the file must agree with its employer."""
        if person.municipality_id != planned.municipality.pk:
            planned.problem(
                "municipality",
                _("%(email)s already has an account, employed by %(actual)s, not %(given)s.")
                % {
                    "email": person.email,
                    "actual": person.municipality.name if person.municipality else "–",
                    "given": planned.municipality.name,
                },
            )
        elif planned.row.unit and (person.unit is None or person.unit_id != planned.unit.pk):
            planned.problem(
                "unit",
                _("%(email)s already has an account, in the unit %(actual)s, not %(given)s.")
                % {
                    "email": person.email,
                    "actual": person.unit.name if person.unit else "–",
                    "given": planned.unit.name,
                },
            )
        registration = self.registrations.get(person.pk)
        if registration is not None:
            if registration.status == Registration.Status.WAITLISTED:
                message = _("%(person)s is already on the waiting list for this round.")
            else:
                message = _("%(person)s is already registered for this round.")
            planned.problem("email", message % {"person": person})

    def _create(self, planned):
        row = planned.row
        return User.objects.create_user(
            row.email,
            None,
            first_name=row.first_name,
            last_name=row.last_name,
            municipality=planned.municipality,
            unit=planned.unit,
            title=row.title,
            profession_started_on=_parse_date(row.started) if row.started else None,
        )

    def _may_register(self, planned):
        """The registration service's own checks, as problems of the row."""
        person, reason = planned.person, planned.row.reason.strip()
        try:
            # Every check but the step's: a missing reason gets a message that fits a file.
            services.check_can_register(
                person, self.round, by=self.by, step_mismatch_reason=reason or "-"
            )
        except DomainError as error:
            planned.problem("", str(error))
            return
        if not reason and services.step_mismatch(person, self.round):
            planned.problem(
                "",
                _(
                    "The course is on the step %(step)s, which is not %(person)s's step. "
                    "To register anyway, add a column “skäl” (reason) with a reason."
                )
                % {"step": self.round.course.step.name, "person": person},
            )

    def plan(self, progress=None):
        """Check every row; create the accounts that are missing for rows without problems.

        The caller's transaction decides whether those accounts stay. `progress()`, if given,
        is called after each row.
        """
        plan = Plan()
        if not services.round_accepts_registrations(self.round, self.by):
            plan.general_problems.append(
                RowProblem(None, "", _("The round is not open for registration."))
            )
        seen_emails = {}
        free = max(self.round.seats - self.taken, 0)
        for row in self.rows:
            if progress is not None and plan.rows:
                progress()
            planned = PlannedRow(row)
            plan.rows.append(planned)
            self._fields(planned, seen_emails)
            planned.unit = self._unit(planned)
            if planned.problems:
                continue
            person = self.people.get(row.email.lower())
            if person is not None:
                self._existing(planned, person)
                if planned.problems:
                    continue
                planned.person = person
            else:
                planned.person = self._create(planned)
                planned.new_account = True
            if not plan.general_problems:
                self._may_register(planned)
            if planned.problems:
                planned.new_account = False
                continue
            if free > 0:
                planned.outcome = Registration.Status.REGISTERED
                free -= 1
            else:
                planned.outcome = Registration.Status.WAITLISTED
        return plan


def _plan(rows, round, by, progress=None):
    """Lock the round and check every row. Call inside a transaction."""
    locked = (
        Round.objects.select_for_update()
        .select_related("course__step__journey", "structure")
        .get(pk=round.pk)
    )
    # Every step check asks the journey which step the person belongs on (its steps).
    prefetch_related_objects([locked.course.step.journey], "steps")
    plan = _Checker(rows, locked, by).plan(progress)
    if progress is not None and plan.rows:
        progress()
    return locked, plan


def check(rows, round, by):
    """Every problem and the predicted outcome of importing `rows`; changes nothing.

    Accounts for new people are created inside a transaction that is always rolled back, so
    that the registration service checks them exactly as `apply` will.
    """
    with transaction.atomic():
        _locked, plan = _plan(rows, round, by)
        transaction.set_rollback(True)
    for planned in plan.rows:
        planned.person = None  # rolled back: these objects no longer exist
    return plan


def validate(rows, round, by):
    """The problems of importing `rows` into `round` as `by`; an empty list if there are none."""
    return check(rows, round, by).problems


class ImportRejected(DomainError):
    """Nothing was applied; `plan` holds every problem."""

    def __init__(self, plan):
        super().__init__("; ".join(str(problem) for problem in plan.problems))
        self.plan = plan


@dataclass
class ImportResult:
    registrations: list
    new_users: list

    @property
    def registered_count(self):
        return sum(1 for r in self.registrations if r.status == Registration.Status.REGISTERED)

    @property
    def waitlisted_count(self):
        return sum(1 for r in self.registrations if r.status == Registration.Status.WAITLISTED)

    @property
    def new_account_count(self):
        return len(self.new_users)


def apply(rows, round, by, progress=None):
    """Create the missing accounts and register every row, or raise ImportRejected and change
    nothing. The rows are checked again under the round's lock, so a row that became bad since
    the preview rejects the whole import. New people get an invitation after the commit.

    `progress()`, if given, is called once per row checked and once per row registered: twice
    per row in all (the background import shows it; see import_jobs)."""
    try:
        with transaction.atomic():
            locked, plan = _plan(rows, round, by, progress)
            if not plan.is_ok:
                raise ImportRejected(plan)
            registrations = []
            for planned in plan.rows:
                try:
                    registration = services.register(
                        planned.person, locked, by=by, step_mismatch_reason=planned.row.reason
                    )
                except DomainError as error:
                    planned.problem("", str(error))
                    raise ImportRejected(plan) from error
                planned.outcome = registration.status
                registrations.append(registration)
                if progress is not None:
                    progress()
            new_users = [planned.person for planned in plan.rows if planned.new_account]
            result = ImportResult(registrations=registrations, new_users=new_users)
            log_action(
                by,
                "registration.imported",
                locked,
                registered=result.registered_count,
                waitlisted=result.waitlisted_count,
                new_accounts=result.new_account_count,
            )
            # In the import's transaction: the invitations are queued with it, or not at all.
            send_invitations(new_users, round_id=locked.pk)
    except IntegrityError:
        # Someone created one of the accounts or registrations at the same moment.
        plan = Plan(
            general_problems=[
                RowProblem(
                    None, "", _("The data changed while the import ran. Nothing was applied.")
                )
            ]
        )
        raise ImportRejected(plan) from None
    return result


# Invitations


def invitation_link(user):
    """An absolute link where a new person sets their first password."""
    path = reverse(
        "accounts:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def send_invitations(users, round_id=None):
    """E-mail each new person a link to set their password (in Swedish, the default language).

    The messages go to the outbox (core.mail) in the import's transaction and the background
    worker delivers them, trying again while the mail server is down: nothing is sent inside
    the request, and a failing mail server does not undo the import.
    """
    if not users:
        return
    days = max(settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60), 1)
    active = Registration.objects.exclude(status=Registration.Status.CANCELLED)
    prefetch_related_objects(
        users,
        Prefetch(
            "registrations",
            queryset=active.select_related("round__course"),
            to_attr="active_registrations",
        ),
    )
    messages = []
    for user in users:
        context = {
            "user": user,
            "link": invitation_link(user),
            "days": days,
            "registrations": user.active_registrations,
        }
        subject = render_to_string("enrolment/import_invitation_subject.txt", context)
        body = render_to_string("enrolment/import_invitation_email.txt", context)
        messages.append(EmailMessage(" ".join(subject.split()), body, to=[user.email]))
    send(messages, key=f"import-invitations:{uuid.uuid4()}", round_id=round_id)
