"""Reading the facts: scope and the database they are read from."""

import datetime as dt

from django.test import override_settings

from sanyi.analytics.selectors import facts, totals
from sanyi.analytics.services import rollup_day
from sanyi.analytics.tests.factories import bulk_cases
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


def test_facts_are_read_from_the_replica_when_one_is_configured(fw):
    with override_settings(SANYI_ANALYTICS_DATABASE="replica"):
        replica = facts(fw["supervisor"], start=DAY, end=DAY)
    primary = facts(fw["supervisor"], start=DAY, end=DAY)

    assert replica.db == "replica"
    assert primary.db == "default"


def test_the_replica_setting_adds_the_replica_database_and_points_analytics_at_it(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "SANYI_ENV": "test",
        "SANYI_DATA_DIR": str(tmp_path),
        "SANYI_REPLICA_DATABASE_URL": f"sqlite:///{tmp_path / 'replica.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "sanyi.settings",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.SANYI_ANALYTICS_DATABASE,"
        " s.DATABASES['replica']['NAME'].endswith('replica.sqlite3'))"
    )

    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    assert out.stdout.split() == ["replica", "True"], out.stderr
