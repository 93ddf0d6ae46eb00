"""What the evaluations tell other apps."""

from django.dispatch import Signal

# Sent with `round_id` inside the transaction that moved a batch of the round's sealed answers
# into responses (services.move_sealed_answers): the round's answers have changed.
answers_moved = Signal()
