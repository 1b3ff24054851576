"""Notices of 城关街道 and each of its communities, so a resident who chooses their area on
the front door sees the latest notices of their own community (and of their subdistrict).
Written by the subdistrict's (or 翠苑社区's) disclosure officer, checked by the district's,
and published through the services like any other record."""

from __future__ import annotations

from sanyi.openness import services
from sanyi.openness.choices import Topic
from sanyi.openness.models import Publication
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


def load_area_notices(*, mark: str) -> int:
    """Publish the notices; returns how many. Each carries the demo ``mark``."""
    reviewer = User.objects.get(username="disclosure.district")
    sub_writer = User.objects.get(username="disclosure.subdistrict")
    comm_writer = User.objects.get(username="disclosure.community")
    street = OrgUnit.objects.get(name=SUBDISTRICT, kind=OrgKind.SUBDISTRICT)
    plan = [(street, sub_writer, title, body, topic) for title, body, topic in SUBDISTRICT_NOTICES]
    communities = OrgUnit.objects.filter(
        parent=street, kind=OrgKind.COMMUNITY, is_active=True
    ).order_by("sort_order", "name")
    for community in communities:
        own = has_role(comm_writer, Role.DISCLOSURE_OFFICER, community)
        writer = comm_writer if own else sub_writer
        for title, body, topic in COMMUNITY_NOTICES:
            plan.append(
                (
                    community,
                    writer,
                    title.format(name=community.name),
                    body.format(name=community.name),
                    topic,
                )
            )
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
