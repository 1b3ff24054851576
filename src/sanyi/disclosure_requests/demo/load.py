"""Demo requests for information: 64 requests to 示范区人民政府, 区住房和城乡建设局 and
城关街道, replayed through the services with the dates they happened on.

They cover every outcome of the annual report, every channel and every applicant column,
and the clock situations officers meet: corrected, consulted, extended, fee notices,
replied on the spot, withdrawn after no correction, overdue, due soon, waiting for
confirmation, and requests received in late 2025 and answered in 2026 (carried over).
Requests still open at the end of the year are carried over to the next one.

History before 2026-10-01 has fixed dates; the requests that are still running are placed
relative to the day the demo is loaded (in working days), so the worklist always shows
overdue, yellow and fresh requests. Applicants are the demo applicants when that part is
loaded, else fictional ones made here the same way (region 110105, mobiles 100…).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.calendar.selectors import current_calendar
from sanyi.core.demo import DemoResult
from sanyi.core.ids import make_resident_id, make_uscc
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import (
    GRANT_OUTCOMES,
    AppealKind,
    AppealResult,
    ApplicantColumn,
    DeliveryForm,
    FeeMethod,
    IntakeChannel,
    OpinionDelivery,
    Outcome,
    PaperMethod,
    ReplyMethod,
)
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.orgs.models import OrgUnit, User

D = dt.date
DISTRICT, DEPARTMENT, SUBDISTRICT = "示范区", "区住房和城乡建设局", "城关街道"
# The officers and approvers of the orgs demo; the district's roles cover its departments.
OFFICERS = {DISTRICT: "disclosure.district", DEPARTMENT: "disclosure.district",
            SUBDISTRICT: "disclosure.subdistrict"}  # fmt: skip
APPROVERS = {DISTRICT: "approver.district", DEPARTMENT: "approver.district",
             SUBDISTRICT: "approver.subdistrict"}  # fmt: skip

PERSON_NAMES = ["陈晓东", "林雪梅", "黄志远", "吴秀兰", "郑国强", "何丽娟", "罗文斌", "高春燕"]
ORGANISATIONS = {
    ApplicantColumn.COMMERCIAL: ("示范区安居房地产开发有限公司", "91"),
    ApplicantColumn.RESEARCH: ("示范区城乡规划研究院", "12"),
    ApplicantColumn.PUBLIC_INTEREST: ("示范区绿色家园环保志愿者协会", "51"),
    ApplicantColumn.LEGAL_SERVICE: ("示范区正衡律师事务所", "31"),
    ApplicantColumn.OTHER: ("示范区翠苑小区业主委员会", "93"),
}

TOPICS = {
    DISTRICT: [
        "2026年区政府常务会议研究老旧小区改造的会议纪要",
        "示范区2025年度财政预算执行和其他财政收支的审计工作报告",
        "区政府关于城关片区棚户区改造项目的批复文件",
        "2026年示范区重大行政决策事项目录",
        "区政府2025年度法治政府建设情况报告",
        "示范区城乡居民最低生活保障标准调整的文件",
        "2026年第一季度区级政府投资项目计划",
        "区政府与某企业签订的招商引资协议",
    ],
    DEPARTMENT: [
        "翠苑小区加装电梯项目的规划许可和施工许可文件",
        "城关片区保障性住房分配名单和分配方案",
        "2025年本局行政处罚决定书（建筑工地扬尘）",
        "某楼盘商品房预售许可证及其附件",
        "文庙街危房鉴定报告和处置意见",
        "2026年本局公共租赁住房租金标准的文件",
        "人民路道路改造工程的招标文件和中标结果",
        "本局2025年度政府信息公开工作年度报告的编制底稿",
    ],
    SUBDISTRICT: [
        "翠苑社区2026年城乡低保对象名单",
        "城关街道2025年度民生实事项目完成情况",
        "钟楼社区垃圾分类设施建设经费使用情况",
        "城关街道征地补偿安置方案",
        "府前社区老年食堂补贴发放明细",
        "城关街道2026年防汛应急预案",
        "玉带社区违法建设拆除的决定和依据",
        "城关街道办事处2025年部门预算",
    ],
}
REPLY_TEXT = {
    Outcome.DISCLOSE: "经审查，您申请的信息属于公开范围，现随本答复书提供电子文本。",
    Outcome.PARTIAL: "您申请的信息中含有个人隐私的部分已作区分处理，其余部分予以公开。",
    Outcome.WITHHOLD_STATE_SECRET: "您申请的信息已依法确定为国家秘密，不予公开。",
    Outcome.WITHHOLD_LAW: "您申请的信息属于法律、行政法规禁止公开的信息，不予公开。",
    Outcome.WITHHOLD_SECURITY: "您申请的信息公开后可能危及社会稳定，不予公开。",
    Outcome.WITHHOLD_THIRD_PARTY: "您申请的信息涉及第三方商业秘密，第三方不同意公开，不予公开。",
    Outcome.WITHHOLD_INTERNAL: "您申请的信息属于人事管理等内部事务信息，不予公开。",
    Outcome.WITHHOLD_PROCESS: "您申请的信息属于讨论记录、过程稿等过程性信息，不予公开。",
    Outcome.WITHHOLD_ENFORCEMENT: "您申请的信息属于行政执法案卷信息，不予公开。",
    Outcome.WITHHOLD_INQUIRY: "您申请的信息属于行政查询事项，请依照有关规定向登记机构查询。",
    Outcome.UNAVAILABLE_NOT_HELD: "经检索，本机关未制作、获取您申请的信息。",
    Outcome.UNAVAILABLE_NEEDS_CREATION: "您申请的信息需要对现有信息进行加工、分析，不予提供。",
    Outcome.UNAVAILABLE_UNCLEAR: "您补正后的申请内容仍不明确，本机关无法确定您所需的信息。",
    Outcome.NOT_PROCESSED_PETITION: "您的申请实为投诉举报，已转交有关部门按信访程序处理。",
    Outcome.NOT_PROCESSED_REPEAT: "您已就同一信息提出过申请并已获答复，本机关不再重复处理。",
    Outcome.NOT_PROCESSED_PUBLICATION: "您申请的信息已在公开出版物中刊载，请通过该出版物获取。",
    Outcome.NOT_PROCESSED_EXCESSIVE: "您在短期内大量、反复提出申请，且未说明理由，本机关不予处理。",
    Outcome.NOT_PROCESSED_CONFIRMATION: "您要求确认或重新出具已获取的信息，不作为公开申请处理。",
    Outcome.OTHER: "经与您沟通，您的问题已通过其他途径解决。",
}  # fmt: skip


@dataclass
class Plan:
    """One demo request and what happens to it, in order."""

    agency: str
    column: str
    channel: str
    received: dt.date  # submitted (online) or received (other channels)
    confirm: dt.date | None = None  # online: the day the agency confirmed
    steps: list[tuple] = field(default_factory=list)


def is_loaded() -> bool:
    return InfoRequest.objects.filter(idempotency_key__startswith="demo-").exists()


class _Applicants:
    """Applicants per report column, reusing the demo applicants where they exist."""

    def __init__(self, rng):
        self.rng = rng
        self.people = list(Applicant.objects.filter(kind=ApplicantKind.PERSON).order_by("pk")[:30])
        if len(self.people) < 8:
            self.people += [
                _person(n, name) for n, name in enumerate(PERSON_NAMES, start=1)
            ]  # fmt: skip
        self.orgs: dict[str, list[Applicant]] = {}
        for org in Applicant.objects.filter(kind=ApplicantKind.ORGANISATION).order_by("pk"):
            self.orgs.setdefault(org.organisation_category, []).append(org)
        for n, (column, (name, prefix)) in enumerate(ORGANISATIONS.items(), start=1):
            if column not in self.orgs:
                self.orgs[column] = [_organisation(n, name, prefix, column)]
        self.turn = 0

    def pick(self, column: str) -> Applicant:
        self.turn += 1
        pool = self.people if column == ApplicantColumn.NATURAL_PERSON else self.orgs[column]
        return pool[self.rng.randrange(len(pool))]


def _person(n: int, name: str) -> Applicant:
    number = make_resident_id(f"110105{1960 + n * 4}{n:02d}{10 + n:02d}{700 + n:03d}")
    return services.applicant_for_request(
        id_number=number, name=name, phone=f"100{70000000 + n:08d}",
        address=f"示范区人民路{20 + n}号",
    )  # fmt: skip


def _organisation(n: int, name: str, prefix: str, column: str) -> Applicant:
    return services.applicant_for_request(
        id_number=make_uscc(f"{prefix}990101DQ{n:07d}"), name=name,
        organisation_category=column, phone=f"100{80000000 + n:08d}",
        address=f"示范区府前路{n}号",
    )  # fmt: skip


def workdays_before(today: dt.date, n: int) -> dt.date:
    """The day ``n`` working days before ``today`` (today not counted)."""
    calendar = current_calendar()
    day = today
    while n > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


def _plans(today: dt.date) -> list[Plan]:
    P, OT, ON, IP, PO, FX = (
        ApplicantColumn.NATURAL_PERSON,
        ApplicantColumn.OTHER,
        IntakeChannel.ONLINE,
        IntakeChannel.IN_PERSON,
        IntakeChannel.POST,
        IntakeChannel.FAX,
    )
    C, R, PI, L = (
        ApplicantColumn.COMMERCIAL,
        ApplicantColumn.RESEARCH,
        ApplicantColumn.PUBLIC_INTEREST,
        ApplicantColumn.LEGAL_SERVICE,
    )
    DI, DE, SU = DISTRICT, DEPARTMENT, SUBDISTRICT

    def reply(outcome, on, **kw):
        return ("reply", outcome, on, kw)

    plans = [
        # 2025, answered in 2025 (the 2025 report) ---------------------------------------
        Plan(DI, P, IP, D(2025, 3, 10), steps=[reply(Outcome.DISCLOSE, D(2025, 3, 20))]),
        Plan(DE, R, ON, D(2025, 6, 2), D(2025, 6, 3),
             [reply(Outcome.NOT_PROCESSED_PUBLICATION, D(2025, 6, 10))]),
        Plan(SU, P, IP, D(2025, 9, 15), steps=[
            ("consult", D(2025, 9, 17), "某物业服务企业", D(2025, 9, 26)),
            reply(Outcome.WITHHOLD_THIRD_PARTY, D(2025, 10, 20)),
            ("appeal", AppealKind.REVIEW, D(2025, 11, 3), "示范市人民政府",
             (AppealResult.UPHELD, D(2025, 12, 19))),
        ]),
        # received late in 2025, answered in 2026 (carried over into 2026) ---------------
        Plan(DI, P, ON, D(2025, 12, 15), D(2025, 12, 16),
             [reply(Outcome.DISCLOSE, D(2026, 1, 12))]),
        Plan(DE, C, PO, D(2025, 12, 22), steps=[
            ("consult", D(2025, 12, 29), "某建筑工程有限公司", D(2026, 1, 15)),
            reply(Outcome.PARTIAL, D(2026, 2, 3)),
        ]),
        Plan(SU, P, IP, D(2025, 12, 24), steps=[
            ("extend", D(2026, 1, 19), 20, "涉及多个社区的历史档案，需要逐一调取"),
            reply(Outcome.WITHHOLD_PROCESS, D(2026, 2, 10)),
            ("appeal", AppealKind.REVIEW, D(2026, 3, 2), "示范区人民政府",
             (AppealResult.CORRECTED, D(2026, 4, 28))),
        ]),
        Plan(DI, L, FX, D(2025, 12, 29), steps=[
            reply(Outcome.UNAVAILABLE_NOT_HELD, D(2026, 1, 20),
                  referral="示范市自然资源和规划局，电话0000-6120001"),
        ]),
        # 2026: every outcome at least once ----------------------------------------------
        Plan(DI, P, IP, D(2026, 1, 6), steps=[reply(Outcome.DISCLOSE, D(2026, 1, 6),
                                                     on_spot=True)]),
        Plan(DE, C, ON, D(2026, 1, 12), D(2026, 1, 13),
             [reply(Outcome.PARTIAL, D(2026, 2, 5))]),
        Plan(DI, P, PO, D(2026, 2, 2), steps=[
            reply(Outcome.WITHHOLD_STATE_SECRET, D(2026, 2, 27)),
            ("appeal", AppealKind.LAWSUIT_DIRECT, D(2026, 4, 8), "示范区人民法院",
             (AppealResult.UPHELD, D(2026, 8, 20))),
        ]),
        Plan(DE, L, ON, D(2026, 2, 26), D(2026, 2, 27),
             [reply(Outcome.WITHHOLD_LAW, D(2026, 3, 20))]),
        Plan(SU, P, IP, D(2026, 3, 3), steps=[reply(Outcome.WITHHOLD_SECURITY, D(2026, 3, 27))]),
        Plan(DE, C, ON, D(2026, 3, 9), D(2026, 3, 9), [
            ("consult", D(2026, 3, 12), "示范区安居物业管理有限公司", D(2026, 3, 30)),
            reply(Outcome.WITHHOLD_THIRD_PARTY, D(2026, 4, 17)),
            ("appeal", AppealKind.REVIEW, D(2026, 5, 6), "示范区人民政府",
             (AppealResult.UPHELD, D(2026, 7, 1))),
            ("appeal", AppealKind.LAWSUIT_AFTER_REVIEW, D(2026, 7, 15), "示范区人民法院",
             (AppealResult.OTHER, D(2026, 10, 30))),
        ]),
        Plan(SU, P, ON, D(2026, 3, 16), D(2026, 3, 17),
             [reply(Outcome.WITHHOLD_INTERNAL, D(2026, 4, 3))]),
        Plan(DI, R, PO, D(2026, 4, 1), steps=[reply(Outcome.WITHHOLD_PROCESS, D(2026, 4, 24))]),
        Plan(DE, P, IP, D(2026, 4, 13), steps=[
            reply(Outcome.WITHHOLD_ENFORCEMENT, D(2026, 5, 8)),
            ("appeal", AppealKind.REVIEW, D(2026, 6, 1), "示范区人民政府", None),
        ]),
        Plan(DE, P, ON, D(2026, 4, 20), D(2026, 4, 21),
             [reply(Outcome.WITHHOLD_INQUIRY, D(2026, 4, 28))]),
        Plan(SU, PI, FX, D(2026, 5, 11), steps=[
            reply(Outcome.UNAVAILABLE_NOT_HELD, D(2026, 5, 29),
                  referral="示范区住房和城乡建设局，电话0000-6120002"),
        ]),
        Plan(DI, R, ON, D(2026, 5, 18), D(2026, 5, 18),
             [reply(Outcome.UNAVAILABLE_NEEDS_CREATION, D(2026, 6, 12))]),
        Plan(DE, P, ON, D(2026, 6, 1), D(2026, 6, 2), [
            ("correct", D(2026, 6, 5), "1. 请写明所需文件的年份\n2. 请写明楼盘名称或所在街道",
             D(2026, 6, 26), D(2026, 6, 15)),
            reply(Outcome.UNAVAILABLE_UNCLEAR, D(2026, 7, 3)),
        ]),
        Plan(SU, P, IP, D(2026, 6, 8), steps=[
            reply(Outcome.NOT_PROCESSED_PETITION, D(2026, 6, 19))]),
        Plan(DI, P, ON, D(2026, 6, 22), D(2026, 6, 23),
             [reply(Outcome.NOT_PROCESSED_REPEAT, D(2026, 6, 30))]),
        Plan(DE, OT, PO, D(2026, 7, 6), steps=[
            reply(Outcome.NOT_PROCESSED_PUBLICATION, D(2026, 7, 17))]),
        Plan(DI, P, ON, D(2026, 7, 13), D(2026, 7, 14),
             [reply(Outcome.NOT_PROCESSED_EXCESSIVE, D(2026, 8, 7))]),
        Plan(SU, OT, IP, D(2026, 7, 20), steps=[
            reply(Outcome.NOT_PROCESSED_CONFIRMATION, D(2026, 7, 31))]),
        # withdrawn after no correction: closed by the lapse task after its deadline
        Plan(DI, P, ON, D(2026, 8, 3), D(2026, 8, 4), [
            ("correct", D(2026, 8, 7), "请写明所需会议纪要的会议时间或议题", D(2026, 8, 28),
             None),
            ("lapse",),
        ]),
        Plan(DE, C, ON, D(2026, 8, 10), D(2026, 8, 10), [
            ("fee", D(2026, 8, 17), FeeMethod.PER_PAGE, 260, D(2026, 9, 4), None),
            ("lapse",),
        ]),
        Plan(SU, P, IP, D(2026, 8, 17), steps=[("withdraw", D(2026, 8, 25),
                                                 "申请人来电表示问题已解决，撤回申请")]),
        # 2026: corrected, consulted, extended and paid, then answered ---------------------
        Plan(DI, PI, ON, D(2026, 8, 24), D(2026, 8, 25), [
            ("correct", D(2026, 8, 28), "请写明所需项目的名称", D(2026, 9, 18), D(2026, 9, 2)),
            reply(Outcome.DISCLOSE, D(2026, 9, 25)),
        ]),
        Plan(DE, C, PO, D(2026, 9, 1), steps=[
            ("fee", D(2026, 9, 4), FeeMethod.PER_PAGE, 150, D(2026, 9, 25), D(2026, 9, 11)),
            reply(Outcome.DISCLOSE, D(2026, 10, 16)),
        ]),
        Plan(SU, P, IP, D(2026, 9, 7), steps=[
            ("consult", D(2026, 9, 9), "区自然资源局", D(2026, 9, 25)),
            ("extend", D(2026, 10, 19), 15, "需要与相关机关进一步核实，期限内无法答复"),
            reply(Outcome.PARTIAL, D(2026, 11, 6)),
        ]),
        Plan(DI, L, ON, D(2026, 9, 14), D(2026, 9, 14), [
            ("extend", D(2026, 10, 9), 20, "所需信息分散在多个部门，需要汇总核对"),
            reply(Outcome.DISCLOSE, D(2026, 11, 4)),
        ]),
        Plan(DE, P, IP, D(2026, 9, 21), steps=[reply(Outcome.DISCLOSE, D(2026, 9, 21),
                                                      on_spot=True)]),
        Plan(SU, R, ON, D(2026, 9, 28), D(2026, 9, 29), [reply(Outcome.PARTIAL,
                                                                D(2026, 10, 23))]),
    ]  # fmt: skip
    # Ordinary 2026 requests answered in time, one or two a month.
    ordinary = [
        (DI, P, IP, D(2026, 1, 19), Outcome.DISCLOSE, 9),
        (SU, P, ON, D(2026, 2, 9), Outcome.DISCLOSE, 6),
        (DE, C, ON, D(2026, 3, 23), Outcome.DISCLOSE, 12),
        (DI, PI, PO, D(2026, 4, 7), Outcome.PARTIAL, 15),
        (SU, P, IP, D(2026, 4, 27), Outcome.DISCLOSE, 4),
        (DE, P, ON, D(2026, 5, 25), Outcome.UNAVAILABLE_NOT_HELD, 10),
        (DI, P, ON, D(2026, 6, 15), Outcome.DISCLOSE, 8),
        (SU, OT, FX, D(2026, 7, 27), Outcome.DISCLOSE, 5),
        (DE, R, ON, D(2026, 8, 31), Outcome.PARTIAL, 14),
        (DI, P, IP, D(2026, 10, 12), Outcome.DISCLOSE, 7),
        (SU, C, ON, D(2026, 10, 26), Outcome.WITHHOLD_INTERNAL, 11),
    ]
    calendar = current_calendar()
    for agency, column, channel, on, outcome, days in ordinary:
        reply_on = calendar.add_workdays(on, days).date
        confirm = on if channel == ON else None
        kw = {"referral": "示范区财政局"} if outcome == Outcome.UNAVAILABLE_NOT_HELD else {}
        plans.append(Plan(agency, column, channel, on, confirm, [reply(outcome, reply_on, **kw)]))

    # Still running today (carried over to next year if not answered by 31 December) ------
    back = lambda n: workdays_before(today, n)  # noqa: E731
    plans += [
        # overdue: received more than 20 working days ago, no reply yet
        Plan(DE, P, PO, back(26)),
        Plan(SU, P, ON, back(24), back(23)),
        # due soon (yellow): 17 of 20 working days used
        Plan(DI, C, IP, back(17)),
        Plan(SU, P, ON, back(18), back(17)),
        # running, consulted (stopped now) and extended
        Plan(DE, C, ON, back(12), back(12),
             [("consult", back(8), "示范区城关建筑工程有限公司", None)]),
        Plan(DI, P, IP, back(19), steps=[("extend", back(2), 20, "涉及的文件较多，需要逐件审查")]),
        Plan(DI, L, IP, back(10), steps=[
            ("correct", back(8), "请写明所需文件的文号或发文时间", None, back(5))]),
        # waiting for the applicant: correction, fee
        Plan(SU, P, IP, back(4), steps=[
            ("correct", back(2), "1. 请写明社区名称\n2. 请写明所需名单的年份", None, None)]),
        Plan(DE, R, ON, back(9), back(9), [("fee", back(3), FeeMethod.PER_PAGE, 320, None,
                                              None)]),
        # fresh: received this week or waiting for confirmation
        Plan(DI, P, FX, back(3)),
        Plan(DE, OT, IP, back(1)),
        Plan(SU, PI, ON, back(2), back(1)),
        Plan(DI, P, ON, back(1)),
        Plan(DE, P, ON, today),
        # a request answered recently and already under review by the applicant
        Plan(DE, P, ON, back(15), back(15), [
            reply(Outcome.WITHHOLD_ENFORCEMENT, back(6)),
            ("appeal", AppealKind.REVIEW, back(2), "示范区人民政府", None),
        ]),
    ]  # fmt: skip
    return plans


def load(*, actor: str, rng) -> DemoResult:
    today = timezone.localdate()
    agencies = {
        DISTRICT: OrgUnit.objects.get(name=DISTRICT, parent__isnull=True),
        DEPARTMENT: OrgUnit.objects.get(name=DEPARTMENT),
        SUBDISTRICT: OrgUnit.objects.get(name=SUBDISTRICT),
    }
    users = {u.username: u for u in User.objects.filter(
        username__in={*OFFICERS.values(), *APPROVERS.values()})}  # fmt: skip
    applicants = _Applicants(rng)
    topics = {name: list(items) for name, items in TOPICS.items()}
    made = []
    for n, plan in enumerate(_plans(today), start=1):
        officer = users.get(OFFICERS[plan.agency], actor)
        approver = users.get(APPROVERS[plan.agency])
        agency = agencies[plan.agency]
        applicant = applicants.pick(plan.column)
        pool = topics[plan.agency]
        description = pool[n % len(pool)]
        delivery = [DeliveryForm.ELECTRONIC, DeliveryForm.PAPER, DeliveryForm.ONSITE][n % 3]
        person = {
            "id_number": applicant.id_number,
            "name": applicant.name,
            "organisation_category": applicant.organisation_category,
            "phone": applicant.phone,
            "email": applicant.email,
            "address": applicant.address,
        }
        if plan.channel == IntakeChannel.ONLINE:
            sub = services.request_submit_online(
                agency=agency, description=description, delivery_form=delivery,
                purpose="了解与本人相关的政策落实情况" if n % 4 == 0 else "",
                idempotency_key=f"demo-{n}", on=plan.received, **person,
            )  # fmt: skip
            request = sub.request
            if plan.confirm:
                request = services.request_confirm(actor=officer, request=request, on=plan.confirm)
        else:
            request = services.request_register(
                actor=officer, agency=agency, channel=plan.channel, received_on=plan.received,
                submitted_on=plan.received - dt.timedelta(days=3)
                if plan.channel == IntakeChannel.POST else None,
                description=description, delivery_form=delivery, **person,
            ).request  # fmt: skip
        for step in plan.steps:
            request = _step(step, request=request, officer=officer, approver=approver)
        made.append(request)
    closed = services.requests_close_lapsed(today=today)
    open_now = InfoRequest.objects.filter(pk__in=[r.pk for r in made], concluded_on=None).count()
    return DemoResult(
        summary=(
            f"{len(made)}件政府信息公开申请（{open_now}件办理中，{closed}件逾期未补正或未缴费终止）"
        )
    )


_DEMO_PDF: list[bytes] = []


def _carriers(request: InfoRequest, outcome: str, on) -> services.Carriers:
    """What a demo grant carries, in turn: a PDF the applicant downloads, a document
    already published on the portal, or paper handed over at the office."""
    if outcome not in GRANT_OUTCOMES:
        return services.Carriers()
    turn = request.pk % 3
    if turn == 1:
        from sanyi.openness.selectors.public import publication_public_qs

        found = publication_public_qs().order_by("pk").values_list("pk", flat=True).first()
        if found:
            return services.Carriers(publications=[found])
    if turn == 2:
        return services.Carriers(paper_method=PaperMethod.IN_PERSON, paper_on=on,
                                 paper_note="共12页，在区政务服务中心政务公开窗口领取")  # fmt: skip
    if not _DEMO_PDF:
        from sanyi.core.pdf import render_pdf

        _DEMO_PDF.append(
            render_pdf(
                "<html lang='zh'><body><h1>所申请公开的政府信息</h1>"
                "<p>示范数据：本文件由演示程序生成。</p></body></html>"
            )
        )
    return services.Carriers(
        files=[SimpleUploadedFile(f"{request.number}-公开信息.pdf", _DEMO_PDF[0])]
    )


def _consult(request: InfoRequest, *, officer, on, party: str, ended) -> None:
    """A demo consultation: a company is a third party (asked by post), a unit of
    government another agency."""
    if party.endswith(("局", "委员会", "办公室", "政府")):
        services.request_agency_consultation_start(
            actor=officer, request=request, agency=party, question="该信息是否可以公开", on=on
        )
        if ended:
            services.request_agency_consultation_end(
                actor=officer, request=request, on=ended, answer="同意公开"
            )
        return
    services.request_consultation_start(
        actor=officer, request=request, party=party, on=on,
        delivery_method=OpinionDelivery.POST, tracking_number=f"EMS{request.pk:09d}CN",
        delivered_on=on,
    )  # fmt: skip
    if ended:
        services.request_consultation_end(
            actor=officer, request=request, on=ended, note="第三方已书面答复"
        )


def _step(step: tuple, *, request: InfoRequest, officer, approver) -> InfoRequest:
    kind = step[0]
    if kind == "reply":
        _, outcome, on, kw = step
        method = ReplyMethod.IN_PERSON if kw.get("on_spot") else ReplyMethod.ONLINE
        return services.request_reply(
            actor=officer, request=request, outcome=outcome, on=on, method=method,
            text=REPLY_TEXT.get(outcome, "经审查，现答复如下。"),
            carriers=_carriers(request, outcome, on), **kw,
        )  # fmt: skip
    if kind == "consult":
        _, on, party, ended = step
        _consult(request, officer=officer, on=on, party=party, ended=ended)
        return InfoRequest.objects.get(pk=request.pk)
    if kind == "extend":
        _, on, days, reason = step
        return services.request_extend(
            actor=officer, request=request, days=days, reason=reason, approver=approver, on=on
        )
    if kind == "correct":
        _, on, what, due_on, corrected = step
        request = services.request_correction_notice(
            actor=officer, request=request, what=what, due_on=due_on, on=on
        )
        if corrected:
            request = services.request_correction_received(
                actor=officer, request=request, on=corrected, note="申请人补正了申请内容"
            )
        return request
    if kind == "fee":
        _, on, method, pages, due_on, paid = step
        request = services.request_fee_notice(
            actor=officer, request=request, method=method, pages=pages, due_on=due_on, on=on
        )
        if paid:
            request = services.request_fee_paid(actor=officer, request=request, on=paid)
        return request
    if kind == "withdraw":
        _, on, reason = step
        return services.request_withdraw(actor=officer, request=request, reason=reason, on=on)
    if kind == "appeal":
        _, appeal_kind, filed_on, authority, result = step
        appeal = services.appeal_record(
            actor=officer, request=request, kind=appeal_kind, filed_on=filed_on,
            authority=authority,
        )  # fmt: skip
        if result:
            services.appeal_conclude(
                actor=officer, appeal=appeal, result=result[0], concluded_on=result[1]
            )
        return request
    if kind == "lapse":
        return request  # closed by requests_close_lapsed at the end
    raise ValueError(kind)
