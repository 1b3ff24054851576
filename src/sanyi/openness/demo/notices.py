"""Notices of every subdistrict and community, so a resident who chooses their area on the
front door sees the latest notices of their own community (and of their subdistrict).
Written by the subdistrict's (or 翠苑社区's) disclosure officer, checked by the district's,
and published through the services like any other record. 城关街道 has its officers among
the demo logins; each other subdistrict gets an officer account that cannot sign in (no
password), as the one who wrote its notices."""

from __future__ import annotations

from sanyi.openness import services
from sanyi.openness.choices import Topic
from sanyi.openness.models import Publication
from sanyi.orgs import services as org_services
from sanyi.orgs.models import OrgKind, OrgUnit, Role, User
from sanyi.orgs.permissions import has_role

SUBDISTRICT = "城关街道"
SUBDISTRICT_NOTICES = [
    (
        "城关街道便民服务中心元旦假期办公安排",
        "<p>元旦假期1月1日休息，1月2日起正常办公。急事请拨打0000-6600001。</p>",
        Topic.OTHER,
    ),
    (
        "城关街道2027年城乡居民医保集中缴费通知",
        "<p>集中缴费期至12月31日，可在社区便民服务站或手机上缴费。</p>",
        Topic.HEALTH,
    ),
]
COMMUNITY_NOTICES = [
    (
        "{name}65周岁以上老年人免费体检通知",
        "<p>请携带身份证到{name}便民服务站登记，体检地点另行通知。</p>",
        Topic.ELDERLY,
    ),
    (
        "{name}居民议事会会议公告",
        "<p>本月议题：小区加装电梯和停车位划线，欢迎居民旁听。</p>",
        Topic.OTHER,
    ),
]


OTHER_SUBDISTRICT_NOTICE = (
    "{name}便民服务中心冬季办公时间调整通知",
    "<p>即日起下午办公时间调整为14:00-17:00，周六上午提供预约服务。</p>",
    Topic.OTHER,
)

Plan = list[tuple[OrgUnit, User, str, str, str]]


def _communities(street: OrgUnit) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(parent=street, kind=OrgKind.COMMUNITY, is_active=True).order_by(
            "sort_order", "name"
        )
    )


def _item(unit: OrgUnit, writer: User, notice: tuple[str, str, str]) -> tuple:
    title, body, topic = notice
    return (unit, writer, title.format(name=unit.name), body.format(name=unit.name), topic)


def _pilot_plan() -> Plan:
    """城关街道: two notices of its own and two of each community."""
    sub_writer = User.objects.get(username="disclosure.subdistrict")
    comm_writer = User.objects.get(username="disclosure.community")
    street = OrgUnit.objects.get(name=SUBDISTRICT, kind=OrgKind.SUBDISTRICT)
    plan: Plan = [_item(street, sub_writer, notice) for notice in SUBDISTRICT_NOTICES]
    for community in _communities(street):
        own = has_role(comm_writer, Role.DISCLOSURE_OFFICER, community)
        writer = comm_writer if own else sub_writer
        plan += [_item(community, writer, notice) for notice in COMMUNITY_NOTICES]
    return plan


def _other_plan(actor: str) -> Plan:
    """Every other subdistrict: one notice of its own and one of each community."""
    plan: Plan = []
    streets = OrgUnit.objects.filter(kind=OrgKind.SUBDISTRICT, is_active=True).exclude(
        name=SUBDISTRICT
    )
    for street in streets.order_by("sort_order", "name"):
        writer = org_services.staff_create(
            actor=actor,
            username=f"disclosure.{street.code}",
            # No password and no @demo.invalid address: not one of the demo logins.
            full_name=f"{street.name}政务公开专员",
        )
        org_services.role_assign(
            actor=actor, user=writer, org_unit=street, role=Role.DISCLOSURE_OFFICER
        )
        plan.append(_item(street, writer, OTHER_SUBDISTRICT_NOTICE))
        plan += [_item(c, writer, COMMUNITY_NOTICES[0]) for c in _communities(street)]
    return plan


def load_area_notices(*, actor: str, mark: str) -> int:
    """Publish the notices; returns how many. Each carries the demo ``mark``."""
    reviewer = User.objects.get(username="disclosure.district")
    plan = _pilot_plan() + _other_plan(actor)
    made = []
    for publisher, writer, title, body, topic in plan:
        pub = services.publication_create(
            actor=writer, publisher=publisher, title=title, body=body, topic=topic
        )
        services.publication_submit(actor=writer, publication=pub)
        pub = services.publication_review(actor=reviewer, publication=pub, approve=True)
        made.append(services.publication_publish(actor=writer, publication=pub).pk)
    Publication.objects.filter(pk__in=made).update(provenance={"demo": mark})
    return len(made)
