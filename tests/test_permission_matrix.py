"""Every URL × every persona, inside and outside its scope: exactly the expected status.

The URLs are walked from the URL configuration: a named URL of ours without a row in MATRIX fails
the suite (so does a row whose URL has gone). Django's admin is left out but for a few
representative pages, and so is i18n's set_language.

200 = may see (or do); 403 = sees the object but may not do this; 404 = outside the scope (its
existence is not revealed); LOGIN = a 302 to the login page; 401 = the API without a token.
Other statuses are what the page answers a well-formed request: a 302 elsewhere (after a POST
that worked, for instance), 400 for a POST the page refuses, 201 for what the API creates. A 500
is never expected.

Each request runs in a transaction rolled back after it: a POST that works changes nothing the
next request sees. POST-only views also answer 405 to a GET. URLs are referenced by name only
(reverse), never by importing a view.
"""

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import SimpleTestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from yrkesresan.accounts.models import ApiToken, User
from yrkesresan.catalog.models import PreparationTask
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import PERSONAS, PersonaTestCase, make_person
from yrkesresan.enrolment import attendance, completion, deep_dive, preparation, review
from yrkesresan.enrolment.models import (
    Attendance,
    DeepDiveAnswer,
    ImportJob,
    MakeUpDay,
    Registration,
)
from yrkesresan.enrolment.services import register
from yrkesresan.learning.tests.participant_support import dated_round, days_from_today
from yrkesresan.learning.tests.participant_support import register as place
from yrkesresan.materials.models import Material
from yrkesresan.notifications.models import CalendarFeed
from yrkesresan.reports.models import ExportJob
from yrkesresan.rounds import services as planning
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round
from yrkesresan.staffing import services as staffing
from yrkesresan.staffing.models import Plan, PlanAssignment, PoolMembership, Team

LOGIN = "302 to the login page"

# Named URLs that need no row: i18n's language switch. Django's admin (admin:*) needs none
# either; the rows below keep a few of its pages as representatives.
UNLISTED = {"set_language"}
UNLISTED_NAMESPACES = ("admin:",)


def named_urls(patterns=None, namespace="", prefix=""):
    """{"namespace:name": route} of every named URL pattern, walked from the URL configuration
    (get_resolver) through every include."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(named_urls(pattern.url_patterns, inner, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.setdefault(namespace + pattern.name, prefix + str(pattern.pattern))
    return found


def urls_needing_a_row():
    return {
        name: route
        for name, route in named_urls().items()
        if name not in UNLISTED and not name.startswith(UNLISTED_NAMESPACES)
    }


@dataclass(frozen=True)
class Row:
    """One URL with one set of arguments: how to call it and what each persona gets."""

    name: str
    expected: dict
    args: object = None  # test -> [args] or {kwargs}
    method: str = "get"
    data: object = None  # test -> POST data (the API: a JSON body)
    query: object = ""  # a string, or test -> string
    api: bool = False

    @property
    def post_only(self):
        return self.method == "post"

    def url(self, test):
        arguments = self.args(test) if self.args else []
        query = self.query(test) if callable(self.query) else self.query
        if isinstance(arguments, dict):
            return reverse(self.name, kwargs=arguments) + query
        return reverse(self.name, args=arguments) + query


def statuses(default, anonymous, overrides):
    expected = {persona: overrides.pop(persona, default) for persona in PERSONAS}
    expected["anonymous"] = anonymous
    if overrides:
        raise ValueError(f"unknown personas {sorted(overrides)}")
    return expected


def page(name, default, *, args=None, query="", anonymous=LOGIN, **overrides):
    """A page read with GET: `default` for every persona not named."""
    return Row(name, statuses(default, anonymous, overrides), args, query=query)


def post(name, default, *, args=None, data=None, anonymous=LOGIN, **overrides):
    """A POST-only view: a POST by each persona; a GET answers 405."""
    expected = statuses(default, anonymous, overrides)
    return Row(name, expected, args, method="post", data=data)


def api(name, default, *, args=None, method="get", data=None, query="", anonymous=401, **overrides):
    """The JSON API with each persona's bearer token; anonymous sends none."""
    expected = statuses(default, anonymous, overrides)
    return Row(name, expected, args, method=method, data=data, query=query, api=True)


# Round X (Region X, running: days 1–3 over, day 4 today) is run by its coordinator, its trainers
# and course leader (the round's own), and administrators. Its registered participants and the
# registrars of the region (managers, the municipal contact) see it without running it.
RUN_X = ("coordinator_x", "trainer_x", "course_leader_x", "admin")
SEE_X = ("participant", "kumla_participant", "manager_a", "manager_kumla", "contact_eskilstuna")


def round_x(name, runs, sees, *, args=None, method="get", data=None, query="", **overrides):
    """A page of round X: `runs` for RUN_X, `sees` for SEE_X, 404 for everyone else (the colleague
    and the other unit's participant have no place in it; Region Y and the editor are outside)."""
    overrides = {
        **dict.fromkeys(RUN_X, runs),
        **dict.fromkeys(SEE_X, sees),
        **overrides,
    }
    expected = statuses(404, LOGIN, overrides)
    return Row(name, expected, args or (lambda t: [t.round.pk]), method, data, query)


def round_x_post(name, runs, sees, *, args, data=None, **overrides):
    """A POST-only view of round X, as round_x."""
    return round_x(name, runs, sees, args=args, method="post", data=data, **overrides)


