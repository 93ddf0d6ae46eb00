"""The national question set of the follow-up evaluation, in Swedish (the content language).

Data only; the schema is in 0001/0002. The questions are matched on (about, order) so that the
migration can run on a database that already has them.
"""

from django.db import migrations

DAY = "day"
COURSE = "course"
SCALE = "scale"
TEXT = "text"

QUESTIONS = [
    {
        "about": DAY,
        "order": 1,
        "kind": SCALE,
        "text": "Hur användbar var dagen för ditt arbete?",
        "low_label": "Inte alls användbar",
        "high_label": "Mycket användbar",
    },
    {
        "about": DAY,
        "order": 2,
        "kind": SCALE,
        "text": "Hur väl fungerade dagens form (fysisk eller digital) för dig?",
        "low_label": "Mycket dåligt",
        "high_label": "Mycket bra",
    },
    {
        "about": DAY,
        "order": 3,
        "kind": TEXT,
        "text": "Vad skulle du vilja ändra på under dagen?",
    },
    {
        "about": COURSE,
        "order": 1,
        "kind": SCALE,
        "text": "Hur nöjd är du med kursen som helhet?",
        "low_label": "Mycket missnöjd",
        "high_label": "Mycket nöjd",
    },
    {
        "about": COURSE,
        "order": 2,
        "kind": SCALE,
        "text": "Hur troligt är det att du skulle rekommendera kursen till en kollega?",
        "low_label": "Inte alls troligt",
        "high_label": "Mycket troligt",
    },
    {
        "about": COURSE,
        "order": 3,
        "kind": SCALE,
        "text": "Hur väl förberedde förberedelserna dig inför kursdagarna?",
        "low_label": "Inte alls",
        "high_label": "Mycket väl",
    },
    {
        "about": COURSE,
        "order": 4,
        "kind": TEXT,
        "text": "Vill du säga något mer om kursen?",
    },
]


def add_questions(apps, schema_editor):
    Question = apps.get_model("evaluations", "Question")
    for question in QUESTIONS:
        fields = {"low_label": "", "high_label": "", "active": True, **question}
        about, order = fields.pop("about"), fields.pop("order")
        Question.objects.update_or_create(about=about, order=order, defaults=fields)


def remove_questions(apps, schema_editor):
    # Questions that have been answered stay (Answer.question protects them).
    Question = apps.get_model("evaluations", "Question")
    for question in QUESTIONS:
        Question.objects.filter(
            about=question["about"], order=question["order"], text=question["text"], answers=None
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(add_questions, remove_questions),
    ]
