"""Shared set-up of the catalogue page tests: the org tree with its catalogue admins, and
the edit page's form data built from a guide dict (as a browser would post it).

Each test module declares its own ``world`` fixture from ``catalog_world``; the sign-in
second factor is switched off there too (it is tested with the portal)."""

from __future__ import annotations

from django.urls import reverse

from sanyi.catalog.tests import factories as catalog_factories
from sanyi.catalog.web.forms import ROW_FORMS
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories


def catalog_world() -> dict:
    """District admins ``author`` and ``reviewer``; ``dept_admin`` only holds the role on
    the department, so ``sub_dept``'s items are out of its scope."""
    return catalog_factories.org()


def url(name, *args, **kwargs):
    return reverse(f"workbench:{name}", args=args, kwargs=kwargs or None)


def login(client, user):
    client.force_login(user)
    return client


def other_role_user(world, role):
    return org_factories.staff(world["district"], role)


def other_roles():
    return [r for r in Role.values if r != Role.CATALOG_ADMIN]


def form_data(guide: dict, **extra) -> dict:
    """POST data of the edit page holding ``guide`` (plus identity fields in ``extra``)."""
    data: dict = {
        "acceptance_conditions": guide["acceptance_conditions"],
        "handling_type": guide["handling_type"],
        "visits": str(guide["visits"]),
        "channels": list(guide["channels"]),
        "online_depth": list(guide["online_depth"]),
        "online_url": guide.get("online_url", ""),
        "place": guide["place"],
        "hours": guide["hours"],
        "consultation_phone": guide["consultation_phone"],
        "complaint_phone": guide["complaint_phone"],
        "service_objects": list(guide["service_objects"]),
        "themes_person": "、".join(guide["themes_person"]),
        "themes_business": "、".join(guide["themes_business"]),
        "joint_agencies": "、".join(guide.get("joint_agencies", [])),
        "intermediary_services": guide.get("intermediary_services", ""),
        "special_procedures": guide.get("special_procedures", ""),
        "result_name": guide["result"]["name"],
        "result_type": guide["result"]["type"],
        "result_sample": guide["result"].get("sample", ""),
        "change_note": "",
    }
    if guide.get("online_payment"):
        data["online_payment"] = "on"
    for key in ("statutory_limit", "promised_limit"):
        value = guide[key]["value"]
        data[f"{key}_value"] = "" if value is None else str(value)
        data[f"{key}_unit"] = guide[key]["unit"]
        data[f"{key}_note"] = guide[key].get("note", "")
    for key, form_class in ROW_FORMS.items():
        rows = guide.get(key, [])
        data[f"{key}-TOTAL_FORMS"] = str(len(rows))
        data[f"{key}-INITIAL_FORMS"] = str(len(rows))
        data[f"{key}-MIN_NUM_FORMS"] = "0"
        data[f"{key}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            for name in form_class.base_fields:
                value = row.get(name)
                if isinstance(value, bool):
                    if value:
                        data[f"{key}-{i}-{name}"] = "on"
                    continue
                data[f"{key}-{i}-{name}"] = "" if value is None else str(value)
    data.update(extra)
    return data


def good_guide(**overrides):
    return catalog_factories.good_guide(**overrides)