# Who may see the participant (Eskilstuna, unit A): themself, their manager, their
# municipality's contact, the coordinator of the region, administrators.
SEE_PARTICIPANT = dict(
    participant=200, manager_a=200, contact_eskilstuna=200, coordinator_x=200, admin=200
)
# Who reads participant material: those with a place in a round of the course, and everyone who
# reads trainer material. Trainer material: trainers, course leaders, coordinators, editors.
TRAINER_MATERIAL = dict(
    coordinator_x=200, coordinator_y=200, trainer_x=200, course_leader_x=200, editor=200, admin=200
)
PARTICIPANT_MATERIAL = dict(
    TRAINER_MATERIAL, participant=200, kumla_participant=200, solna_participant=200
)
# Planners of rounds: the coordinators and administrators.
PLANNERS = dict(coordinator_x=200, coordinator_y=200, admin=200)
REGISTRARS = dict(manager_a=200, manager_kumla=200, contact_eskilstuna=200)


MATRIX = [
    # Public pages.
    page("home:home", 200, anonymous=200),
    page("core:healthz", 200, anonymous=200),
    page("catalog:journeys", 200, anonymous=200),
    page("catalog:journey", 200, anonymous=200, args=lambda t: ["barn-och-unga"]),
    page("catalog:journey", 200, anonymous=200, args=lambda t: ["aldreomsorg"]),
    page("catalog:course", 200, anonymous=200, args=lambda t: [t.course.slug]),
    page("leader:verify", 200, anonymous=200),
    page("leader:verify_code", 200, anonymous=200, args=lambda t: [t.completion.verification_code]),
    page("leader:verify_code", 404, anonymous=404, args=lambda t: ["ABCD-EFGH-JKLM"]),
    # The calendar feed: no login, the token in the address is the key.
    page("notifications:feed", 200, anonymous=200, args=lambda t: [t.feed.token]),
    page("notifications:feed", 404, anonymous=404, args=lambda t: ["finns-inte"]),
    # Accounts. Logging in is for those logged out; logging out is a POST.
    page("accounts:login", 302, anonymous=200),
    post("accounts:logout", 302, anonymous=302),
    # Federated login (sso): the e-mail step sends a local account on to the password step, and
    # logging out is for everyone. djangosaml2's endpoints answer the same to every persona: with
    # no identity provider configured here, there is nobody to be sent to.
    post("sso:start", 302, anonymous=302, data=lambda t: {"username": "kumla@example.com"}),
    post("sso:logout", 302, anonymous=302),
    # The one-time code page: only a password login that needs one stays (force_login is none).
    page("sso:totp", 302),
    page("sso:recovery_codes", 200),
    page("sso:oidc_login", 302, anonymous=302),
    page("sso:oidc_callback", 302, anonymous=302),
    page("saml2_login", 302, anonymous=302),
    post("saml2_acs", 400, anonymous=400),
    page("saml2_logout", 302),
    page("saml2_ls", 400, anonymous=400),
    page("saml2_ls_post", 400, anonymous=400),
    page("saml2_metadata", 200, anonymous=200),
    page("accounts:profile", 200),
    # Who has seen my data: everyone their own; the staff's log: contacts and administrators.
    page("accounts:my_trail", 200),
    page("accounts:staff_trail", 403, contact_eskilstuna=200, admin=200),
    # Personal data: everyone their own; the record of processing as the staff's log.
    page("accounts:my_data", 200),
    page("accounts:my_data_json", 200),
    page("accounts:my_data_pdf", 200),
    page("accounts:processing_record", 403, contact_eskilstuna=200, admin=200),
    # Erasing the participant: the municipality's contact and administrators; those who see
    # the person otherwise (themself, their manager, the county's coordinator) may not.
    page(
        "accounts:erase_person",
        404,
        args=lambda t: [t.participant.pk],
        contact_eskilstuna=200,
        admin=200,
        participant=403,
        manager_a=403,
        coordinator_x=403,
    ),
    # API tokens: everyone their own (an administrator every token). Revoking the manager's
    # token: the manager and administrators; for anyone else the token does not exist.
    page("accounts:api_tokens", 200),
    post(
        "accounts:revoke_api_token",
        404,
        args=lambda t: [ApiToken.objects.get(digest=ApiToken.digest_of(t.tokens["manager_a"])).pk],
        manager_a=302,
        admin=302,
    ),
    page("accounts:password_change", 200),
    page("accounts:password_changed", 200),
    # Password recovery is open to anyone (it answers the same whatever the address).
    page("accounts:password_reset", 200, anonymous=200),
    page("accounts:password_reset_sent", 200, anonymous=200),
    # A valid link to set the participant's password goes on to its form; the token is the key.
    page("accounts:password_set", 302, anonymous=302, args=lambda t: t.password_link()),
    page("accounts:password_set", 200, anonymous=200, args=lambda t: ["MQ", "fel-nyckel"]),
    page("colleagues:search", 200),
    # Organisations: for everyone logged in.
    page("reports:counties", 200),
    page("reports:county", 200, args=lambda t: ["04"]),
    page("reports:municipality", 200, args=lambda t: ["0484"]),
    # Staff and their records.
    page("learning:staff", 403, manager_a=200, manager_kumla=200, contact_eskilstuna=200,
         coordinator_x=200, coordinator_y=200, admin=200),
    page("learning:person", 404, args=lambda t: [t.participant.pk], **SEE_PARTICIPANT),
    page("learning:person", 404, args=lambda t: [t.solna_participant.pk],
         solna_participant=200, coordinator_y=200, admin=200),
    page("learning:set_placement", 404, args=lambda t: [t.participant.pk, "barn-och-unga"],
         manager_a=200, admin=200, participant=403, contact_eskilstuna=403,
         coordinator_x=403),
    # The role at work is set by whoever records a move (manager, municipal contact, admin).
    page("learning:set_work_role", 404, args=lambda t: [t.participant.pk], manager_a=200,
         contact_eskilstuna=200, admin=200, participant=403, coordinator_x=403),
    page("learning:choose_step", 200, args=lambda t: ["barn-och-unga"]),
    page("learning:choose_step", 404, args=lambda t: ["aldreomsorg"]),
    page("record:mine", 200),
    page("record:mine_pdf", 200),
    page("record:mine_json", 200),
    page("record:person_pdf", 404, args=lambda t: [t.participant.pk], **SEE_PARTICIPANT),
    page("record:person_json", 404, args=lambda t: [t.participant.pk], **SEE_PARTICIPANT),
    page("record:person_json", 404, args=lambda t: [t.solna_participant.pk],
         solna_participant=200, coordinator_y=200, admin=200),
    # A move is recorded by the manager, the municipal contact or an administrator.
    page("record:move", 404, args=lambda t: [t.participant.pk], manager_a=200,
         contact_eskilstuna=200, admin=200, participant=403, coordinator_x=403),
    # The participant's certificate: themself and those who may see them.
    page("leader:certificate", 404, args=lambda t: [t.completion.pk], **SEE_PARTICIPANT),
    # Planning rounds (coordinators and administrators) and the registrars' pages.
    page("reports:term_overview", 403, **REGISTRARS, **PLANNERS, trainer_x=200,
         course_leader_x=200),
    page("rounds:create", 403, **PLANNERS),
    page("reports:capacity", 403, **PLANNERS),
    page("reports:timeline", 403, **PLANNERS),
    page("reports:region_dashboard", 403, **PLANNERS),
    page("reports:region_dashboard_xlsx", 403, **PLANNERS),
    # A county's dashboard: the coordinators of the county, administrators.
    page("reports:county_dashboard", 403, args=lambda t: ["04"], coordinator_x=200, admin=200),
    page("reports:county_dashboard", 403, args=lambda t: ["01"], coordinator_y=200, admin=200),
    page("reports:county_dashboard", 404, args=lambda t: ["99"]),
    page("reports:county_dashboard_xlsx", 403, args=lambda t: ["04"], coordinator_x=200,
         admin=200),
    # A municipality's dashboard: its contact, the coordinators of its county, administrators
    # (the rule of its staff list); an unknown municipality is not found.
    page("reports:municipality_dashboard", 403, args=lambda t: ["0484"],
         contact_eskilstuna=200, coordinator_x=200, admin=200),
    page("reports:municipality_dashboard", 404, args=lambda t: ["9999"]),
    page("reports:municipality_dashboard_xlsx", 403, args=lambda t: ["0484"],
         contact_eskilstuna=200, coordinator_x=200, admin=200),
    page("reports:nation_dashboard", 403, editor=200, admin=200),
    page("reports:nation_dashboard_xlsx", 403, editor=200, admin=200),
    post("reports:export_start", 403, data=lambda t: {"kind": "nation"}, editor=302, admin=302),
    page("reports:export", 404, args=lambda t: [t.export_job.pk], admin=200),
    page("reports:export_file", 404, args=lambda t: [t.export_job.pk], admin=200),
    page("rounds:venues", 403, **PLANNERS),
    page("rounds:venue_create", 403, **PLANNERS),
    page("rounds:venue_edit", 403, args=lambda t: [t.venue.pk], coordinator_x=200,
         coordinator_y=404, admin=200),
    page("rounds:venue_edit", 403, args=lambda t: [t.venue_y.pk], coordinator_x=404,
         coordinator_y=200, admin=200),
    page("reports:my_staff", 403, **REGISTRARS),
    # A new hire is added by a manager (to their own units) or an administrator.
    page("enrolment:new_hire", 403, manager_a=200, manager_kumla=200, admin=200),
    # Round X: its page is for those who run it and the registrars, who see their own staff.
    round_x("enrolment:round", 200, 403, **REGISTRARS),
    round_x("enrolment:edit", 403, 403, coordinator_x=200, admin=200),
    round_x("rounds:copy", 403, 403, coordinator_x=200, admin=200),
    round_x("rounds:version", 403, 403, coordinator_x=200, admin=200),
    round_x("enrolment:status", 403, 403, query="?status=completed", coordinator_x=200, admin=200),
    round_x("rounds:day_edit", 403, 403, args=lambda t: [t.round.pk, 1], coordinator_x=200,
            admin=200),
    round_x_post("rounds:logistics", 403, 403, args=lambda t: [t.round.pk, 1],
                 data=lambda t: {"item": "room_booked", "done": "1"},
                 coordinator_x=302, admin=302),
    round_x("enrolment:attendance_list", 200, 403),
    round_x("enrolment:attendance_xlsx", 200, 403),
    round_x("reports:fees_xlsx", 403, 403, coordinator_x=200, admin=200),
    round_x("enrolment:register", 403, 403, **REGISTRARS, coordinator_x=200, admin=200),
    # Several people at once: the plan (GET) for round X, people of Eskilstuna and Kumla.
    round_x("enrolment:register_many", 403, 403, args=lambda t: [],
            query=lambda t: f"?round={t.round.pk}&people={t.participant.pk}"
            f"&people={t.kumla_participant.pk}", **REGISTRARS, coordinator_x=200, admin=200),
    # Round Y (Region Y): its coordinator and administrators; its participant sees it.
    page("enrolment:round", 404, args=lambda t: [t.round_y.pk], coordinator_y=200, admin=200,
         solna_participant=403),
    page("enrolment:register", 404, args=lambda t: [t.round_y.pk], coordinator_y=200, admin=200,
         solna_participant=403),
    page("leader:attendance_days", 404, args=lambda t: [t.round_y.pk], coordinator_y=200,
         admin=200, solna_participant=403),
    page("enrolment:cancel", 404, args=lambda t: [t.registration_y.pk], solna_participant=200,
         coordinator_y=200, admin=200),
    # Round Y's addresses with round X's objects: nobody reaches them through round Y, not even
    # round Y's coordinator or an administrator (the participant in Y may not use the pages).
    post("staffing:change_team", 404, args=lambda t: [t.round_y.pk, t.team.pk],
         solna_participant=403),
    post("staffing:remove_team", 404, args=lambda t: [t.round_y.pk, t.team.pk],
         solna_participant=403),
    post("staffing:assign_day", 404, args=lambda t: [t.round_y.pk, t.days[3].pk],
         data=lambda t: {f"day-{t.days[3].pk}-team": ""}, solna_participant=403),
    post("leader:mark_attendance", 404, args=lambda t: [t.round_y.pk, 1, t.registration.pk],
         data=lambda t: {"status": "present"}, solna_participant=403),
    post("leader:review_answer", 404, args=lambda t: [t.round_y.pk, t.answer.pk],
         data=lambda t: {f"svar-{t.answer.pk}-decision": "approve"},
         solna_participant=403),
    post("leader:cancel_make_up", 404, args=lambda t: [t.round_y.pk, t.make_up.pk],
         solna_participant=403),
    # Cancelling the participant's registration: whoever may register them, and themself. The
    # round's trainers see the registration; the Kumla people do not.
    page("enrolment:cancel", 404, args=lambda t: [t.registration.pk], participant=200,
         manager_a=200, contact_eskilstuna=200, coordinator_x=200, admin=200, trainer_x=403,
         course_leader_x=403),
    # Bulk registration: the coordinator, administrators and municipal contacts (their staff).
    round_x("imports:upload", 403, 403, coordinator_x=200, admin=200, contact_eskilstuna=200),
    # With no preview in the session the preview sends back to the round page.
    round_x("imports:preview", 403, 403, coordinator_x=302, admin=302, contact_eskilstuna=302),
    # With no preview in the session there is nothing to apply.
    round_x_post("imports:apply", 403, 403, args=lambda t: [t.round.pk], coordinator_x=400,
                 admin=400, contact_eskilstuna=400),
    # A background import: its owner (the coordinator) and whoever may import into its round.
    page("imports:job", 404, args=lambda t: [t.import_job.pk], coordinator_x=200, admin=200,
         contact_eskilstuna=200),
    # Staffing: read by those who run the round, changed by its coordinator.
    round_x("staffing:round_staffing", 200, 403),
    round_x_post("staffing:set_course_leader", 403, 403, args=lambda t: [t.round.pk],
                 data=lambda t: {"leader-course_leader": t.course_leader_x.pk},
                 coordinator_x=302, admin=302),
    round_x_post("staffing:create_team", 403, 403, args=lambda t: [t.round.pk],
                 data=lambda t: {"new-team-name": "Lag 2", "new-team-members": [t.trainer_x.pk]},
                 coordinator_x=302, admin=302),
    round_x_post("staffing:change_team", 403, 403, args=lambda t: [t.round.pk, t.team.pk],
                 data=lambda t: {f"team-{t.team.pk}-members": [t.course_leader_x.pk]},
                 coordinator_x=302, admin=302),
    round_x_post("staffing:remove_team", 403, 403, args=lambda t: [t.round.pk, t.team.pk],
                 coordinator_x=302, admin=302),
    round_x_post("staffing:assign_day", 403, 403, args=lambda t: [t.round.pk, t.days[3].pk],
                 data=lambda t: {f"day-{t.days[3].pk}-team": t.team.pk},
                 coordinator_x=302, admin=302),
    # The handover note of a day: those who run the round; round Y's address with round X's day
    # is nobody's.
    round_x("staffing:handover_note", 200, 403, args=lambda t: [t.round.pk, t.days[3].pk]),
    page("staffing:handover_note", 404, args=lambda t: [t.round_y.pk, t.days[3].pk],
         solna_participant=403),
    page("staffing:my_days", 200),
    # Planning a term's trainers: the coordinator of the structure and administrators; another
    # structure's coordinator does not find it; the rest may not plan. A planned day is
    # answered by its person alone.
    page("staffing:plans", 403, **PLANNERS),
    page("staffing:pool", 403, args=lambda t: [t.region_x.pk], coordinator_x=200, admin=200,
         coordinator_y=404),
    page("staffing:term_plan", 403, args=lambda t: [t.region_x.pk, t.term_slug],
         coordinator_x=200, admin=200, coordinator_y=404),
    post("staffing:propose_plan", 403, args=lambda t: [t.region_x.pk, t.term_slug],
         coordinator_x=302, admin=302, coordinator_y=404),
    post("staffing:lock_team", 403, args=lambda t: [t.proposal.pk],
         data=lambda t: {"round": t.next_round.pk, "team": 1, "locked": "1"},
         coordinator_x=302, admin=302, coordinator_y=404),
    post("staffing:accept_plan", 403, args=lambda t: [t.proposal.pk], coordinator_x=302,
         admin=302, coordinator_y=404),
    post("staffing:answer_day", 404, args=lambda t: [t.planned_day.pk],
         data=lambda t: {"answer": "decline"}, trainer_x=302),
    page("staffing:availability", 200),
    # Recruitment: anyone applies; a manager decides for their units' staff; the coordinator
    # accepts the manager-approved into the structure's pool.
    page("staffing:apply", 200),
    page("staffing:manager_applications", 403, manager_a=200, manager_kumla=200),
    post("staffing:manager_decide", 403, args=lambda t: [t.application.pk],
         data=lambda t: {"decision": "approve", "days_per_term": 6}, manager_a=302,
         manager_kumla=404),
    post("staffing:coordinator_decide", 403, args=lambda t: [t.approved_application.pk],
         data=lambda t: {"decision": "accept"}, coordinator_x=302, admin=302, coordinator_y=404),
    # The manager sees their staff's availability and withdraws a date; the coordinator takes
    # a trainer out of the pool and records trainer training.
    page("staffing:staff_availability", 403, manager_a=200, manager_kumla=200),
    post("staffing:withdraw_date", 403, args=lambda t: [t.staff_trainer.pk],
         data=lambda t: {"date": t.next_round_days[0].date.isoformat(), "reason": "Tillsyn"},
         manager_a=302, manager_kumla=404),
    post("staffing:remove_from_pool", 403, args=lambda t: [t.staff_trainer.pk],
         coordinator_x=302, admin=302, coordinator_y=404),
    post("staffing:record_training", 403, args=lambda t: [t.staff_trainer.pk],
         data=lambda t: {"course": t.course.pk, "trained_on": "2026-01-15"},
         coordinator_x=302, admin=302, coordinator_y=404),
    # The pages of those who run round X: attendance, preparation, deep-dive review.
    round_x("leader:attendance_days", 200, 403),
    round_x("leader:attendance", 200, 403, args=lambda t: [t.round.pk, 1]),
    round_x_post("leader:mark_attendance", 302, 403,
                 args=lambda t: [t.round.pk, 3, t.kumla_registration.pk],
                 data=lambda t: {"status": "present"}),
    round_x("leader:preparation", 200, 403),
    round_x("leader:review", 200, 403),
    round_x_post("leader:review_answer", 302, 403, args=lambda t: [t.round.pk, t.answer.pk],
                 data=lambda t: {f"svar-{t.answer.pk}-decision": "approve"}),
    # Completion is the course leader's, or the coordinator's in their stead.
    round_x("leader:completion", 200, 403, trainer_x=403),
    # The round's undelivered e-mail and scheduled reminders are its coordinator's.
    round_x("notifications:round_mail", 403, 403, coordinator_x=200, admin=200),
    round_x_post("notifications:resend", 403, 403, args=lambda t: [t.round.pk],
                 coordinator_x=302, admin=302),
    round_x_post("notifications:remind_now", 403, 403, args=lambda t: [t.round.pk],
                 data=lambda t: {"day": t.round.days.get(number=4).pk},
                 coordinator_x=302, admin=302),
    # Make-up days are booked by the coordinator.
    round_x("leader:make_up_days", 403, 403, coordinator_x=200, admin=200),
    round_x_post("leader:book_make_up", 403, 403, args=lambda t: [t.round.pk],
                 data=lambda t: {"registration": t.kumla_registration.pk,
                                 "day": t.next_round_days[1].pk},
                 coordinator_x=302, admin=302),
    round_x_post("leader:cancel_make_up", 403, 403, args=lambda t: [t.round.pk, t.make_up.pk],
                 coordinator_x=302, admin=302),
    # The participant's own pages: only their own registration, only courses they take.
    post("participant:step_seen", 302, args=lambda t: ["barn-och-unga"]),
    page("participant:preparation", 404, args=lambda t: [t.course.slug], participant=200,
         kumla_participant=200, solna_participant=200),
    page("participant:preparation_module", 404, args=lambda t: [t.course.slug, t.reflection.pk],
         participant=200, kumla_participant=200, solna_participant=200),
    post("participant:preparation_done", 404, args=lambda t: [t.course.slug, t.reflection.pk],
         data=lambda t: {"done": "1"}, participant=302, kumla_participant=302,
         solna_participant=302),
    post("participant:preparation_notes", 404, args=lambda t: [t.course.slug, t.reflection.pk],
         data=lambda t: {"notes": "Mina tankar."}, participant=302, kumla_participant=302,
         solna_participant=302),
    page("participant:my_course", 404, args=lambda t: [t.round.pk], participant=200,
         kumla_participant=200),
    page("participant:my_course", 404, args=lambda t: [t.round_y.pk], solna_participant=200),
    # The participant's course is completed and the Kumla participant's answer waits for
    # review: neither can change it. Solna's draft in round Y is saved.
    post("participant:deep_dive", 404, args=lambda t: [t.round.pk, t.task.pk],
         data=lambda t: {f"uppgift-{t.task.pk}-text": "Mitt svar."}, participant=400,
         kumla_participant=400),
    post("participant:deep_dive", 404, args=lambda t: [t.round_y.pk, t.task.pk],
         data=lambda t: {f"uppgift-{t.task.pk}-text": "Mitt svar."},
         solna_participant=302),
    # Evaluations: the participant's own invitation (not yet answered: thanks sends back to it);
    # the results for those who run the round and the journey's editors.
    page("evaluations:index", 200),
    page("evaluations:answer", 404, args=lambda t: [t.round.pk], participant=200),
    page("evaluations:thanks", 404, args=lambda t: [t.round.pk], participant=302),
    round_x("evaluations:round_results", 200, 403, editor=200),
    page("evaluations:course_comparison", 403, args=lambda t: [t.course.slug], coordinator_x=200,
         coordinator_y=200, course_leader_x=200, editor=200, admin=200),
    # Physical against digital days over the rounds whose results the persona reads.
    page("reports:mode_comparison", 403, coordinator_x=200, coordinator_y=200,
         course_leader_x=200, editor=200, admin=200),
    page("reports:mode_comparison_xlsx", 403, coordinator_x=200, coordinator_y=200,
         course_leader_x=200, editor=200, admin=200),
    # Course material.
    # The editors' workspace: the editor of the course's journey and administrators; a course
    # outside one's journeys is a 404 for everyone else.
    page("catalog:knowledge_bank", 200, query="?q=barn"),
    page("editor:workspace", 403, editor=200, admin=200),
    page("editor:edit", 404, args=lambda t: [t.course.slug], editor=200, admin=200),
    page("editor:preview", 404, args=lambda t: [t.course.slug], editor=200, admin=200),
    page("editor:publish", 404, args=lambda t: [t.course.slug], editor=200, admin=200),
    page("editor:versions", 404, args=lambda t: [t.course.slug], editor=200, admin=200),
    # Files: the matrix's material has none, so 404 for all (access: materials/tests/test_uploads).
    page("materials:file", 404, args=lambda t: [t.course.slug, t.trainer_material.pk]),
    page("materials:broken_links", 403, editor=200, admin=200),
    page("materials:add", 404, args=lambda t: [t.course.slug], editor=200, admin=200),
    post("materials:acknowledge", 403, args=lambda t: [t.course.slug],
         **{p: 302 for p, s in TRAINER_MATERIAL.items() if s == 200}),
    round_x("materials:readers", 403, 403, coordinator_x=200, admin=200),
    page("materials:course", 404, args=lambda t: [t.course.slug], **PARTICIPANT_MATERIAL),
    page("materials:trainer", 403, args=lambda t: [t.course.slug], **TRAINER_MATERIAL),
    page("materials:item", 404, args=lambda t: [t.course.slug, t.participant_material.pk],
         **PARTICIPANT_MATERIAL),
    page("materials:item", 403, args=lambda t: [t.course.slug, t.trainer_material.pk],
         **TRAINER_MATERIAL),
    # The personal calendar address.
    page("notifications:feed_settings", 200),
    # The HR-system API: a bearer token acts with its owner's rights; no token is a 401.
    api("api:openapi", 200, anonymous=200),
    api("api:round_list", 200),
    api("api:round_detail", 404, args=lambda t: [t.round.pk], **dict.fromkeys(RUN_X + SEE_X, 200)),
    api("api:round_detail", 404, args=lambda t: [t.round_y.pk], coordinator_y=200, admin=200,
        solna_participant=200),
    # Registering the colleague (Eskilstuna, unit A) in the open round: those who see the round
    # and the colleague, and may register them.
    api("api:round_registrations", 404, method="post", args=lambda t: [t.next_round.pk],
        data=lambda t: {"email": t.colleague.email, "reason": "Ny inom barn och unga."},
        manager_a=201, contact_eskilstuna=201, coordinator_x=201, admin=201),
    api("api:registration_detail", 404, args=lambda t: [t.registration.pk],
        participant=200, manager_a=200, contact_eskilstuna=200, coordinator_x=200,
        admin=200),
    api("api:registration_detail", 404, args=lambda t: [t.kumla_registration.pk],
        kumla_participant=200, manager_kumla=200, coordinator_x=200, admin=200),
    api("api:registration_detail", 404, method="delete", args=lambda t: [t.registration_y.pk],
        query="?reason=Sjuk", solna_participant=200, coordinator_y=200, admin=200),
    api("api:not_found", 404, anonymous=404, args=lambda t: {"path": "finns-inte"}),
    # Django's admin: staff only, the rest sent to the admin's own login page.
    page("admin:index", 302, anonymous=302, editor=200, admin=200),
    page("admin:catalog_course_change", 302, anonymous=302, args=lambda t: [t.course.pk],
         editor=200, admin=200),
    page("admin:accounts_user_changelist", 302, anonymous=302, editor=403, admin=200),
]  # fmt: skip


