"""Test data for requests for information, built through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from sanyi.core.ids import make_resident_id, make_uscc
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import DeliveryForm, IntakeChannel
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

SYSTEM = "系统：测试"
_seq = itertools.count(1)


def person_id() -> str:
    n = next(_seq)
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n % 15000)
    return make_resident_id(f"110105{birth:%Y%m%d}{n % 1000:03d}")


def org_id() -> str:
    return make_uscc(f"91430100MA{next(_seq):07d}")


def setting() -> dict:
    """A district tree; the department is the agency, with two officers, an approver, a
    supervisor at the district and an officer of another subdistrict (out of scope)."""
    tree = org_f.tree()
    tree["agency"] = tree["dept"]
    tree["officer"] = org_f.staff(tree["dept"], Role.DISCLOSURE_OFFICER)
    tree["officer2"] = org_f.staff(tree["dept"], Role.DISCLOSURE_OFFICER)
    tree["approver"] = org_f.staff(tree["dept"], Role.APPROVER)
    tree["district_officer"] = org_f.staff(tree["district"], Role.DISCLOSURE_OFFICER)
    tree["supervisor"] = org_f.staff(tree["district"], Role.SUPERVISOR)
    tree["outsider"] = org_f.staff(tree["sub2"], Role.DISCLOSURE_OFFICER)
    return tree


def online(agency, *, on: dt.date | None = None, id_number: str | None = None, **fields):
    data = {
        "name": "张三",
        "description": "2026年本区最低生活保障资金发放情况",
        "delivery_form": DeliveryForm.ELECTRONIC,
        "phone": "13800000000",
    }
    data.update(fields)
    return services.request_submit_online(
        agency=agency, id_number=id_number or person_id(), on=on, **data
    )


def registered(agency, *, actor, received_on: dt.date, channel=IntakeChannel.IN_PERSON, **fields):
    data = {
        "id_number": person_id(),
        "name": "李四",
        "description": "本单位2025年度行政处罚决定书目录",
        "delivery_form": DeliveryForm.PAPER,
        "address": "示范区城关街道1号",
    }
    data.update(fields)
    return services.request_register(
        actor=actor, agency=agency, channel=channel, received_on=received_on, **data
    ).request


def carrying(outcome: str = "disclose", *, on: dt.date | None = None) -> services.Carriers:
    """What a reply with ``outcome`` carries in tests that are not about carriers: paper
    handed over for a grant, nothing otherwise."""
    from sanyi.disclosure_requests.choices import GRANT_OUTCOMES, PaperMethod

    if outcome not in GRANT_OUTCOMES:
        return services.Carriers()
    return services.Carriers(paper_method=PaperMethod.IN_PERSON, paper_on=on or dt.date(2026, 1, 5))
