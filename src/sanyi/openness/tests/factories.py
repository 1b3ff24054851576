"""Test data for directories and publications, built through the services; traits give
a publication in each workflow state."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from sanyi.openness import services
from sanyi.openness.choices import (
    Channel,
    DisclosureAttribute,
    FiveKind,
    Level,
    NonDisclosureGround,
)
from sanyi.openness.models import Area, Publication
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_f

SYSTEM = "系统：测试"
_seq = itertools.count(1)


def setting() -> dict:
    """A district tree with a USCC on every publishing unit and two officers per level."""
    tree = org_f.tree()
    tree["district"].uscc = org_f.unique_uscc()
    tree["district"].save(update_fields=["uscc"])
    tree["sub1"].uscc = org_f.unique_uscc()
    tree["sub1"].save(update_fields=["uscc"])
    tree["writer"] = org_f.staff(tree["district"], Role.DISCLOSURE_OFFICER)
    tree["reviewer"] = org_f.staff(tree["district"], Role.DISCLOSURE_OFFICER)
    tree["sub_writer"] = org_f.staff(tree["sub1"], Role.DISCLOSURE_OFFICER)
    return tree


def area(code: str = "P17") -> Area:
    return Area.objects.get(code=code)


def entry(org_unit, *, level=None, area_code="P17", l1="社会救助", l2=None, **fields):
    level = (
        level
        or {
            OrgKind.DISTRICT: Level.DISTRICT,
            OrgKind.DEPARTMENT: Level.DISTRICT,
            OrgKind.SUBDISTRICT: Level.SUBDISTRICT,
            OrgKind.COMMUNITY: Level.COMMUNITY,
        }[org_unit.kind]
    )
    defaults = {
        "content_elements": "救助对象、救助标准、办理结果",
        "basis": "《社会救助暂行办法》",
        "time_limit_days": 20,
        "time_limit_text": "信息形成或者变更之日起20个工作日内",
        "channels": [Channel.WEBSITE, Channel.NOTICE_BOARD],
        "five_kind": FiveKind.RESULT,
    }
    defaults.update(fields)
    return services.directory_entry_create(
        actor=SYSTEM,
        org_unit=org_unit,
        area=area(area_code),
        level=level,
        item_l1=l1,
        item_l2=l2 or f"最低生活保障{next(_seq)}",
        **defaults,
    )


def draft(publisher, *, actor=SYSTEM, title=None, body="<p>正文内容</p>", **fields) -> Publication:
    if fields.get("attribute") == DisclosureAttribute.NOT_DISCLOSED:
        fields.setdefault("non_disclosure_ground", NonDisclosureGround.PRIVACY)
    return services.publication_create(
        actor=actor,
        publisher=publisher,
        title=title or f"关于公布第{next(_seq)}批低保对象的公示",
        body=body,
        **fields,
    )


def in_review(publisher, *, writer, **fields) -> Publication:
    pub = draft(publisher, actor=writer, **fields)
    return services.publication_submit(actor=writer, publication=pub)


def approved(publisher, *, writer, reviewer, **fields) -> Publication:
    pub = in_review(publisher, writer=writer, **fields)
    return services.publication_review(actor=reviewer, publication=pub, approve=True)


def published(publisher, *, writer, reviewer, at=None, **fields) -> Publication:
    pub = approved(publisher, writer=writer, reviewer=reviewer, **fields)
    return services.publication_publish(actor=writer, publication=pub, at=at)


def scheduled(publisher, *, writer, reviewer, days=3, **fields) -> Publication:
    at = timezone.now() + dt.timedelta(days=days)
    return published(publisher, writer=writer, reviewer=reviewer, at=at, **fields)


def revoked(publisher, *, writer, reviewer, **fields) -> Publication:
    pub = published(publisher, writer=writer, reviewer=reviewer, **fields)
    return services.publication_revoke(actor=writer, publication=pub, reason="内容有误")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
