"""Reading ratings: the statistics (checked against a plain recount), scopes and worklists."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f
from sanyi.ratings.choices import RectificationStatus
from sanyi.ratings.models import Rating, Rectification
from sanyi.ratings.selectors import (
    StatRow,
    can_follow_up,
    can_read_ratings,
    pending_appeals_for,
    published_rectifications,
    rating_pad_cases,
    rating_search,
    rating_stats,
    rating_totals,
    ratings_visible_to,
    rectification_worklist,
)
from sanyi.ratings.tests import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


# --- statistics, against a recount -------------------------------------------------------

ratings_drawn = st.lists(
    st.fixed_dictionaries(
        {
            "level": st.integers(1, 5),
            "excluded": st.booleans(),
            "rectified": st.booleans(),
            "unit": st.sampled_from(["comm1", "comm2"]),
            "window": st.booleans(),
            "day": st.dates(D(2026, 1, 1), D(2026, 12, 31)),
        }
    ),
    max_size=12,
)


@pytest.fixture
def stats_world(world):
    world["cases"] = [f.case(world) for _ in range(12)]
    return world


def _recount(drawn, group_of):
    groups: dict = {}
    for r in drawn:
        groups.setdefault(group_of(r), []).append(r)
    return groups


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    drawn=ratings_drawn,
    by=st.sampled_from(["unit", "window"]),
    start=st.one_of(st.none(), st.dates(D(2026, 1, 1), D(2026, 12, 31))),
    end=st.one_of(st.none(), st.dates(D(2026, 1, 1), D(2026, 12, 31))),
)
def test_the_statistics_agree_with_a_plain_recount(stats_world, drawn, by, start, end):
    w = stats_world
    with transaction.atomic():
        # given
        for case, r in zip(w["cases"], drawn, strict=False):
            rating = Rating.objects.create(
                case=case,
                applicant=case.applicant,
                channel="offline" if r["window"] else "online",
                level=r["level"],
                rated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                rated_on=r["day"],
                unit=w[r["unit"]],
                handling_unit=w["dept"],
                item=case.implementation_item,
                window=w["window"] if r["window"] else None,
                excluded=r["excluded"],
            )
            if r["level"] <= 2:
                Rectification.objects.create(
                    rating=rating,
                    unit=w["dept"],
                    opened_on=r["day"],
                    due_on=r["day"],
                    status="done" if r["rectified"] else "open",
                )

        # when
        rows = rating_stats(by=by, start=start, end=end)
        total = rating_totals(rows)

        # then
        counted = [
            r
            for r in drawn
            if not r["excluded"]
            and (start is None or r["day"] >= start)
            and (end is None or r["day"] <= end)
        ]
        if by == "unit":
            expected = _recount(counted, lambda r: w[r["unit"]].pk)
        else:
            expected = _recount(counted, lambda r: w["window"].pk if r["window"] else None)
        assert {row.key for row in rows} == set(expected)
        for row in rows:
            mine = expected[row.key]
            levels = [r["level"] for r in mine]
            assert row.count == len(mine)
            assert row.by_level == {k: levels.count(k) for k in (5, 4, 3, 2, 1)}
            assert row.average == round(sum(levels) / len(levels), 2)
            assert row.satisfied == sum(1 for v in levels if v >= 4)
            assert row.bad == sum(1 for v in levels if v <= 2)
            assert row.rectified == sum(1 for r in mine if r["level"] <= 2 and r["rectified"])
            assert 0 <= row.satisfaction_rate <= 1 and 0 <= row.rectified_rate <= 1
        assert [row.count for row in rows] == sorted((row.count for row in rows), reverse=True)
        assert total.count == len(counted)
        assert total.bad == sum(1 for r in counted if r["level"] <= 2)
        if counted:
            assert total.average == round(sum(r["level"] for r in counted) / len(counted), 2)
        transaction.set_rollback(True)


stat_rows = st.lists(
    st.lists(st.integers(0, 50), min_size=5, max_size=5).map(
        lambda counts: dict(zip((5, 4, 3, 2, 1), counts, strict=True))
    ),
    max_size=6,
)


@given(levels=stat_rows, rectified=st.integers(0, 50))
def test_totals_add_the_rows_up_and_average_over_all_ratings(levels, rectified):
    rows = [
        StatRow(
            key=n,
            label=str(n),
            count=sum(by_level.values()),
            average=0.0,  # the totals never average the averages
            by_level=by_level,
            satisfied=by_level[5] + by_level[4],
            bad=by_level[2] + by_level[1],
            rectified=min(rectified, by_level[2] + by_level[1]),
        )
        for n, by_level in enumerate(levels)
    ]

    total = rating_totals(rows)

    count = sum(r.count for r in rows)
    weighted = sum(k * v for r in rows for k, v in r.by_level.items())
    assert total.count == count
    assert total.average == (round(weighted / count, 2) if count else 0.0)
    assert total.satisfied + total.by_level[3] + total.bad == count
    assert total.rectified <= total.bad or total.bad == 0
    assert total.rectified_rate == (total.rectified / total.bad if total.bad else 1.0)


def test_an_empty_row_has_rates_that_do_not_divide_by_zero():
    row = rating_totals([])

    assert (row.count, row.average, row.satisfaction_rate, row.rectified_rate) == (
        0,
        0.0,
        0.0,
        1.0,
    )


def test_statistics_group_by_item_and_handling_unit(world):
    for level in (5, 3, 1):
        f.rated(world, level)

    (by_item,) = rating_stats(by="item")
    (by_handler,) = rating_stats(by="handling_unit")

    assert by_item.label == world["version"].implementation_item.base_item.name
    assert by_handler.label == world["dept"].name
    assert by_item.count == by_handler.count == 3


def test_online_ratings_without_a_window_get_a_label_of_their_own(world):
    f.rated(world, 5, case_=f.case(world, window=None))

    (row,) = rating_stats(by="window")

    assert row.key is None and row.label == "（网上评价，无窗口）"


def test_the_date_range_includes_both_ends(world):
    f.rated(world, 5, on=D(2026, 9, 29))
    f.rated(world, 4, on=D(2026, 9, 30))
    f.rated(world, 3, on=D(2026, 10, 1))

    (row,) = rating_stats(start=D(2026, 9, 30), end=D(2026, 9, 30))

    assert row.by_level[4] == 1 and row.count == 1


def test_an_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="unknown grouping"):
        rating_stats(by="applicant")


def test_statistics_are_one_query(world, django_assert_num_queries):
    for level in (5, 4, 1):
        f.rated(world, level)

    in_scope = ratings_visible_to(world["approver"])  # reads the viewer's roles

    with django_assert_num_queries(1):
        rows = rating_stats(by="window", queryset=in_scope)

    assert rows[0].count == 3


# --- scopes -----------------------------------------------------------------------------


def test_ratings_are_seen_by_the_accepting_and_the_handling_side(world):
    rating = f.rated(world, 4)

    for who in ("clerk", "approver", "supervisor"):
        assert list(ratings_visible_to(world[who])) == [rating], who
    for who in ("outsider", "nobody"):
        assert not ratings_visible_to(world[who]).exists(), who


def test_who_reads_ratings_and_who_follows_them_up(world):
    assert [can_read_ratings(world[w]) for w in ("clerk", "approver", "supervisor")] == [
        True,
        True,
        True,
    ]
    assert not can_read_ratings(world["nobody"])
    assert not can_follow_up(world["clerk"]) and can_follow_up(world["approver"])


def test_the_worklist_shows_open_rectifications_by_deadline_in_scope(world):
    later = f.bad(world, on=D(2026, 9, 30))
    sooner = f.bad(world, on=D(2026, 9, 1))
    f.rectified(world)

    assert list(rectification_worklist(world["approver"])) == [sooner, later]
    assert rectification_worklist(world["approver"], status="done").count() == 1
    assert rectification_worklist(world["approver"], status="").count() == 3
    assert not rectification_worklist(world["clerk"]).exists()  # reads, does not follow up
    assert not rectification_worklist(world["outsider"]).exists()


def test_rating_search_filters_the_viewers_ratings_by_level_and_case_number(world):
    low = f.rated(world, 1)
    high = f.rated(world, 5)

    assert set(rating_search(world["approver"])) == {low, high}
    assert list(rating_search(world["approver"], level=1)) == [low]
    assert list(rating_search(world["approver"], case_number=high.case.number[-5:])) == [high]
    assert not rating_search(world["outsider"]).exists()


def test_the_rating_pad_opens_only_for_window_clerks_over_the_accepting_unit(world):
    case = f.case(world)

    assert list(rating_pad_cases(world["clerk"])) == [case]
    assert not rating_pad_cases(world["approver"]).exists()  # handles it, not at a window
    assert not rating_pad_cases(world["outsider"]).exists()


def test_pending_appeals_reach_the_supervisors_over_the_handling_unit(world):
    appeal = f.appealed(world)
    f.decided(world, upheld=False)

    assert list(pending_appeals_for(world["supervisor"])) == [appeal]
    assert not pending_appeals_for(world["approver"]).exists()
    assert not pending_appeals_for(org_f.staff(world["sub2"], Role.SUPERVISOR)).exists()


def test_only_finished_rectifications_are_published_newest_first(world):
    older = f.rectified(world, on=D(2026, 10, 10))
    newer = f.rectified(world, on=D(2026, 10, 12))
    f.visited(world)
    cancelled = f.decided(world, upheld=True).rating.rectification

    published = list(published_rectifications())

    assert published == [newer, older]
    assert cancelled.status == RectificationStatus.CANCELLED
    assert list(published_rectifications(limit=1)) == [newer]
