"""Demo part: 翠苑社区's four grids, two officers each, and the address mapping covering
the streets the demo applicants live on (their addresses are the demo's own; nothing
else is made up). Runs after the applicants and before the cases, so the cases' doorstep
steps (入户调查, 核查) go to the applicant's grid."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from sanyi.core.demo import DemoLogin, DemoResult
from sanyi.grid.models import AddressRule, Parity
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
    return DemoResult(
        summary=f"网格：翠苑社区4个网格、{len(BOUNDARY)}条地址规则、{len(logins)}名网格员，"
        f"{placed}位申请人按地址归入网格",
        logins=logins,
    )
