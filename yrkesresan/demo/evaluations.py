"""Demo evaluation answers for seed_demo: about 70 % of a completed round answer.

Scores vary by person and question. Physical days score a little higher on how useful the day
was; digital days a little higher on how well the form of the day worked (no travel). Some
people write a line of free text. Everything goes through submit_evaluation, as a participant's
answers would, so the demo holds nothing a real answer could not.
"""

from yrkesresan.evaluations.models import Invitation, Question
from yrkesresan.evaluations.services import (
    move_sealed_answers,
    questions_asked,
    submit_evaluation,
)
from yrkesresan.rounds.models import CourseDay

ANSWER_SHARE = 0.7

# Mean score per (question order, mode) for day questions, and per order for course questions.
DAY_MEANS = {
    (1, CourseDay.Mode.PHYSICAL): 4.3,
    (1, CourseDay.Mode.DIGITAL): 3.8,
    (2, CourseDay.Mode.PHYSICAL): 3.7,
    (2, CourseDay.Mode.DIGITAL): 4.2,
}
COURSE_MEANS = {1: 4.1, 2: 4.3, 3: 3.6}
DEFAULT_MEAN = 3.9

DAY_TEXTS = {
    CourseDay.Mode.PHYSICAL: [
        "Mer tid för gruppdiskussionerna, de gav mest.",
        "Fikat och samtalen i pauserna med kollegor från andra kommuner var värdefulla.",
        "Lång resväg för en dag, men värt det.",
        "Fler fall från verkligheten att öva på.",
        "Lokalen var trång när vi arbetade i grupper.",
        "Bra tempo, men eftermiddagen blev lång.",
    ],
    CourseDay.Mode.DIGITAL: [
        "Skönt att slippa resa, jag kunde gå direkt till ett möte efteråt.",
        "Svårt att hålla fokus i grupprummen på länk.",
        "Fler och kortare pauser framför skärmen.",
        "Tekniken krånglade i början, sedan fungerade det bra.",
        "Grupprummen fungerade bättre än jag trodde.",
        "Saknade att träffa de andra på riktigt.",
    ],
}
COURSE_TEXTS = [
    "Kursen gav mig en bra grund i utredningsprocessen.",
    "Förberedelserna tog längre tid än beräknat, men de var bra.",
    "Tydlig röd tråd från aktualisering till placering.",
    "Jag hade gärna haft mer om barnsamtal.",
    "Bra att träffa kollegor från andra kommuner i samma situation.",
    "Fördjupningsuppgiften hjälpte mig att använda kunskapen i mitt eget arbete.",
]


def _score(rng, mean, leniency):
    return max(1, min(5, round(rng.gauss(mean + leniency, 0.8))))


def _answers(rng, days, day_questions, course_questions):
    """One person's answers: every draw is made whether or not it is used, so that a second
    run with the same seed gives the same answers."""
    leniency = rng.gauss(0, 0.4)
    answers = {}
    for day in days:
        for question in day_questions:
            skip = rng.random() < 0.05
            if question.kind == Question.Kind.SCALE:
                mean = DAY_MEANS.get((question.order, day.mode), DEFAULT_MEAN)
                value = _score(rng, mean, leniency)
            else:
                texts = DAY_TEXTS.get(day.mode, DAY_TEXTS[CourseDay.Mode.PHYSICAL])
                value = rng.choice(texts) if rng.random() < 0.25 else ""
            if not skip:
                answers[(question.pk, day.pk)] = value
    for question in course_questions:
        skip = rng.random() < 0.05
        if question.kind == Question.Kind.SCALE:
            value = _score(rng, COURSE_MEANS.get(question.order, DEFAULT_MEAN), leniency)
        else:
            value = rng.choice(COURSE_TEXTS) if rng.random() < 0.4 else ""
        if not skip:
            answers[(question.pk, None)] = value
    return answers


def seed_evaluation_answers(round, completions, rng):
    """Answer the evaluation of `round` for about 70 % of `completions` (Completion objects of
    the round). Makes the invitation of a completion that lacks one.

    Idempotent for the same seed of `rng` and the same completions: the same people answer,
    and those who have already answered are left as they are. Returns how many answered now.
    """
    days = list(round.days.order_by("number"))
    day_questions, course_questions = questions_asked()
    answered = 0
    for completion in sorted(completions, key=lambda completion: completion.pk):
        invitation, _created = Invitation.objects.get_or_create(
            completion=completion, defaults={"round": round}
        )
        answers_now = rng.random() < ANSWER_SHARE
        answers = _answers(rng, days, day_questions, course_questions)
        if not answers_now or invitation.answered:
            continue
        if not any(value not in ("", None) for value in answers.values()):
            continue
        submit_evaluation(invitation, answers)
        answered += 1
    # The demo's rounds are over: their last answers need not wait for a batch.
    move_sealed_answers(round.pk, force=True)
    return answered
