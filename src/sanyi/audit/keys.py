"""The audit keys from settings (``SANYI_AUDIT_KEY`` / ``SANYI_AUDIT_OLD_KEYS``).

Read at call time, not import time, so a rotation takes effect on restart and tests can
override the settings.
"""

from django.conf import settings


def signing_key() -> tuple[str, bytes]:
    """The key id and key new records and checkpoints are signed with."""
    key_id = settings.SANYI_AUDIT_KEY_ID
    return key_id, settings.SANYI_AUDIT_KEYS[key_id].encode("utf-8")


def verifying_key(key_id: str) -> bytes | None:
    """The key of ``key_id``, or None when it is not configured (any more)."""
    key = settings.SANYI_AUDIT_KEYS.get(key_id)
    return key.encode("utf-8") if key else None
