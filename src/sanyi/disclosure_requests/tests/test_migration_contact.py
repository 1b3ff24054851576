"""The upgrade copies the profile's details onto requests made before they were kept."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("disclosure_requests", "0002_inforequest_contact")]
AFTER = [("disclosure_requests", "0003_inforequest_contact_from_profile")]


def _with_applicants_as_they_are(executor, targets):
    """The applicants app stays at its latest migration (it does not depend on requests), so
    the historical models must see its tables as they are now."""
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "applicants"]
    return targets + leaves


@pytest.mark.django_db(transaction=True)
def test_existing_requests_get_the_profiles_contact():
    executor = MigrationExecutor(connection)
    before = _with_applicants_as_they_are(executor, BEFORE)
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        Applicant = apps.get_model("applicants", "Applicant")
        InfoRequest = apps.get_model("disclosure_requests", "InfoRequest")
        OrgUnit = apps.get_model("orgs", "OrgUnit")
        agency = OrgUnit.objects.create(name="示范区民政局", kind="department", path="0001")
        person = Applicant.objects.create(
            kind="person", id_number="110105198102110016", name="王五",
            phone="13900000001", email="w@example.com", address="人民路1号",
            postal_code="990101",
        )  # fmt: skip
        InfoRequest.objects.create(
            number="GK2026-0001-00001", agency=agency, applicant=person,
            applicant_column="natural_person", channel="online", submitted_on=dt.date(2026, 1, 5),
            description="某信息", delivery_form="electronic",
        )  # fmt: skip

        executor = MigrationExecutor(connection)
        after = _with_applicants_as_they_are(executor, AFTER)
        executor.migrate(after)
        r = (
            executor.loader.project_state(after)
            .apps.get_model("disclosure_requests", "InfoRequest")
            .objects.get()
        )
        assert (r.contact_name, r.contact_phone, r.contact_email) == (
            "王五", "13900000001", "w@example.com",
        )  # fmt: skip
        assert (r.contact_address, r.contact_postal_code) == ("人民路1号", "990101")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
