"""Writing API credentials. Each token is a staff member's key for other systems; issuing
and revoking one is audited against the account, never with the key itself."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor
from sanyi.orgs.models import User


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """The account's API token, created on first use. The account itself is the actor:
    a token is issued only to someone who has just proved the password."""
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_record(actor=user, action="api_token.issue", obj=user, note="签发接口令牌")
    return token


@transaction.atomic
def api_token_revoke(*, actor: Actor, user: User) -> bool:
    """Delete the account's API token; False when it had none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor, action="api_token.revoke", obj=user, note="注销接口令牌")
    return bool(deleted)
