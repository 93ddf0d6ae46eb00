from django.core.management.base import BaseCommand

from yrkesresan.evaluations.services import BATCH_SIZE, CLOSE_AFTER_DAYS, move_due_answers


class Command(BaseCommand):
    help = (
        "Move sealed evaluation answers into anonymous responses, in shuffled batches. A "
        f"round's answers move once {BATCH_SIZE} or more are waiting (answering queues this "
        "too), or, for the last few, once no invitation of the round opened in the last "
        f"{CLOSE_AFTER_DAYS} days. Run it once a day."
    )

    def handle(self, *args, **options):
        count = move_due_answers()
        self.stdout.write(f"Moved {count} evaluation response{'s' if count != 1 else ''}.")
