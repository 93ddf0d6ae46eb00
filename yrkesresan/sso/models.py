from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IdentityProviderQuerySet(models.QuerySet):
    def for_person(self, user):
        """The active provider that signs this person in: their employer's, else that of a
        support structure they hold a role in. Nobody else's provider may vouch for them."""
        active = self.filter(is_active=True)
        if user.municipality_id:
            found = active.filter(municipality_id=user.municipality_id).first()
            if found:
                return found
        return active.filter(structure__role_assignments__user=user).order_by("pk").first()


class IdentityProvider(models.Model):
    """A municipality's or support structure's own login service (SAML 2 or OpenID Connect).

    It only vouches for who someone is: an account is matched by its verified e-mail address
    and never made, nor given a role, on the provider's word."""

    class Protocol(models.TextChoices):
        SAML = "saml", _("SAML 2")
        OIDC = "oidc", _("OpenID Connect")

    name = models.CharField(_("name"), max_length=120)
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices)
    municipality = models.OneToOneField(
        "organisations.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identity_provider",
        verbose_name=_("municipality"),
    )
    structure = models.OneToOneField(
        "organisations.SupportStructure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identity_provider",
        verbose_name=_("regional support structure"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # SAML 2
    entity_id = models.CharField(
        _("entity id"),
        max_length=255,
        blank=True,
        help_text=_("The identity provider's entity id."),
    )
    metadata_url = models.URLField(_("metadata URL"), blank=True)
    metadata_xml = models.TextField(
        _("metadata"), blank=True, help_text=_("The metadata file's contents, if there is no URL.")
    )
    # OpenID Connect
    client_id = models.CharField(_("client id"), max_length=255, blank=True)
    client_secret = models.CharField(_("client secret"), max_length=255, blank=True)
    authorization_endpoint = models.URLField(_("authorization endpoint"), blank=True)
    token_endpoint = models.URLField(_("token endpoint"), blank=True)
    userinfo_endpoint = models.URLField(_("user info endpoint"), blank=True)
    jwks_uri = models.URLField(_("JWKS URI"), blank=True)
    end_session_endpoint = models.URLField(_("end session endpoint"), blank=True)
    # Which of the provider's attributes (SAML) or claims (OIDC) hold what.
    email_attribute = models.CharField(_("e-mail attribute"), max_length=100, default="mail")
    first_name_attribute = models.CharField(
        _("first name attribute"), max_length=100, default="givenName"
    )
    last_name_attribute = models.CharField(_("last name attribute"), max_length=100, default="sn")
    unit_attribute = models.CharField(
        _("unit attribute"),
        max_length=100,
        blank=True,
        help_text=_("Optional: an attribute holding the name of the person's unit."),
    )

    objects = IdentityProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=True, structure__isnull=False)
                | Q(municipality__isnull=False, structure__isnull=True),
                name="identity_provider_for_one_organisation",
            ),
            models.UniqueConstraint(
                fields=["entity_id"],
                condition=~Q(entity_id=""),
                name="identity_provider_unique_entity_id",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if bool(self.municipality_id) == bool(self.structure_id):
            raise ValidationError(_("Choose either a municipality or a support structure."))
        if self.protocol == self.Protocol.SAML:
            if not self.entity_id:
                raise ValidationError({"entity_id": _("A SAML provider needs its entity id.")})
            if not (self.metadata_url or self.metadata_xml):
                raise ValidationError(_("Give the metadata's URL or the metadata file."))
        if self.protocol == self.Protocol.OIDC:
            needed = ["client_id", "client_secret", "authorization_endpoint", "token_endpoint"]
            missing = {f: _("OpenID Connect needs this.") for f in needed if not getattr(self, f)}
            if not (self.jwks_uri or missing):
                missing["jwks_uri"] = _("OpenID Connect needs this.")
            if missing:
                raise ValidationError(missing)
