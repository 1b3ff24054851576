"""Public catalogue pages under /services/: the catalogue home, the guide of an item
(page, PDF, material checklist), life events, and the open-data exports. Search is in
``public_search``.

Views parse the request, call the selectors of ``catalog.public`` (and ``search``), and
render. Anonymous visitors get the guide, life event and catalogue pages from the page
cache (``core.pagecache``: kept whole, dropped on every publish, ETag and 304). A signed-in
resident's guide and the PDFs carry an ETag and Last-Modified made from the version in
force and its service centers, so a publish (a new version id) or a change of a center
invalidates every cached copy, and a browser that already holds the page gets a 304.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_http_methods, require_safe

from sanyi import __version__
from sanyi.catalog import jsonld, pdf
from sanyi.catalog.eligibility import request_facts
from sanyi.catalog.exchange import catalog_export, export_json
from sanyi.catalog.models import ImplementationItem, ItemVersion, LifeEvent, Material
from sanyi.catalog.public import (
    MaterialFile,
    catalogue_overview,
    guide_freshness,
    guide_page,
    life_event_steps,
    material_file,
    public_guide_version,
    public_life_event,
    public_material,
)
from sanyi.catalog.public.eligibility import (
    applicant_kind_options,
    area_options,
    eligibility_panel,
)
from sanyi.catalog.selectors import life_event_merged_guide
from sanyi.core.pagecache import (
    CARE_COOKIE,
    is_anonymous,
    memoise,
    public_page,
    rendering_for_cache,
)
from sanyi.core.ratelimit import rate_limited
from sanyi.core.responses import content_disposition, file_response
from sanyi.orgs.areas import AREA_COOKIE, area_from_request

# Rendering a PDF takes a second or two; a frozen version renders the same every time, so
# the bytes are kept under the guide's ETag until the cache lets them go.
PDF_CACHE_SECONDS = 24 * 3600


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


# --- caching of guide pages --------------------------------------------------------------


def _freshness(request, implementation_code: str):
    # condition() asks for the ETag and for Last-Modified separately: read once.
    if not hasattr(request, "_guide_freshness"):
        request._guide_freshness = guide_freshness(implementation_code=implementation_code)
    return request._guide_freshness


def _guide_etag(request, implementation_code: str, variant: str = "page") -> str | None:
    if rendering_for_cache(request):
        return None  # the page cache answers conditional requests itself
    fresh = _freshness(request, implementation_code)
    if fresh is None:
        return None
    if variant != "page":
        return f"{variant}-{fresh.tag}-{__version__}"
    # The page shell differs with large-text mode and with a staff login (header links).
    care = int(request.COOKIES.get(CARE_COOKIE) == "1")
    staff = int(request.user.is_authenticated)
    # ... and with what the server knows of a signed-in resident ("看看我能不能办"), and
    # the area the resident chose on the front door (it answers "您住在哪个街道、社区？").
    known = json.dumps(
        [_known_facts(request, implementation_code), request.COOKIES.get(AREA_COOKIE, "")[:32]],
        sort_keys=True,
        default=str,
    )
    facts = hashlib.sha256(known.encode()).hexdigest()[:12]
    return f"{variant}-{fresh.tag}-{care}{staff}-{facts}-{__version__}"


def _known_facts(request, implementation_code: str) -> dict:
    """The server's facts about the resident behind the request, read once per request."""
    if not hasattr(request, "_eligibility_facts"):
        if is_anonymous(request):
            request._eligibility_facts = {}  # nobody signed in: nothing known
            return request._eligibility_facts
        item = ImplementationItem.objects.filter(implementation_code=implementation_code).first()
        request._eligibility_facts = request_facts(request, item) if item else {}
    return request._eligibility_facts


def _guide_last_modified(request, implementation_code: str):
    if rendering_for_cache(request):
        return None
    fresh = _freshness(request, implementation_code)
    return fresh.last_modified if fresh else None


def _pdf_etag(variant: str):
    def etag(request, implementation_code: str) -> str | None:
        return _guide_etag(request, implementation_code, variant)

    return etag


def _revalidate(response):
    # Caches may keep a copy but must ask each time; the ETag makes that a cheap 304.
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def _load_page(implementation_code: str):
    """The guide's page data, built once per generation of public content and shared by
    every rendering (signed in or not, any area, language or text size, the PDFs)."""
    return memoise(f"catalog:guide:{implementation_code}", lambda: _build_page(implementation_code))


def _build_page(implementation_code: str):
    try:
        version = public_guide_version(implementation_code=implementation_code)
    except ItemVersion.DoesNotExist:
        raise Http404("没有找到这个事项的办事指南，它可能已经取消或尚未发布") from None
    page = guide_page(version)
    page.flowchart  # drawn once, kept with the data  # noqa: B018
    return page


# --- pages -------------------------------------------------------------------------------


@require_safe
@public_page()
def catalogue_home(request):
    return render(request, "catalog/public/home.html", {"overview": catalogue_overview()})


@require_safe
# The area chosen on the front door answers "您住在哪个街道、社区？" on the guide.
@public_page(cookies=(AREA_COOKIE,))
@condition(etag_func=_guide_etag, last_modified_func=_guide_last_modified)
def guide(request, implementation_code: str):
    page = _load_page(implementation_code)
    base_url = _base_url(request)
    response = render(
        request,
        "catalog/public/guide.html",
        {
            "page": page,
            "ld_json": jsonld.ld_json_script(jsonld.government_service(page, base_url=base_url)),
            **_eligibility_context(request, page.version, _chosen_area(request)),
        },
    )
    if _known_facts(request, implementation_code):
        # A signed-in resident's own answer: never kept by a shared cache.
        patch_cache_control(response, private=True)
    return _revalidate(response)