class MatrixCoversEveryUrlTests(SimpleTestCase):
    def test_every_named_url_has_an_expected_row(self):
        rows = {row.name for row in MATRIX}
        missing = sorted(set(urls_needing_a_row()) - rows)
        self.assertFalse(
            missing,
            "\n".join(f"no expected row for {name} — add it to MATRIX" for name in missing),
        )

    def test_every_row_names_an_existing_url(self):
        known = named_urls()
        gone = sorted({row.name for row in MATRIX} - set(known))
        self.assertFalse(
            gone, "\n".join(f"MATRIX has a row for {name}, which no URL has now" for name in gone)
        )

    def test_no_row_expects_a_server_error(self):
        for row in MATRIX:
            for persona, status in row.expected.items():
                with self.subTest(url=row.name, persona=persona):
                    self.assertFalse(isinstance(status, int) and status >= 500)


class PermissionMatrixTests(PersonaTestCase):
    """The objects every row needs, built once with the apps' own services and test helpers.

    Round X (Region X, running: days 1–3 over, day 4 today, led by course_leader_x with a team of
    trainer_x): the participant completed it (certificate, evaluation invitation); the Kumla
    participant handed in a deep-dive answer, missed days 1 and 2 and is booked on day 1 of the
    next round as a make-up day. Next round X: open, in two months. Round Y (Region Y, open):
    the Solna participant registered. A venue in each region, course material for participants
    and trainers, the participant's calendar feed and an API token for every persona.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.venue = planning.save_venue(
            cls.region_x,
            by=cls.coordinator_x,
            name="Stadshuset",
            room="Sal 3",
            address="Fristadstorget 2, Eskilstuna",
            capacity=40,
        )
        cls.venue_y = planning.save_venue(
            cls.region_y,
            by=cls.coordinator_y,
            name="Solna stadshus",
            address="Solna",
            capacity=40,
        )
        cls.task = cls.course.deep_dive_tasks.get()
        cls.reflection = PreparationTask.objects.create(
            course=cls.course,
            title="Reflektera över barnets röst",
            kind=PreparationTask.Kind.REFLECTION,
            estimated_minutes=20,
            order=2,
        )

        cls.round = dated_round(
            cls.course,
            cls.region_x,
            days_from_today(-21),
            name="Omgång 1",
            status=Round.Status.RUNNING,
            venue=cls.venue,
        )
        staffing.set_course_leader(cls.round, cls.course_leader_x, by=cls.coordinator_x)
        cls.days = list(cls.round.days.order_by("number"))
        cls.team = staffing.create_team(cls.round, "Lag 1", [cls.trainer_x], by=cls.coordinator_x)
        cls.registration = place(cls.participant, cls.round)
        cls.kumla_registration = place(cls.kumla_participant, cls.round)
        # The participant does everything the course asks and is marked complete.
        leader = cls.course_leader_x
        for day in cls.days:
            attendance.mark_attendance(cls.registration, day, Attendance.Status.PRESENT, by=leader)
        for module in cls.course.preparation_tasks.all():
            preparation.set_done(cls.participant, module, True)
        deep_dive.save_answer(cls.registration, cls.task, "Mitt svar.", submit=True)
        review.review_answer(cls.registration.deep_dive_answers.get(), approve=True, by=leader)
        [cls.completion] = completion.complete([cls.registration], by=leader)
        # The Kumla participant hands in an answer and misses days 1 and 2.
        deep_dive.save_answer(cls.kumla_registration, cls.task, "Mitt svar.", submit=True)
        cls.answer = cls.kumla_registration.deep_dive_answers.get()
        for day in cls.days[:2]:
            attendance.mark_attendance(
                cls.kumla_registration, day, Attendance.Status.ABSENT, by=leader
            )

        cls.next_round = make_round(cls.course, cls.region_x, name="Omgång 2")
        cls.next_round_days = list(cls.next_round.days.order_by("number"))
        attendance.book_make_up_day(
            cls.kumla_registration, cls.next_round_days[0], by=cls.coordinator_x
        )
        cls.make_up = MakeUpDay.objects.get(registration=cls.kumla_registration)

        # A proposal and an accepted plan of round 2's term, trainer_x in the pool.
        PoolMembership.objects.create(
            person=cls.trainer_x, structure=cls.region_x, motivation="m", experience="e",
            status=PoolMembership.Status.ACCEPTED, days_per_term=8,
        )  # fmt: skip
        cls.term_slug = cls.next_round.term.replace(" ", "-")
        cls.proposal = Plan.objects.create(
            structure=cls.region_x, term=cls.next_round.term, status=Plan.Status.PROPOSED
        )
        accepted = Plan.objects.create(
            structure=cls.region_x, term=cls.next_round.term, status=Plan.Status.ACCEPTED
        )
        for plan in (cls.proposal, accepted):
            for day in cls.next_round_days[:2]:
                assignment = PlanAssignment.objects.create(
                    plan=plan, day=day, person=cls.trainer_x, team=1, date=day.date
                )
        cls.planned_day = assignment
        cls.application = PoolMembership.objects.create(
            person=cls.participant, structure=cls.region_x, motivation="m", experience="e"
        )
        cls.staff_trainer = PoolMembership.objects.create(
            person=make_person("poolutbildare@example.com", unit=cls.unit_a),
            structure=cls.region_x, motivation="m", experience="e",
            status=PoolMembership.Status.ACCEPTED, days_per_term=6,
        )  # fmt: skip
        cls.approved_application = PoolMembership.objects.create(
            person=cls.colleague, structure=cls.region_x, motivation="m", experience="e",
            status=PoolMembership.Status.MANAGER_APPROVED, days_per_term=6,
        )  # fmt: skip

        cls.round_y = make_round(cls.course, cls.region_y, name="Omgång Y")
        cls.registration_y = register(
            cls.solna_participant,
            cls.round_y,
            by=cls.coordinator_y,
            step_mismatch_reason="Ny inom barn och unga.",
        )

        published = datetime.date(2025, 7, 1)
        cls.participant_material = Material.objects.create(
            course=cls.course,
            audience=Material.Audience.PARTICIPANT,
            title="Läsanvisning",
            published_on=published,
        )
        cls.trainer_material = Material.objects.create(
            course=cls.course,
            audience=Material.Audience.TRAINER,
            title="Handledning för utbildare",
            published_on=published,
        )
        cls.feed = CalendarFeed.for_user(cls.participant)
        # An export of the administrator's, ready: only they follow it and fetch its file.
        cls.export_job = ExportJob.objects.create(
            owner=cls.admin,
            kind=ExportJob.Kind.NATION,
            status=ExportJob.Status.DONE,
            progress=100,
            filename="nationellt.xlsx",
            content=b"PK",
        )
        cls.import_job = ImportJob.objects.create(
            owner=cls.coordinator_x,
            round=cls.round,
            status=ImportJob.Status.DONE,
            rows_total=400,
            result={"registered": 300, "waitlisted": 100, "new_accounts": 50, "problems": []},
        )
        cls.tokens = {
            name: ApiToken.issue(getattr(cls, name)) for name in PERSONAS if name != "anonymous"
        }

    def password_link(self):
        """The participant's link to set a password, valid now (the token covers the last
        login, which logging a persona in changes)."""
        participant = User.objects.get(pk=self.participant.pk)
        uid = urlsafe_base64_encode(force_bytes(participant.pk))
        return [uid, default_token_generator.make_token(participant)]

    def call(self, row, persona, method=None):
        """`persona` calls the row's URL; every change it makes is rolled back."""
        method = method or row.method
        headers = {}
        if row.api:
            self.client.cookies.clear()
            if persona != "anonymous":
                headers["Authorization"] = f"Bearer {self.tokens[persona]}"
        else:
            self.sign_in(persona)
        with transaction.atomic():
            url = row.url(self)
            data = row.data(self) if row.data else None
            if row.api:
                response = self.client.generic(
                    method.upper(),
                    url,
                    data=json.dumps(data) if data and method != "get" else "",
                    content_type="application/json",
                    headers=headers,
                )
            elif method == "post":
                response = self.client.post(url, data or {})
            else:
                response = self.client.get(url)
            transaction.set_rollback(True)
        return url, response

    def sign_in(self, persona):
        """The persona's session cookie alone (none for "anonymous"): one login per persona
        and test, outside the calls' rollbacks, so that a thousand calls do not log in a
        thousand times."""
        self.client.cookies.clear()
        if persona == "anonymous":
            return
        if not hasattr(self, "_sessions"):
            self._sessions = {}
        if persona not in self._sessions:
            self.client.force_login(getattr(self, persona))
            self._sessions[persona] = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.client.cookies[settings.SESSION_COOKIE_NAME] = self._sessions[persona]

    def assert_status(self, response, expected, message):
        if expected == LOGIN:
            self.assertEqual(response.status_code, 302, message)
            self.assertTrue(
                response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next="),
                f"{message}: sent to {response['Location']}",
            )
        else:
            self.assertEqual(response.status_code, expected, message)

    def test_every_url_for_every_persona(self):
        before = self.snapshot()
        for row in MATRIX:
            for persona, expected in row.expected.items():
                with self.subTest(url=row.name, persona=persona):
                    url, response = self.call(row, persona)
                    self.assert_status(response, expected, f"{persona} {row.method.upper()} {url}")
        self.assertEqual(self.snapshot(), before, "a request left a change behind")

    def test_post_only_urls_refuse_a_get(self):
        for row in MATRIX:
            if row.post_only or (row.api and row.method == "post"):
                with self.subTest(url=row.name):
                    url, response = self.call(row, "admin", method="get")
                    self.assertEqual(response.status_code, 405, f"admin GET {url}")

    def snapshot(self):
        """What the rows' POSTs would change, were they not rolled back."""
        return {
            "audit events": AuditEvent.objects.count(),
            "registrations": sorted(Registration.objects.values_list("pk", "status")),
            "teams": sorted(Team.objects.values_list("pk", "name")),
            "make-up days": MakeUpDay.objects.count(),
            "answers": sorted(DeepDiveAnswer.objects.values_list("pk", "status")),
            "attendance": Attendance.objects.count(),
            "feed": CalendarFeed.objects.get(pk=self.feed.pk).token,
        }

    def test_unknown_objects_are_404_for_everyone(self):
        self.client.force_login(self.admin)
        for url in [
            reverse("catalog:journey", args=["finns-inte"]),
            reverse("catalog:course", args=["finns-inte"]),
            reverse("reports:county", args=["99"]),
            reverse("reports:municipality", args=["9999"]),
            reverse("learning:person", args=[999999]),
            "/ingen-sida/",
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, "Sidan kunde inte hittas", status_code=404)


