"""Anonymity against someone who reads the database, PostgreSQL's system columns included.

People log in and answer one after the other, each with an answer only they gave. Whoever
reads the tables afterwards sees, for each person, the transaction id (xmin) of their login
and of their "has answered" marker. Nothing in the answer rows (their keys, their transaction
ids, their physical order) may line up with the order in which those people answered.
"""

import pytest
from django.db import connection
from django.test import Client

from ..services import submit_evaluation
from . import helpers
from .helpers import answers_for, course_text

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin and ctid are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]

# Two batches of five.
PEOPLE = 10


@pytest.fixture
def round_with_people():
    return helpers.round_with_people(PEOPLE)


def rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def everyone_logs_in_and_answers_in_turn(round, invitations):
    """Person n logs in (a write of their own), then answers "Svar n"; returns n's in order."""
    for n, invitation in enumerate(invitations):
        Client().force_login(invitation.completion.person)
        submit_evaluation(invitation, answers_for(round, words=f"Svar {n}"))
    return list(range(len(invitations)))


def who_by(order_by, round):
    """The answerers (n of "Svar n") as the answer rows come when sorted by `order_by`."""
    found = rows(
        "SELECT a.text FROM evaluations_answer a JOIN evaluations_response r"
        f" ON r.id = a.response_id WHERE r.round_id = %s AND a.question_id = %s"
        f" ORDER BY {order_by}",
        [round.pk, course_text().pk],
    )
    return [int(text.removeprefix("Svar ")) for (text,) in found]


def test_no_order_of_the_answer_rows_lines_up_with_who_answered(round_with_people):
    round, invitations = round_with_people
    answered_in = everyone_logs_in_and_answers_in_turn(round, invitations)

    assert sorted(who_by("a.id", round)) == answered_in  # every answer arrived
    # Transaction ids: the answers were written in batches, never in a person's transaction.
    person_xmins = {
        int(x)
        for (x,) in rows(
            "SELECT xmin::text FROM accounts_user UNION SELECT xmin::text FROM"
            " evaluations_invitation"
        )
    }
    for table in ["evaluations_response", "evaluations_answer"]:
        batches = rows(f"SELECT xmin::text, count(*) FROM {table} GROUP BY 1")
        assert len(batches) == PEOPLE // 5, (table, batches)
        assert not {int(x) for x, _count in batches} & person_xmins
    for order_by in ["a.id", "r.id", "a.ctid", "r.ctid"]:
        # Within a batch the order is shuffled: the whole order is the answering one only by a
        # chance of 1 in 120² for each key.
        assert who_by(order_by, round) != answered_in, order_by
    # By transaction id: the batches, and nothing finer.
    first_batch = who_by(
        "r.xmin::text::bigint = (SELECT min(xmin::text::bigint) FROM evaluations_response) DESC,"
        " r.id",
        round,
    )[:5]
    assert set(first_batch) == set(answered_in[:5])
