"""The small world the authorisation matrix runs in.

A district with two branches, built through the services wherever a service exists:

    district
    ├── subdistrict A ── community A1
    └── subdistrict B ── community B1

One staff member per role holds that role on subdistrict A (so A and A1 are in scope and
B, B1 are out of scope), plus a signed-in applicant. Every kind of object the API and the
workbench act on exists twice: once in branch A and once in branch B, each built by
helper staff of its own branch so that no matrix user is the author of anything (the
four-eyes rules would otherwise blur a permission answer).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from sanyi.annual_reports.tests import factories as report_f
from sanyi.applicants.models import Applicant
from sanyi.applicants.tests import factories as applicant_f
from sanyi.appointments.tests import factories as appointment_f
from sanyi.cases import services as case_services
from sanyi.cases.tests import factories as case_f
from sanyi.catalog import services as catalog_services
from sanyi.catalog.selectors import life_event_plan
from sanyi.catalog.tests import factories as catalog_f
from sanyi.disclosure_requests.tests import factories as request_f
from sanyi.grid.models import AddressRule, EventAction, EventPhoto, EventReport, EventStep
from sanyi.licences.models import ELicence
from sanyi.notify import services as notify_services
from sanyi.openness import services as openness_services
from sanyi.openness.choices import NonDisclosureGround
from sanyi.openness.tests import factories as openness_f
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_f
from sanyi.ratings import services as rating_services

SYSTEM = "系统：权限矩阵"
ANONYMOUS = "anonymous"
APPLICANT = "applicant"
STAFF_ROLES: tuple[str, ...] = tuple(Role.values)
ROLES: tuple[str, ...] = (ANONYMOUS, APPLICANT, *STAFF_ROLES)
_seq = itertools.count(1)


@dataclass
class Branch:
    """Everything built in one branch of the tree (A: in scope, B: out of scope)."""

    label: str
    sub: Any
    community: Any
    center: Any
    window: Any
    helpers: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


@dataclass
class World:
    district: Any
    a: Branch
    b: Branch
    users: dict[str, Any]
    applicant: Any
    messages: dict[str, Any]

    def branch(self, scope: str) -> Branch:
        return self.a if scope == "in" else self.b


# The draft's eligibility rule, so the rule editor's pages have a rule to open.
DRAFT_RULE = {
    "name": "年满18周岁",
    "logic": {">=": [{"var": "age"}, 18]},
    "reason": "须年满18周岁。",
    "tests": [{"facts": {"age": 18}, "expected": True}],
}


def _guide() -> dict:
    return case_f.licence_guide(
        steps=[
            case_f._step("受理", 1, "subdistrict", "window_clerk"),
            case_f._step("审批", 5, "subdistrict", "approver"),
        ],
        materials=[case_f._material("申请表")],
    )


def _branch(district, label: str) -> Branch:
    sub = org_f.unit(district, OrgKind.SUBDISTRICT, name=f"{label}街道", uscc=org_f.unique_uscc())
    community = org_f.unit(sub, OrgKind.COMMUNITY, name=f"{label}社区")
    center = org_f.center(sub, windows=1, name=f"{label}街道便民服务中心")
    window = center.windows.get()
    branch = Branch(label=label, sub=sub, community=community, center=center, window=window)
    h = branch.helpers
    h["clerk"] = org_f.staff(sub, Role.WINDOW_CLERK, window=window)
    h["approver"] = org_f.staff(sub, Role.APPROVER)
    h["writer"] = org_f.staff(sub, Role.DISCLOSURE_OFFICER)
    h["reviewer"] = org_f.staff(sub, Role.DISCLOSURE_OFFICER)
    h["cat_reviewer"] = org_f.staff(sub, Role.CATALOG_ADMIN)
    return branch


GRID_STEP = {
    "name": "入户调查",
    "actor": "网格员",
    "description": "入户调查",
    "days": 3,
    "unit_level": "grid",
    "role": "grid_officer",
}


def _fill(branch: Branch, district) -> None:
    o, h = branch.objects, branch.helpers
    label = branch.label
    # Catalogue: a published item of the community and a draft of the subdistrict.
    o["version"] = catalog_f.item(
        unit=branch.sub,
        status="published",
        reviewer=h["cat_reviewer"],
        name=f"{label}事项许可",
        level="5",
        guide=_guide(),
    )
    o["item"] = o["version"].implementation_item
    o["draft"] = catalog_f.item(
        unit=branch.community,
        name=f"{label}草稿事项",
        item_type="20",
        level="6",
        power_source="2",
        implementer_nature="3",
        guide=catalog_f.good_guide(eligibility_rules=[DRAFT_RULE]),
    )
    # Cases: one in progress (open task), one ready at the counter, one in pre-check, one
    # delivered (rated badly, so a rectification is open) with its e-licence.
    w = {
        "item": o["item"],
        "window": branch.window,
        "clerk": h["clerk"],
        "sub_approver": h["approver"],
        "approver": h["approver"],
        "comm_approver": h["approver"],
    }
    o["case"] = case_f.case(w, state="in_progress")
    o["task"] = o["case"].tasks.get(status="open")
    o["case_material"] = o["case"].materials.first()
    o["awaiting"] = case_f.case(w, state="awaiting")
    o["precheck"] = case_f.case(w, state="precheck", channel="online")
    o["concluded"] = case_f.case(w, state="concluded")
    o["bundle"] = _bundle(o["item"], label)
    o["delivered"] = case_f.case(w, state="delivered")
    o["licence"] = ELicence.objects.get(case=o["delivered"])  # issued on conclusion
    o["rating"] = rating_services.rating_submit(
        case=o["delivered"],
        level=1,
        channel="online",
        actor=o["delivered"].applicant.audit_label,
        comment=f"{label}差评",
    )
    o["rectification"] = o["rating"].rectification
    # Disclosure: a published and a draft publication, a directory entry, a negative-list
    # entry, a request for information with an appeal, a draft annual report.
    o["publication"] = openness_f.published(
        branch.sub, writer=h["writer"], reviewer=h["reviewer"], title=f"{label}公开文件"
    )
    o["pub_draft"] = openness_f.draft(branch.sub, actor=h["writer"], title=f"{label}草稿文件")
    o["entry"] = openness_f.entry(branch.sub, l2=f"{label}目录事项")
    o["negative"] = openness_services.negative_entry_create(
        actor=h["writer"],
        org_unit=branch.sub,
        title=f"{label}负面清单",
        ground=NonDisclosureGround.PRIVACY,
    )
    submission = request_f.online(branch.sub, description=f"{label}申请公开内容")
    o["request"] = submission.request
    o["query_code"] = submission.query_code
    o["appeal"] = report_f.appeal(o["request"], kind="review", filed=dt.date(2026, 6, 1))
    o["report"] = report_f.draft(branch.sub, year=2026)
    _fill_grid(branch, w)


def _fill_grid(branch: Branch, w: dict) -> None:
    """A grid of the community, its address rule, and a case whose 入户调查 step is open
    at the grid (the applicant lives on the grid's street)."""
    o, h, label = branch.objects, branch.helpers, branch.label
    o["grid"] = org_f.unit(branch.community, OrgKind.GRID, name=f"{label}社区第一网格")
    AddressRule.objects.create(
        grid=o["grid"], street=f"{label}网格路", number_from=1, number_to=100
    )
    version = catalog_f.item(
        unit=branch.sub,
        status="published",
        reviewer=h["cat_reviewer"],
        name=f"{label}入户调查事项",
        level="5",
        guide=catalog_f.good_guide(
            steps=[
                {**GRID_STEP, "name": "受理", "unit_level": "subdistrict", "role": "window_clerk"},
                GRID_STEP,
                {**GRID_STEP, "name": "审核", "unit_level": "subdistrict", "role": "approver"},
            ]
        ),
    )
    person = applicant_f.person(name=f"{label}网格居民", address=f"{label}网格路5号")
    # A household of the grid (走访台账): placed by the address mapping.
    Applicant.objects.filter(pk=person.pk).update(grid=o["grid"])
    person.refresh_from_db()
    o["household"] = person
    o["grid_case"] = case_f.case(
        {**w, "item": version.implementation_item}, state="in_progress", applicant_=person
    )
    o["grid_task"] = o["grid_case"].tasks.get(status="open")
    _fill_grid_event(branch)


def _fill_grid_event(branch: Branch) -> None:
    """An event reported in the branch's grid, waiting at its community, with one photo."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from sanyi.grid.tests.factories import jpeg_with_gps

    o, h, label = branch.objects, branch.helpers, branch.label
    today = timezone.localdate()
    reporter = h["cat_reviewer"]
    o["grid_event"] = event = EventReport.objects.create(
        grid=o["grid"],
        unit=branch.community,
        reporter=reporter,
        category="facility",
        title=f"{label}网格事件路灯不亮",
        description="路灯坏了",
        place=f"{label}网格路5号",
        arrived_on=today,
        due_on=today,
    )
    EventStep.objects.create(
        event=event,
        action=EventAction.REPORT,
        actor=reporter,
        unit=branch.community,
        at=timezone.now(),
    )
    photo = EventPhoto(event=event, sha256="0" * 64)
    photo.image.save("p.jpg", ContentFile(jpeg_with_gps()), save=True)
    o["grid_event_photo"] = photo


def _fill_assist(branch: Branch, officer) -> None:
    """A resident placed in the branch's grid, and the matrix grid officer's help-to-apply
    for them, waiting for the resident's consent."""
    from sanyi.applicants.models import Applicant
    from sanyi.grid.models import Assist

    o, label = branch.objects, branch.label
    person = applicant_f.person(name=f"{label}代办居民", address=f"{label}网格路7号")
    Applicant.objects.filter(pk=person.pk).update(grid=o["grid"])
    person.refresh_from_db()
    o["grid_resident"] = person
    o["grid_assist"] = Assist.objects.create(
        officer=officer, grid=o["grid"], applicant=person, item=o["item"]
    )


def build_world() -> World:
    district = org_f.district(uscc=org_f.unique_uscc())
    a, b = _branch(district, "甲"), _branch(district, "乙")
    users = {}
    for role in STAFF_ROLES:
        users[role] = org_f.staff(
            a.sub,
            role,
            username=f"matrix_{role}",
            window=a.window if role == "window_clerk" else None,
        )
    for branch in (a, b):
        _fill(branch, district)
        _fill_assist(branch, users["grid_officer"])
    applicant = applicant_f.person(name="矩阵申请人")
    # Appointments: a booking for today at each branch's centre; A's is the applicant's own.
    for branch, person in ((a, applicant), (b, applicant_f.person(name="乙预约人"))):
        branch.objects["booking"] = appointment_f.center_booking(
            branch.center, branch.objects["item"], person
        )
    messages = {}
    for role, user in users.items():
        [messages[role]] = notify_services.notify_staff(
            event="case.submitted", subject=f"{role}的消息", body="", users=[user]
        )
    [messages["B"]] = notify_services.notify_staff(
        event="case.submitted", subject="乙街道的消息", body="", users=[b.helpers["clerk"]]
    )
    [messages[APPLICANT]] = notify_services.notify_applicant(
        applicant=applicant, event="case.accepted", subject="申请人的消息", body=""
    )
    webhook = notify_services.webhook_subscription_create(
        actor=SYSTEM, name="矩阵订阅", url="https://hooks.example.invalid/x", secret="s" * 32
    )
    for branch in (a, b):  # deliveries and webhooks belong to no org unit: the same row
        branch.objects["delivery"] = messages[APPLICANT].deliveries.first()
        branch.objects["webhook"] = webhook
        branch.objects["role_assignment"] = branch.helpers["clerk"].role_assignments.get()
    _fill_proactive(a, b, applicant)
    return World(district=district, a=a, b=b, users=users, applicant=applicant, messages=messages)


def _fill_proactive(a: Branch, b: Branch, applicant: Applicant) -> None:
    """Proactive rules belong to no org unit (the same rows on both sides); an offer to
    the matrix applicant (branch A) and one to somebody else (branch B)."""
    from sanyi.proactive import services as proactive_services
    from sanyi.proactive.models import ProactiveOffer

    author = org_f.staff(a.sub, Role.CATALOG_ADMIN, username="matrix_rule_author")
    publisher = org_f.staff(a.sub, Role.CATALOG_ADMIN, username="matrix_rule_publisher")
    rules = {}
    for key in ("proactive_rule", "proactive_draft"):
        rules[key] = proactive_services.proactive_rule_create(
            code=f"matrix-{key}",
            name=f"矩阵规则{key}",
            item=a.objects["item"],
            trigger_kind="age_reached",
            trigger_params={"age": 80},
            reason="您今年满{age}周岁",
            actor=author,
        )
    rules["proactive_rule"] = proactive_services.proactive_rule_publish(
        rule=rules["proactive_rule"], actor=publisher
    )
    for branch, person in ((a, applicant), (b, applicant_f.person(name="乙居民"))):
        branch.objects.update(rules)
        branch.objects["proactive_offer"] = ProactiveOffer.objects.create(
            rule=rules["proactive_rule"],
            rule_code="matrix-proactive_rule",
            rule_version=1,
            applicant=person,
            item=a.objects["item"],
            reason="矩阵推送",
            trigger_key=f"age:80:{branch.label}",
            action="notify",
            offered_on=dt.date(2026, 6, 1),
        )


def _bundle(item, label: str):
    """A 一件事 application of one member, submitted online (for the counter's page)."""
    event = catalog_services.life_event_save(
        actor="系统：测试", name=f"{label}一件事", items=[item]
    )
    person = applicant_f.person()
    needed = case_services.bundle_uploads_needed(life_event_plan(event, {}))
    return case_services.bundle_apply(
        applicant=person,
        life_event=event,
        answers={},
        uploads={name: case_f.upload() for name in needed},
        actor=person.audit_label,
    )
