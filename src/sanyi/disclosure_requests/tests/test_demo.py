"""The requests part of the demo: ≥ 60 requests through the services, covering every
outcome, channel, applicant column and clock situation, and carried-over requests."""

import random
import time

import pytest
from django.utils import timezone

from sanyi.calendar.tests.factories import official_calendar
from sanyi.core.demo import DEMO_ACTOR
from sanyi.disclosure_requests.choices import (
    AppealKind,
    AppealResult,
    ApplicantColumn,
    ClockState,
    EventKind,
    IntakeChannel,
    Outcome,
    RequestStatus,
)
from sanyi.disclosure_requests.demo import load as demo
from sanyi.disclosure_requests.models import Appeal, InfoRequest, RequestEvent
from sanyi.disclosure_requests.selectors import request_clock
from sanyi.orgs import demo as orgs_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_through_the_services_and_covers_the_situations(db):
    # one load for every check: the load writes 60+ letters (PDF)
    official_calendar()
    orgs_demo.load(actor=DEMO_ACTOR, rng=random.Random(2026))
    assert not demo.is_loaded()
    started, cpu = time.monotonic(), time.process_time()
    result = demo.load(actor=DEMO_ACTOR, rng=random.Random(2026))
    print(
        f"requests demo part: {time.monotonic() - started:.1f}s "
        f"(CPU {time.process_time() - cpu:.1f}s); {result.summary}"
    )
    assert demo.is_loaded()
    covers_every_outcome_channel_and_column()
    has_every_clock_situation()
    has_appeals_with_results()
    every_concluded_request_has_its_letter()


def covers_every_outcome_channel_and_column():
    requests = InfoRequest.objects.all()
    assert requests.count() >= 60
    assert set(requests.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    assert set(requests.values_list("channel", flat=True)) == set(IntakeChannel.values)
    assert set(requests.values_list("applicant_column", flat=True)) == set(ApplicantColumn.values)
    assert set(requests.values_list("agency__name", flat=True)) == {
        "示范区",
        "区住房和城乡建设局",
        "城关街道",
    }


def has_every_clock_situation():
    today = timezone.localdate()
    kinds = set(RequestEvent.objects.values_list("kind", flat=True))
    for kind in [
        EventKind.CORRECTION_NOTICE,
        EventKind.CORRECTION_RECEIVED,
        EventKind.CORRECTION_LAPSED,
        EventKind.CONSULTATION_STARTED,
        EventKind.CONSULTATION_ENDED,
        EventKind.EXTENDED,
        EventKind.FEE_NOTICE,
        EventKind.FEE_PAID,
        EventKind.FEE_LAPSED,
        EventKind.WITHDRAWN,
    ]:
        assert kind in kinds, kind
    assert InfoRequest.objects.filter(reply_on_spot=True).exists()
    states = {request_clock(r, today).state for r in InfoRequest.objects.all()}
    assert {ClockState.RED, ClockState.YELLOW, ClockState.OK, ClockState.STOPPED} <= states
    statuses = set(InfoRequest.objects.values_list("status", flat=True))
    assert set(RequestStatus.values) <= statuses | {RequestStatus.CLOSED}
    # carried over: received in 2025, concluded in 2026
    assert InfoRequest.objects.filter(received_on__year=2025, concluded_on__year=2026).count() >= 3


def has_appeals_with_results():
    assert set(Appeal.objects.values_list("kind", flat=True)) == set(AppealKind.values)
    assert set(Appeal.objects.values_list("result", flat=True)) == set(AppealResult.values)


def every_concluded_request_has_its_letter():
    concluded = InfoRequest.objects.exclude(outcome="").exclude(status=RequestStatus.WITHDRAWN)
    assert concluded.count() >= 45
    assert not concluded.filter(reply_letter="").exists()
