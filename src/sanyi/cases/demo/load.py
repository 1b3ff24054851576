"""The cases part of the demo: about 230 cases of the demo catalogue, at the three demo
centers (示范区政务服务中心, 城关街道便民服务中心, 翠苑社区便民服务站), in every state of a
case's life, so every worklist and page has real content.

Everything goes through the services of sanyi.cases with past business days (``on=``), in
the order it would have happened, so numbers, clocks, timelines, notifications and audit
rows are what real use would leave. Dates count back from the day of the load in working
days: a case "accepted 9 working days ago" on a 10-day item is yellow on any load day.

The plan is fixed (no randomness in what happens); ``rng`` only picks applicants, so a load
on the same day gives the same data.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.applicants.services import applicant_find_or_create, reuse_consent_grant
from sanyi.calendar.selectors import current_calendar
from sanyi.cases import services
from sanyi.cases.choices import (
    AcceptanceDecision,
    CaseChannel,
    CaseStatus,
    Decision,
    DeliveryMethod,
    MaterialStatus,
    StopReason,
    TaskAction,
    TaskStatus,
    VisitPurpose,
)
from sanyi.cases.demo.bundles import load_bundles
from sanyi.cases.eligibility import applicant_eligibility
from sanyi.cases.models import Case, CaseTask
from sanyi.catalog.models import ImplementationItem
from sanyi.core.demo import DemoResult
from sanyi.core.ids import make_resident_id, make_uscc
from sanyi.orgs.models import OrgKind, OrgUnit, Role, RoleAssignment, User
from sanyi.orgs.permissions import has_role

# Marks the demo's cases (form_data) so is_loaded finds them.
DEMO_MARK = "demo-cases"
CENTERS = {
    "district": "示范区政务服务中心",
    "subdistrict": "城关街道便民服务中心",
    "community": "翠苑社区便民服务站",
}


@dataclass(frozen=True)
class DemoItem:
    key: str
    level: str  # the center that accepts it
    unit: str  # implementing unit
    name: str
    organisation: bool = False  # applied for by a business


ITEMS = [
    DemoItem("elderly", "community", "翠苑社区", "高龄津贴申请"),
    DemoItem("disability", "community", "翠苑社区", "残疾人证申领"),
    DemoItem("care", "community", "翠苑社区", "经济困难失能老年人护理补贴申请"),
    DemoItem("medical", "community", "翠苑社区", "城乡居民基本医疗保险参保登记"),
    DemoItem("dibao", "subdistrict", "城关街道", "最低生活保障申请"),
    DemoItem("housing", "subdistrict", "城关街道", "公共租赁住房保障申请"),
    DemoItem("veteran", "subdistrict", "城关街道", "退役军人和其他优抚对象优待证申领"),
    DemoItem("unemployed", "subdistrict", "城关街道", "失业登记"),
    DemoItem("jobcard", "subdistrict", "城关街道", "就业创业证申领"),
    DemoItem("food", "district", "区市场监督管理局", "食品经营许可", organisation=True),
    DemoItem("dispatch", "district", "区人力资源和社会保障局", "劳务派遣经营许可", True),
    DemoItem("sewage", "district", "区住房和城乡建设局", "城镇污水排入排水管网许可", True),
    DemoItem("building", "district", "区住房和城乡建设局", "建筑工程施工许可证核发", True),
    DemoItem("residence", "district", "区公安分局", "居住证申领"),
    DemoItem("legalaid", "district", "区司法局", "法律援助申请"),
    DemoItem("benefit", "district", "区人力资源和社会保障局", "失业保险金申领"),
    DemoItem("selfemployed", "district", "区市场监督管理局", "个体工商户设立登记"),
]
# Items by what the plan uses them for.
RUNNING = [
    "elderly",
    "disability",
    "care",
    "dibao",
    "housing",
    "veteran",
    "food",
    "dispatch",
    "building",
    "residence",
    "legalaid",
    "sewage",
]
LICENCE = ["food", "dispatch", "building", "sewage"]
INSTANT = ["medical", "unemployed", "jobcard", "selfemployed"]


def is_loaded() -> bool:
    return Case.objects.filter(form_data__demo=DEMO_MARK).exists()


def _pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Plan:
    """The load's state: items, staff, applicants and the working days before today."""

    def __init__(self, *, actor: str, rng):
        self.actor = actor
        self.rng = rng
        self.today = timezone.localdate()
        cal = current_calendar()
        days, day = [], self.today
        while len(days) < 120:
            if cal.is_workday(day):
                days.append(day)
            day -= dt.timedelta(days=1)
        self.workdays = days  # [0] is the last working day up to today
        self.items = {}
        for spec in ITEMS:
            item = (
                ImplementationItem.objects.select_related("base_item", "implementing_unit")
                .filter(base_item__name=spec.name, implementing_unit__name=spec.unit)
                .first()
            )
            if item is not None:
                self.items[spec.key] = (spec, item)
        self.staff = self._staff()
        self.clerks = {
            level: ra
            for level, center in CENTERS.items()
            for ra in RoleAssignment.objects.filter(
                role=Role.WINDOW_CLERK, is_active=True, window__center__name=center
            ).select_related("user", "window__center")[:1]
        }
        self.persons, self.organisations = self._applicants()
        self.pdf = _pdf_bytes()
        self.counts: Counter = Counter()

    def wd(self, n: int) -> dt.date:
        """The working day ``n`` working days before the last one up to today."""
        return self.workdays[n]

    def _staff(self) -> list[tuple[User, list[RoleAssignment]]]:
        rows = (
            RoleAssignment.objects.filter(user__email__endswith="@demo.invalid", is_active=True)
            .select_related("user", "org_unit")
            .order_by("-org_unit__depth", "user__username")
        )
        users: dict[int, User] = {}
        for ra in rows:
            users.setdefault(ra.user_id, ra.user)
        return list(users.values())

    def person_for(self, roles, unit: OrgUnit, *, exclude=()) -> User:
        """The demo staff member nearest to ``unit`` who holds one of ``roles`` over it."""
        for user in self._staff_cache():
            if user.pk not in exclude and has_role(user, roles, unit):
                return user
        raise LookupError(f"no demo staff for {roles} on {unit}")

    def _staff_cache(self):
        return self.staff

    def _applicants(self) -> tuple[list[Applicant], list[Applicant]]:
        persons = list(
            Applicant.objects.filter(kind=ApplicantKind.PERSON, phone__startswith="100").order_by(
                "id_number"
            )[:60]
        )
        organisations = list(
            Applicant.objects.filter(
                kind=ApplicantKind.ORGANISATION, id_number__contains="990101"
            ).order_by("id_number")[:20]
        )
        # Without the applicants part of the demo, make a few of our own.
        for n in range(len(persons), 12):
            persons.append(
                applicant_find_or_create(
                    id_number=make_resident_id(f"110105{1960 + n}0{1 + n % 9}1{n % 10}9{n:02d}"),
                    name=f"{'王李张刘陈杨黄赵吴周徐孙'[n]}{'明华强芳'[n % 4]}",
                    phone=f"100{n + 90000000:08d}",
                    actor=self.actor,
                )
            )
        # Two residents of 80 and over, for 高龄津贴 (its rules refuse anyone younger).
        for n, (born, name) in enumerate((("19380512", "钱桂英"), ("19420918", "郑福生"))):
            persons.append(
                applicant_find_or_create(
                    id_number=make_resident_id(f"110105{born}98{n}"),
                    name=name,
                    phone=f"100{n + 92000000:08d}",
                    address="示范区翠苑社区幸福路8号",
                    actor=self.actor,
                )
            )
        for n in range(len(organisations), 4):
            organisations.append(
                applicant_find_or_create(
                    id_number=make_uscc(f"91990101DC{n + 1:07d}"),
                    name=f"示范区演示商贸有限公司{n + 1}",
                    phone=f"100{n + 91000000:08d}",
                    actor=self.actor,
                )
            )
        return persons, organisations

    def applicant_for(self, spec: DemoItem, item: ImplementationItem) -> Applicant:
        """A random applicant of the right kind whom the item's eligibility rules do not
        refuse (高龄津贴 needs someone 80 or over; some items one case at a time)."""
        pool = self.organisations if spec.organisation else self.persons
        first = self.rng.randrange(len(pool))
        version = services.version_in_force(item)
        if not version.eligibility_rules.exists():
            return pool[first]
        for n in range(len(pool)):
            candidate = pool[(first + n) % len(pool)]
            if applicant_eligibility(candidate, version).eligible is not False:
                return candidate
        return pool[first]

    # --- steps of a case's life --------------------------------------------------------

    def upload(self, case: Case, who) -> None:
        for cm in case.materials.exclude(status=MaterialStatus.SHARED).filter(required=True):
            services.case_material_upload(
                case=case,
                case_material=cm,
                uploaded=SimpleUploadedFile("材料.pdf", self.pdf, content_type="application/pdf"),
                actor=who,
            )

    def start(
        self, key: str, *, on: dt.date, channel=CaseChannel.WINDOW, delivery="", agent=None
    ) -> Case:
        spec, item = self.items[key]
        applicant = self.applicant_for(spec, item)
        form = {"demo": DEMO_MARK}
        if delivery:
            form["delivery_method"] = delivery
        clerk = self.clerks[spec.level]
        who = applicant.audit_label if channel == CaseChannel.ONLINE else clerk.user
        return services.case_start(
            applicant=applicant, item=item, channel=channel, actor=who, form_data=form, on=on
        )

    def submit(self, case: Case, on: dt.date) -> Case:
        label = case.applicant.audit_label
        self.upload(case, label)
        return services.case_submit(
            case=case, actor=label, idempotency_key=f"demo-{case.number}", on=on
        )

    def precheck(self, case: Case, on: dt.date, *, problem: str = "") -> Case:
        clerk = self.clerk_of(case)
        results = []
        first = True
        for cm in case.materials.exclude(status=MaterialStatus.SHARED):
            if problem and first and cm.file:
                results.append({"material": cm, "status": "to_fix", "problem": problem})
                first = False
            elif cm.file:
                results.append({"material": cm, "status": "ok"})
        return services.case_precheck(
            case=case, results=results, actor=clerk.user, reply_days=5 if problem else None, on=on
        )

    def clerk_of(self, case: Case) -> RoleAssignment:
        spec, _ = self.items[self.key_of(case)]
        return self.clerks[spec.level]

    def key_of(self, case: Case) -> str:
        return next(
            k for k, (_, item) in self.items.items() if item.pk == case.implementation_item_id
        )

    def accept(self, case: Case, on: dt.date, decision=AcceptanceDecision.ACCEPT, **kw) -> Case:
        clerk = self.clerk_of(case)
        ticked = [
            cm
            for cm in case.materials.exclude(status=MaterialStatus.SHARED)
            if cm.required or cm.file
        ]
        if decision == AcceptanceDecision.ACCEPT_WITH_DEFICIENCY:
            deferred = [c for c in ticked if c.material and c.material.necessity == "deferrable"]
            ticked = [c for c in ticked if c not in deferred]
            kw["deficiencies"] = [
                {"material": c, "due_on": on + dt.timedelta(days=10)} for c in deferred
            ]
        if decision == AcceptanceDecision.CORRECTION_NOTICE:
            first, *rest = ticked
            ticked = [
                {"material": first, "status": "to_fix", "problem": "复印件不清晰，请提供原件核对"},
                *rest,
            ]
        return services.case_accept(
            case=case,
            window=clerk.window,
            decision=decision,
            actor=clerk.user,
            materials=ticked,
            on=on,
            **kw,
        )

    def open_task(self, case: Case) -> CaseTask | None:
        return (
            case.tasks.filter(status=TaskStatus.OPEN)
            .select_related("unit", "step")
            .order_by("-started_at", "-pk")
            .first()
        )

    def actor_for(self, task: CaseTask) -> User:
        roles = (task.role,) if task.role == Role.WINDOW_CLERK else (task.role, Role.APPROVER)
        roles = tuple(r for r in roles if r in Role.values) or (Role.APPROVER,)
        return self.person_for(roles, task.unit)

    def advance(self, case: Case, steps: int, days: list[dt.date], *, opinions=True) -> CaseTask:
        """Approve ``steps`` handling steps (claiming each first), one per day of ``days``."""
        task = self.open_task(case)
        for i in range(steps):
            if task is None or task.step_id is None:
                break
            person = self.actor_for(task)
            services.task_claim(task=task, actor=person)
            task = services.task_act(
                task=task,
                action=TaskAction.APPROVE,
                actor=person,
                opinion="材料齐全，符合条件，同意。" if opinions else "",
                on=days[min(i, len(days) - 1)],
            )
            task = self.open_task(case)
        return task

    def handling_steps(self, item) -> int:
        """How many steps follow acceptance (the leading window steps are the acceptance)."""
        steps = list(services.version_in_force(item).steps.order_by("position"))
        while steps and steps[0].role == Role.WINDOW_CLERK:
            steps.pop(0)
        return len(steps)

    def finish(self, case: Case, back: int, *, deny: bool = False, method: str = "") -> Case:
        """Handle an accepted case to its end: the steps on successive working days from
        ``back`` working days ago (all on one day for short limits), then the decision,
        then (with ``method``) the delivery a working day later."""
        promised = case.item_version.promised_limit_value or 10
        gap = 1 if promised >= 8 else 0
        n = self.handling_steps(case.implementation_item)
        days = [self.wd(max(back - gap * (s + 1), 0)) for s in range(n)]
        self.advance(case, n, days or [self.wd(back)])
        concluded = self.wd(max(back - gap * (n + 1), 0))
        case = self.conclude(case, concluded, deny=deny)
        if method:
            case = self.deliver(case, method, self.wd(max(back - gap * (n + 1) - 1, 0)))
        return case

    def conclude(self, case: Case, on: dt.date, *, deny: bool = False) -> Case:
        task = self.open_task(case)
        person = self.person_for((Role.APPROVER,), task.unit if task else case.current_unit)
        spec, _ = self.items[self.key_of(case)]
        licence = None
        if not deny and self.key_of(case) in LICENCE:
            licence = {
                "name": case.item_version.result_name or spec.name,
                "valid_from": on,
                "valid_until": on.replace(year=on.year + 5),
                "details": {"经营场所": case.applicant.address or "示范区"},
            }
        return services.case_conclude(
            case=case,
            decision=Decision.DENY if deny else Decision.APPROVE,
            reason=(
                "经审查，申请人提交的材料不能证明符合申请条件。"
                if deny
                else "经审查，符合条件，准予。"
            ),
            basis="" if not deny else "依据办事指南所列法律法规的申请条件",
            actor=person,
            on=on,
            licence=licence,
        )

    def deliver(self, case: Case, method: str, on: dt.date) -> Case:
        clerk = self.clerk_of(case)
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 30)))
        extra = {}
        if method == DeliveryMethod.WINDOW:
            extra = {"window": clerk.window, "recipient_name": case.applicant.name}
        elif method == DeliveryMethod.POST:
            extra = {
                "tracking_number": f"EMS99{case.pk:09d}",
                "address": case.applicant.address or "示范区人民路1号",
            }
        return services.case_deliver(case=case, method=method, actor=clerk.user, now=at, **extra)


