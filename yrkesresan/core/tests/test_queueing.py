"""Background work is queued with the write that needs it, through one function.

`transaction.on_commit(...)` loses the work when a process dies between its commit and its
callbacks (see core/queue.py): the project queues tasks and sends its signals inside the
transaction, and only core.queue may defer anything to the commit.
"""

from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {ROOT / "core" / "queue.py"}


class QueueingTests(SimpleTestCase):
    def test_nothing_but_core_queue_defers_work_to_the_commit(self):
        offenders = [
            str(path.relative_to(ROOT))
            for path in ROOT.rglob("*.py")
            if "tests" not in path.parts
            and path not in ALLOWED
            and "transaction.on_commit(" in path.read_text(encoding="utf-8")
        ]
        self.assertEqual(offenders, [], "queue with core.queue.enqueue_on_commit instead")
