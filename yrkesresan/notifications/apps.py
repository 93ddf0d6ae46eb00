from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "yrkesresan.notifications"
    verbose_name = _("Notifications and calendars")

    def ready(self):
        from yrkesresan.accounts import privacy as rights
        from yrkesresan.catalog import signals as catalog
        from yrkesresan.enrolment import signals as enrolment
        from yrkesresan.rounds import signals as planning
        from yrkesresan.staffing import signals as staffing_signals

        from . import course_versions, privacy, registrations, staffing

        enrolment.registration_confirmed.connect(registrations.on_registration_confirmed)
        enrolment.promoted_from_waitlist.connect(registrations.on_promoted_from_waitlist)
        enrolment.registration_cancelled.connect(registrations.on_registration_cancelled)
        planning.course_day_changed.connect(registrations.on_course_day_changed)
        rights.collect_personal_data.connect(privacy.sections)
        rights.person_erased.connect(privacy.erase)
        staffing_signals.plan_accepted.connect(staffing.on_plan_accepted)
        staffing_signals.availability_withdrawn.connect(staffing.on_availability_withdrawn)
        catalog.version_published.connect(course_versions.on_version_published)
