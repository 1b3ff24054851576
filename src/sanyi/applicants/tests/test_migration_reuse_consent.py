"""The upgrade turns the old consent flag into an open consent record, and back."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("applicants", "0004_signin_code_old_phone")]
AFTER = [("applicants", "0005_reuse_consent_history")]


def _person(Applicant, number: str, **kw):
    return Applicant.objects.create(
        kind="person", id_number=number, name="王五", phone="13900000001", **kw
    )


@pytest.mark.django_db(transaction=True)
def test_the_flag_becomes_an_open_record_and_is_removed():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        Applicant = executor.loader.project_state(BEFORE).apps.get_model("applicants", "Applicant")
        at = timezone.make_aware(dt.datetime(2026, 3, 1, 9, 30))
        yes = _person(Applicant, "110105198102110016", wallet_consent=True, wallet_consent_at=at)
        no = _person(Applicant, "110105198102110024")
        undated = _person(Applicant, "110105198102110032", wallet_consent=True)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        ReuseConsent = apps.get_model("applicants", "ReuseConsent")
        rows = {r.applicant_id: r for r in ReuseConsent.objects.all()}
        assert set(rows) == {yes.pk, undated.pk} and no.pk not in rows
        assert rows[yes.pk].granted_at == at and rows[yes.pk].withdrawn_at is None
        assert rows[yes.pk].scope == "all" and rows[yes.pk].granted_via == "online"
        assert rows[undated.pk].granted_at is not None
        fields = {f.name for f in apps.get_model("applicants", "Applicant")._meta.get_fields()}
        assert "wallet_consent" not in fields

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        Applicant = executor.loader.project_state(BEFORE).apps.get_model("applicants", "Applicant")
        assert set(Applicant.objects.filter(wallet_consent=True).values_list("pk", flat=True)) == {
            yes.pk,
            undated.pk,
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
