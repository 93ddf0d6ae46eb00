"""The planner as a background task (the worker, `manage.py db_worker`): a term's plan takes
up to its time limit, longer than a request should."""

import logging

from django_tasks import task

from . import plans
from .models import Plan

logger = logging.getLogger(__name__)


@task()
def run_plan(plan_id):
    """Solve a queued plan; a plan deleted or already run is skipped."""
    plan = Plan.objects.select_related("structure").filter(pk=plan_id).first()
    if plan is None or plan.status != Plan.Status.QUEUED:
        logger.info("Plan %s is gone or not queued; not run", plan_id)
        return None
    plans.run_plan(plan)
    return plan.status
