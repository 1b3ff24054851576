"""Reading the facts: scope and the database they are read from."""

import datetime as dt

from sanyi.analytics.selectors import facts, totals
from sanyi.analytics.services import rollup_day
from sanyi.analytics.tests.factories import bulk_cases
from sanyi.core.replicas import read_scope
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

DAY = dt.date(2026, 3, 10)


def test_a_community_supervisor_never_sees_another_communitys_facts(fw):
    bulk_cases(fw, [{"unit": fw["comm1"], "received": DAY}] * 2)
    bulk_cases(fw, [{"unit": fw["comm2"], "received": DAY}] * 3)
    rollup_day(day=DAY, actor="系统：测试")
    supervisor = org_f.staff(fw["comm1"], Role.SUPERVISOR)

    seen = facts(supervisor, start=DAY, end=DAY)
    asked_for_the_other = totals(supervisor, start=DAY, end=DAY, unit=fw["comm2"])

    assert {f.unit_id for f in seen} == {fw["comm1"].pk}
    assert totals(supervisor, start=DAY, end=DAY)["received"] == 2
    assert asked_for_the_other["received"] == 0


def test_facts_of_a_dashboard_request_are_read_from_a_replica(fw, read_replica):
    with read_scope(replicas_allowed=True):  # as for a GET request
        in_request = facts(fw["supervisor"], start=DAY, end=DAY).db
    in_a_job = facts(fw["supervisor"], start=DAY, end=DAY).db

    assert in_request == "replica_1"
    assert in_a_job == "default"
