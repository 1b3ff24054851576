"""Demo applicants: fictional residents and organisations of 示范区.

Resident ID numbers are computed with a valid check character on the region code 110105
(the checksum rules need a region that exists) and birth dates from 1950 to 2005; names are
put together from a fixed list and belong to nobody. Mobile numbers start with 100, a
prefix no Chinese mobile network uses, so no text ever reaches anyone. Organisations carry
USCCs on the demo prefix 990101 (no province has the code 99), like the demo org tree.
"""

from __future__ import annotations

from sanyi.applicants.models import Applicant, OrganisationCategory
from sanyi.applicants.services import applicant_find_or_create, applicant_update
from sanyi.core.demo import DemoLogin, DemoResult
from sanyi.core.ids import make_resident_id, make_uscc
from sanyi.orgs.models import OrgKind, OrgUnit

DEMO_REGION = "110105"
DEMO_MOBILE_PREFIX = "100"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["晓明", "丽华", "建国", "秀英", "志强", "海燕", "伟", "芳", "子涵", "浩然", "雨欣", "俊杰"]
STREETS = ["翠苑路", "文庙街", "钟楼巷", "府前路", "玉带河路", "湖滨路", "松林路", "南桥街"]
ORGANISATIONS = [
    ("示范区翠苑便民超市有限公司", OrganisationCategory.COMMERCIAL, "91", "王晓明"),
    ("示范区东湖餐饮管理有限公司", OrganisationCategory.COMMERCIAL, "91", "李丽华"),
    ("示范区城关建筑工程有限公司", OrganisationCategory.COMMERCIAL, "91", "张建国"),
    ("示范区清河茶叶专业合作社", OrganisationCategory.COMMERCIAL, "93", "刘秀英"),
    ("示范区南桥物流有限公司", OrganisationCategory.COMMERCIAL, "91", "陈志强"),
    ("示范区农业科学研究所", OrganisationCategory.RESEARCH, "12", "杨海燕"),
    ("示范区环境监测研究中心", OrganisationCategory.RESEARCH, "12", "黄伟"),
    ("示范区助老公益服务中心", OrganisationCategory.PUBLIC_INTEREST, "52", "赵芳"),
    ("示范区青少年阅读促进会", OrganisationCategory.PUBLIC_INTEREST, "51", "吴子涵"),
    ("示范区明理律师事务所", OrganisationCategory.LEGAL_SERVICE, "31", "周浩然"),
]
PERSONS = 40
# The two applicants the demo login table lists (the first person; the first organisation).
SIGN_IN_NOTE = "在 /my/login/ 输入证件号码和手机号；验证码显示在页面上（演示环境不发短信）"


def person_id(n: int) -> str:
    year = 1950 + (n * 7) % 56
    month = 1 + n % 12
    day = 1 + (n * 3) % 28
    return make_resident_id(f"{DEMO_REGION}{year}{month:02d}{day:02d}{900 + n % 100:03d}")


def person_mobile(n: int) -> str:
    return f"{DEMO_MOBILE_PREFIX}{n:08d}"


def organisation_uscc(n: int, prefix: str) -> str:
    return make_uscc(f"{prefix}990101DA{n:07d}")


def _logins(person: Applicant, organisation: Applicant) -> list[DemoLogin]:
    return [
        DemoLogin(person.id_number, "申请人（个人）", person.name, person.phone, SIGN_IN_NOTE),
        DemoLogin(
            organisation.id_number,
            "申请人（企业）",
            organisation.name,
            organisation.phone,
            SIGN_IN_NOTE,
        ),
    ]


def demo_applicant_logins() -> list[DemoLogin]:
    """The two applicant sign-ins of the demo, when the demo applicants are loaded."""
    person = Applicant.objects.filter(id_number=person_id(1)).first()
    organisation = Applicant.objects.filter(kind="organisation", email="org01@demo.invalid").first()
    return _logins(person, organisation) if person and organisation else []


def is_loaded() -> bool:
    return Applicant.objects.filter(id_number=person_id(1)).exists()


def load(*, actor: str, rng) -> DemoResult:
    grids = list(
        OrgUnit.objects.filter(kind=OrgKind.GRID, name__startswith="翠苑社区").order_by("path")
    )
    people = []
    for n in range(1, PERSONS + 1):
        name = SURNAMES[(n - 1) % len(SURNAMES)] + GIVEN[(n * 5) % len(GIVEN)]
        street = STREETS[n % len(STREETS)]
        person = applicant_find_or_create(
            id_number=person_id(n),
            name=name,
            phone=person_mobile(n),
            email=f"person{n:02d}@demo.invalid" if n % 3 == 0 else "",
            address=f"示范区{street}{rng.randint(1, 200)}号",
            actor=actor,
        )
        if grids and n % 2:
            person = applicant_update(applicant=person, actor=actor, grid=grids[n % len(grids)])
        people.append(person)
    orgs = []
    for i, (name, category, prefix, representative) in enumerate(ORGANISATIONS, start=1):
        orgs.append(
            applicant_find_or_create(
                id_number=organisation_uscc(i, prefix),
                name=name,
                phone=person_mobile(900 + i),
                email=f"org{i:02d}@demo.invalid",
                address=f"示范区{STREETS[i % len(STREETS)]}{10 + i}号",
                organisation_category=category,
                legal_representative=representative,
                actor=actor,
            )
        )
    logins = _logins(people[0], orgs[0])
    return DemoResult(
        summary=f"{len(people)}位个人、{len(orgs)}家企业和组织",
        logins=logins,
        notes=["个人和企业登录：证件号码 + 手机号（演示账号表中“密码”一栏即手机号）"],
    )
