"""The jobs the apps register, run through the scheduler as production runs them."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from sanyi.audit.models import AuditEvent
from sanyi.audit.services import audit_record
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


def test_imports_cleanup_is_skipped_while_no_imports_command_exists(monkeypatch):
    import sanyi.core.jobs as core_jobs

    monkeypatch.setattr(core_jobs, "get_commands", lambda: {"audit": "sanyi.audit"})
    [run] = scheduler_tick(
        now=dt.datetime(2026, 10, 9, 3, 20, tzinfo=SH),
        node="a",
        jobs=[job_get("core.imports-cleanup")],
    )
    assert run.status == JobRunStatus.OK and run.result.startswith("跳过")


def test_imports_cleanup_calls_the_command_when_it_exists(monkeypatch):
    import sanyi.core.jobs as core_jobs

    called = []
    monkeypatch.setattr(core_jobs, "get_commands", lambda: {"imports": "sanyi.core"})
    monkeypatch.setattr(
        core_jobs, "call_command", lambda *args, stdout: called.append(args) or stdout.write("x")
    )
    core_jobs.imports_cleanup_job(now=dt.datetime(2026, 10, 9, 3, 20, tzinfo=SH))
    assert called == [("imports", "cleanup")]


def _job_folder(job_id: str, created: dt.datetime) -> str:
    folder = f"catalog/imports/{job_id}"
    state = {"id": job_id, "created_at": created.isoformat()}
    default_storage.save(f"{folder}/state.json", ContentFile(json.dumps(state).encode()))
    default_storage.save(f"{folder}/source.xlsx", ContentFile(b"PK"))
    return folder


def test_old_catalogue_import_jobs_are_deleted_and_recent_ones_kept(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    now = dt.datetime(2026, 10, 9, 3, 40, tzinfo=SH)
    old = _job_folder("a" * 32, now - dt.timedelta(days=8))
    recent = _job_folder("b" * 32, now - dt.timedelta(days=1))
    [run] = scheduler_tick(now=now, node="a", jobs=[job_get("catalog.import-jobs-cleanup")])
    assert run.status == JobRunStatus.OK, run.error
    assert not (tmp_path / old).exists()
    assert (tmp_path / recent / "source.xlsx").exists()
    row = AuditEvent.objects.get(action="catalog.import_jobs_cleanup")
    assert row.changes["deleted"] == ["a" * 32]
