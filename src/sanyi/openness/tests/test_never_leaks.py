"""Nothing that is not public ever appears on a public surface.

Publications are generated in every combination of status, disclosure attribute and
publish time that the database allows. Every record is indexed in search as if it were
public (the worst case: a stale or wrong index), so the search page is checked against
``publication_public_qs`` too. Each surface must show exactly the public records.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.openness.choices import DisclosureAttribute, NonDisclosureGround, PublicationStatus
from sanyi.openness.indexing import KIND
from sanyi.openness.models import Attachment, Publication
from sanyi.openness.selectors import PUBLIC_STATUSES, public_among, publication_public_qs
from sanyi.openness.services import negative_entry_create
from sanyi.openness.tests import factories as f
from sanyi.search.services import search_document_upsert

pytestmark = pytest.mark.django_db
PHRASE = "防汛物资储备点位调整"
TIMINGS = ("none", "past", "future")


def allowed_states() -> list[tuple[str, str, str]]:
    """Every (status, attribute, timing) the database constraints allow."""
    states = []
    for status, attribute, timing in itertools.product(
        PublicationStatus.values, DisclosureAttribute.values, TIMINGS
    ):
        if status in PUBLIC_STATUSES and (
            attribute != DisclosureAttribute.PROACTIVE or timing == "none"
        ):
            continue
        states.append((status, attribute, timing))
    return states


STATES = allowed_states()


def expected_public(status: str, attribute: str, timing: str) -> bool:
    return (
        status in PUBLIC_STATUSES
        and attribute == DisclosureAttribute.PROACTIVE
        and timing == "past"
    )


def make(org_tree, n: int, status: str, attribute: str, timing: str, now) -> Publication:
    publish_at = {
        "none": None,
        "past": now - dt.timedelta(days=1 + n % 40),
        "future": now + dt.timedelta(hours=1 + n),
    }[timing]
    pub = Publication.objects.create(
        publisher=org_tree["district"] if n % 2 else org_tree["sub1"],
        title=f"检查用信息第{n}号",
        body=f"<p>{PHRASE}</p>",
        body_text=PHRASE,
        topic="notice",
        status=status,
        attribute=attribute,
        non_disclosure_ground=(
            NonDisclosureGround.PRIVACY if attribute == DisclosureAttribute.NOT_DISCLOSED else ""
        ),
        publish_at=publish_at,
        index_number=f"{org_tree['district'].uscc}/2026-{n:05d}" if publish_at else None,
    )
    attachment = Attachment(
        publication=pub, original_name="a.pdf", content_type="application/pdf",
        size=len(f.PDF_BYTES), sha256="0" * 64,
    )  # fmt: skip
    attachment.file.save(f"leak-{n}.pdf", ContentFile(f.PDF_BYTES), save=False)
    attachment.save()
    search_document_upsert(
        kind=KIND,
        object_id=pub.pk,
        title=pub.title,
        body=PHRASE,
        url=pub.get_absolute_url(),
        is_public=True,
        org_unit=pub.publisher,
        facets={"topic": ["notice"], "year": ["2026"], "publisher": [str(pub.publisher_id)]},
        sort_date=publish_at,
    )
    return pub


def surfaces(org_tree, now) -> dict[str, callable]:
    """Each public surface as a function (client, pub) → whether the record shows there."""
    year = str(timezone.localtime(now - dt.timedelta(days=1)).year)

    def listed(url, params=None, *, by_title=True):
        def check(client, pub):
            html = client.get(url, params or {}).content.decode()
            return pub.get_absolute_url() in html or (by_title and pub.title in html)

        return check

    def status_ok(url_of):
        def check(client, pub):
            return client.get(url_of(pub)).status_code == 200

        return check

    return {
        "home": listed(reverse("openness:home")),
        "list": listed(reverse("openness:list"), {"topic": "notice"}),
        "list_by_unit": lambda c, p: listed(reverse("openness:list"), {"unit": p.publisher_id})(
            c, p
        ),
        "list_by_year": listed(reverse("openness:list"), {"year": year}),
        "detail": status_ok(lambda p: p.get_absolute_url()),
        "attachment": status_ok(
            lambda p: reverse("openness:attachment", args=[p.pk, p.attachments.get().pk])
        ),
        "search": lambda c, p: listed(
            reverse("openness:search"),
            {"q": p.title},
            by_title=False,  # the box echoes it
        )(c, p),
        "feed": lambda c, p: listed(reverse("openness:unit_feed", args=[p.publisher_id]))(c, p),
        "sitemap": listed(reverse("openness:sitemap")),
        "api_list": lambda c, p: any(
            row["id"] == p.pk
            for row in c.get(reverse("api:openness-publication-list"), {"limit": 500}).json()[
                "results"
            ]
        ),
        "api_detail": status_ok(lambda p: reverse("api:openness-publication-detail", args=[p.pk])),
    }


def test_every_state_on_every_surface(org_tree):
    """Exhaustive: one record per allowed state, checked on every surface."""
    now = timezone.now()
    pubs = [(make(org_tree, n, *state, now), state) for n, state in enumerate(STATES, start=1)]
    client = Client()
    checks = surfaces(org_tree, now)
    checked = 0
    for pub, state in pubs:
        for name, shows in checks.items():
            assert shows(client, pub) == expected_public(*state), (name, state)
            checked += 1
    non_public = sum(not expected_public(*s) for s in STATES)
    print(f"leak check: {non_public} non-public states + {len(STATES) - non_public} public "
          f"× {len(checks)} surfaces = {checked} checks")  # fmt: skip
    assert (len(STATES), len(checks)) == (40, 11)


def test_public_among_keeps_exactly_the_public_records(org_tree, django_assert_num_queries):
    """The search page's check of its hits: the same rule as ``publication_public_qs``, in
    one statement that looks the records up by id, whatever was asked for."""
    now = timezone.now()
    pubs = [(make(org_tree, n, *state, now), state) for n, state in enumerate(STATES, start=1)]
    wanted = [pub.pk for pub, _ in pubs] + [10**9]  # one id that names nothing
    with django_assert_num_queries(1) as captured:
        found = public_among([str(pk) for pk in wanted], fields=["pk"], now=now)
    if connection.vendor == "sqlite":  # looked up by id, not read off the public list's index
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[0]["sql"])
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "PRIMARY KEY" in plan and "openness_pub_public_list" not in plan, plan
    assert set(found) == {pub.pk for pub, state in pubs if expected_public(*state)}
    assert set(found) == set(publication_public_qs(now).values_list("pk", flat=True))
    assert public_among([], now=now) == {}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(STATES), min_size=1, max_size=5))
def test_random_mixtures_never_leak(org_tree, states):
    """Records in random states side by side: lists, search, sitemap, API and feeds show
    exactly the public ones."""
    now = timezone.now()
    sid = transaction.savepoint()
    try:
        pubs = [(make(org_tree, 1000 + n, *s, now), s) for n, s in enumerate(states)]
        client = Client()
        html = {
            "list": client.get(reverse("openness:list")).content.decode(),
            "search": client.get(reverse("openness:search"), {"q": PHRASE}).content.decode(),
            "sitemap": client.get(reverse("openness:sitemap")).content.decode(),
            "api": client.get(
                reverse("api:openness-publication-list"), {"limit": 500}
            ).content.decode(),
            "feed": client.get(
                reverse("openness:unit_feed", args=[org_tree["district"].pk])
            ).content.decode()
            + client.get(
                reverse("openness:unit_feed", args=[org_tree["sub1"].pk])
            ).content.decode(),
        }
        for pub, state in pubs:
            url = pub.get_absolute_url()
            for name, page in html.items():
                assert (url in page) == expected_public(*state), (name, state)
    finally:
        transaction.savepoint_rollback(sid)


def test_negative_list_entries_never_appear(client, org_tree):
    negative_entry_create(
        actor=f.SYSTEM, org_unit=org_tree["district"], area=f.area(),
        title="低保对象家庭收入明细", ground=NonDisclosureGround.PRIVACY,
    )  # fmt: skip

    for url in [reverse("openness:home"), reverse("openness:area", args=["P17"])]:
        assert "低保对象家庭收入明细" not in client.get(url).content.decode()
