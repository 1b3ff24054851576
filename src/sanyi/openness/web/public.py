"""Public disclosure pages under /open/. Every page starts from the public selectors;
nothing here decides by itself what is public. Anonymous visitors get the browse pages and
the records from the page cache (``core.pagecache``); search is answered each time."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from sanyi.core.pagecache import memoise, public_page
from sanyi.core.pagination import keyset_page
from sanyi.core.responses import file_response
from sanyi.openness.choices import Level, Topic
from sanyi.openness.indexing import KIND
from sanyi.openness.models import Area, DirectoryEntry, Interpretation
from sanyi.openness.selectors import (
    PublicFilters,
    area_list_public,
    directory_entries_public,
    public_among,
    public_units_with_counts,
    publication_public_get,
    publication_public_list,
    publication_public_years,
)
from sanyi.openness.web.media import interpretation_part_response
from sanyi.orgs.models import OrgUnit
from sanyi.search.selectors import search_query

PAGE_SIZE = 20
LEVEL_KINDS = {
    Level.DISTRICT: ("district", "department"),
    Level.SUBDISTRICT: ("subdistrict", "station"),
    Level.COMMUNITY: ("community", "grid"),
}


def _int(value: str | None, *, low: int = 1, high: int = 10**9) -> int | None:
    if value and value.isdigit() and low <= int(value) <= high:
        return int(value)
    return None


@require_safe
@public_page()
def home(request):
    context = memoise("openness:home", _home_data)
    return render(request, "openness/public/home.html", context)


def _home_data() -> dict:
    """The disclosure home's lists: counts over every public record."""
    units = public_units_with_counts()
    by_level = {
        level: [(u, n) for u, n in units if u.kind in kinds] for level, kinds in LEVEL_KINDS.items()
    }
    return {
        "levels": [(Level(level).label, level, rows) for level, rows in by_level.items()],
        "areas": list(area_list_public()),
        "topics": Topic.choices,
        "years": publication_public_years(),
        "latest": list(publication_public_list(PublicFilters())[:10]),
    }


def _filters(request) -> tuple[PublicFilters, list[str]]:
    """Browse filters from the query string, and a description of each for the page."""
    get = request.GET
    labels: list[str] = []
    unit = area = entry = None
    if unit_id := _int(get.get("unit")):
        unit = get_object_or_404(OrgUnit, pk=unit_id)
        labels.append(f"单位：{unit.name}")
    level = get.get("level", "")
    if level:
        if level not in Level.values:
            raise Http404("没有这个公开层级")
        labels.append(f"层级：{Level(level).label}")
    if area_code := get.get("area"):
        area = get_object_or_404(Area, code=area_code, is_active=True)
        labels.append(f"领域：{area.name}")
    if entry_id := _int(get.get("entry")):
        entry = get_object_or_404(DirectoryEntry.objects.select_related("area"), pk=entry_id)
        labels.append(f"公开事项：{entry.item_l1}／{entry.item_l2}")
    topic = get.get("topic", "")
    if topic:
        if topic not in Topic.values:
            raise Http404("没有这个主题分类")
        labels.append(f"主题：{Topic(topic).label}")
    year = _int(get.get("year"), low=1990, high=2100)
    month = _int(get.get("month"), high=12) if year else None
    if year:
        labels.append(f"时间：{year}年" + (f"{month}月" if month else ""))
    filters = PublicFilters(
        unit=unit, level=level, area=area, entry=entry, topic=topic, year=year, month=month
    )
    return filters, labels


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
@public_page()
def publication_list(request):
    """Newest first, paged by seeking (下一页/上一页 links carry the position), so a deep
    page costs what the first does; the total is counted up to 1000."""
    filters, labels = _filters(request)
    queryset = publication_public_list(filters)
    page = keyset_page(request.GET, queryset, per_page=PAGE_SIZE, name="openness.public")
    return render(
        request,
        "openness/public/list.html",
        {"page": page, "labels": labels, "filters": filters},
    )


@require_safe
@public_page()
def area_directory(request, code: str):
    area = get_object_or_404(Area, code=code, is_active=True)
    entries = directory_entries_public(area=area)
    return render(request, "openness/public/area.html", {"area": area, "entries": entries})


def _public_or_404(pk: int):
    publication = publication_public_get(pk)
    if publication is None:
        raise Http404("没有找到这条政府信息，它可能尚未公开或已经撤销")
    return publication


@require_safe
@public_page()
def publication_detail(request, pk: int):
    publication = _public_or_404(pk)
    context = {
        "publication": publication,
        "attachments": list(publication.attachments.all()),
        "interpretations": list(publication.interpretations.all()),
    }
    return render(request, "openness/public/detail.html", context)


@require_safe
def attachment_download(request, pk: int, attachment_id: int):
    publication = _public_or_404(pk)
    attachment = get_object_or_404(publication.attachments, pk=attachment_id)
    return file_response(
        attachment.file.open("rb"), attachment.original_name, attachment.content_type
    )


@require_safe
def interpretation_picture(request, pk: int, interpretation_id: int):
    publication = _public_or_404(pk)
    item = get_object_or_404(
        Interpretation, pk=interpretation_id, policy=publication, picture__gt=""
    )
    return file_response(item.picture.open("rb"), None, None, inline=True)


@require_safe
def interpretation_media(request, pk: int, interpretation_id: int, part: str):
    """An uploaded interpretation video (range requests), its captions or its poster."""
    publication = _public_or_404(pk)
    item = get_object_or_404(Interpretation, pk=interpretation_id, policy=publication)
    return interpretation_part_response(request, item, part)


@require_safe
def search(request):
    text = " ".join(request.GET.get("q", "").split())
    filters: dict[str, list[str]] = {}
    if unit_id := _int(request.GET.get("unit")):
        filters["org_unit"] = [str(unit_id)]
    for name in ("topic", "year"):
        if value := request.GET.get(name, "").strip():
            filters[name] = [value]
    if area_code := request.GET.get("area", "").strip():
        # The portal names areas by code; the index stores the area id.
        area = get_object_or_404(Area, code=area_code, is_active=True)
        filters["area"] = [str(area.pk)]
    number = _int(request.GET.get("page"), high=50) or 1
    results = error = None
    hits = []
    if text or filters:
        try:
            # Always as the public: a logged-in officer browsing the portal must see what
            # residents see, not the non-public documents of their own units.
            results = search_query(
                text=text,
                kinds=[KIND],
                filters=filters,
                viewer=AnonymousUser(),
                limit=PAGE_SIZE,
                offset=(number - 1) * PAGE_SIZE,
                facets=["topic"],  # the only counts the page shows
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            public = public_among((h.object_id for h in results.hits), fields=["pk"])
            hits = [h for h in results.hits if int(h.object_id) in public]
    topics = dict(Topic.choices)
    facet_topics = []
    if results is not None:
        facet_topics = [
            (code, topics.get(code, code), n)
            for code, n in results.facet_counts.get("topic", {}).items()
        ]
    context = {
        "q": text,
        "results": results,
        "hits": hits,
        "error": error,
        "facet_topics": facet_topics,
        "selected_topic": request.GET.get("topic", ""),
        "page_number": number,
        "has_next": bool(results and results.total > number * PAGE_SIZE),
        "query": _query_without_page(request),
    }
    return render(request, "openness/public/search.html", context)
