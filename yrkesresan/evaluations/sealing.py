"""Sealing a person's answers until the batch that moves them: AES-GCM with a key kept outside
the database (EVALUATION_SEALING_KEY, or one derived from SECRET_KEY), padded to a multiple of
PAD_TO bytes so that not even the length of a free-text answer shows.

A database reader sees the sealed row next to the "answered" marker it was written with, and
learns only that the person answered, which the marker already says.
"""

import hashlib
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PAD_TO = 4096
NONCE_BYTES = 12


def _keys():
    """The key to seal with, then older ones to open what was sealed before a key change."""
    secrets = [settings.EVALUATION_SEALING_KEY or settings.SECRET_KEY]
    if not settings.EVALUATION_SEALING_KEY:
        secrets += list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return [
        hashlib.sha256(b"yrkesresan.evaluations.sealing:" + s.encode()).digest() for s in secrets
    ]


def seal(round_id, rows):
    """`rows` (JSON-able) sealed for `round_id`: bytes."""
    data = json.dumps(rows, separators=(",", ":")).encode()
    data += b" " * (-len(data) % PAD_TO)
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(_keys()[0]).encrypt(nonce, data, str(round_id).encode())


def unseal(round_id, sealed):
    """The rows sealed for `round_id`; ValueError if no key opens them."""
    sealed = bytes(sealed)
    nonce, data = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    for key in _keys():
        try:
            return json.loads(AESGCM(key).decrypt(nonce, data, str(round_id).encode()))
        except InvalidTag:
            continue
    raise ValueError("No sealing key opens these answers.")