def load(*, actor: str, rng) -> DemoResult:
    plan = Plan(actor=actor, rng=rng)
    if not plan.items or len(plan.clerks) < 3:
        return DemoResult(summary="跳过：需要先载入演示组织机构和办事指南")
    wd = plan.wd
    made: list[tuple[str, Case]] = []

    def keep(label: str, case: Case) -> Case:
        made.append((label, case))
        return case

    running = [k for k in RUNNING if k in plan.items]
    licence = [k for k in LICENCE if k in plan.items]
    instant = [k for k in INSTANT if k in plan.items]

    # Before acceptance: drafts, pre-check, returned, awaiting, correction notice, refused.
    for i in range(8):
        key = running[i % len(running)]
        case = plan.start(key, on=wd(1 + i % 3), channel=CaseChannel.ONLINE)
        if i % 2:
            plan.upload(case, case.applicant.audit_label)
        keep("草稿", case)
    for i in range(8):
        key = running[(i + 3) % len(running)]
        case = plan.start(key, on=wd(2 + i % 2), channel=CaseChannel.ONLINE)
        keep("待预审", plan.submit(case, wd(1 + i % 2)))
    for i in range(6):
        key = running[(i + 5) % len(running)]
        case = plan.start(key, on=wd(4), channel=CaseChannel.ONLINE)
        case = plan.submit(case, wd(4))
        keep(
            "预审退回", plan.precheck(case, wd(3), problem="材料扫描不完整，缺少第2页，请重新上传")
        )
    for i in range(6):
        key = running[(i + 1) % len(running)]
        case = plan.start(key, on=wd(3), channel=CaseChannel.ONLINE)
        case = plan.precheck(plan.submit(case, wd(3)), wd(2))
        keep("预审通过待受理", case)
    for i in range(5):
        key = running[(i + 2) % len(running)]
        case = plan.start(key, on=wd(2))
        keep("一次性告知", plan.accept(case, wd(2), AcceptanceDecision.CORRECTION_NOTICE))
    for i in range(5):
        key = running[(i + 7) % len(running)]
        case = plan.start(key, on=wd(6 + i))
        keep(
            "不予受理",
            plan.accept(
                case,
                wd(6 + i),
                AcceptanceDecision.REJECT,
                reason="申请事项不属于本机关职权范围",
                basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项",
            ),
        )
    # Window walk-ins also wait for acceptance for a moment.
    for i in range(4):
        keep("待受理", plan.start(running[(i + 4) % len(running)], on=wd(0)))

    # Running cases, in each step of their process (accepted recently: within their time).
    for key in running:
        item = plan.items[key][1]
        for k in range(max(plan.handling_steps(item), 1)):
            for j in range(2):
                start = wd(k + 1 + j)
                online = (k + j) % 3 == 0
                case = plan.start(
                    key, on=start, channel=CaseChannel.ONLINE if online else CaseChannel.WINDOW
                )
                if online:
                    case = plan.precheck(plan.submit(case, start), start)
                case = plan.accept(case, start)
                plan.advance(case, k, [wd(k - s) for s in range(k)] or [start])
                keep("办理中", case)
    # Accepted with a deficiency (容缺受理): the follow-up material comes later.
    if "sewage" in plan.items:
        for j in range(3):
            case = plan.start("sewage", on=wd(2 + j))
            keep(
                "容缺受理", plan.accept(case, wd(2 + j), AcceptanceDecision.ACCEPT_WITH_DEFICIENCY)
            )

    # Suspended: one for each stop reason (correction via the step action), still stopped.
    for i, reason in enumerate(StopReason.values):
        key = running[i % len(running)]
        case = plan.accept(plan.start(key, on=wd(6 + i)), wd(6 + i))
        task = plan.open_task(case)
        person = plan.actor_for(task)
        services.task_claim(task=task, actor=person)
        if reason == StopReason.CORRECTION:
            services.task_act(
                task=task,
                action=TaskAction.REQUEST_CORRECTION,
                actor=person,
                opinion="请补充近三个月的银行流水",
                on=wd(3 + i),
            )
        else:
            stopper = plan.person_for((Role.APPROVER,), case.current_unit)
            services.clock_stop(
                case=case,
                reason=reason,
                actor=stopper,
                note=f"{StopReason(reason).label}期间暂停计时",
                on=wd(3 + i),
            )
        keep(f"暂停计时（{StopReason(reason).label}）", case)
    # Stopped and restarted: the due dates moved.
    for i in range(4):
        key = running[(i + 3) % len(running)]
        case = plan.accept(plan.start(key, on=wd(10 + i)), wd(10 + i))
        stopper = plan.person_for((Role.APPROVER,), case.current_unit)
        services.clock_stop(
            case=case, reason=StopReason.INSPECTION, actor=stopper, note="现场勘查", on=wd(8 + i)
        )
        services.clock_restart(case=case, actor=stopper, on=wd(5 + i))
        keep("恢复计时", case)
    # Extended: asked by the handling approver, approved by another.
    for i in range(4):
        key = running[(i + 6) % len(running)]
        case = plan.accept(plan.start(key, on=wd(8 + i)), wd(8 + i))
        task = plan.open_task(case)
        requester = plan.actor_for(task)
        services.task_claim(task=task, actor=requester)
        approver = plan.person_for(
            (Role.APPROVER, Role.SUPERVISOR), case.current_unit, exclude={requester.pk}
        )
        services.case_extend(
            case=case,
            days=5,
            reason="需要征求相关部门意见，经负责人批准延长",
            requested_by=requester,
            actor=approver,
            on=wd(4 + i),
        )
        keep("已延期", case)

    # Yellow and red: accepted long enough ago that most or all of the time is used.
    for i, key in enumerate(running):
        promised = services.version_in_force(plan.items[key][1]).promised_limit_value or 0
        plans = [("红灯", promised + 2 + i % 4)]
        if promised >= 5:
            plans.append(("黄灯", promised - 1))
        for level, back in plans:
            case = plan.accept(plan.start(key, on=wd(back)), wd(back))
            plan.advance(case, 1, [wd(max(back - 2, 0))])
            keep(level, case)

    # Concluded and waiting for pickup at the window (统一出件).
    for i in range(10):
        key = running[i % len(running)]
        back = 3 + i % 6
        case = plan.accept(plan.start(key, on=wd(back + 1)), wd(back))
        keep("待领取", plan.finish(case, back, deny=i % 7 == 6))
    # Delivered: at the window, by post, electronically (online and zero visits).
    methods = [DeliveryMethod.WINDOW, DeliveryMethod.POST, DeliveryMethod.ELECTRONIC]
    for i in range(36):
        key = running[i % len(running)]
        method = methods[i % 3]
        back = 12 + (i * 7) % 90
        online = method == DeliveryMethod.ELECTRONIC or i % 5 == 0
        case = plan.start(
            key,
            on=wd(back + 1),
            channel=CaseChannel.ONLINE if online else CaseChannel.WINDOW,
            delivery=method,
        )
        if online:
            case = plan.precheck(plan.submit(case, wd(back + 1)), wd(back))
        case = plan.accept(case, wd(back))
        case = plan.finish(case, back, deny=i % 11 == 10, method=method)
        keep(f"已出件（{DeliveryMethod(method).label}）", case)
    # Licences: more approvals of the licence items, delivered at the window.
    for i in range(6):
        key = licence[i % len(licence)]
        back = 25 + i * 3
        case = plan.accept(plan.start(key, on=wd(back)), wd(back))
        keep("核发电子证照", plan.finish(case, back, method=DeliveryMethod.WINDOW))
    # Instant items (即办件): accepted, concluded and handed over at the same visit.
    for i in range(10):
        key = instant[i % len(instant)]
        case = plan.start(key, on=wd(i))
        clerk = plan.clerk_of(case)
        services.case_conclude_instant(
            case=case,
            window=clerk.window,
            actor=clerk.user,
            materials=list(
                case.materials.exclude(status=MaterialStatus.SHARED).filter(required=True)
            ),
            recipient_name=case.applicant.name,
            on=wd(i),
        )
        keep("即办件当场办结", case)
    # A second visit (more than one visit) and withdrawals.
    for _label, case in made[-14:-10]:
        if case.status == CaseStatus.DELIVERED:
            services.visit_record(
                case=case,
                purpose=VisitPurpose.OTHER,
                actor=plan.clerk_of(case).user,
                window=plan.clerk_of(case).window,
                at=case.delivered_at - dt.timedelta(days=1),
            )
    for i in range(5):
        key = running[(i + 8) % len(running)]
        case = plan.accept(plan.start(key, on=wd(9 + i)), wd(9 + i))
        services.case_withdraw(
            case=case, actor=case.applicant.audit_label, reason="申请人主动撤回申请", on=wd(4 + i)
        )
        keep("已撤回", case)
    # Walk-ins the window opened by mistake and voided (作废).
    for i in range(2):
        key = running[(i + 2) % len(running)]
        case = plan.start(key, on=wd(3 + i))
        keep(
            "已作废",
            services.case_walk_in_cancel(
                case=case,
                actor=plan.clerk_of(case).user,
                reason="证件号码录错，已重新受理",
                on=wd(3 + i),
            ),
        )

    # 信息跑路: a business holding a food licence consents and applies again (延续): its
    # e-licence and the materials checked last time come in by themselves, nothing uploaded.
    holder = next(
        (c.applicant for label, c in made if label == "核发电子证照" and plan.key_of(c) == "food"),
        None,
    )
    if holder is not None:
        reuse_consent_grant(applicant=holder, actor=holder.audit_label)
        holder.refresh_from_db()
        again = services.case_start(
            applicant=holder,
            item=plan.items["food"][1],
            channel=CaseChannel.ONLINE,
            actor=holder.audit_label,
            form_data={"demo": DEMO_MARK},
            on=wd(0),
        )
        keep("复用电子证照的草稿", again)

    bundle_notes = load_bundles(plan)

    # The district departments have no staff of their own in the demo: the district's
    # approver, whose unit list covers them, has claimed their open steps.
    for task in CaseTask.objects.filter(
        status=TaskStatus.OPEN, assignee__isnull=True, unit__kind=OrgKind.DEPARTMENT
    ).select_related("unit"):
        services.task_claim(task=task, actor=plan.actor_for(task))

    warnings = services.case_update_warnings(today=plan.today)
    states = Counter(
        Case.objects.filter(form_data__demo=DEMO_MARK).values_list("status", flat=True)
    )
    summary = "、".join(
        f"{CaseStatus(s).label}{n}件" for s, n in sorted(states.items(), key=lambda kv: -kv[1])
    )
    return DemoResult(
        summary=f"{sum(states.values())}个办件：{summary}；黄灯{warnings['yellow']}件，红灯{warnings['red']}件",
        notes=[
            "办件办理：/workbench/cases/（用 approver.subdistrict、approver.district、"
            "clerk.community、supervisor.district 等演示账号登录）",
            "材料复用：一家已取得食品经营许可证电子证照的企业再次申请食品经营许可，"
            "电子证照和上次审核合格的材料已自动带入（见“我的证照和材料”/my/wallet/）",
            *bundle_notes,
        ],
    )
