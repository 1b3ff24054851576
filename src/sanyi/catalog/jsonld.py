"""Structured data about the catalogue, for search engines and other governments' systems.

* ``government_service``: schema.org GovernmentService for one guide page, embedded in
  the page as a ``<script type="application/ld+json">`` data block (browsers never run it,
  so the CSP's ``script-src 'self'`` does not apply).
* ``cpsv_ap_document``: the whole public catalogue in the EU Core Public Service
  Vocabulary Application Profile (CPSV-AP 3), as JSON-LD with one ``@graph``.

Both are built from ``catalog.public.GuidePage``, the same data the guide page and the PDF
show. URLs are absolute, made from the ``base_url`` of the request.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from sanyi.catalog.choices import Channel, LimitUnit
from sanyi.catalog.public import CenterIndex, GuidePage, guide_page, published_guide_versions

SCHEMA_CONTEXT = "https://schema.org"
CPSV_CONTEXT = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "adms": "http://www.w3.org/ns/adms#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
LANGUAGE = "zh-Hans"
# Characters that could end the <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def guide_url(page: GuidePage, base_url: str) -> str:
    return base_url + reverse("catalog:guide", args=[page.implementation_code])


def _place(center) -> dict[str, Any]:
    place: dict[str, Any] = {
        "@type": "GovernmentOffice",
        "name": center.name,
        "address": {"@type": "PostalAddress", "streetAddress": center.address},
        "openingHours": center.opening_hours,
    }
    if center.phone:
        place["telephone"] = center.phone
    return place


def government_service(page: GuidePage, *, base_url: str) -> dict[str, Any]:
    """schema.org GovernmentService describing one guide."""
    unit = page.unit
    provider: dict[str, Any] = {"@type": "GovernmentOrganization", "name": unit.name}
    if unit.uscc:
        provider["identifier"] = unit.uscc
    channels: list[dict[str, Any]] = []
    for center in page.centers:
        channels.append(
            {
                "@type": "ServiceChannel",
                "name": f"{center.name}窗口办理",
                "serviceLocation": _place(center),
                "availableLanguage": LANGUAGE,
                **({"servicePhone": center.phone} if center.phone else {}),
            }
        )
    if Channel.ONLINE in page.channels and page.online_url:
        channels.append(
            {"@type": "ServiceChannel", "name": "网上办理", "serviceUrl": page.online_url}
        )
    data: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "GovernmentService",
        "@id": guide_url(page, base_url),
        "url": guide_url(page, base_url),
        "name": page.name,
        "identifier": page.implementation_code,
        "serviceType": page.item_type,
        "description": "；".join(page.conditions) or page.name,
        "provider": provider,
        "serviceOperator": provider,
        "areaServed": {"@type": "AdministrativeArea", "name": page.unit.name},
        "availableChannel": channels,
        "inLanguage": LANGUAGE,
        "offers": _offers(page),
    }
    if page.service_objects:
        data["audience"] = {"@type": "Audience", "audienceType": "、".join(page.service_objects)}
    if page.version.consultation_phone:
        data["termsOfService"] = f"咨询电话：{page.version.consultation_phone}"
    return data


def _offers(page: GuidePage) -> list[dict[str, Any]]:
    if page.free:
        return [{"@type": "Offer", "name": "不收费", "price": "0", "priceCurrency": "CNY"}]
    return [
        {"@type": "Offer", "name": fee.name, "description": fee.standard, "priceCurrency": "CNY"}
        for fee in page.fees
    ]


def _duration(value: int | None, unit: str) -> str | None:
    """xsd:duration of a time limit; working days have no xsd form and are only described."""
    if not value:
        return None
    if unit == LimitUnit.NATURAL_DAY:
        return f"P{value}D"
    if unit == LimitUnit.MONTH:
        return f"P{value}M"
    return None


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": LANGUAGE}


def cpsv_public_service(page: GuidePage, *, base_url: str) -> dict[str, Any]:
    """One cpsv:PublicService node.

    Long because it is one flat mapping of guide fields onto CPSV-AP properties, read
    side by side with the vocabulary; split up, the mapping would be harder to check."""
    url = guide_url(page, base_url)
    unit = page.unit
    version = page.version
    node: dict[str, Any] = {
        "@id": url,
        "@type": "cpsv:PublicService",
        "dct:identifier": page.implementation_code,
        "dct:title": _text(page.name),
        "dct:description": _text("；".join(page.conditions) or page.name),
        "dct:type": _text(page.item_type),
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ZHO"},
        "adms:status": _text("已发布"),
        "cv:hasCompetentAuthority": {
            "@type": "cv:PublicOrganisation",
            "skos:prefLabel": _text(unit.name),
            **({"dct:identifier": unit.uscc} if unit.uscc else {}),
        },
        "cv:thematicArea": [_text(t) for t in [*version.themes_person, *version.themes_business]],
        "cpsv:hasInput": [
            {
                "@type": "cv:Evidence",
                "dct:title": _text(m.name),
                "dct:description": _text(
                    f"{m.type}，{m.form}，{m.copies_text}，{m.necessity_label}，{m.source_label}"
                ),
            }
            for m in page.materials
        ],
        "cv:hasChannel": [
            {
                "@type": "cv:Channel",
                "dct:type": _text("窗口办理"),
                "cv:ownedBy": {
                    "@type": "cv:PublicOrganisation",
                    "skos:prefLabel": _text(c.org_unit.name),
                },
                "cv:openingHours": _text(c.opening_hours),
                "schema:address": c.address,
            }
            for c in page.centers
        ],
        "cv:hasLegalResource": [
            {"@type": "eli:LegalResource", "dct:title": _text(f"{b.title}{b.article}")}
            for b in page.legal_bases
        ],
        "cv:isGroupedBy": [
            {
                "@id": base_url + reverse("catalog:life_event", args=[e.pk]),
                "@type": "cv:Event",
                "dct:title": _text(e.name),
            }
            for e in page.life_events
        ],
        "cv:hasCost": (
            [
                {
                    "@type": "cv:Cost",
                    "dct:description": _text(f"{f.name}：{f.standard}"),
                    "cv:currency": {
                        "@id": "http://publications.europa.eu/resource/authority/currency/CNY"
                    },
                }
                for f in page.fees
            ]
            if page.fees
            else [{"@type": "cv:Cost", "cv:value": 0, "dct:description": _text("不收费")}]
        ),
        "cv:processingTime": _duration(version.promised_limit_value, version.promised_limit_unit),
        "schema:description": _text(f"{page.time.headline}；{page.visits_text}"),
    }
    if version.online_url and Channel.ONLINE in page.channels:
        node["cv:hasChannel"].append(
            {"@type": "cv:Channel", "dct:type": _text("网上办理"), "schema:url": version.online_url}
        )
    if version.result_name:
        node["cpsv:produces"] = [{"@type": "cv:Output", "dct:title": _text(version.result_name)}]
    if version.consultation_phone:
        node["cv:hasContactPoint"] = {
            "@type": "schema:ContactPoint",
            "schema:telephone": version.consultation_phone,
        }
    return {k: v for k, v in node.items() if v not in (None, [], "")}


def cpsv_ap_document(pages: Iterable[GuidePage], *, base_url: str) -> dict[str, Any]:
    return {
        "@context": CPSV_CONTEXT,
        "@graph": [cpsv_public_service(page, base_url=base_url) for page in pages],
    }


def catalogue_cpsv_ap(*, base_url: str) -> dict[str, Any]:
    """Every published item of the catalogue as one CPSV-AP document."""
    centers = CenterIndex()
    pages = (guide_page(v, centers=centers) for v in published_guide_versions())
    return cpsv_ap_document(pages, base_url=base_url.rstrip("/"))


def ld_json_script(data: dict[str, Any]) -> SafeString:
    """A JSON-LD data block. ``<``, ``>`` and ``&`` are escaped so no text inside can close
    the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
