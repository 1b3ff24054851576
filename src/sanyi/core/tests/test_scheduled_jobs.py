"""The jobs the apps register, run through the scheduler as production runs them."""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from sanyi.audit.services import audit_record
from sanyi.core.imports import staged_upload_save
from sanyi.core.models import JobRunStatus
from sanyi.core.scheduler import job_get, scheduler_tick
from sanyi.notify.models import Message
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NIGHT = dt.datetime(2026, 10, 9, 2, 0, 30, tzinfo=SH)


def test_a_broken_audit_chain_fails_the_nightly_run_and_alerts_the_system_admins():
    # given a platform admin, a street admin, and an audit row changed behind the app's back
    district = factories.district(name="告警区")
    street = factories.unit(district, "subdistrict")
    admin = factories.staff(district, Role.SYSTEM_ADMIN, username="platform-admin")
    factories.staff(street, Role.SYSTEM_ADMIN, username="street-admin")
    first = audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=2)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET note = %s WHERE seq = %s", ["改", first.seq])
    # when the nightly slot comes
    [run] = scheduler_tick(now=NIGHT, node="a", jobs=[job_get("audit.verify")])
    # then the run failed, naming the record, and only the platform admin was told
    assert run.status == JobRunStatus.ERROR
    assert f"第 {first.seq} 条记录处断链" in run.error
    [message] = Message.objects.filter(event="scheduler.job_failed")
    assert message.user == admin
    assert "audit.verify" in message.body
    # and a second failure the same day does not send a second message
    scheduler_tick(now=NIGHT + dt.timedelta(hours=1), node="b", jobs=[job_get("audit.verify")])
    assert Message.objects.filter(event="scheduler.job_failed").count() == 1


def test_an_intact_audit_chain_passes_the_nightly_run():
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    [run] = scheduler_tick(now=NIGHT, node="a", jobs=[job_get("audit.verify")])
    assert run.status == JobRunStatus.OK and run.result.startswith("ok")
    assert not Message.objects.filter(event="scheduler.job_failed").exists()


def test_the_nightly_cleanup_drops_abandoned_staged_uploads_and_keeps_recent_ones(
    settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    # given a catalogue import nobody came back to and one from this morning
    now = dt.datetime(2026, 10, 9, 3, 20, tzinfo=SH)
    old = staged_upload_save(kind="catalog", owner_id=1, file_name="a.xlsx", content=b"PK")
    recent = staged_upload_save(kind="catalog", owner_id=1, file_name="b.xlsx", content=b"PK")
    for staged, age in ((old, dt.timedelta(days=2)), (recent, dt.timedelta(hours=3))):
        stamp = (now - age).timestamp()
        for name in default_storage.listdir(staged.folder)[1]:
            os.utime(default_storage.path(f"{staged.folder}/{name}"), (stamp, stamp))
    # when the nightly slot comes
    [run] = scheduler_tick(now=now, node="a", jobs=[job_get("core.imports-cleanup")])
    # then only the abandoned one is gone, and the run says how many
    assert run.status == JobRunStatus.OK, run.error
    assert run.result == "已清理1个过期的导入暂存文件"
    assert not default_storage.exists(old.source_path)
    assert default_storage.exists(recent.source_path)
