"""What the catalogue endpoints share: tags, path parameters, and the dicts their outputs are
built from.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from sanyi.catalog.api.serializers import (
    plain,
)
from sanyi.catalog.choices import ItemLevel, ItemType, VersionStatus
from sanyi.catalog.guide import GuideInvalid, guide_of, public_guide
from sanyi.catalog.models import ItemVersion
from sanyi.orgs.models import OrgUnit

TAG_PUBLIC = "政务服务事项"
TAG_ADMIN = "政务服务事项维护"
CODE = OpenApiParameter(
    "implementation_code", OpenApiTypes.STR, OpenApiParameter.PATH, description="实施编码"
)
VERSION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="版本编号")
EVENT_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="“一件事”编号"
)


def _unit(unit: OrgUnit | None) -> dict | None:
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


def _limit(version: ItemVersion, key: str) -> dict:
    return {
        "value": getattr(version, f"{key}_value"),
        "unit": getattr(version, f"{key}_unit"),
        "note": getattr(version, f"{key}_note"),
    }


def item_summary(version: ItemVersion) -> dict:
    item = version.implementation_item
    return {
        "implementation_code": item.implementation_code,
        "base_code": item.base_item.base_code,
        "name": item.base_item.name,
        "item_type": item.base_item.item_type,
        "item_type_display": ItemType(item.base_item.item_type).label,
        "level": item.level,
        "level_display": ItemLevel(item.level).label,
        "implementing_unit": _unit(item.implementing_unit),
        "version_id": version.pk,
        "version_number": version.number,
        "effective_on": version.effective_on,
        "published_at": version.published_at,
        "handling_type": version.handling_type,
        "visits": version.visits,
        "statutory_limit": _limit(version, "statutory_limit"),
        "promised_limit": _limit(version, "promised_limit"),
    }


def version_data(version: ItemVersion, *, handbook: bool = True) -> dict:
    """A version loaded with ``versions_with_children``; ``handbook=False`` leaves out the
    staff handbook (for anonymous readers)."""
    item = version.implementation_item
    return {
        "id": version.pk,
        "implementation_code": item.implementation_code,
        "base_code": item.base_item.base_code,
        "name": item.base_item.name,
        "item_type": item.base_item.item_type,
        "implementing_unit": _unit(item.implementing_unit),
        "number": version.number,
        "status": version.status,
        "status_display": VersionStatus(version.status).label,
        "approved": version.reviewed_by_id is not None,
        "change_note": version.change_note,
        "created_by": version.created_by_label,
        "created_at": version.created_at,
        "submitted_at": version.submitted_at,
        "reviewed_at": version.reviewed_at,
        "published_at": version.published_at,
        "effective_on": version.effective_on,
        "guide": guide_of(version) if handbook else public_guide(guide_of(version)),
    }


def version_summary(version: ItemVersion) -> dict:
    return {
        "id": version.pk,
        "number": version.number,
        "status": version.status,
        "status_display": VersionStatus(version.status).label,
        "change_note": version.change_note,
        "created_at": version.created_at,
        "published_at": version.published_at,
        "effective_on": version.effective_on,
    }


def _guide_problem(exc: GuideInvalid, prefix: str = "guide") -> ValidationError:
    """clean_guide's paths (``materials[2].name``) as the API's dotted field names."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        path = error.path.replace("[", ".").replace("]", "")
        field = f"{prefix}.{path}" if path else prefix
        errors.setdefault(field, []).append(error.message)
    return ValidationError(errors)


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return plain(serializer.validated_data)
