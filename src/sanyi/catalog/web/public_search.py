"""The residents' search of the catalogue, /services/search/ (its ``q`` parameter is what
the front door's search box sends), and the suggestions shown while typing.

An item implemented per area is one result: it opens the guide of the resident's own area
(chosen on the front door and kept in a cookie, or given here as ``area=<unit code>``,
which is then remembered), or asks "您在哪里办理？". When some item names match, items that
only mention the words in their text are left out; ``all=1`` shows them too.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from sanyi.catalog.indexing import ITEM_FACETS, SEARCH_KINDS, facet_label
from sanyi.catalog.public import search_suggestions
from sanyi.core.ratelimit import hit, too_many
from sanyi.orgs.areas import Area, area_by_code, area_from_request, remember_area
from sanyi.search.selectors import SearchResults, search_query
from sanyi.search.suggest import did_you_mean, typing_suggestions

PAGE_SIZE = 20
MAX_PAGE = 50
# Requests per client address and window ("count/minutes"); settings.SANYI_RATE_LIMITS
# may change them. Generous: a service hall's residents share one address.
SEARCH_LIMIT = "300/5"
SUGGEST_LIMIT = "900/5"


def _filters(request: HttpRequest) -> dict[str, list[str]]:
    return {
        name: [v for v in request.GET.getlist(name) if v.strip()][:5]
        for name in ITEM_FACETS
        if any(v.strip() for v in request.GET.getlist(name))
    }


def _page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def _area(request: HttpRequest) -> tuple[Area | None, bool]:
    """The resident's area, and whether it was chosen on this request (to remember)."""
    code = request.GET.get("area", "").strip()
    if code:
        area = area_by_code(code)
        if area is not None:
            return area, True
    return area_from_request(request), False


def _facets(results: SearchResults | None, filters: dict[str, list[str]]) -> list[dict]:
    facets: list[dict] = []
    if results is None:
        return facets
    for name, label in ITEM_FACETS.items():
        counts = results.facet_counts.get(name) or {}
        chosen = filters.get(name, [])
        if counts or chosen:
            facets.append(
                {
                    "name": name,
                    "label": label,
                    "chosen": chosen[0] if chosen else "",
                    "options": [
                        {"value": v, "label": facet_label(name, v), "count": n}
                        for v, n in counts.items()
                    ],
                }
            )
    return facets


def _pages(results: SearchResults | None, number: int, params: list) -> dict | None:
    if results is None or results.total <= PAGE_SIZE:
        return None
    last = min((results.total + PAGE_SIZE - 1) // PAGE_SIZE, MAX_PAGE)
    return {
        "number": number,
        "last": last,
        "previous": urlencode([*params, ("page", number - 1)]) if number > 1 else "",
        "next": urlencode([*params, ("page", number + 1)]) if number < last else "",
    }


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    if not hit(request, "catalog-search", default=SEARCH_LIMIT):
        return too_many(request)
    text = " ".join(request.GET.get("q", "").split())
    filters = _filters(request)
    number = _page_number(request)
    area, chosen_now = _area(request)
    everything = request.GET.get("all") == "1"
    results = error = None
    if text or filters:
        try:
            results = search_query(
                text=text,
                kinds=SEARCH_KINDS,
                filters=filters,
                viewer=request.user,
                limit=PAGE_SIZE,
                offset=(number - 1) * PAGE_SIZE,
                area_paths=area.paths if area else (),
                prefer_titles=not everything,
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
    went_wrong = results is not None and (not results.total or results.is_poor)
    base_params = [("q", text)] + [(n, v) for n, vs in filters.items() for v in vs]
    page_params = [*base_params, *([("all", "1")] if everything else [])]
    response = render(
        request,
        "catalog/public/search.html",
        {
            "text": text,
            "filters": filters,
            "filter_params": [(n, v) for n, vs in filters.items() for v in vs],
            "chosen": [
                {"label": ITEM_FACETS[n], "value": facet_label(n, v)}
                for n, vs in filters.items()
                for v in vs
            ],
            "results": results,
            "facets": _facets(results, filters),
            "error": error,
            "area": area,
            "did_you_mean": did_you_mean(text) if text and went_wrong else [],
            "suggestions": search_suggestions() if results is None or not results.total else [],
            "pages": _pages(results, number, page_params),
            "broader": urlencode([*base_params, ("all", "1")])
            if results is not None and results.broader
            else "",
            "without_filters": urlencode({"q": text}) if filters else "",
        },
    )
    if chosen_now:
        remember_area(response, area)
    return response


@require_safe
def search_suggest(request: HttpRequest) -> HttpResponse:
    """The suggestions under the search box (an htmx fragment). Opened without htmx (no
    script), it is the search itself."""
    if not request.headers.get("HX-Request"):
        query = urlencode({"q": request.GET.get("q", "")[:100]})
        return redirect(f"{reverse('catalog:search')}?{query}")
    if not hit(request, "catalog-search-suggest", default=SUGGEST_LIMIT):
        return too_many(request)
    text = " ".join(request.GET.get("q", "").split())[:100]
    suggestions = typing_suggestions(text, kinds=SEARCH_KINDS, viewer=request.user) if text else []
    return render(
        request,
        "catalog/public/_search_suggestions.html",
        {"suggestions": suggestions, "text": text},
    )
