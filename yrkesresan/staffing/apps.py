from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "yrkesresan.staffing"
    verbose_name = _("Trainers and teams")

    def ready(self):
        from yrkesresan.accounts import privacy as rights

        from . import privacy

        rights.collect_personal_data.connect(privacy.sections)
        rights.person_erased.connect(privacy.erase)
