from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.checked_text import CheckedText

from .models import IdentityProvider


class IdentityProviderForm(CheckedText, forms.ModelForm):
    metadata_file = forms.FileField(
        label=_("metadata file"), required=False, help_text=_("Replaces the metadata above.")
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "protocol",
            "municipality",
            "structure",
            "is_active",
            "entity_id",
            "metadata_url",
            "metadata_xml",
            "client_id",
            "client_secret",
            "authorization_endpoint",
            "token_endpoint",
            "userinfo_endpoint",
            "jwks_uri",
            "end_session_endpoint",
            "email_attribute",
            "first_name_attribute",
            "last_name_attribute",
            "unit_attribute",
        ]
        widgets = {"client_secret": forms.PasswordInput(render_value=True)}

    def clean(self):
        upload = self.cleaned_data.get("metadata_file")
        if upload:
            try:
                self.cleaned_data["metadata_xml"] = upload.read().decode()
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The metadata file is not text.")) from None
            self.instance.metadata_xml = self.cleaned_data["metadata_xml"]
        return super().clean()


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderForm
    list_display = ["name", "protocol", "municipality", "structure", "is_active"]
    list_filter = ["protocol", "is_active"]
    autocomplete_fields = []
    fieldsets = [
        (None, {"fields": ["name", "protocol", "municipality", "structure", "is_active"]}),
        (_("SAML 2"), {"fields": ["entity_id", "metadata_url", "metadata_xml", "metadata_file"]}),
        (
            _("OpenID Connect"),
            {
                "fields": [
                    "client_id",
                    "client_secret",
                    "authorization_endpoint",
                    "token_endpoint",
                    "userinfo_endpoint",
                    "jwks_uri",
                    "end_session_endpoint",
                ]
            },
        ),
        (
            _("Attribute mapping"),
            {
                "fields": [
                    "email_attribute",
                    "first_name_attribute",
                    "last_name_attribute",
                    "unit_attribute",
                ]
            },
        ),
    ]
