"""Staff look-up of an applicant by the full ID number, under /api/v1/applicants/.

For front-line staff (window clerks, approvers, disclosure officers, grid officers) who
already hold the applicant's document: the exact number finds the profile on file, so a
new application reuses it. There is no list or search: a partial number finds nothing.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.applicants.api.serializers import ApplicantLookupQuery, ApplicantOutput
from sanyi.applicants.selectors import applicant_by_id_number
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths

LOOKUP_ROLES = (Role.WINDOW_CLERK, Role.APPROVER, Role.DISCLOSURE_OFFICER, Role.GRID_OFFICER)


@extend_schema(
    tags=["申请人"],
    summary="按完整证件号码查找申请人（一号申请）",
    parameters=[ApplicantLookupQuery],
    responses={200: ApplicantOutput},
)
class ApplicantLookupView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        if not scope_paths(request.user, LOOKUP_ROLES):
            raise PermissionDenied("只有窗口人员、审批人员、政务公开专员和网格员可以查找申请人")
        query = ApplicantLookupQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        applicant = applicant_by_id_number(query.validated_data["id_number"])
        if applicant is None:
            raise Http404("没有这个证件号码的申请人")
        return Response(ApplicantOutput(applicant).data)
