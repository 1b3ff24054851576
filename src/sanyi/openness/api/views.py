"""Read-only public API of disclosed government information, under /api/v1/openness/.

Both endpoints start from ``selectors.publication_public_qs``, the one definition of
public, exactly as the portal pages do; a record that is not public is a 404 problem.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from sanyi.core.pagination import KeysetPagination
from sanyi.openness.api.serializers import (
    OpennessPublicationDetailOutput,
    OpennessPublicationQuery,
    OpennessPublicationSummaryOutput,
)
from sanyi.openness.selectors import PublicFilters, publication_public_list, publication_public_qs
from sanyi.orgs.models import OrgUnit

TAG = "政务公开"


@extend_schema(tags=[TAG], summary="主动公开的政府信息列表", parameters=[OpennessPublicationQuery])
class OpennessPublicationListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = OpennessPublicationSummaryOutput
    pagination_class = KeysetPagination
    keyset_name = "openness.public"

    def get_queryset(self):
        query = OpennessPublicationQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        unit = None
        if "unit" in params:
            unit = OrgUnit.objects.filter(pk=params["unit"]).first()
            if unit is None:
                raise Http404("没有这个发布单位")
        return publication_public_list(
            PublicFilters(unit=unit, topic=params.get("topic", ""), year=params.get("year"))
        )


@extend_schema(tags=[TAG], summary="一条主动公开的政府信息（含正文、附件和政策解读）")
class OpennessPublicationDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = OpennessPublicationDetailOutput

    def get_object(self):
        return get_object_or_404(
            publication_public_qs()
            .select_related("publisher")
            .prefetch_related("attachments", "interpretations"),
            pk=self.kwargs["pk"],
        )
