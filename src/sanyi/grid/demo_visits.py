"""Demo part, after the cases: 200 households on the streets of 翠苑社区's four grids, the
doorstep steps (入户调查) of their 最低生活保障 applications at the grids, and 20 visits, a
mix of doorstep visits completing a step and visit-log entries, some households overdue.

Households are fictional residents like the demo applicants: names from fixed lists
picked by the demo's seeded generator, resident ID numbers with a valid check character,
mobiles on the 100 prefix no network uses. Addresses are made on the streets of the
address rules and placed in their grid by those rules.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone

from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.core.demo import DemoResult
from sanyi.core.ids import make_resident_id
from sanyi.grid import selectors, services
from sanyi.grid.addresses import best_rule
from sanyi.grid.models import AddressRule, Assist, Confirmation, HouseholdVisit, Outcome, Parity
from sanyi.orgs.models import OrgKind, OrgUnit, User

HOUSEHOLDS = 200
NEW_CASES = 15  # with the cases part's own, about 30 doorstep steps at the grids
CASE_VISITS = 6
HOUSEHOLD_VISITS = 14
CASE_MARK = "demo-grid"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧"
GIVEN = "秀英桂英玉兰淑珍建华国强志明丽娟海燕春梅德胜振华金凤文杰子轩雨桐"


def household_mobile(n: int) -> str:
    return f"100{60000000 + n:08d}"


def is_loaded() -> bool:
    return Applicant.objects.filter(phone=household_mobile(1)).exists()


def _door(rule: AddressRule, rng) -> str:
    number = rng.randint(rule.number_from, rule.number_to)
    if rule.parity == Parity.ODD and number % 2 == 0:
        number = number + 1 if number < rule.number_to else number - 1
    if rule.parity == Parity.EVEN and number % 2 == 1:
        number = number + 1 if number < rule.number_to else number - 1
    building = (
        rng.randint(rule.building_from, rule.building_to)
        if rule.building_from is not None and rule.building_to is not None
        else rng.randint(1, 8)
    )
    return (
        f"示范区{rule.street}{number}号{building}幢"
        f"{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
    )


def _households(rules: list[AddressRule], rng) -> list[Applicant]:
    """200 residents placed in the grids by their address; one insert."""
    born = dt.date(1936, 1, 10)
    rows = []
    for n in range(1, HOUSEHOLDS + 1):
        born += dt.timedelta(days=80 + rng.randrange(17))  # unique birth dates: unique IDs
        address = _door(rules[rng.randrange(len(rules))], rng)
        rule = best_rule(address, rules)
        given = rng.randrange(len(GIVEN) // 2) * 2
        rows.append(
            Applicant(
                kind=ApplicantKind.PERSON,
                id_number=make_resident_id(f"110105{born:%Y%m%d}{600 + n % 300:03d}"),
                name=SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[given : given + 2],
                phone=household_mobile(n),
                address=address,
                grid_id=rule.grid_id if rule else None,
            )
        )
    return Applicant.objects.bulk_create(rows)


def _signature() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (160, 60), "white")
    ImageDraw.Draw(image).line([(10, 40), (60, 15), (110, 45), (150, 20)], fill="black", width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _doorstep_cases(people: list[Applicant], actor: str, rng) -> list:
    """最低生活保障 applications of households, accepted over the last two weeks, so the
    入户调查 step is open at the household's grid (some already past its limit)."""
    from sanyi.cases import services as case_services
    from sanyi.cases.choices import CaseChannel
    from sanyi.cases.demo.load import Plan
    from sanyi.cases.eligibility import applicant_eligibility

    plan = Plan(actor=actor, rng=rng)
    if "dibao" not in plan.items or "subdistrict" not in plan.clerks:
        return []
    spec, item = plan.items["dibao"]
    version = case_services.version_in_force(item)
    clerk = plan.clerks[spec.level]
    tasks = []
    for person in people:
        if len(tasks) >= NEW_CASES:
            break
        if applicant_eligibility(person, version).eligible is False:
            continue
        day = plan.wd(len(tasks) % 10)
        case = case_services.case_start(
            applicant=person,
            item=item,
            channel=CaseChannel.WINDOW,
            actor=clerk.user,
            form_data={"demo": CASE_MARK},
            on=day,
        )
        task = plan.open_task(plan.accept(case, day))
        if task is not None and task.unit.kind == OrgKind.GRID:
            tasks.append(task)
    return tasks


def _officer_of(grid_id: int, officers: dict[int, list[User]]) -> User | None:
    found = officers.get(grid_id) or []
    return found[0] if found else None


def _case_visits(tasks: list, officers: dict[int, list[User]]) -> int:
    now = timezone.now()
    signature = _signature()
    done = 0
    # Steps accepted 1–3 and 7–9 working days ago: the older ones are done past their limit.
    chosen = [t for n, t in enumerate(tasks) if n % 10 in (1, 2, 3, 7, 8, 9)][:CASE_VISITS]
    for i, task in enumerate(chosen):
        officer = _officer_of(task.unit_id, officers)
        if officer is None:
            continue
        services.visit_record(
            task=task,
            actor=officer,
            data=services.VisitInput(
                visited_at=now - dt.timedelta(hours=2 + i),
                outcome=Outcome.DONE if i % 3 else Outcome.DIFFERENT,
                notes="家庭人口、收入和住房情况与申请一致。"
                if i % 3
                else "实际居住人数与申请不符。",
                confirmation=Confirmation.SIGNATURE,
                signature=signature,
            ),
        )
        done += 1
    return done


