"""Reading requests for information: scoped lists for staff, tracking for applicants."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch, Q, QuerySet

from sanyi.disclosure_requests.choices import OPEN_STATUSES, RequestStatus
from sanyi.disclosure_requests.clocks import RequestClock
from sanyi.disclosure_requests.clocks import request_clock as _request_clock
from sanyi.disclosure_requests.models import (
    Appeal,
    ClockStop,
    InfoRequest,
    ReplyFile,
    RequestEvent,
)
from sanyi.openness.models import Publication
from sanyi.openness.selectors.public import public_among, publication_public_qs
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import has_role, scope_q

if TYPE_CHECKING:
    from sanyi.applicants.models import Applicant
    from sanyi.orgs.models import User

# Who may read requests: the officers who handle them and the supervisors who oversee them.
READ_ROLES = (Role.DISCLOSURE_OFFICER, Role.SUPERVISOR)
ACT_ROLES = (Role.DISCLOSURE_OFFICER,)


def request_clock(request: InfoRequest, today: dt.date | None = None) -> RequestClock:
    """Elapsed, stopped and remaining working days and the state (ok/yellow/red/…)."""
    return _request_clock(request, today)


def _base() -> QuerySet[InfoRequest]:
    return InfoRequest.objects.select_related(
        "agency", "applicant", "assigned_to"
    ).prefetch_related(Prefetch("stops", queryset=ClockStop.objects.order_by("started_on", "pk")))


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""
    agency_id: int | None = None
    channel: str = ""
    overdue: bool | None = None
    due_before: dt.date | None = None
    open_only: bool = False
    number: str = ""


def request_list(
    *, viewer: User, filters: RequestFilters | None = None, today: dt.date | None = None
) -> QuerySet[InfoRequest]:
    """The requests of the agencies in the viewer's scope, by due date (open ones first)."""
    from django.utils import timezone

    f = filters or RequestFilters()
    today = today or timezone.localdate()
    qs = _base().filter(scope_q(viewer, READ_ROLES, path_field="agency__path"))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if f.agency_id:
        qs = qs.filter(agency_id=f.agency_id)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.due_before:
        qs = qs.filter(reply_due_on__lte=f.due_before)
    if f.number:
        qs = qs.filter(number__iexact=f.number.strip())
    running = (RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING, RequestStatus.AWAITING_FEE)
    if f.overdue is True:
        qs = qs.filter(status__in=running, reply_due_on__lt=today)
    elif f.overdue is False:
        qs = qs.exclude(status__in=running, reply_due_on__lt=today)
    return qs.order_by(F("reply_due_on").asc(nulls_last=True), "pk")


def request_get(*, viewer: User, pk: int) -> InfoRequest | None:
    """One request if the viewer may read it, else None."""
    return request_list(viewer=viewer).filter(pk=pk).first()


def can_act(viewer: User, request: InfoRequest) -> bool:
    return has_role(viewer, ACT_ROLES, request.agency)


def request_events(request: InfoRequest) -> QuerySet[RequestEvent]:
    return request.events.select_related("actor").order_by("on", "pk")


def request_track(*, number: str, code: str) -> InfoRequest | None:
    """The request with this number if the query code matches (constant-time compare)."""
    from sanyi.disclosure_requests.services import query_code_matches

    number = "".join(str(number or "").split()).upper()
    if not number:
        return None
    request = _base().filter(number=number).first()
    if request is None or not query_code_matches(request, code):
        return None
    return request


def requests_of_applicant(applicant: Applicant) -> QuerySet[InfoRequest]:
    return _base().filter(applicant=applicant).order_by("-submitted_on", "-pk")


def overdue_requests(*, viewer: User, today: dt.date | None = None) -> QuerySet[InfoRequest]:
    return request_list(viewer=viewer, filters=RequestFilters(overdue=True), today=today)


# --- for the annual report (年度报告): whole-agency counts, narrowed to units by the caller ---


def requests_received_qs() -> QuerySet[InfoRequest]:
    """Every request registered as received (``received_on`` set): what the annual report's
    section 三 counts. Requests never received (drafts, withdrawn before registration) are
    not requests in the report's sense."""
    return InfoRequest.objects.filter(received_on__isnull=False)


def appeals_filed_qs(*, start: dt.date, end: dt.date) -> QuerySet[Appeal]:
    """Administrative reviews and lawsuits filed in [start, end] (the report's section 四)."""
    return Appeal.objects.filter(filed_on__gte=start, filed_on__lte=end)


def publications_for_reply(*, query: str, limit: int = 20) -> list[Publication]:
    """Public publications a reply may point to, matching ``query`` in the title, the
    document number or the index number; newest first. Anyone may see them, so the
    viewer does not narrow the list."""
    query = (query or "").strip()
    if not query:
        return []
    match = (
        Q(title__icontains=query)
        | Q(document_number__icontains=query)
        | Q(index_number__icontains=query)
    )
    return list(publication_public_qs().filter(match).order_by("-publish_at", "-pk")[:limit])


def publications_picked(ids: list[str]) -> list[Publication]:
    """The public publications among ticked ids, so a form shown again after an error
    keeps what the officer ticked (the search that listed them is not in the POST)."""
    wanted = [int(i) for i in ids if str(i).isdigit()][:50]
    picked = public_among(wanted).values()
    return sorted(picked, key=lambda p: (p.publish_at, p.pk), reverse=True)


def reply_file_get(request: InfoRequest, file_id: int) -> ReplyFile | None:
    """A file of this reply (the caller has decided the viewer may see the request)."""
    return request.reply_files.filter(pk=file_id).first()


def reply_carriers(request: InfoRequest) -> dict:
    """What the reply carries, as pages show it: files, published documents, paper."""
    return {
        "files": list(request.reply_files.all()),
        "publications": list(
            request.reply_publications.select_related("publication").order_by("pk")
        ),
    }