def _chosen_area(request: HttpRequest) -> dict[str, str] | None:
    """The area chosen on the front door, as the answer to "您住在哪个街道、社区？" (the
    resident may change it); None when no area was chosen."""
    area = area_from_request(request)
    return {"area": area.unit.code} if area else None


def _eligibility_context(request, version, answers=None) -> dict:
    code = version.implementation_item.implementation_code
    panel = eligibility_panel(version, known=_known_facts(request, code), answers=answers)
    if panel is None:
        return {"eligibility": None}
    asks_area = any(q["key"] == "area" for q in panel.questions)
    return {
        "eligibility": panel,
        "kind_options": applicant_kind_options(),
        "area_options": area_options() if asks_area else [],
    }


# Checking answers changes nothing and reveals nothing to a third party (the answer goes
# back to the browser that asked), so a forged cross-site post gains nothing: no CSRF
# token, which keeps the ETag-cached guide page free of per-session tokens.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("catalog_eligibility", default="30/10")
def eligibility(request, implementation_code: str):
    """ "看看我能不能办" without JavaScript: the answers posted, the result in plain words."""
    page = _load_page(implementation_code)
    if request.method != "POST":
        return redirect(reverse("catalog:guide", args=[implementation_code]) + "#eligibility")
    answers = {key: request.POST.get(key, "") for key in ("applicant_kind", "age", "area")}
    context = _eligibility_context(request, page.version, answers)
    if context["eligibility"] is None:
        raise Http404("这个事项没有可以自助核对的受理条件")
    response = render(request, "catalog/public/eligibility.html", {"page": page, **context})
    patch_cache_control(response, no_store=True)
    return response


def _pdf_response(request, implementation_code: str, variant: str, render_pdf, label: str):
    etag = _guide_etag(request, implementation_code, variant)
    key = f"catalog:pdf:{implementation_code}:{etag}"
    data = cache.get(key)
    if data is None:
        data = render_pdf(_load_page(implementation_code), base_url=_base_url(request))
        cache.set(key, data, PDF_CACHE_SECONDS)
    response = file_response(
        data,
        f"{implementation_code}-{label}.pdf",
        "application/pdf",
        fallback=f"{implementation_code}-{variant}.pdf",
        nosniff=False,
    )
    return _revalidate(response)


@require_safe
@condition(etag_func=_pdf_etag("pdf"), last_modified_func=_guide_last_modified)
def guide_pdf(request, implementation_code: str):
    return _pdf_response(request, implementation_code, "pdf", pdf.guide_pdf, "办事指南")


@require_safe
@condition(etag_func=_pdf_etag("checklist"), last_modified_func=_guide_last_modified)
def checklist_pdf(request, implementation_code: str):
    return _pdf_response(request, implementation_code, "checklist", pdf.checklist_pdf, "材料清单")


def material_file_response(found: MaterialFile | None) -> FileResponse:
    """Stream a blank form or sample as a download (404 when there is none, or when the
    stored file has gone missing). Also used by the workbench's staff download."""
    if found is None:
        raise Http404("这项材料没有可下载的文件")
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在，请联系办理部门") from None
    # An ASCII fallback first for old clients, then the real (Chinese) name per RFC 6266.
    fallback = "material" + PurePosixPath(found.filename).suffix
    return file_response(handle, found.filename, found.content_type, fallback=fallback)


@require_safe
def material_download(request, implementation_code: str, position: int, kind: str):
    """The blank form or sample of a material of the guide in force, and of nothing else:
    drafts and superseded versions have no public files."""
    try:
        material = public_material(implementation_code=implementation_code, position=position)
    except Material.DoesNotExist:
        raise Http404("没有找到这项材料，办事指南可能已经更新") from None
    return material_file_response(material_file(material, kind))


@require_safe
@public_page()
def life_event(request, pk: int):
    context = memoise(f"catalog:life_event:{pk}", lambda: _life_event_data(pk))
    return render(request, "catalog/public/life_event.html", context)


def _life_event_data(pk: int) -> dict:
    """The merged guide of a life event (the costly part: every member's guide)."""
    try:
        event = public_life_event(pk=pk)
    except LifeEvent.DoesNotExist:
        raise Http404("没有找到这件事") from None
    merged = life_event_merged_guide(event)
    return {"merged": merged, "event": event, "steps": life_event_steps(merged.items)}


# --- exports -----------------------------------------------------------------------------


@require_safe
def export_catalog_json(request):
    """The published catalogue in our own exchange format (docs/catalog-format.md)."""
    document = catalog_export(viewer=request.user, status="published")
    return file_response(
        export_json(document),
        "sanyi-catalog.json",
        "application/json; charset=utf-8",
        inline=True,
        nosniff=False,
    )


@require_safe
def export_cpsv_ap(request):
    """The published catalogue as CPSV-AP JSON-LD."""
    document = jsonld.catalogue_cpsv_ap(base_url=_base_url(request))
    response = JsonResponse(
        document,
        content_type="application/ld+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = content_disposition(
        "sanyi-catalog-cpsv-ap.jsonld", inline=True
    )
    return response
