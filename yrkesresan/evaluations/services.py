"""The follow-up evaluation: answering once, anonymously, and the results.

Anonymity is by construction (see models.py): a Response and its Answers hold the round, the
course day and its mode, and the answers; nothing that points to a person, an invitation or a
time. What is written when someone answers is the invitation's `answered` flag and one
SealedAnswers row (encrypted, padded), in one transaction, and nothing else: no audit event, no
timestamp. A batch job (move_sealed_answers) later moves BATCH_SIZE or more of a round's sealed
answers at once into Responses and Answers, shuffled, in a transaction of its own, so that
neither PostgreSQL's transaction ids (xmin) nor the rows' physical order (ctid) nor their keys
tie an answer to the person who was marked, or logged in, just before.

Results are aggregated in the database. Every figure and free text is shown only for a group
of THRESHOLD answers from at least as many people, so that none stands for one or two people
who could be recognised; and figures summed over rounds or days are sums of whole units of
THRESHOLD people (evaluations.disclosure, the rule the reports follow), so that no two shown
figures differ by fewer than THRESHOLD people either.
"""

import datetime
import random
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yrkesresan.core.errors import DomainError
from yrkesresan.core.personnummer import contains_personnummer, refusal
from yrkesresan.core.queue import enqueue_on_commit
from yrkesresan.rounds.models import CourseDay, Round

from . import sealing, tasks
from .disclosure import THRESHOLD, published_totals, shown
from .models import Answer, Invitation, Question, Response, SealedAnswers
from .signals import answers_moved

# Unanswered invitations are reminded once, this many days after they opened.
REMIND_AFTER_DAYS = 7
MAX_TEXT_LENGTH = 4000
# Sealed answers move into responses only this many at a time, so that a batch's transaction
# id and row order stand for at least this many people...
BATCH_SIZE = THRESHOLD
# ...or, for the last few of a round, once no invitation of the round opened this recently.
CLOSE_AFTER_DAYS = 30
MODES = [CourseDay.Mode.PHYSICAL, CourseDay.Mode.DIGITAL]


class EvaluationError(DomainError):
    """Answers that cannot be saved; the message is a complete, translated sentence."""


class AlreadyAnswered(EvaluationError):
    """The invitation has been used: each completed participant answers once."""

    status = 409


ALREADY_ANSWERED = gettext_lazy(
    "You have already answered this evaluation. Each person answers once."
)


# Answering


def invite(sender, round, completions, **kwargs):
    """Invite each newly completed participant to the round's anonymous evaluation (a receiver
    of enrolment's course_completed, inside the completion's transaction)."""
    Invitation.objects.bulk_create(
        Invitation(completion=completion, round=round) for completion in completions
    )


def open_invitations_for(person):
    """The person's invitations not answered yet, the most recently opened first."""
    return (
        Invitation.objects.filter(completion__person=person, answered=False)
        .select_related("round__course", "round__structure")
        .order_by("-opened_at", "-pk")
    )


def invitation_for(person, round_id):
    """The person's invitation to evaluate the round (answered or not), or None."""
    return (
        Invitation.objects.filter(completion__person=person, round_id=round_id)
        .select_related("round__course", "round__structure")
        .first()
    )


def questions_asked():
    """(day questions, course questions), in order: the active national question set."""
    questions = list(Question.objects.filter(active=True).order_by("about", "order", "pk"))
    return (
        [q for q in questions if q.about == Question.About.DAY],
        [q for q in questions if q.about == Question.About.COURSE],
    )


