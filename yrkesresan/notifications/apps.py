from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yrkesresan.notifications"

    def ready(self):
        from yrkesresan.catalog import signals as catalog
        from yrkesresan.enrolment import signals as enrolment
        from yrkesresan.rounds import signals as planning

        from . import course_versions, registrations

        enrolment.registration_confirmed.connect(registrations.on_registration_confirmed)
        enrolment.promoted_from_waitlist.connect(registrations.on_promoted_from_waitlist)
        enrolment.registration_cancelled.connect(registrations.on_registration_cancelled)
        planning.course_day_changed.connect(registrations.on_course_day_changed)
        catalog.version_published.connect(course_versions.on_version_published)
