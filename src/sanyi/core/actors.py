"""Who does a write: a staff ``User`` or a named system actor.

Every service names its actor, and the audit row and the ledger rows record it. Applicants
and the system itself have no staff account: they act under a label such as
"申请人：4301****123X" or "系统：定时任务". Today most callers still pass that label as a
plain ``str``; ``SystemActor`` names it as a type, so a checker can tell a label from a user
without ``isinstance(actor, str)`` scattered through the services. Both are accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypeGuard

if TYPE_CHECKING:
    # django-stubs' plugin reads this alias as the AUTH_USER_MODEL class (orgs.User), which
    # core may not import; without the plugin it is AbstractBaseUser.
    from django.contrib.auth.models import _User


@dataclass(frozen=True)
class SystemActor:
    """A named actor without a staff account (the scheduler, the demo loader, an applicant)."""

    label: str

    def __post_init__(self) -> None:
        if not self.label.strip():
            raise ValueError("a system actor needs a label")

    def __str__(self) -> str:
        return self.label


# A staff user, a system actor, or (still accepted) a system actor's label as a plain str.
Actor: TypeAlias = "_User | SystemActor | str"

SCHEDULER = SystemActor("系统：定时任务")


def is_user(actor: Actor | None) -> TypeGuard[_User]:
    """Whether ``actor`` is a staff account (whose roles the services check)."""
    return actor is not None and not isinstance(actor, (str, SystemActor))


def actor_user(actor: Actor | None) -> _User | None:
    """The staff account behind ``actor``, or None for a system actor or label."""
    return actor if is_user(actor) else None


def actor_label(actor: Actor | None, *, username: bool = False) -> str:
    """The name written on ledger rows: the user's full name (else, or with ``username``,
    the username), or the system actor's label."""
    if actor is None:
        raise ValueError("every write names its actor")
    if isinstance(actor, SystemActor):
        return actor.label
    if isinstance(actor, str):
        return actor
    if username:
        return actor.get_username()
    return actor.get_full_name() or actor.get_username()