class StaffListNeverLeaksTests(PersonaTestCase):
    """The staff list shows exactly the people in the viewer's scope."""

    def emails_seen_by(self, persona):
        self.client.force_login(persona)
        response = self.client.get(reverse("learning:staff"))
        self.assertEqual(response.status_code, 200)
        return {row.person.email for row in response.context["rows"]}

    def test_manager_sees_only_their_unit(self):
        self.assertEqual(
            self.emails_seen_by(self.manager_a),
            {"deltagare@example.com", "kollega@example.com", "chef.a@example.com"},
        )

    def test_manager_in_another_municipality_sees_none_of_eskilstuna(self):
        seen = self.emails_seen_by(self.manager_kumla)
        self.assertEqual(seen, {"kumla@example.com", "chef.kumla@example.com"})

    def test_municipal_contact_sees_their_whole_municipality_only(self):
        seen = self.emails_seen_by(self.contact_eskilstuna)
        self.assertIn("familjehem@example.com", seen)
        self.assertIn("deltagare@example.com", seen)
        self.assertNotIn("kumla@example.com", seen)
        self.assertNotIn("solna@example.com", seen)

    def test_coordinator_sees_their_region_only(self):
        seen_x = self.emails_seen_by(self.coordinator_x)
        self.assertIn("kumla@example.com", seen_x)
        self.assertIn("deltagare@example.com", seen_x)
        self.assertNotIn("solna@example.com", seen_x)
        seen_y = self.emails_seen_by(self.coordinator_y)
        self.assertEqual(seen_y, {"solna@example.com"})

    def test_filters_cannot_widen_the_scope(self):
        self.client.force_login(self.manager_kumla)
        response = self.client.get(reverse("learning:staff"), {"municipality": self.eskilstuna.pk})
        self.assertEqual(response.context["rows"], [])
        self.assertNotContains(response, "deltagare@example.com")
