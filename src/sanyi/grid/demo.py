"""Demo part: 翠苑社区's four grids, two officers each, and the address mapping covering
the streets the demo applicants live on (their addresses are the demo's own; nothing
else is made up). Runs after the applicants and before the cases, so the cases' doorstep
steps (入户调查, 核查) go to the applicant's grid. Ten event reports in the grids cover
every state (待受理 to 已转主动服务), filed and handled through the services."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from sanyi.applicants.models import Applicant
from sanyi.core.demo import DemoLogin, DemoResult
from sanyi.grid import services
from sanyi.grid.models import AddressRule, EventReport, Parity
from sanyi.grid.services.rules import applicants_place
from sanyi.orgs import services as org_services
from sanyi.orgs.models import OrgKind, OrgUnit, Role, User

# (grid number, street, parity, from, to, buildings): the boundary of 翠苑社区's grids over
# the streets of the demo applicants' addresses (示范区<street><n>号, n up to 200).
BOUNDARY = [
    (1, "翠苑路", Parity.ODD, 1, 199, None),
    (1, "文庙街", Parity.ALL, 1, 100, None),
    (2, "翠苑路", Parity.EVEN, 2, 200, None),
    (2, "文庙街", Parity.ALL, 101, 200, None),
    (2, "钟楼巷", Parity.ALL, 1, 200, None),
    (3, "府前路", Parity.ALL, 1, 200, None),
    (3, "玉带河路", Parity.ODD, 1, 199, None),
    (3, "湖滨路", Parity.ALL, 12, 12, (1, 6)),
    (4, "玉带河路", Parity.EVEN, 2, 200, None),
    (4, "湖滨路", Parity.ALL, 1, 200, None),
    (4, "松林路", Parity.ALL, 1, 200, None),
    (4, "南桥街", Parity.ALL, 1, 200, None),
]
OFFICER_NAMES = ["陈晓燕", "刘建国", "王丽华", "赵志强", "孙美玲", "周海涛", "吴秀英", "郑伟"]


def is_loaded() -> bool:
    return AddressRule.objects.exists()


def _grids() -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(kind=OrgKind.GRID, name__startswith="翠苑社区").order_by(
            "sort_order", "path"
        )
    )


def _officers(actor: str, grids: list[OrgUnit]) -> list[DemoLogin]:
    from sanyi.orgs.demo import DEMO_PASSWORD

    password_hash = make_password(DEMO_PASSWORD)
    logins = []
    for g, grid in enumerate(grids, start=1):
        for k in "ab":
            username = "grid.grid" if (g, k) == (1, "a") else f"grid{g}{k}.grid"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = org_services.staff_create(
                    actor=actor,
                    username=username,
                    full_name=OFFICER_NAMES[(g - 1) * 2 + (k == "b")],
                    password_hash=password_hash,
                )
                org_services.role_assign(
                    actor=actor, user=user, org_unit=grid, role=Role.GRID_OFFICER
                )
            if username != "grid.grid":  # printed by the org tree's part already
                logins.append(DemoLogin(username, "网格员", grid.name, DEMO_PASSWORD, "今日任务"))
    return logins


# (grid number, category, title, place, what happens after the report). Steps: "accept",
# "route" (to 城关街道), "close", "case", "offer" (to a resident of the grid).
EVENTS = [
    (1, "facility", "翠苑路31号路灯不亮", "翠苑路31号门前", ()),
    (2, "sanitation", "钟楼巷垃圾桶满溢", "钟楼巷18号旁", ()),
    (3, "safety", "府前路井盖松动", "府前路56号路口", ("accept",)),
    (4, "dispute", "松林路邻里噪音纠纷", "松林路22号", ("accept", "close")),
    (1, "needs_help", "独居老人家中漏水无人修", "文庙街40号", ("route",)),
    (2, "facility", "翠苑路健身器材损坏", "翠苑路小游园", ("route", "accept")),
    (3, "safety", "玉带河路护栏缺失", "玉带河路77号河边", ("route", "accept", "close")),
    (4, "other", "南桥街居民咨询低保", "南桥街9号", ("case",)),
    (1, "needs_help", "高龄独居老人未领高龄津贴", "翠苑路45号", ("offer",)),
    (2, "other", "文庙街乱停车", "文庙街150号", ()),
]
RESULTS = {
    "close": "已到现场处理，情况已解决",
    "route": "社区无法单独解决，需街道协调",
    "case": "居民已到社区窗口提交申请，按办件办理",
    "offer": "高龄津贴申领",
}


def _event_act(
    event: EventReport, step: str, clerk: User, sub: User, sub_unit: OrgUnit
) -> EventReport:
    holder = sub if event.unit_id == sub_unit.pk else clerk
    if step == "accept":
        return services.event_accept(event=event, actor=holder)
    if step == "route":
        return services.event_route(
            event=event, actor=clerk, to_unit=sub_unit, note=RESULTS["route"]
        )
    if step == "close":
        return services.event_close(event=event, actor=holder, result=RESULTS["close"])
    if step == "case":
        return services.event_to_case(event=event, actor=holder, note=RESULTS["case"])
    return services.event_offer(event=event, actor=holder, item=RESULTS["offer"])


def _events(grids: list[OrgUnit]) -> int:
    """The ten demo event reports, filed by each grid's first officer."""
    clerk = User.objects.filter(username="clerk.community").first()
    sub = User.objects.filter(username="approver.subdistrict").first()
    sub_unit = grids[0].parent.parent if grids[0].parent else None
    if clerk is None or sub is None or sub_unit is None:
        return 0
    for g, category, title, place, steps in EVENTS:
        grid = grids[g - 1]
        officer = User.objects.get(username="grid.grid" if g == 1 else f"grid{g}a.grid")
        resident = None
        if "offer" in steps:
            resident = Applicant.objects.filter(grid=grid).order_by("pk").first()
        event = services.event_report(
            actor=officer,
            data=services.EventInput(
                grid=grid,
                category=category,
                title=title,
                description=f"{place}：{title}，请尽快处理。",
                place=f"示范区{place}",
                applicant=resident,
            ),
        )
        for step in steps:
            event = _event_act(event, step, clerk, sub, sub_unit)
    return len(EVENTS)


def load(*, actor: str, rng) -> DemoResult:
    grids = _grids()
    if len(grids) < 4:
        return DemoResult(summary="没有翠苑社区的四个网格，跳过网格演示数据")
    AddressRule.objects.bulk_create(
        AddressRule(
            grid=grids[g - 1],
            street=street,
            parity=parity,
            number_from=lo,
            number_to=hi,
            building_from=b[0] if b else None,
            building_to=b[1] if b else None,
        )
        for g, street, parity, lo, hi, b in BOUNDARY
    )
    placed = applicants_place(actor=actor)
    logins = _officers(actor, grids)
    events = _events(grids)
    return DemoResult(
        summary=f"网格：翠苑社区4个网格、{len(BOUNDARY)}条地址规则、{len(logins)}名网格员，"
        f"{placed}位申请人按地址归入网格，{events}件网格事件",
        logins=logins,
    )