def _clean_answers(answers, questions, days):
    """Answer rows (unsaved, without a response) for `answers`; EvaluationError if one does
    not fit its question. Skipped questions (None, "" or left out) give no row."""
    rows = []
    for (question_id, day_id), value in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise EvaluationError(_("One of the answers is to a question this evaluation lacks."))
        if question.about == Question.About.DAY:
            day = days.get(day_id)
            if day is None:
                raise EvaluationError(
                    _("Answers about a course day must be about a day of this round.")
                )
        elif day_id is not None:
            raise EvaluationError(_("Questions about the whole course are not about one day."))
        else:
            day = None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        row = Answer(question=question, day=day, day_mode=day.mode if day else "")
        if question.kind == Question.Kind.SCALE:
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise EvaluationError(
                    _("Answer “%(question)s” with a score from 1 to 5.") % {"question": question}
                )
            row.score = value
        else:
            if not isinstance(value, str):
                raise EvaluationError(_("Answer “%(question)s” in words.") % {"question": question})
            text = value.strip()
            if contains_personnummer(text):
                # Answers are sealed before they are stored: the backstop on save cannot see them.
                raise EvaluationError(refusal(question))
            if len(text) > MAX_TEXT_LENGTH:
                raise EvaluationError(
                    _("Keep each answer under %(limit)s characters.") % {"limit": MAX_TEXT_LENGTH}
                )
            row.text = text
        rows.append(row)
    return rows


def submit_evaluation(invitation, answers):
    """Seal the anonymous answers of `invitation`'s holder and mark the invitation answered.

    `answers` maps (question id, course day id or None) to a score 1–5 (scale questions) or a
    text (free-text questions). Day questions take a day of the invitation's round, course
    questions None. Questions may be skipped: left out, None or blank. Day answers keep the
    day's mode as it is now. Someone who took a day as a make-up day in a later round still
    answers about their own round's day: the later round's day would single them out.

    One transaction: the invitation is locked, refused if already answered (AlreadyAnswered),
    the answers are written sealed (SealedAnswers) and the invitation is marked answered.
    Nothing else is written and nothing is returned. After the commit the round's batch move
    is queued (move_sealed_answers). Raises EvaluationError for answers that do not fit the
    questions, or for no answers at all; nothing is written then.

    The sealed row and the marker share a transaction id on PostgreSQL; that is what makes the
    pair all-or-nothing, and it tells a database reader only what the marker does: the sealed
    row is encrypted with a key outside the database, padded, and deleted when moved.
    """
    round = invitation.round
    days = {day.pk: day for day in round.days.all()}
    day_questions, course_questions = questions_asked()
    questions = {q.pk: q for q in day_questions + course_questions}
    rows = _clean_answers(answers, questions, days)
    if not rows:
        raise EvaluationError(
            _("Answer at least one question, or leave the evaluation: it is voluntary.")
        )
    sealed = sealing.seal(
        invitation.round_id,
        [[row.question_id, row.day_id, row.day_mode, row.score, row.text] for row in rows],
    )
    with transaction.atomic():
        answered = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation.pk)
            .values_list("answered", flat=True)
            .first()
        )
        if answered is None:
            raise EvaluationError(_("The invitation to this evaluation has been withdrawn."))
        if answered:
            raise AlreadyAnswered(str(ALREADY_ANSWERED))
        SealedAnswers.objects.create(round_id=invitation.round_id, sealed=sealed)
        Invitation.objects.filter(pk=invitation.pk).update(answered=True)
        enqueue_on_commit(tasks.move_sealed_answers, invitation.round_id)
    invitation.answered = True


def move_sealed_answers(round_id, *, force=False):
    """Move a round's sealed answers into anonymous Responses and Answers; returns how many
    responses were written (0 while fewer than BATCH_SIZE wait, unless `force`).

    One transaction of its own, started by no person's request: the waiting rows are locked
    (rows another mover holds are skipped), opened, shuffled, written as Responses with random
    ids and their Answers in shuffled order with one INSERT each, and deleted. So every row of
    the batch carries the same transaction id, and neither their ids nor their physical order
    follow the order in which people answered. Answers to a course day deleted meanwhile are
    dropped, as the day's answers would have been. Sends signals.answers_moved in the
    transaction, for the counts the reports keep.
    """
    shuffle = random.SystemRandom().shuffle
    with transaction.atomic():
        waiting = list(
            SealedAnswers.objects.select_for_update(skip_locked=True)
            .filter(round_id=round_id)
            .values_list("pk", "sealed")
        )
        if not waiting or (len(waiting) < BATCH_SIZE and not force):
            return 0
        shuffle(waiting)
        days = set(CourseDay.objects.filter(round_id=round_id).values_list("pk", flat=True))
        responses, answers = [], []
        for _pk, sealed in waiting:
            response = Response(round_id=round_id)
            responses.append(response)
            for question_id, day_id, day_mode, score, text in sealing.unseal(round_id, sealed):
                if day_id is not None and day_id not in days:
                    continue
                answers.append(
                    Answer(
                        response=response,
                        question_id=question_id,
                        day_id=day_id,
                        day_mode=day_mode,
                        score=score,
                        text=text,
                    )
                )
        shuffle(answers)
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers)
        SealedAnswers.objects.filter(pk__in=[pk for pk, _sealed in waiting]).delete()
        answers_moved.send(sender=Response, round_id=round_id)
    return len(responses)


