"""The catalogue's search endpoint, /api/v1/catalog/search/: the residents' search with
the same ranking, per-area collapse and suggestions as the public search page."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.catalog.api.serializers import CatalogSearchOutput, CatalogSearchQuery, plain
from sanyi.catalog.indexing import SEARCH_KINDS
from sanyi.orgs.areas import area_by_code
from sanyi.search.selectors import Hit, search_query
from sanyi.search.suggest import did_you_mean

TAG_PUBLIC = "政务服务事项"


def search_hit(hit: Hit) -> dict:
    return {
        "kind": hit.kind,
        "object_id": hit.object_id,
        "title": hit.title,
        "url": hit.url,
        "summary": hit.summary,
        "score": hit.score,
        "needs_area": hit.needs_area,
        "area_unit": hit.area_unit,
        "variants": [
            {
                "object_id": v.object_id,
                "url": v.url,
                "unit_name": v.unit_name,
                "unit_code": v.unit_code,
            }
            for v in hit.variants
        ],
    }


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="搜索事项和“一件事”",
    description=(
        "按群众的说法搜索（支持口语、同义词、拼音），名称相符的、办得多的在前。各地分别办理的"
        "同一事项合为一条：给出 area（地区的单位编码）时直接给出本地的指南，否则 needs_area 为"
        " true 并在 variants 中列出各地。每次搜索都会记入搜索日志。"
    ),
    parameters=[CatalogSearchQuery],
    responses={200: CatalogSearchOutput},
)
class CatalogSearchView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        serializer = CatalogSearchQuery(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        query = plain(serializer.validated_data)
        area = None
        if query["area"]:
            area = area_by_code(query["area"])
            if area is None:
                raise ValidationError({"area": ["没有这个街道（镇）或社区（村）的单位编码"]})
        try:
            results = search_query(
                text=query["q"],
                kinds=SEARCH_KINDS,
                viewer=request.user,
                limit=query["limit"],
                offset=query["offset"],
                area_paths=area.paths if area else (),
                prefer_titles=not query["all"],
            )
        except DjangoValidationError as exc:
            raise ValidationError({"q": exc.messages}) from None
        went_wrong = query["q"] and (not results.total or results.is_poor)
        data = {
            "count": results.total,
            "broader": results.broader,
            "is_poor": results.is_poor,
            "capped": results.capped,
            "did_you_mean": did_you_mean(query["q"]) if went_wrong else [],
            "results": [search_hit(hit) for hit in results.hits],
            "facets": results.facet_counts,
        }
        return Response(CatalogSearchOutput(data).data)
