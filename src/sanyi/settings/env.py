"""Reading environment variables. Every variable is documented in docs/configuration.md."""

import os
import re
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def replica_urls() -> list[str]:
    """The read replicas' URLs: ``DATABASE_REPLICA_URLS`` (comma-separated), or the older
    ``SANYI_REPLICA_DATABASE_URL`` (one URL), which still works as an alias. Setting both
    stops the start rather than silently preferring one."""
    urls = env_list("DATABASE_REPLICA_URLS", [])
    old = os.environ.get("SANYI_REPLICA_DATABASE_URL", "").strip()
    if urls and old:
        raise ImproperlyConfigured(
            "Set DATABASE_REPLICA_URLS only: SANYI_REPLICA_DATABASE_URL is its older name "
            "for one replica, and both are set."
        )
    return urls or ([old] if old else [])


def secret_key(data_dir: Path, production: bool) -> str:
    """SECRET_KEY from the environment; outside production, a key kept in the data folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ImproperlyConfigured("SECRET_KEY must be set when SANYI_ENV=production")
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def env_networks(name: str) -> list[str]:
    """Comma-separated IPv4/IPv6 addresses or CIDR networks, checked at start."""
    import ipaddress

    entries = env_list(name, [])
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be comma-separated IP addresses or networks "
                f"(such as 127.0.0.1 or 10.0.0.0/8), got {entry!r}"
            ) from None
    return entries


# Where sessions live (SANYI_SESSION_STORE). Only stores that keep them in the database:
# losing the cache must cost speed, never a signed-in session or an SMS challenge.
SESSION_STORES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}


def session_engine(store: str, cache_url: str) -> str:
    """Django's SESSION_ENGINE for ``SANYI_SESSION_STORE``.

    ``cached_db`` reads sessions from the cache and writes them through to the database; it
    needs the shared cache (``CACHE_URL``): with each process's own memory, one process
    would go on reading a session another has changed or ended.
    """
    if store not in SESSION_STORES:
        raise ImproperlyConfigured(
            f"SANYI_SESSION_STORE must be one of {', '.join(SESSION_STORES)}, got {store!r}"
        )
    if store != "db" and not cache_url:
        raise ImproperlyConfigured(
            f"SANYI_SESSION_STORE={store} needs CACHE_URL (Redis shared by every process); "
            "without it each process would keep its own copy of the sessions"
        )
    return SESSION_STORES[store]


_AUDIT_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
AUDIT_KEY_MIN_LENGTH = 32


def _audit_key_pair(name: str, value: str) -> tuple[str, str]:
    key_id, sep, key = value.strip().partition(":")
    if not sep or not _AUDIT_KEY_ID.fullmatch(key_id):
        raise ImproperlyConfigured(
            f"{name} must be '<key id>:<key>' with a key id of 1-32 letters, digits, '.', '_' "
            f"or '-', got {key_id!r}"
        )
    if len(key) < AUDIT_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{name}: key {key_id!r} must be at least {AUDIT_KEY_MIN_LENGTH} characters long"
        )
    return key_id, key


def audit_keys(data_dir: Path, production: bool) -> tuple[str, dict[str, str]]:
    """The audit chain's signing key id and every key that may verify: ``(id, {id: key})``.

    ``SANYI_AUDIT_KEY`` (``id:key``) signs new records; ``SANYI_AUDIT_OLD_KEYS``
    (``id:key,id:key``) only verifies records and checkpoints signed before a rotation.
    Outside production a key is generated once and kept in the data folder, as for
    SECRET_KEY; production refuses to start without one, because a generated key on the
    server would sit next to the database it is meant to protect.
    """
    current = os.environ.get("SANYI_AUDIT_KEY", "").strip()
    if not current:
        if production:
            raise ImproperlyConfigured("SANYI_AUDIT_KEY must be set when SANYI_ENV=production")
        key_file = data_dir / "audit_key"
        if key_file.exists():
            current = key_file.read_text().strip()
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            current = f"local:{secrets.token_urlsafe(48)}"
            key_file.write_text(current)
            key_file.chmod(0o600)
    key_id, key = _audit_key_pair("SANYI_AUDIT_KEY", current)
    keys = {key_id: key}
    for part in os.environ.get("SANYI_AUDIT_OLD_KEYS", "").split(","):
        if not part.strip():
            continue
        old_id, old_key = _audit_key_pair("SANYI_AUDIT_OLD_KEYS", part)
        if old_id in keys:
            raise ImproperlyConfigured(f"audit key id {old_id!r} is configured twice")
        keys[old_id] = old_key
    return key_id, keys
