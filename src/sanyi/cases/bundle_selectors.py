"""Reading bundles (一件事申请): the resident's own, and what a window clerk may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet

from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Bundle, BundleMember
from sanyi.cases.selectors import cases_visible_to

if TYPE_CHECKING:
    from sanyi.applicants.models import Applicant
    from sanyi.catalog.models import LifeEvent
    from sanyi.catalog.selectors import PlannedMember
    from sanyi.orgs.models import User


def _with_members(qs: QuerySet[Bundle]) -> QuerySet[Bundle]:
    members = BundleMember.objects.select_related(
        "case__implementation_item__base_item",
        "case__unit",
        "waits_for__case__implementation_item__base_item",
    ).order_by("position", "pk")
    return qs.select_related("life_event", "applicant").prefetch_related(
        Prefetch("members", queryset=members)
    )


def applicant_bundles(applicant: Applicant) -> QuerySet[Bundle]:
    """The applicant's own bundles, newest first, with their members."""
    return _with_members(Bundle.objects.filter(applicant=applicant)).order_by("-created_at", "-pk")


def applicant_bundle_get(applicant: Applicant, number: str) -> Bundle:
    """One of the applicant's own bundles (Bundle.DoesNotExist for anyone else's)."""
    return applicant_bundles(applicant).get(number=number)


def bundle_for_staff(viewer: User, number: str) -> Bundle:
    """A bundle with at least one member case the staff member may read."""
    visible = cases_visible_to(viewer).values("pk")
    return _with_members(Bundle.objects.filter(members__case__in=visible).distinct()).get(
        number=number
    )


@dataclass(frozen=True)
class MemberStatus:
    name: str
    number: str
    unit: str
    status: str
    waiting_for: str  # the earlier item's name while this one waits, else ""
    note: str


def bundle_statuses(bundle: Bundle) -> list[MemberStatus]:
    """Each member's status, in order, in the resident's words."""
    out = []
    for m in bundle.members.all():
        case = m.case
        waiting = ""
        if m.waits_for and not m.started_at and not m.stopped_note:
            waiting = m.waits_for.case.implementation_item.base_item.name
        status = "等待前序事项办结" if waiting else case.get_status_display()
        out.append(
            MemberStatus(
                case.implementation_item.base_item.name,
                case.number,
                case.unit.name,
                status,
                waiting,
                m.stopped_note,
            )
        )
    return out


def bundle_ready_cases(bundle: Bundle) -> list:
    """The member cases waiting for acceptance at a window."""
    return [m.case for m in bundle.members.all() if m.case.status == CaseStatus.AWAITING_ACCEPTANCE]


@dataclass(frozen=True)
class BundleSavings:
    """What one application saves over applying item by item (every member applying)."""

    name: str
    items: int
    forms_alone: int
    forms_bundle: int
    uploads_alone: int
    uploads_bundle: int
    visits_alone: int
    visits_bundle: int


def bundle_savings() -> list[BundleSavings]:
    """Per life event: forms, uploads and visits item by item against one application.

    Item by item, each item is its own form, asks for each of its own materials (a result
    of an earlier item is fetched and uploaded again) and takes the visits its guide says.
    As one application: one form, each material once (results of earlier members and
    shared data never), and at most the visits of the member needing most, since the
    window accepts every member ready at its centre in one go and waiting members start
    by themselves."""
    from sanyi.cases.services import bundle_uploads_needed, version_in_force
    from sanyi.catalog.choices import MaterialSource
    from sanyi.catalog.models import LifeEvent
    from sanyi.catalog.selectors import life_event_plan

    out = []
    for event in LifeEvent.objects.order_by("sort_order", "name"):
        everyone = {f["name"]: True for f in event.fields}
        both = _not_yes(event, everyone) + life_event_plan(event, everyone)
        plan: list[PlannedMember] = sorted(
            {p.name: p for p in both}.values(), key=lambda p: p.position
        )
        if not plan:
            continue
        versions = [version_in_force(p.item) for p in plan]
        alone_uploads = sum(
            v.materials.exclude(source=MaterialSource.SHARED_DATA).count() for v in versions
        )
        out.append(
            BundleSavings(
                event.name,
                len(plan),
                len(plan),
                1,
                alone_uploads,
                len(bundle_uploads_needed(plan)),
                sum(v.visits for v in versions),
                max(v.visits for v in versions),
            )
        )
    return out


def _not_yes(event: LifeEvent, answers: dict[str, Any]) -> list[PlannedMember]:
    """Members that apply only when an answer is no (so every member is counted)."""
    from sanyi.catalog.selectors import life_event_plan

    return life_event_plan(event, dict.fromkeys(answers, False)) if answers else []


def bundles_awaiting_acceptance(viewer: User, item_ids: list[int], limit: int = 50) -> list[Bundle]:
    """Bundles with a member case waiting for acceptance that the viewer may read and the
    window's centre accepts (``item_ids``), oldest first, each with its members: the
    counter lists each as one row. Three queries."""
    waiting = cases_visible_to(viewer).filter(
        status=CaseStatus.AWAITING_ACCEPTANCE, implementation_item__in=item_ids
    )
    ids = (
        Bundle.objects.filter(members__case__in=waiting.values("pk"))
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(
        _with_members(Bundle.objects.filter(pk__in=ids)).order_by("created_at", "pk")[:limit]
    )