def rounds_due_a_move(*, now=None):
    """Ids of the rounds whose sealed answers may move now: BATCH_SIZE or more waiting, or
    some waiting and no invitation of the round opened in the last CLOSE_AFTER_DAYS days."""
    now = now or timezone.now()
    recent = Invitation.objects.filter(
        round=OuterRef("pk"), opened_at__gt=now - datetime.timedelta(days=CLOSE_AFTER_DAYS)
    )
    return list(
        Round.objects.annotate(waiting=Count("sealed_evaluation_answers"))
        .filter(waiting__gt=0)
        .filter(Q(waiting__gte=BATCH_SIZE) | ~Exists(recent))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def move_due_answers(*, now=None):
    """Move the sealed answers of every round due a move (rounds_due_a_move); returns how
    many responses were written."""
    return sum(move_sealed_answers(pk, force=True) for pk in rounds_due_a_move(now=now))


# Reminders


def remind_unanswered(*, after_days=REMIND_AFTER_DAYS, now=None):
    """Queue one reminder for each unanswered invitation opened `after_days` days ago or
    earlier and never reminded; mark them reminded. Returns how many were queued.

    Once, then never again: the flag is set in the same transaction that queues the e-mail,
    so a second run finds nothing, and a reminder that fails to send is not tried again.
    Locks the due invitations in id order, as submit_evaluation does.
    """
    now = now or timezone.now()
    opened_before = now - datetime.timedelta(days=after_days)
    with transaction.atomic():
        due = list(
            Invitation.objects.select_for_update()
            .filter(
                answered=False,
                reminded=False,
                opened_at__lte=opened_before,
                completion__person__is_active=True,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Invitation.objects.filter(pk__in=due).update(reminded=True)
        for pk in due:
            # robust: a queue that fails is logged; the invitation stays reminded (at most once).
            enqueue_on_commit(tasks.send_evaluation_reminder, pk)
    return len(due)


# Results


@dataclass(frozen=True)
class Figure:
    """What a group of answers to one question says: how many answers, from how many people
    (responses), and the mean score."""

    count: int = 0
    mean: float | None = None
    people: int = 0
    # Withheld whatever its size: another published figure minus this one would be too small.
    withheld: bool = False

    @property
    def shown(self):
        """A figure is shown only for a group of THRESHOLD answers from as many people:
        four people's answers on three digital days are twelve answers, and still four people.
        """
        return not self.withheld and self.count >= THRESHOLD and shown(self.people)


@dataclass
class QuestionResult:
    question: Question
    figure: Figure
    # Free-text answers in an order unrelated to when they were given; None while hidden.
    texts: list | None = None


@dataclass
class DayResult:
    day: CourseDay
    questions: list = field(default_factory=list)


@dataclass
class ModeRow:
    """A day question over the physical and over the digital days."""

    question: Question
    physical: Figure
    digital: Figure
    rounds: dict = field(default_factory=dict)  # mode -> number of rounds (comparisons only)

    @property
    def physical_rounds(self):
        return self.rounds.get(CourseDay.Mode.PHYSICAL, 0)

    @property
    def digital_rounds(self):
        return self.rounds.get(CourseDay.Mode.DIGITAL, 0)


@dataclass
class RoundResults:
    round: object
    invited: int
    responses: int
    days: list
    course: list
    modes: list

    @property
    def response_rate(self):
        """Responses ÷ invitations, 0–1; None before anyone is invited."""
        return self.responses / self.invited if self.invited else None

    @property
    def response_percent(self):
        rate = self.response_rate
        return None if rate is None else round(rate * 100)

    @property
    def shows_texts(self):
        return shown(self.responses)

    @property
    def shows_invited(self):
        return shown(self.invited)

    @property
    def shows_rate(self):
        return shows_rate(self.invited, self.responses)


def shows_rate(invited, responses):
    """The response rate and the number who answered, only from THRESHOLD of each."""
    return shown(invited) and shown(responses)


def _figure(row):
    if row is None:
        return Figure()
    mean = row["mean"]
    return Figure(
        count=row["count"],
        mean=float(mean) if mean is not None else None,
        people=row.get("people", row["count"]),
    )


def _aggregates():
    return {
        "mean": Avg("score"),
        "count": Count("pk"),
        "people": Count("response", distinct=True),
    }


def _sorted_texts(texts):
    # Sorted by text, so the order says nothing about who answered when.
    return sorted(texts, key=lambda text: (text.casefold(), text))


def _per_day_shown(cells):
    """Whether a day question's figures per day may be shown: `cells` are its answers
    grouped by (day, mode). The round's unit for a day question is its answers in one mode
    (as in reports.disclosure), so a day is shown only when every day of the question is: one
    day of fewer than THRESHOLD people would be its mode's figure minus the others."""
    days = [day_id for day_id, _mode in cells]
    return len(days) == len(set(days)) and all(_figure(row).shown for row in cells.values())


def results_for_round(round):
    """The anonymous results of a round, in a constant 6 queries (7 with free text).

    Per day and question, and per course question: the number of answers and the mean score,
    `shown` only from THRESHOLD people (a day question per day only when every one of its days
    is, see _per_day_shown). Free-text answers of a question only from THRESHOLD people, once
    the round has as many responses. The physical/digital breakdown of the day questions is
    one unit per question and mode, `shown` from THRESHOLD people.
    """
    invited = Invitation.objects.filter(round=round).count()
    responses = Response.objects.filter(round=round).count()
    days = list(CourseDay.objects.filter(round=round).order_by("number"))
    answers = Answer.objects.filter(response__round=round)
    # Questions retired since the round was answered still show their answers.
    questions = list(
        Question.objects.filter(Q(active=True) | Q(pk__in=answers.values("question_id"))).order_by(
            "about", "order", "pk"
        )
    )
    cells = {}
    for row in (
        answers.values("question_id", "day_id", "day_mode").annotate(**_aggregates()).order_by()
    ):
        cells.setdefault(row["question_id"], {})[(row["day_id"], row["day_mode"])] = row
    by_mode = {
        (row["question_id"], row["day_mode"]): row
        for row in answers.filter(day__isnull=False)
        .values("question_id", "day_mode")
        .annotate(**_aggregates())
        .order_by()
    }
    texts = {}
    if shown(responses):
        for question_id, day_id, text in answers.exclude(text="").values_list(
            "question_id", "day_id", "text"
        ):
            texts.setdefault((question_id, day_id), []).append(text)

    def result(question, day_id):
        own = cells.get(question.pk, {})
        rows = [row for (day, _mode), row in own.items() if day == day_id]
        if len(rows) == 1:
            figure = _figure(rows[0])
        else:  # none, or a day whose mode changed while it was answered
            figure = Figure(count=sum(row["count"] for row in rows), withheld=bool(rows))
        # Scores per day are summed per mode below; free texts are never summed.
        summed = question.kind == Question.Kind.SCALE
        if summed and day_id is not None and rows and not _per_day_shown(own):
            figure = replace(figure, withheld=True)
        shown_texts = None
        if question.kind == Question.Kind.TEXT and figure.shown:
            shown_texts = _sorted_texts(texts.get((question.pk, day_id), []))
        return QuestionResult(question, figure, shown_texts)

    day_questions = [q for q in questions if q.about == Question.About.DAY]
    course_questions = [q for q in questions if q.about == Question.About.COURSE]
    return RoundResults(
        round=round,
        invited=invited,
        responses=responses,
        days=[DayResult(day, [result(q, day.pk) for q in day_questions]) for day in days],
        course=[result(q, None) for q in course_questions],
        modes=[
            ModeRow(
                question,
                physical=_figure(by_mode.get((question.pk, CourseDay.Mode.PHYSICAL))),
                digital=_figure(by_mode.get((question.pk, CourseDay.Mode.DIGITAL))),
            )
            for question in day_questions
            if question.kind == Question.Kind.SCALE
        ],
    )


def _count_per_round(model):
    counts = (
        model.objects.filter(round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def rounds_with_counts(rounds):
    """The `rounds` with an evaluation, newest term first, each with its `invited` and
    `responses` counts (one query) and whether they may be shown: `shows_invited` from
    THRESHOLD invited, `shows_rate` (the responses) from THRESHOLD of each, as on the round's
    results page (RoundResults)."""
    rounds = list(
        rounds.filter(pk__in=Invitation.objects.values("round_id"))
        .select_related("course", "structure")
        .annotate(invited=_count_per_round(Invitation), responses=_count_per_round(Response))
        .order_by("-term", "course__title", "name")
    )
    for round in rounds:
        round.shows_invited = shown(round.invited)
        round.shows_rate = shows_rate(round.invited, round.responses)
    return rounds


@dataclass
class CourseComparison:
    course: object
    responses: int
    rounds: int
    rows: list


def compare_modes(course, version=None):
    """Physical against digital days over every round of `course` (or only the rounds that
    taught `version`, a CourseVersion), in 3 queries.

    Per scale question about the days: for each mode the mean, the number of answers and the
    number of rounds they come from. The unit is one round's answers to one question in one
    mode, as in the reports, summed by evaluations.disclosure: a unit of fewer than THRESHOLD
    people counts in no figure, so the whole course and one version never differ by fewer
    than THRESHOLD people. The responses and rounds in the lead are summed the same way, a
    round counting only from THRESHOLD responses.
    """
    rounds = {"round__course": course}
    if version is not None:
        rounds["round__course_version"] = version
    answers = Answer.objects.filter(**{f"response__{k}": v for k, v in rounds.items()})
    totals = published_totals(
        Response.objects.filter(**rounds),
        unit=["round_id"],
        key=["round__course_id"],
        counts={"responses": Count("pk"), "rounds": Count("round_id", distinct=True)},
        size="responses",
    ).get(course.pk, {})
    questions = list(
        Question.objects.filter(about=Question.About.DAY, kind=Question.Kind.SCALE)
        .filter(Q(active=True) | Q(pk__in=answers.values("question_id")))
        .order_by("order", "pk")
    )
    groups = published_totals(
        answers.filter(day_mode__in=MODES, score__isnull=False),
        unit=["response__round_id"],
        key=["question_id", "day_mode"],
        counts={
            "total": Sum("score"),
            "count": Count("pk"),
            "people": Count("response", distinct=True),
            "rounds": Count("response__round", distinct=True),
        },
        size="people",
    )

    def figure(question, mode):
        group = groups.get((question.pk, mode))
        if not group:
            return Figure()
        if not group["count"]:  # every round of the group too small to count
            return Figure(withheld=True)
        mean = group["total"] / group["count"]
        return Figure(count=group["count"], mean=mean, people=group["people"])

    rows = [
        ModeRow(
            question,
            physical=figure(question, CourseDay.Mode.PHYSICAL),
            digital=figure(question, CourseDay.Mode.DIGITAL),
            rounds={
                mode: groups[(question.pk, mode)]["rounds"]
                for mode in MODES
                if (question.pk, mode) in groups
            },
        )
        for question in questions
    ]
    return CourseComparison(course, totals.get("responses", 0), totals.get("rounds", 0), rows)
