"""What the catalog tells higher layers (receivers in materials and notifications).

version_published(sender=CourseVersion, version, previous): a new version of a course was
published, `previous` the number it replaced ("" for the first). Sent inside the publish's
transaction: receivers queue their work with core.queue.enqueue_on_commit.
"""

from django.dispatch import Signal

version_published = Signal()
