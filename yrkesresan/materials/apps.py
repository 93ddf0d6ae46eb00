from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "yrkesresan.materials"
    verbose_name = _("Course material")

    def ready(self):
        from yrkesresan.accounts import privacy as rights

        from . import privacy

        rights.collect_personal_data.connect(privacy.sections)
