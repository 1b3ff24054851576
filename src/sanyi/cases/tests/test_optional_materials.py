"""An optional material nobody supplied is "未提交（非必需）" wherever materials are listed,
never "本次上传 · 合格"; paper received at a window is recorded as such."""

import pytest
from django.urls import reverse

from sanyi.cases import services
from sanyi.cases.choices import MaterialOrigin, MaterialStatus
from sanyi.cases.models import NOT_SUBMITTED_OPTIONAL
from sanyi.cases.tests import factories as f
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db

OPTIONAL = "授权委托书"


@pytest.fixture
def item(w):
    reviewer = org_f.staff(w["district"], Role.CATALOG_ADMIN)
    guide = f.licence_guide(
        materials=[f._material("申请书"), f._material(OPTIONAL, necessity="optional")]
    )
    version = catalog_f.item(unit=w["dept"], status="published", reviewer=reviewer, guide=guide)
    return version.implementation_item


def _online_prechecked(w, item):
    """An online application with the required material uploaded, the optional one not,
    and every row of the pre-check form left at "ok" (as the clerk's form sends it)."""
    person = f.applicant()
    case = services.case_start(
        applicant=person, item=item, channel="online", actor=person.audit_label
    )
    required = case.materials.get(name="申请书")
    services.case_material_upload(
        case=case, case_material=required, uploaded=f.upload(), actor=person.audit_label
    )
    case = services.case_submit(case=case, actor=person.audit_label, idempotency_key="k")
    return services.case_precheck(
        case=case,
        results=[{"material": m, "status": "ok"} for m in case.materials.all()],
        actor=w["clerk"],
    )


def test_precheck_does_not_pass_an_optional_material_never_supplied(w, item):
    case = _online_prechecked(w, item)

    optional = case.materials.get(name=OPTIONAL)
    assert optional.status == MaterialStatus.PENDING
    assert optional.not_submitted and optional.status_text == NOT_SUBMITTED_OPTIONAL
    assert optional.origin_text == "—"
    required = case.materials.get(name="申请书")
    assert required.status == MaterialStatus.OK and required.status_text == "合格"


def test_approver_sees_not_submitted_not_passed(client, w, item):
    case = _online_prechecked(w, item)
    case = services.case_accept(
        case=case,
        window=w["window"],
        decision="accept",
        actor=w["clerk"],
        materials=[case.materials.get(name="申请书")],
    )
    client.force_login(w["approver"])

    html = client.get(reverse("workbench:cases:work_case", args=[case.pk])).content.decode()

    row = html[html.index(f"{OPTIONAL}") : html.index("</tr>", html.index(OPTIONAL))]
    assert NOT_SUBMITTED_OPTIONAL in row
    assert "合格" not in row and "本次上传" not in row


def test_applicant_page_and_api_say_not_submitted(client, w, item):
    from sanyi.cases.tests.test_api import _client
    from sanyi.cases.tests.test_pages_public import sign_in

    case = _online_prechecked(w, item)

    page = sign_in(client, case.applicant).get(reverse("cases:case", args=[case.number]))
    api = _client(w["clerk"]).get(reverse("api:case-detail", args=[case.pk]))

    assert f"{OPTIONAL}：{NOT_SUBMITTED_OPTIONAL}" in page.content.decode()
    rows = {m["name"]: m for m in api.json()["materials"]}
    assert rows[OPTIONAL]["status_label"] == NOT_SUBMITTED_OPTIONAL


def test_optional_paper_received_at_the_window_is_paper_and_passed(w, item):
    def walk_in():  # paper only: nothing uploaded
        return services.case_start(
            applicant=f.applicant(), item=item, channel="window", actor=w["clerk"]
        )

    case, left_out = walk_in(), walk_in()
    optional = case.materials.get(name=OPTIONAL)
    assert optional.status_text == NOT_SUBMITTED_OPTIONAL  # not handed over yet

    services.case_accept(
        case=case,
        window=w["window"],
        decision="accept",
        actor=w["clerk"],
        materials=list(case.materials.all()),
    )
    services.case_accept(
        case=left_out,
        window=w["window"],
        decision="accept",
        actor=w["clerk"],
        materials=[left_out.materials.get(name="申请书")],
    )

    optional.refresh_from_db()
    assert optional.origin == MaterialOrigin.PAPER and optional.status == MaterialStatus.OK
    assert not optional.not_submitted and optional.status_text == "合格"
    assert left_out.materials.get(name=OPTIONAL).status_text == NOT_SUBMITTED_OPTIONAL
