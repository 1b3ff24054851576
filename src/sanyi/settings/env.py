"""Reading environment variables. Every variable is documented in docs/configuration.md."""

import os
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
