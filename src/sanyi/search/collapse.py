"""One result for a thing implemented per area: which document a collapsed hit opens.

A group is the documents of one kind with the same collapse key (one base item, a guide
per subdistrict or community). With the resident's area known (``area_paths``: org paths,
the resident's own unit first, then the units above it), the hit opens

1. the document of the resident's unit or of a unit above it (the most precise one), or
2. else the only document of a unit inside the area (a community's item when only the
   subdistrict was chosen);

otherwise it asks where the resident goes (``Hit.needs_area``) and lists every document,
those inside the area first. Costs one query per page, and only when the page has a
group.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from django.db.models import QuerySet

from sanyi.search.ranking import Hit, Variant


def _own(variants: Sequence[Variant], area_paths: Sequence[str]) -> Variant | None:
    if not area_paths:
        return None
    own_path = area_paths[0]
    above = [v for v in variants if v.org_path and own_path.startswith(v.org_path)]
    if above:
        return max(above, key=lambda v: len(v.org_path))
    inside = [v for v in variants if any(v.org_path.startswith(p) for p in area_paths)]
    return inside[0] if len(inside) == 1 else None


def _in_area_first(variants: list[Variant], area_paths: Sequence[str]) -> tuple[Variant, ...]:
    def key(v: Variant) -> tuple[bool, str]:
        inside = any(v.org_path.startswith(p) for p in area_paths)
        return (not inside, v.org_path)

    return tuple(sorted(variants, key=key))


def resolve(hits: list[Hit], base: QuerySet, area_paths: Sequence[str]) -> list[Hit]:
    """``hits`` with each group's variants filled in and, where the area decides it, the
    resident's own document in place of the group's best match."""
    keys = {(h.kind, h.collapse_key) for h in hits if h.collapse_key}
    if not keys:
        return hits
    rows = (
        base.filter(kind__in={k for k, _ in keys}, collapse_key__in={c for _, c in keys})
        .order_by("org_path", "object_id")
        .values_list(
            "kind",
            "collapse_key",
            "object_id",
            "title",
            "url",
            "summary",
            "org_unit__name",
            "org_path",
            "org_unit__code",
        )
    )
    groups: dict[tuple[str, str], list[Variant]] = {}
    for kind, key, object_id, title, url, summary, unit_name, org_path, code in rows:
        if (kind, key) in keys:
            groups.setdefault((kind, key), []).append(
                Variant(object_id, title, url, summary, unit_name or "", org_path, code or "")
            )
    resolved = []
    for hit in hits:
        variants = groups.get((hit.kind, hit.collapse_key), [])
        if len(variants) < 2:
            resolved.append(hit)
            continue
        own = _own(variants, area_paths)
        ordered = _in_area_first(variants, area_paths)
        # The passage shown under the title came from the group's best match: another
        # area's guide, unless it is the one opened.
        title_only = {k: v for k, v in hit.highlights.items() if k == "title"}
        if own is None:
            resolved.append(
                dataclasses.replace(hit, variants=ordered, needs_area=True, highlights=title_only)
            )
            continue
        resolved.append(
            dataclasses.replace(
                hit,
                highlights=hit.highlights if own.object_id == hit.object_id else title_only,
                object_id=own.object_id,
                url=own.url,
                summary=own.summary,
                variants=ordered,
                area_unit=own.unit_name,
            )
        )
    return resolved
