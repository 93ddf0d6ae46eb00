from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "yrkesresan.organisations"
