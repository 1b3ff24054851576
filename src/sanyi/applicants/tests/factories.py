"""Test data for applicants, built through the services."""

from __future__ import annotations

import itertools

from sanyi.applicants import services
from sanyi.applicants.models import Applicant
from sanyi.core.ids import make_resident_id, make_uscc

_seq = itertools.count(1)
SYSTEM = "系统：测试"


def resident_id() -> str:
    """A valid resident ID (region 110105, born 1980-1999), unique per call."""
    n = next(_seq)
    return make_resident_id(f"110105{1980 + n % 20}0{1 + n % 9}1{n % 10}{n % 1000:03d}")


def uscc() -> str:
    n = next(_seq)
    return make_uscc(f"91110105MA{n:07d}")


def person(**fields) -> Applicant:
    n = next(_seq)
    fields.setdefault("id_number", resident_id())
    fields.setdefault("name", f"测试人{n}")
    fields.setdefault("phone", f"100{n:08d}")
    return services.applicant_find_or_create(actor=SYSTEM, **fields)


def organisation(**fields) -> Applicant:
    n = next(_seq)
    fields.setdefault("id_number", uscc())
    fields.setdefault("name", f"测试有限公司{n}")
    fields.setdefault("organisation_category", "commercial")
    fields.setdefault("phone", f"100{n:08d}")
    return services.applicant_find_or_create(actor=SYSTEM, **fields)
