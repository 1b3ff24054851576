"""The short number (短号): drawn at creation, unique, easy to read aloud; shown on the
receipt, the case pages and lists; the progress lookup takes it as well as the long number,
with the receipt's query code or the last 4 of the ID number or phone."""

import pytest
from django.urls import reverse

from sanyi.cases.models import SHORT_NUMBER_ALPHABET, Case
from sanyi.cases.numbering import normalise_case_number, query_code_for
from sanyi.cases.selectors import case_track, case_track_by_code
from sanyi.cases.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return f.applicant(name="林晓梅")


def test_every_new_case_gets_a_short_number_without_ambiguous_characters(w):
    cases = [f.case(w, state="awaiting") for _ in range(5)]

    numbers = [c.short_number for c in cases]
    assert len(set(numbers)) == 5
    for number in numbers:
        assert len(number) == 8
        assert set(number) <= set(SHORT_NUMBER_ALPHABET)
        assert not set(number) & set("0O1I")
    assert Case._meta.get_field("short_number").unique  # the index guarantees it


def test_the_start_is_audited_with_the_short_number(w):
    from sanyi.audit.models import AuditEvent

    case = f.case(w, state="awaiting")

    row = AuditEvent.objects.get(action="cases.start", object_id=str(case.pk))
    assert row.changes["short_number"] == case.short_number


def test_a_short_number_may_be_typed_in_groups_and_lower_case():
    assert normalise_case_number(" ab23-cd45 ") == "AB23CD45"
    assert normalise_case_number("ab23 cd45") == "AB23CD45"
    long = "11350100MB0000001X4000110001-20261128-0007"
    assert normalise_case_number(long.lower()) == long


def test_lookup_by_short_or_long_number_with_the_last_four(w, person):
    case = f.case(w, state="in_progress", applicant_=person)
    tail = person.id_number[-4:]

    assert case_track(case.short_number, tail) == case
    assert case_track(case.number, tail) == case
    assert case_track(case.short_number.lower(), tail) == case
    assert case_track(case.short_number, "0000" if tail != "0000" else "1111") is None


def test_lookup_by_short_or_long_number_with_the_query_code(w, person):
    case = f.case(w, state="in_progress", applicant_=person)
    code = query_code_for(case.number)

    assert case_track_by_code(case.short_number, code) == case
    assert case_track_by_code(case.number, code.lower()) == case
    assert (
        case_track_by_code(case.short_number, "ABCDEFGH" if code != "ABCDEFGH" else "BCDEFGHJ")
        is None
    )


def test_track_page_takes_the_short_number_and_the_query_code(client, w, person):
    case = f.case(w, state="in_progress", applicant_=person)

    by_code = client.post(
        reverse("cases:track"),
        {"number": case.short_number, "last4": query_code_for(case.number)},
    )
    by_phone = client.post(
        reverse("cases:track"), {"number": case.number, "last4": person.phone[-4:]}
    )

    for response in (by_code, by_phone):
        html = response.content.decode()
        assert response.status_code == 200
        assert case.short_number in html and "办理中" in html


def test_track_page_refuses_a_secret_that_is_neither_last_four_nor_a_code(client, w):
    response = client.post(reverse("cases:track"), {"number": "AB23CD45", "last4": "12AB"})

    html = response.content.decode()
    assert "8位查询码" in html and "后4位" in html


def test_receipt_and_lookup_page_say_the_same_about_how_to_look_up(client, w, person):
    from sanyi.cases.documents import receipt_html
    from sanyi.cases.links import TRACK_HOW

    case = f.case(w, state="in_progress", applicant_=person)

    receipt = receipt_html(case)
    lookup = client.get(reverse("cases:track")).content.decode()
    assert TRACK_HOW in receipt and TRACK_HOW in lookup
    assert "查询码" in TRACK_HOW and "后4位" in TRACK_HOW and "短号" in TRACK_HOW
    assert case.short_number in receipt
    # the form asks for exactly those two things
    assert "办件编号或短号" in lookup and "查询码，或证件号码、手机号的后4位" in lookup


def test_counter_opens_a_case_by_its_short_number(client, w):
    case = f.case(w, state="awaiting", channel="online")
    client.force_login(w["clerk"])

    response = client.get(
        reverse("workbench:cases:counter_walk_in"), {"number": case.short_number.lower()}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:cases:counter_accept", args=[case.number])


def test_case_pages_and_lists_show_the_short_number(client, w, django_assert_max_num_queries):
    case = f.case(w, state="in_progress")
    client.force_login(w["approver"])

    detail = client.get(reverse("workbench:cases:work_case", args=[case.pk])).content.decode()
    with django_assert_max_num_queries(40):
        worklist = client.get(reverse("workbench:cases:work_unit"))

    assert case.short_number in detail and case.number in detail
    assert case.short_number in worklist.content.decode()


def test_worklist_finds_a_case_by_its_short_number(client, w):
    case = f.case(w, state="in_progress")
    other = f.case(w, state="in_progress")
    client.force_login(w["approver"])

    html = client.get(
        reverse("workbench:cases:work_unit"), {"number": case.short_number}
    ).content.decode()

    assert case.short_number in html and other.short_number not in html


def test_api_finds_and_lists_the_short_number(w):
    from sanyi.cases.tests.test_api import _client

    case = f.case(w, state="in_progress")
    f.case(w, state="in_progress")

    response = _client(w["approver"]).get(reverse("api:case-list"), {"number": case.short_number})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["short_number"] for r in rows] == [case.short_number]
