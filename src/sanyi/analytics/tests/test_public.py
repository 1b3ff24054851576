"""The public statistics (page, download, API): the figures are the raw cases recounted,
rates over tiny samples are withheld, and nothing about a person ever comes out."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sanyi.analytics.selectors_public import MIN_SAMPLE, item_table, unit_table
from sanyi.analytics.services import rollup_rebuild
from sanyi.analytics.tests.factories import bulk_cases
from sanyi.cases.models import Case
from sanyi.orgs.models import OrgKind
from sanyi.ratings.models import Rating

YEAR = timezone.localdate().year
START, END = dt.date(YEAR, 1, 5), dt.date(YEAR, 1, 16)
ACTOR = "系统：测试"
PERSONAL = ("id_number", "applicant", "phone", "number", "short_number", "address")


def _random_cases(fw, rng, n: int) -> list[Case]:
    specs = []
    for _ in range(n):
        accepted = START + dt.timedelta(days=rng.randint(0, 9))
        done = rng.random() < 0.8
        concluded = accepted + dt.timedelta(days=rng.randint(0, 2)) if done else None
        specs.append(
            {
                "unit": fw[rng.choice(["sub", "comm1", "comm2", "district", "dept"])],
                "received": accepted,
                "accepted_on": accepted,
                "concluded_on": concluded,
                "promised_due_on": accepted + dt.timedelta(days=rng.choice([0, 1, 2, 5])),
                "visits": rng.choice([0, 0, 1, 1, 2]),
            }
        )
    return bulk_cases(fw, specs)


def _rate(cases: list[Case], rng) -> list[Rating]:
    ratings = [
        Rating(
            case=c,
            applicant=c.applicant,
            channel="online",
            level=rng.choice([1, 2, 3, 4, 5, 5]),
            rated_at=timezone.make_aware(dt.datetime.combine(c.concluded_on, dt.time(15))),
            rated_on=c.concluded_on,
            unit=c.unit,
            handling_unit=c.unit,
            item=c.implementation_item,
            excluded=rng.random() < 0.1,
        )
        for c in cases
        if c.concluded_on and rng.random() < 0.6
    ]
    return Rating.objects.bulk_create(ratings)


def _recount(cases: list[Case], ratings: list[Rating], path: str) -> dict:
    """The figures of the units under ``path``, straight from the cases."""
    done = [c for c in cases if c.concluded_on and c.unit.path.startswith(path)]
    rated = [r for r in ratings if not r.excluded and r.unit.path.startswith(path)]
    return {
        "concluded": len(done),
        "on_time": sum(c.promised_due_on >= c.concluded_on for c in done),
        "one_visit": sum(c.visits <= 1 for c in done),
        "zero_visit": sum(c.visits == 0 for c in done),
        "ratings": len(rated),
        "good": sum(r.level > 2 for r in rated),
    }


def _figures(row) -> dict:
    return {
        "concluded": row.concluded,
        "on_time": row.on_time.part,
        "one_visit": row.one_visit.part,
        "zero_visit": row.zero_visit.part,
        "ratings": row.good.whole,
        "good": row.good.part,
    }


@pytest.fixture
def year(fw):
    rng = random.Random(15)
    cases = _random_cases(fw, rng, 120)
    ratings = _rate(cases, rng)
    rollup_rebuild(start=START, end=END, actor=ACTOR)
    for c in cases:
        c.unit.refresh_from_db()
    return fw, cases, ratings


def test_unit_figures_equal_a_recount_of_the_raw_cases(year):
    fw, cases, ratings = year

    subdistricts, total = unit_table(start=START, end=END, level=OrgKind.SUBDISTRICT)
    communities, _ = unit_table(start=START, end=END, level=OrgKind.COMMUNITY)

    assert _figures(total) == _recount(cases, ratings, fw["district"].path)
    assert [r.name for r in subdistricts] == [fw["sub"].name]
    assert _figures(subdistricts[0]) == _recount(cases, ratings, fw["sub"].path)
    by_name = {r.name: r for r in communities}
    for key in ("comm1", "comm2"):
        assert _figures(by_name[fw[key].name]) == _recount(cases, ratings, fw[key].path)
        assert by_name[fw[key].name].parent == fw["sub"].name


def test_rates_are_the_quotients_of_the_summed_counts(year):
    fw, cases, ratings = year

    _, total = unit_table(start=START, end=END, level=OrgKind.SUBDISTRICT)
    counted = _recount(cases, ratings, fw["district"].path)

    assert total.on_time.percent == round(100 * counted["on_time"] / counted["concluded"], 1)
    assert total.good.percent == round(100 * counted["good"] / counted["ratings"], 1)


def test_item_figures_equal_the_recount_and_the_search_filters_them(year):
    fw, cases, ratings = year
    name = fw["item"].base_item.name

    found = item_table(start=START, end=END, search=name[-3:])
    missing = item_table(start=START, end=END, search="没有这个事项")

    assert [r.name for r in found] == [name]
    assert found[0].parent == fw["dept"].name
    assert _figures(found[0]) == _recount(cases, ratings, fw["district"].path)
    assert missing == []


def test_a_period_outside_the_cases_shows_zero(year):
    _, total = unit_table(
        start=dt.date(YEAR, 2, 1), end=dt.date(YEAR, 2, 28), level=OrgKind.SUBDISTRICT
    )

    assert total.concluded == 0 and total.on_time.percent is None


@pytest.mark.parametrize("concluded,shown", [(MIN_SAMPLE - 1, False), (MIN_SAMPLE, True)])
def test_a_rate_over_fewer_than_five_cases_is_withheld(fw, client, concluded, shown):
    day = START
    spec = {"unit": fw["comm1"], "received": day, "accepted_on": day, "concluded_on": day}
    bulk_cases(fw, [{**spec, "promised_due_on": day}] * concluded)
    rollup_rebuild(start=day, end=day, actor=ACTOR)

    rows, _ = unit_table(start=START, end=END, level=OrgKind.COMMUNITY)
    page = client.get("/statistics/", {"year": YEAR, "month": 1, "level": "community"})
    api = client.get("/api/v1/statistics/", {"year": YEAR, "month": 1, "level": "community"})

    row = {r.name: r for r in rows}[fw["comm1"].name]
    assert row.concluded == concluded
    assert (row.on_time.percent == 100.0) is shown
    body = page.content.decode()
    line = body[body.index(f'<th scope="row">{fw["comm1"].name}</th>') :].split("</tr>")[0]
    assert ('按时办结率"><span class="muted">样本不足' in line) is not shown
    comm = {r["name"]: r for r in api.json()["units"]}[fw["comm1"].name]
    assert (comm["on_time_rate"] is None) is not shown


def test_the_page_is_anonymous_cacheable_and_takes_few_queries(
    year, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get("/statistics/", {"year": YEAR, "month": 1})

    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=600" in response["Cache-Control"]
    body = response.content.decode()
    assert "全区合计" in body and year[0]["sub"].name in body


def test_the_api_answers_anonymously_with_the_same_figures(year, client):
    fw, cases, ratings = year

    response = client.get("/api/v1/statistics/", {"year": YEAR, "month": 1})

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    data = response.json()
    counted = _recount(cases, ratings, fw["district"].path)
    assert data["total"]["concluded"] == counted["concluded"]
    assert data["total"]["ratings"] == counted["ratings"]
    assert data["start"] == f"{YEAR}-01-01" and data["level"] == "subdistrict"


@pytest.mark.parametrize(
    "query,field",
    [({"level": "grid"}, "level"), ({"month": 13}, "month"), ({"year": 1999}, "year")],
)
def test_the_api_refuses_a_wrong_query_naming_the_field(client, db, query, field):
    response = client.get("/api/v1/statistics/", query)

    assert response.status_code == 400
    assert field in response.content.decode()


def test_a_month_still_to_come_is_refused_on_the_page_and_in_the_api(client, db):
    today = timezone.localdate()
    if today.month == 12:
        pytest.skip("no month of this year is still to come in December")
    query = {"year": today.year, "month": today.month + 1}

    page = client.get("/statistics/", query)
    api = client.get("/api/v1/statistics/", query)

    assert "还没有到" in page.content.decode()
    assert api.status_code == 400


def test_no_personal_data_anywhere_in_the_page_the_download_or_the_api(year, client):
    fw, cases, _ = year
    applicant = fw["applicant"]
    secrets = [applicant.name, applicant.id_number, applicant.phone, cases[0].number]

    page = client.get("/statistics/", {"year": YEAR}).content.decode()
    api = client.get("/api/v1/statistics/", {"year": YEAR}).json()
    book = load_workbook(io.BytesIO(client.get("/statistics/download.xlsx").content))
    rows = [row for ws in book.worksheets for row in ws.iter_rows(values_only=True)]
    cells = [str(cell) for row in rows for cell in row]

    for secret in secrets:
        assert secret not in page and secret not in str(api) and secret not in cells
    keys = set(api["total"]) | {k for row in api["units"] + api["items"] for k in row}
    assert not keys & set(PERSONAL)
    assert set(api) == {"start", "end", "level", "min_sample", "units", "total", "items"}


def test_the_download_has_both_tables_and_writes_no_formula(year, client):
    fw, cases, ratings = year
    base = fw["item"].base_item
    type(base).objects.filter(pk=base.pk).update(name='=HYPERLINK("http://evil","点")')

    response = client.get("/statistics/download.xlsx", {"year": YEAR, "month": 1})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    units, items = book["按单位"], book["按事项"]
    total = next(r for r in units.iter_rows(values_only=True) if r[0] == "全区合计")
    assert total[2] == _recount(cases, ratings, fw["district"].path)["concluded"]
    cell = items.cell(row=3, column=1)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
