from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "yrkesresan.enrolment"

    def ready(self):
        from yrkesresan.accounts import privacy as rights

        from . import privacy

        rights.collect_personal_data.connect(privacy.sections)
        rights.person_erased.connect(privacy.erase)
