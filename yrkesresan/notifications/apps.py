from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "yrkesresan.notifications"

    def ready(self):
        from yrkesresan.enrolment import signals as enrolment
        from yrkesresan.rounds import signals as planning
        from yrkesresan.staffing import signals as staffing_signals

        from . import registrations, staffing

        enrolment.registration_confirmed.connect(registrations.on_registration_confirmed)
        enrolment.promoted_from_waitlist.connect(registrations.on_promoted_from_waitlist)
        enrolment.registration_cancelled.connect(registrations.on_registration_cancelled)
        planning.course_day_changed.connect(registrations.on_course_day_changed)
        staffing_signals.plan_accepted.connect(staffing.on_plan_accepted)
        staffing_signals.availability_withdrawn.connect(staffing.on_availability_withdrawn)
