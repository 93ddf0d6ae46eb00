"""Personal-data rights: what is held about a person, erasure, and retention.

Every app keeps its own personal data, so every app answers for it: on `collect_personal_data`
an app's receiver returns the `Section`s it holds about a person (or, with person=None, only
what it keeps, why and for how long: the record of processing), and on `person_erased` it
wipes what it holds (free text, needs) and keeps what anonymous statistics need. This module
does the person's own part (the account, roles, tokens) and calls the others through these two
signals, so a lower layer never imports a higher one.

Erasure anonymises the person in place: the account keeps its id and municipality (for the
statistics by municipality, which count people), loses name, e-mail, title, unit, start year,
password, roles and tokens, and is marked erased. Certificates stay verifiable and say the
holder is erased. The audit trail, append-only, keeps its ids, which no longer name anyone.

Retention (the programme's rule): an account without a login for 5 years and 9 months is erased;
its owner is told by e-mail 30 days before (`erase_inactive_accounts`, run daily).
"""

import calendar
import dataclasses
import datetime
import re
import uuid

from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import AuditEvent, OutboundEmail, log_action

from .access import scope_for
from .models import ApiToken, EmployerChange, RoleAssignment, User

# Sent with person= (a User, or None for the record of processing); each receiver returns a
# Section or a list of them.
collect_personal_data = Signal()
# Sent with person=, by= and former= (a Former) inside the erasing transaction; receivers wipe
# their part.
person_erased = Signal()

# The name an erased person shows wherever their rows still appear (lists of past rounds,
# statistics): a name like any other, so that no page needs to know about erasure.
ERASED_NAME = ("Raderad", "person")
INACTIVE_MONTHS = 5 * 12 + 9
NOTICE_BEFORE = datetime.timedelta(days=30)


@dataclasses.dataclass(frozen=True)
class Former:
    """Who an erased person was: for the texts of others that name them (a handover note's
    "who needs follow-up", an import's refusal), which keep their sense without the name."""

    email: str
    name: str

    MARK = "[raderad person]"

    def scrub(self, text):
        """`text` with the person's e-mail address and full name replaced by MARK, where they
        stand as words of their own (Ann Berg goes; Marie-Ann Bergström stays)."""
        for words in (self.email, self.name):
            if words.strip():
                whole = rf"(?<!\w){re.escape(words.strip())}(?!\w)"
                text = re.sub(whole, self.MARK, text, flags=re.IGNORECASE)
        return text


def months_before(moment, months):
    """The same day and time `months` months earlier (the month's last day where it is
    shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def erasure_limit(now):
    """Accounts whose last login is before this moment are past the retention limit."""
    return months_before(now, INACTIVE_MONTHS)


@dataclasses.dataclass
class Section:
    """A kind of personal data an app keeps: for the record of processing (title, purpose,
    retention, the fields kept: their names come from the model) and, for one person, its rows
    (a list of {field label: value})."""

    key: str
    title: str
    purpose: str
    retention: str
    model: type
    fields: list
    rows: list = dataclasses.field(default_factory=list)

    @property
    def field_labels(self):
        return [str(self.model._meta.get_field(name).verbose_name) for name in self.fields]

    def add(self, obj, **extra):
        """A row of `obj`'s fields (displayed values), with `extra` labelled columns."""
        row = {}
        for name in self.fields:
            field = self.model._meta.get_field(name)
            value = getattr(obj, name)
            if field.choices:
                value = getattr(obj, f"get_{name}_display")()
            row[str(field.verbose_name)] = "" if value is None else str(value)
        row.update({str(key): str(value) for key, value in extra.items()})
        self.rows.append(row)
        return self


class ErasureError(DomainError):
    pass


def _sections(person):
    sections = []
    for _receiver, answer in collect_personal_data.send(sender=User, person=person):
        sections.extend(answer if isinstance(answer, list) else [answer])
    return sections


def own_sections(person):
    """The account app's own part: the account, roles, tokens, moves, the trail about them."""
    account = Section(
        "account",
        _("Account"),
        _("To sign in, to be told about courses, and to be counted in the municipality's staff."),
        _("While the account is used; erased after 5 years and 9 months without a login."),
        User,
        [
            "email",
            "first_name",
            "last_name",
            "title",
            "municipality",
            "unit",
            "profession_started_on",
            "work_role",
            "last_login",
            "date_joined",
        ],  # fmt: skip
    )
    roles = Section(
        "roles",
        _("Roles"),
        _("To give the access that a role at work needs."),
        _("Until the role is taken away or the person moves employer."),
        RoleAssignment,
        ["role", "unit", "municipality", "structure", "journey"],
    )
    tokens = Section(
        "api_tokens",
        _("API tokens"),
        _("To let a program use the API with the person's rights."),
        _("Until revoked or expired; at most a year."),
        ApiToken,
        ["name", "created_at", "expires_at", "last_used_at", "revoked_at"],
    )
    moves = Section(
        "employer_changes",
        _("Moves between employers"),
        _("To show the record to the right employer."),
        _("As long as the account."),
        EmployerChange,
        [f.name for f in EmployerChange._meta.concrete_fields if f.name not in {"id", "person"}],
    )
    trail = Section(
        "audit_trail",
        _("Who has seen or changed the data"),
        _("To show the person, the municipality and a supervisory authority who did what."),
        _("Kept; the entries name people by id only."),
        AuditEvent,
        ["created_at", "actor", "action"],
    )
    if person is not None:
        account.add(person)
        for role in person.roles.select_related("unit", "municipality", "structure", "journey"):
            roles.add(role)
        for token in person.api_tokens.all():
            tokens.add(token)
        for move in EmployerChange.objects.filter(person=person):
            moves.add(move)
        for event in AuditEvent.objects.filter(subject_id=person.pk).select_related("actor"):
            trail.add(event)
    return [account, roles, tokens, moves, trail]


