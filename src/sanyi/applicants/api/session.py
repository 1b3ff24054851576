"""The base of the API views for the applicant signed in on the /my/ pages."""

from __future__ import annotations

from rest_framework import authentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from sanyi.applicants.auth import current_applicant
from sanyi.applicants.models import Applicant
from sanyi.core.throttles import PublicFormThrottle


class ApplicantSessionView(APIView):
    """For the applicant signed in on the /my/ pages (the SMS sign-in's session, not a staff
    account): ``applicant(request)`` is that person, or 403 saying how to sign in. Writes
    (every method but GET, HEAD and OPTIONS) must carry the CSRF token and are throttled
    like every public form."""

    permission_classes = [AllowAny]

    def get_throttles(self) -> list[BaseThrottle]:
        if self.request.method not in SAFE_METHODS:
            return [PublicFormThrottle()]
        return super().get_throttles()

    def applicant(self, request: Request) -> Applicant:
        applicant = current_applicant(request._request)
        if applicant is None:
            raise PermissionDenied("请先以申请人身份登录（证件号码和短信验证码）")
        if request.method not in SAFE_METHODS:
            authentication.SessionAuthentication().enforce_csrf(request._request)
        return applicant
