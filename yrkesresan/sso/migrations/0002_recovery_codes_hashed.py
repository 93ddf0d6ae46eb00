"""Recovery codes made before they were hashed: each stored code becomes its keyed hash.

A plain code is django-otp's eight base32 letters; a hash is 16 hex digits
(sso.services.recovery_code_digest, written out here as migrations freeze their code)."""

from django.db import migrations
from django.utils.crypto import salted_hmac


def digest(code):
    return salted_hmac(
        "yrkesresan.sso.recovery-code", code.strip().lower(), algorithm="sha256"
    ).hexdigest()[:16]


def hash_plain_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.exclude(token__regex=r"^[0-9a-f]{16}$"):
        token.token = digest(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("sso", "0001_identity_providers"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_plain_codes, migrations.RunPython.noop)]