def personal_data(person):
    """Everything held about `person`, as sections with rows."""
    return own_sections(person) + _sections(person)


def processing_record():
    """What is kept about people, why and for how long: the record of processing, generated
    from the sections every app declares (and their models' field names)."""
    return own_sections(None) + _sections(None)


def as_json(sections, person):
    return {
        "person": person.pk,
        "produced_at": timezone.now().isoformat(),
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "purpose": str(section.purpose),
                "retention": str(section.retention),
                "rows": section.rows,
            }
            for section in sections
        ],
    }


# Erasure


def may_erase(user, person):
    """A municipality's contact erases its staff on request; administrators anyone. Nobody
    erases themself here (they ask their municipality), nor an erased person again."""
    scope = scope_for(user)
    if person.pk == user.pk:
        return False
    return scope.is_admin or person.municipality_id in scope.contact_municipality_ids


@transaction.atomic
def erase_person(person, *, by, reason):
    """Erase `person`'s personal data: the account anonymised in place, every app's part
    wiped (person_erased), the erasure in the audit trail. `by` is None for retention."""
    locked = User.objects.select_for_update().get(pk=person.pk)
    if locked.erased_at is not None:
        raise ErasureError(_("The person is already erased."))
    former = Former(email=locked.email, name=locked.get_full_name())
    RoleAssignment.objects.filter(user=locked).delete()
    ApiToken.objects.filter(user=locked).delete()
    # The e-mails to the person, sent or waiting, hold their name and address: gone too.
    addressed = OutboundEmail.objects.filter(recipients__icontains=locked.email)
    addressed.filter(
        pk__in=[row.pk for row in addressed if locked.email.lower() in _addresses(row.recipients)]
    ).delete()
    locked.email = f"raderad-{uuid.uuid4().hex}@raderad.invalid"
    locked.first_name, locked.last_name = ERASED_NAME
    locked.title = ""
    locked.unit = None
    locked.profession_started_on = None
    locked.work_role = ""
    locked.findable_by_colleagues = False
    locked.is_active = locked.is_staff = locked.is_superuser = False
    locked.last_login = None
    locked.set_unusable_password()
    locked.erased_at = timezone.now()
    locked.erasure_notice_sent_at = None
    locked.save()
    person_erased.send(sender=User, person=locked, by=by, former=former)
    log_action(by, "person.erased", locked, subject=locked, reason=reason)
    return locked


def _addresses(recipients):
    return {part.strip().lower() for part in recipients.split(",")}


# Retention


def last_active(person):
    return person.last_login or person.date_joined


def _inactive_since(moment):
    """Accounts not erased whose last login (or, never logged in, creation) is before `moment`."""
    return User.objects.filter(erased_at__isnull=True).filter(
        Q(last_login__lt=moment) | Q(last_login__isnull=True, date_joined__lt=moment)
    )


def due_for_notice(now):
    """Accounts that reach the limit within 30 days and have not been told since they last
    signed in (a login after a notice makes the notice void)."""
    told = Q(erasure_notice_sent_at__isnull=False) & (
        Q(last_login__isnull=True) | Q(erasure_notice_sent_at__gt=F("last_login"))
    )
    return _inactive_since(erasure_limit(now + NOTICE_BEFORE)).exclude(told)


def due_for_erasure(now):
    """Accounts past the limit whose owner was told at least 30 days ago (and has not signed
    in since: a login moves them out of `_inactive_since`)."""
    return _inactive_since(erasure_limit(now)).filter(
        erasure_notice_sent_at__isnull=False, erasure_notice_sent_at__lte=now - NOTICE_BEFORE
    )


def apply_retention(now, send_notice):
    """Tell the owners of accounts that reach the limit within 30 days (`send_notice(person,
    erase_on)`, marked as told in the same transaction) and erase the accounts past it whose
    owners were told. Returns (told, erased) as lists of ids; each is in the audit trail."""
    told, erased = [], []
    for person in due_for_notice(now).order_by("pk"):
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=person.pk)
            erase_on = (now + NOTICE_BEFORE).date()
            User.objects.filter(pk=locked.pk).update(erasure_notice_sent_at=now)
            log_action(
                None, "person.erasure_notice", locked, subject=locked, erase_on=str(erase_on)
            )
            send_notice(locked, erase_on)
        told.append(person.pk)
    for person in due_for_erasure(now).order_by("pk"):
        erase_person(person, by=None, reason="retention")
        erased.append(person.pk)
    return told, erased
