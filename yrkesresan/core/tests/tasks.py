"""A task for test_exactly_once_tasks.py: counts its runs in a file, one line per run."""

import os
import time

from django_tasks import task


@task()
def tally(path, number):
    time.sleep(0.005)  # long enough for the two workers to contend
    with open(path, "a") as counter:
        counter.write(f"{number} {os.getpid()}\n")
