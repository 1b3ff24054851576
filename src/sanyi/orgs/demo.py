"""The orgs part of the demo: the fictional 示范区, its service centers and demo staff.

Everything here is invented. The division codes use the prefix 990101, which no real
place has (GB/T 2260 assigns no province 99); the USCCs are built on that prefix with a
valid check character. The names of subdistricts, communities and centers are fixed
because the demo catalogue and other demo parts refer to them by name.

Demo logins share one password and the system admins share one published TOTP key
(the RFC 6238 test key): see docs/demo.md. Never load the demo into a real deployment.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from sanyi.core.actors import Actor
from sanyi.core.demo import DemoLogin, DemoResult
from sanyi.core.ids import make_uscc
from sanyi.orgs import services
from sanyi.orgs.models import OrgKind, OrgUnit, Role, Window

DISTRICT_NAME = "示范区"
DISTRICT_CODE = "990101000000"
# Published on purpose (docs/demo.md): demo accounts exist only in demo installations.
DEMO_PASSWORD = "Sanyi-Demo-2026"  # noqa: S105
# RFC 6238's published test secret "12345678901234567890" (base32 GEZDGNBVGY3TQOJQ…).
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
DEMO_NOTE = "演示数据：虚构的行政区，不代表任何真实政府机构。"
DEMO_PHONE_PREFIX = "0000-"  # no area code starts with 00: these numbers reach nobody

# (name, is_rural, division-code digits 7-9, communities); the first community is fixed.
SUBDISTRICTS = [
    ("城关街道", False, "001", ["翠苑社区", "文庙社区", "钟楼社区", "府前社区", "玉带社区"]),
    ("东湖街道", False, "002", ["湖滨社区", "东湖社区", "望湖社区", "桃源社区", "月湖社区"]),
    ("西山街道", False, "003", ["松林社区", "西山社区", "枫岭社区", "竹园社区", "梅岭社区"]),
    ("南桥街道", False, "004", ["南桥社区", "新港社区", "柳岸社区", "荷塘社区", "长堤社区"]),
    ("北岭镇", True, "101", ["北岭村", "上坪村", "石门村", "茶园村", "溪口村"]),
    ("清河镇", True, "102", ["清河村", "下洋村", "白沙村", "杏林村", "龙潭村", "马坑村"]),
]
# Communities with grids, and how many.
GRIDS = {
    "翠苑社区": 4,
    "文庙社区": 2,
    "湖滨社区": 2,
    "松林社区": 4,
    "南桥社区": 2,
    "北岭村": 2,
    "清河村": 3,
}
DEPARTMENTS = [
    "区发展和改革局",
    "区教育局",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人力资源和社会保障局",
    "区自然资源局",
    "区生态环境分局",
    "区住房和城乡建设局",
    "区交通运输局",
    "区农业农村局",
    "区商务局",
    "区文化和旅游局",
    "区卫生健康委员会",
    "区退役军人事务局",
    "区应急管理局",
    "区市场监督管理局",
    "区医疗保障局",
    "区政务服务数据管理局",
    "区残疾人联合会",
]
SUBDISTRICT_STATIONS = ["司法所", "财政所"]
POLICE_STATIONS = ["城关派出所", "东湖派出所"]
DISTRICT_WINDOWS = [
    ("1", "综合受理窗口", True),
    ("2", "综合受理窗口", True),
    ("3", "综合受理窗口", True),
    ("4", "综合受理窗口", True),
    ("5", "企业开办专窗", False),
    ("6", "工程建设项目审批窗口", False),
    ("7", "不动产登记窗口", False),
    ("8", "社保医保窗口", False),
    ("9", "公安户政窗口", False),
    ("10", "统一出件窗口", False),
]
SUBDISTRICT_WINDOWS = [
    ("1", "综合受理窗口", True),
    ("2", "综合受理窗口", True),
    ("3", "社保民政窗口", False),
    ("4", "统一出件窗口", False),
]
COMMUNITY_WINDOWS = [("1", "综合代办窗口", True), ("2", "综合代办窗口", True)]
WORKDAY_HOURS = "工作日 上午8:30-12:00，下午14:30-17:30（法定节假日除外）"
DISTRICT_HOURS = "工作日 8:30-17:30（中午不休息），周六上午9:00-12:00 预约服务"
COMMUNITY_HOURS = "工作日 8:30-12:00、14:30-17:30"

ROLE_ALIASES = {
    Role.SYSTEM_ADMIN: "admin",
    Role.CATALOG_ADMIN: "catalog",
    Role.DISCLOSURE_OFFICER: "disclosure",
    Role.WINDOW_CLERK: "clerk",
    Role.APPROVER: "approver",
    Role.GRID_OFFICER: "grid",
    Role.SUPERVISOR: "supervisor",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN_NAMES = [
    "晓明",
    "丽华",
    "建国",
    "海燕",
    "志强",
    "春梅",
    "立新",
    "秀英",
    "文杰",
    "雪芳",
    "国平",
    "静怡",
    "卫东",
    "玉兰",
    "子涵",
    "思远",
]


def is_loaded() -> bool:
    return OrgUnit.objects.filter(division_code=DISTRICT_CODE).exists()


class _Codes:
    """Fictional USCCs: 1 (机构编制) + 1/9 (机关/其他) + 990101 + "DM" + 7 digits + check."""

    def __init__(self) -> None:
        self.n = 0

    def next(self, kind_digit: str = "1") -> str:
        self.n += 1
        return make_uscc(f"1{kind_digit}990101DM{self.n:07d}")


def load(*, actor: str, rng: random.Random) -> DemoResult:
    """The demo district: units, service centers, windows and staff logins.

    Long because it is demo data built in one pass down the tree (district, departments,
    subdistricts, communities, grids), in the order the demo guide describes it."""
    codes = _Codes()
    est = dt.date(2003, 7, 1)

    def phone() -> str:
        return f"{DEMO_PHONE_PREFIX}{rng.randint(2000000, 8999999)}"

    def unit(parent: OrgUnit | None, kind: str, name: str, **fields: Any) -> OrgUnit:
        return services.org_unit_create(
            actor=actor, kind=kind, name=name, parent=parent, established_on=est, **fields
        )

    district = unit(
        None,
        OrgKind.DISTRICT,
        DISTRICT_NAME,
        short_name="示范区",
        code="990101",
        division_code=DISTRICT_CODE,
        uscc=codes.next(),
        phone=phone(),
        address="示范区人民路1号",
        opening_hours=WORKDAY_HOURS,
        notes=DEMO_NOTE,
    )
    units = {DISTRICT_NAME: district}
    for order, name in enumerate(DEPARTMENTS, start=1):
        units[name] = unit(
            district,
            OrgKind.DEPARTMENT,
            name,
            short_name=name.removeprefix("区"),
            uscc=codes.next("9" if name == "区残疾人联合会" else "1"),
            phone=phone(),
            address=f"示范区行政中心{(order - 1) // 6 + 1}号楼",
            opening_hours=WORKDAY_HOURS,
            sort_order=order,
            notes=DEMO_NOTE,
        )
    for name in POLICE_STATIONS:
        units[name] = unit(
            units["区公安分局"],
            OrgKind.STATION,
            name,
            uscc=codes.next(),
            phone=phone(),
            address=f"示范区{name[:2]}路8号",
            opening_hours="24小时",
            notes=DEMO_NOTE,
        )
    centers = [
        services.service_center_create(
            actor=actor,
            org_unit=district,
            name="示范区政务服务中心",
            address="示范区人民路9号市民中心一楼",
            phone=phone(),
            opening_hours=DISTRICT_HOURS,
            transport="公交1路、6路“市民中心”站下车",
        )
    ]
    windows: dict[str, list[Window]] = {"示范区政务服务中心": []}
    for number, wname, comprehensive in DISTRICT_WINDOWS:
        windows["示范区政务服务中心"].append(
            services.window_create(
                actor=actor,
                center=centers[0],
                number=number,
                name=wname,
                is_comprehensive=comprehensive,
            )
        )
    community_total = grid_total = 0
    for s_order, (s_name, rural, s_digits, communities) in enumerate(SUBDISTRICTS, start=1):
        s_code = f"990101{s_digits}000"
        sub = units[s_name] = unit(
            district,
            OrgKind.SUBDISTRICT,
            s_name,
            is_rural=rural,
            code=s_code[:9],
            division_code=s_code,
            uscc=codes.next(),
            phone=phone(),
            address=f"示范区{s_name}{s_name[:2]}路{s_order * 10}号",
            opening_hours=WORKDAY_HOURS,
            sort_order=s_order,
            notes=DEMO_NOTE,
        )
        for station_name in SUBDISTRICT_STATIONS:
            units[s_name + station_name] = unit(
                sub,
                OrgKind.STATION,
                s_name + station_name,
                uscc=codes.next(),
                phone=phone(),
                address=sub.address,
                opening_hours=WORKDAY_HOURS,
                notes=DEMO_NOTE,
            )
        center = services.service_center_create(
            actor=actor,
            org_unit=sub,
            name=f"{s_name}便民服务中心",
            address=sub.address,
            phone=phone(),
            opening_hours=WORKDAY_HOURS,
        )
        windows[center.name] = [
            services.window_create(actor=actor, center=center, number=n, name=w, is_comprehensive=c)
            for n, w, c in SUBDISTRICT_WINDOWS[: 3 + s_order % 2]
        ]
        for c_order, c_name in enumerate(communities, start=1):
            c_code = f"{s_code[:9]}{(200 if rural else 0) + c_order:03d}"
            comm = units[c_name] = unit(
                sub,
                OrgKind.COMMUNITY,
                c_name,
                is_rural=rural,
                code=c_code,
                division_code=c_code,
                phone=phone(),
                address=f"示范区{s_name}{c_name.removesuffix('社区').removesuffix('村')}路"
                f"{c_order * 3}号",
                opening_hours=COMMUNITY_HOURS,
                sort_order=c_order,
                notes=DEMO_NOTE,
            )
            community_total += 1
            station = services.service_center_create(
                actor=actor,
                org_unit=comm,
                name=f"{c_name}便民服务站",
                address=f"{comm.address}党群服务中心一楼",
                phone=comm.phone,
                opening_hours=COMMUNITY_HOURS,
            )
            windows[station.name] = [
                services.window_create(
                    actor=actor, center=station, number=n, name=w, is_comprehensive=c
                )
                for n, w, c in COMMUNITY_WINDOWS[: 1 + c_order % 2]
            ]
            for g in range(1, GRIDS.get(c_name, 0) + 1):
                units[f"{c_name}第{g}网格"] = unit(
                    comm,
                    OrgKind.GRID,
                    f"{c_name}第{'一二三四'[g - 1]}网格",
                    code=f"{c_code}G{g}",
                    sort_order=g,
                    notes=DEMO_NOTE,
                )
                grid_total += 1

    logins = _load_staff(actor=actor, rng=rng, units=units, windows=windows)
    window_total = sum(len(w) for w in windows.values())
    return DemoResult(
        summary=(
            f"1个区、{len(SUBDISTRICTS)}个街道/乡镇、{community_total}个社区/村、"
            f"{grid_total}个网格、{len(DEPARTMENTS)}个部门、"
            f"{len(SUBDISTRICTS) * len(SUBDISTRICT_STATIONS) + len(POLICE_STATIONS)}个站所、"
            f"{len(windows)}个服务中心（站）、{window_total}个窗口、{len(logins)}个演示账号"
        ),
        logins=logins,
        notes=[
            "系统管理员登录须输入动态验证码。所有演示系统管理员共用同一个演示密钥，"
            "用身份验证器App扫描或输入以下地址：",
            _otpauth_uri(),
            "也可以运行 sanyi demo totp 显示当前的验证码。",
        ],
    )


LEVELS = [("district", DISTRICT_NAME), ("subdistrict", "城关街道"), ("community", "翠苑社区")]
CLERK_CENTERS = {
    "district": "示范区政务服务中心",
    "subdistrict": "城关街道便民服务中心",
    "community": "翠苑社区便民服务站",
}


def _load_staff(
    *, actor: Actor, rng: random.Random, units: dict[str, Any], windows: dict[str, list[Any]]
) -> list[DemoLogin]:
    validate_password(DEMO_PASSWORD)
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: the load stays fast
    people = [f"{s}{g}" for s in SURNAMES for g in GIVEN_NAMES]
    rng.shuffle(people)
    logins = []
    plan = [(role, level, unit_name) for role in ROLE_ALIASES for level, unit_name in LEVELS]
    plan.append((Role.GRID_OFFICER, "grid", "翠苑社区第1网格"))
    for i, (role, level, unit_name) in enumerate(plan):
        org_unit = units[unit_name]
        username = f"{ROLE_ALIASES[role]}.{level}"
        user = services.staff_create(
            actor=actor,
            username=username,
            full_name=people[i],
            password_hash=password_hash,
            phone=f"1990000{i:04d}",
            email=f"{username}@demo.invalid",
        )
        window = windows[CLERK_CENTERS[level]][0] if role == Role.WINDOW_CLERK else None
        services.role_assign(actor=actor, user=user, org_unit=org_unit, role=role, window=window)
        note = ""
        if role == Role.SYSTEM_ADMIN:
            services.staff_totp_device_create(
                actor=actor, user=user, name="演示身份验证器", key_hex=DEMO_TOTP_KEY_HEX
            )
            note = "需动态验证码"
        elif window is not None:
            note = str(window)
        logins.append(DemoLogin(username, role.label, org_unit.name, DEMO_PASSWORD, note))
    return logins


def _otpauth_uri() -> str:
    import base64
    from urllib.parse import quote

    from django.conf import settings

    secret = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "")
    issuer = issuer if isinstance(issuer, str) and issuer else "三一演示"
    return (
        f"otpauth://totp/{quote(issuer)}:{quote('示范区演示管理员')}?secret={secret}"
        f"&algorithm=SHA1&digits=6&period=30&issuer={quote(issuer)}"
    )


def demo_logins() -> list[DemoLogin]:
    """The demo accounts already in the database, for printing again on a later run."""
    from sanyi.orgs.models import RoleAssignment

    rows = (
        RoleAssignment.objects.filter(user__email__endswith="@demo.invalid", is_active=True)
        .select_related("user", "org_unit", "window__center")
        .order_by("role", "org_unit__depth", "user__username")
    )
    order = {alias: i for i, alias in enumerate(ROLE_ALIASES.values())}
    logins = []
    for ra in rows:
        note = (
            "需动态验证码"
            if ra.role == Role.SYSTEM_ADMIN
            else (str(ra.window) if ra.window else "")
        )
        logins.append(
            DemoLogin(
                ra.user.username, ra.get_role_display(), ra.org_unit.name, DEMO_PASSWORD, note
            )
        )
    logins.sort(key=lambda x: (order.get(x.username.split(".")[0], 99), x.username))
    return logins


def demo_totp_now(now: float | None = None) -> str:
    """The six-digit code of the demo system admins' shared key at ``now`` (default: now)."""
    from django_otp.oath import TOTP

    engine = TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX), step=30, t0=0, digits=6)
    if now is not None:
        engine.time = now
    return f"{engine.token():06d}"
