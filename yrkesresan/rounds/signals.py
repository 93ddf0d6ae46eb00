"""What planning announces to the apps above it (notifications tells the people concerned).

Sent inside the service's transaction, with `sender=CourseDay` and the keyword `day`.
"""

from django.dispatch import Signal

# A day's date, time, venue or link changed, and `day.sequence` has been bumped and saved.
course_day_changed = Signal()
