"""Rewrite the responses saved before sealing, so their order no longer tells who answered.

Responses were written one per person, in the transaction that marked their invitation: their
transaction ids (xmin) and physical order (ctid) follow the order of answering. Each round's
responses and answers are written again with new random ids, in shuffled order, in this one
transaction, and the old rows deleted.
"""

import random
import uuid

from django.db import migrations


def reshuffle(apps, schema_editor):
    Response = apps.get_model("evaluations", "Response")
    Answer = apps.get_model("evaluations", "Answer")
    shuffle = random.SystemRandom().shuffle
    fields = ["question_id", "day_id", "day_mode", "score", "text"]
    round_ids = Response.objects.values_list("round_id", flat=True).distinct().order_by()
    for round_id in list(round_ids):
        old = list(Response.objects.filter(round_id=round_id).values_list("pk", flat=True))
        by_response = {}
        for row in Answer.objects.filter(response_id__in=old).values("response_id", *fields):
            by_response.setdefault(row.pop("response_id"), []).append(row)
        shuffle(old)
        responses, answers = [], []
        for old_pk in old:
            response = Response(id=uuid.uuid4(), round_id=round_id)
            responses.append(response)
            answers += [Answer(id=uuid.uuid4(), response=response, **row) for row in by_response.get(old_pk, [])]
        shuffle(answers)
        Answer.objects.filter(response_id__in=old).delete()
        Response.objects.filter(pk__in=old).delete()
        Response.objects.bulk_create(responses, batch_size=2000)
        Answer.objects.bulk_create(answers, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0005_sealed_answers")]

    operations = [migrations.RunPython(reshuffle, migrations.RunPython.noop)]
