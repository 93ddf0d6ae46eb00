"""What staffing announces to the apps above it (notifications tells the people concerned).

Sent inside the service's transaction (receivers queue their work with
core.queue.enqueue_on_commit).
"""

from django.dispatch import Signal

# A plan was accepted: `plan`, and `new` the PlanAssignments people have not been told of.
plan_accepted = Signal()
# A manager withdrew their approval of a date: `availability` (with reason and manager).
availability_withdrawn = Signal()