CASE_NOTES = ("家庭人口、收入和住房情况与申请一致。", "实际居住人数与申请不符。")
# (days ago, next visit in days from that visit or None for the default, notes, follow up)
LOG = [
    (120, 90, "独居老人，身体状况一般，子女每周探望。", True),
    (100, None, "家中无人，电话联系约定下次上门。", False),
    (95, 60, "住户反映楼道照明损坏，已报物业。", True),
    (70, 75, "一切正常。", False),
    (40, 45, "老人行动不便，需要助餐服务，已告知申请方式。", True),
    (33, None, "一切正常。", False),
    (25, 30, "租户更换，已核对居住情况。", False),
    (14, 20, "空巢老人，情绪稳定。", False),
    (10, None, "一切正常。", False),
    (7, 12, "家中有独居残疾人，需定期探望。", True),
    (5, None, "一切正常。", False),
    (3, 90, "宣传防诈骗知识。", False),
    (2, None, "一切正常。", False),
    (1, 30, "住户咨询高龄津贴，已告知所需材料。", False),
]


def _household_visits(people: list[Applicant], officers: dict[int, list[User]]) -> int:
    now = timezone.now()
    done = 0
    for person, (days_ago, interval, notes, follow_up) in zip(
        people[-HOUSEHOLD_VISITS:], LOG, strict=False
    ):
        officer = _officer_of(person.grid_id or 0, officers)
        if officer is None:
            continue
        visited_at = now - dt.timedelta(days=days_ago, hours=3)
        visited_on = timezone.localdate(visited_at)
        services.household_visit_record(
            applicant=person,
            actor=officer,
            data=services.HouseholdVisitInput(
                visited_at=visited_at,
                notes=notes,
                follow_up=follow_up,
                next_due_on=visited_on + dt.timedelta(days=interval) if interval else None,
            ),
        )
        done += 1
    return done


def _page_photo(lines: int = 6) -> bytes:
    """A phone photo of a signed paper: a white page with lines of "writing"."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for row in range(lines):
        y = 80 + row * 90
        draw.line([(60, y), (540, y)], fill="black", width=4)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _assisted_case(people: list[Applicant], officers: dict[int, list[User]]) -> str:
    """One application made by a grid officer for a household (帮办代办): consent by a
    photographed signed authorisation, every material photographed; its number, or ""."""
    from django.core.exceptions import PermissionDenied, ValidationError

    for person in people:
        officer = _officer_of(person.grid_id, officers) if person.grid_id else None
        if officer is None:
            continue
        items = selectors.assist_items(officer)
        # An older resident's typical errand first (高龄津贴, 老年优待), then anything online.
        items = sorted(
            items, key=lambda i: not any(w in i.base_item.name for w in ("高龄", "老年"))
        )
        for item in items[:20]:
            try:
                with transaction.atomic():  # a refused attempt leaves nothing behind
                    assist = _assist_once(officer, person, item)
            except (ValidationError, PermissionDenied):
                continue
            return assist.case.number if assist.case else ""
    return ""


def _assist_once(officer: User, person: Applicant, item) -> Assist:
    from django.core.files.uploadedfile import SimpleUploadedFile

    assist = services.assist_start(actor=officer, applicant=person, item=item)
    assist = services.assist_consent(
        assist=assist,
        actor=officer,
        method="photo",
        authorisation=SimpleUploadedFile("授权书.jpg", _page_photo(), "image/jpeg"),
    )
    photos = {
        m.pk: SimpleUploadedFile(f"材料{m.pk}.jpg", _page_photo(3), "image/jpeg")
        for m in services.assist_materials(assist)
    }
    return services.assist_submit(assist=assist, actor=officer, photos=photos)


def load(*, actor: str, rng) -> DemoResult:
    grids = list(OrgUnit.objects.filter(kind=OrgKind.GRID, name__startswith="翠苑社区"))
    rules = list(selectors.address_rules().filter(grid__in=grids))
    if len(grids) < 4 or not rules:
        return DemoResult(summary="没有翠苑社区的网格地址规则，跳过走访台账演示数据")
    people = _households(rules, rng)
    officers = selectors.grid_officers(grids)
    tasks = _doorstep_cases(people[:60], actor, rng)
    case_visits = _case_visits(tasks, officers)
    household_visits = _household_visits(people, officers)
    assisted = _assisted_case(people[60:], officers)
    overdue = sum(
        1
        for v in HouseholdVisit.objects.filter(applicant__in=people)
        if v.next_due_on < timezone.localdate()
    )
    return DemoResult(
        summary=f"走访台账：翠苑社区{len(people)}户住户，{len(tasks)}件低保申请的入户调查，"
        f"{case_visits}次上门办件走访和{household_visits}次台账走访（{overdue}户已超期）"
        + (f"；网格员代办：办件{assisted}" if assisted else ""),
    )
