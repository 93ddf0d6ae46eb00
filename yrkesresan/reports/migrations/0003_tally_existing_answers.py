"""Count the evaluation answers already given into ModeTally, as reports.services.tally_rounds
does from then on (written out here: a migration does not import app code)."""

from django.db import migrations
from django.db.models import Count, Q


def tally(apps, schema_editor):
    Answer = apps.get_model("evaluations", "Answer")
    ModeTally = apps.get_model("reports", "ModeTally")
    rows = (
        Answer.objects.filter(
            question__about="day",
            question__kind="scale",
            day_mode__in=["physical", "digital"],
            score__isnull=False,
        )
        .order_by()
        .values("response__round_id", "question_id", "day_mode")
        .annotate(
            people=Count("response", distinct=True),
            **{f"score_{score}": Count("pk", filter=Q(score=score)) for score in range(1, 6)},
        )
    )
    ModeTally.objects.all().delete()
    ModeTally.objects.bulk_create(
        (
            ModeTally(round_id=row.pop("response__round_id"), mode=row.pop("day_mode"), **row)
            for row in rows
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_mode_tally"),
        ("evaluations", "0006_reshuffle_existing_responses"),
    ]

    operations = [migrations.RunPython(tally, migrations.RunPython.noop)]
