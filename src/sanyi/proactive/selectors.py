"""Reading proactive offers and rules, each for its viewer: a resident sees only their own
offers; rules and their counters are read by catalogue administrators (who write them)
and supervisors (who read the counters).

Counters (docs/proactive.md): sent = offers made; opened = ``opened_at`` set; applied =
the offer's case submitted (``case.submitted_at``); concluded = the offer's case
concluded (``case.concluded_at``). Read from the case at query time, one aggregate query.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from sanyi.applicants.models import Applicant
from sanyi.orgs.models import Role, User
from sanyi.orgs.permissions import scope_paths
from sanyi.proactive.models import ProactiveOffer, ProactiveOptOut, ProactiveRule

RULE_WRITERS = (Role.CATALOG_ADMIN,)
RULE_READERS = (Role.CATALOG_ADMIN, Role.SUPERVISOR)


def can_read_rules(viewer: User) -> bool:
    return bool(scope_paths(viewer, RULE_READERS))


def can_write_rules(viewer: User) -> bool:
    return bool(scope_paths(viewer, RULE_WRITERS))


def require_rule_reader(viewer: User) -> None:
    if not can_read_rules(viewer):
        raise PermissionDenied("只有事项管理员和督查人员可以查看主动服务规则")


def require_rule_writer(viewer: User) -> None:
    if not can_write_rules(viewer):
        raise PermissionDenied("只有事项管理员可以编写、发布和停用主动服务规则")


def offers_of(applicant: Applicant) -> QuerySet[ProactiveOffer]:
    """The resident's own offers, newest first, with what their pages show."""
    return ProactiveOffer.objects.filter(applicant=applicant).select_related(
        "item__base_item", "case", "rule", "applicant"
    )


def offer_of(applicant: Applicant, pk: int) -> ProactiveOffer | None:
    """One of the resident's own offers; None for anyone else's (the page answers 404)."""
    return offers_of(applicant).filter(pk=pk).first()


def opted_out_codes(applicant: Applicant) -> set[str]:
    """The rule codes the resident turned off; ``""`` stands for all offers."""
    return set(
        ProactiveOptOut.objects.filter(applicant=applicant).values_list("rule_code", flat=True)
    )


def _with_counters(qs: QuerySet[ProactiveRule]) -> QuerySet[ProactiveRule]:
    return qs.annotate(
        sent=Count("offers"),
        opened=Count("offers", filter=Q(offers__opened_at__isnull=False)),
        applied=Count("offers", filter=Q(offers__case__submitted_at__isnull=False)),
        concluded=Count("offers", filter=Q(offers__case__concluded_at__isnull=False)),
    )


def rules_with_counters(*, viewer: User) -> QuerySet[ProactiveRule]:
    """Every version of every rule with its counters (sent, opened, applied, concluded)."""
    require_rule_reader(viewer)
    return _with_counters(
        ProactiveRule.objects.select_related("item__base_item", "author", "published_by")
    ).order_by("code", "-version")


def rule_of(*, viewer: User, pk: int) -> ProactiveRule | None:
    require_rule_reader(viewer)
    return (
        _with_counters(ProactiveRule.objects.select_related("item__base_item", "author"))
        .filter(pk=pk)
        .first()
    )
