"""Demo part (``sanyi demo load``, last): a year of activity for the dashboards.

About ``SANYI_DEMO_YEAR_CASES`` cases (24,000 by default) received over the twelve months
ending today, with the seasons of a district (``season``), spread over the demo catalogue's
items where they are accepted (district centre, subdistrict centres, community stations)
and over the channels; ratings of most delivered cases and the searches residents typed;
then the daily facts of the whole year rebuilt. Everything is written in bulk, in the one
transaction the demo command gives each part, from the command's seeded generator: the
same load on the same day builds the same year.

The applicants of the year are fictional like the other demo residents: resident ID
numbers with a valid check character, mobiles on the 100 prefix no network uses.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sanyi.analytics.demo import feedback, season
from sanyi.analytics.demo.cases import Builder, Dates, Numbers, Offer, offers_limits, write_cases
from sanyi.analytics.services import rollup_rebuild
from sanyi.applicants.models import Applicant, ApplicantKind, OrganisationCategory
from sanyi.calendar.selectors import current_calendar
from sanyi.cases.choices import CaseChannel
from sanyi.catalog.choices import ItemLevel, ServiceObject, VersionStatus
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.core.demo import DemoResult
from sanyi.core.ids import make_resident_id, make_uscc
from sanyi.orgs.models import OrgKind, ServiceCenter, Window

PERSONS = 3000
ORGANISATIONS = 300
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红"
EDUCATION = "区教育局"
SUMMER_BOOST = 4.0  # the education items in July and August (school enrolment)
ONLINE, WINDOW, POST = CaseChannel.ONLINE, CaseChannel.WINDOW, CaseChannel.POST
CHANNEL_WEIGHTS = ((ONLINE, 0.55), (WINDOW, 0.4), (POST, 0.05))


def person_mobile(n: int) -> str:
    return f"100{70000000 + n:08d}"


def is_loaded() -> bool:
    return Applicant.objects.filter(phone=person_mobile(1)).exists()


def volume() -> int:
    return int(settings.SANYI_DEMO_YEAR_CASES)


def _applicants(rng) -> tuple[list[int], list[int]]:
    """The year's residents and businesses (ids), one insert each."""
    born, people = dt.date(1940, 1, 3), []
    for n in range(1, PERSONS + 1):
        born += dt.timedelta(days=5 + rng.randrange(3))  # unique birth dates: unique IDs
        given = GIVEN[rng.randrange(len(GIVEN))] + GIVEN[rng.randrange(len(GIVEN))]
        people.append(
            Applicant(
                kind=ApplicantKind.PERSON,
                id_number=make_resident_id(f"110108{born:%Y%m%d}{700 + n % 200:03d}"),
                name=SURNAMES[rng.randrange(len(SURNAMES))] + given[: rng.choice((1, 2))],
                phone=person_mobile(n),
            )
        )
    firms = [
        Applicant(
            kind=ApplicantKind.ORGANISATION,
            organisation_category=OrganisationCategory.COMMERCIAL,
            id_number=make_uscc(f"91990101DY{n:07d}"),
            name=f"示范区{SURNAMES[n % len(SURNAMES)]}记商贸有限公司{n}号店",
            legal_representative=SURNAMES[(n * 7) % len(SURNAMES)] + "经理",
            phone=person_mobile(PERSONS + n),
        )
        for n in range(1, ORGANISATIONS + 1)
    ]
    made = Applicant.objects.bulk_create(people + firms, batch_size=500)
    return [a.pk for a in made[:PERSONS]], [a.pk for a in made[PERSONS:]]


def _centers() -> dict[int, tuple[int, tuple[int, ...]]]:
    """The first active centre of each unit and its windows: {unit id: (centre, windows)}."""
    windows: dict[int, list[int]] = {}
    for window_id, center_id in Window.objects.values_list("id", "center_id").order_by("id"):
        windows.setdefault(center_id, []).append(window_id)
    found = {}
    for center in ServiceCenter.objects.filter(is_active=True).order_by("id"):
        if center.org_unit_id not in found and windows.get(center.pk):
            found[center.org_unit_id] = (center.pk, tuple(windows[center.pk]))
    return found


def _offers(rng) -> list[Offer]:
    """Every published item that a demo centre accepts, with a popularity weight (a few
    items take most cases, as in a real district)."""
    centers = _centers()
    versions = list(
        ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("implementation_item__implementing_unit")
        .order_by("implementation_item_id")
    )
    offers = []
    for rank, version in enumerate(rng.sample(versions, len(versions)), start=1):
        item = version.implementation_item
        unit = item.implementing_unit
        accepting = unit.ancestor_ids[0] if item.level == ItemLevel.DISTRICT else unit.pk
        if accepting not in centers or unit.kind == OrgKind.STATION:
            continue
        center_id, windows = centers[accepting]
        objects = set(version.service_objects or [])
        offers.append(
            Offer(
                item_id=item.pk,
                code=item.implementation_code,
                version_id=version.pk,
                unit_id=accepting,
                center_id=center_id,
                window_ids=windows,
                organisations=ServiceObject.PERSON not in objects and bool(objects),
                weight=(1.0 / rank**0.8) * (1.0 if unit.name != EDUCATION else 2.0),
                **offers_limits(version),
            )
        )
    return offers


def _day_offers(offers: list[Offer], day: dt.date, education: set[int]) -> list[float]:
    """The cumulative weights of the offers on ``day`` (enrolment items peak in summer)."""
    summer = day.month in (7, 8)
    total, cumulative = 0.0, []
    for offer in offers:
        total += offer.weight * (SUMMER_BOOST if summer and offer.item_id in education else 1.0)
        cumulative.append(total)
    return cumulative


def _generate(builder: Builder, offers: list[Offer], counts: dict, rng, cal) -> list:
    """The cases of every day, in the order they came in."""
    education = set(
        ImplementationItem.objects.filter(
            pk__in=[o.item_id for o in offers], implementing_unit__name=EDUCATION
        ).values_list("pk", flat=True)
    )
    channels, channel_weights = zip(*CHANNEL_WEIGHTS, strict=True)
    cases = []
    for day, count in counts.items():
        cumulative = _day_offers(offers, day, education)
        workday = cal.is_workday(day)
        picked = rng.choices(offers, cum_weights=cumulative, k=count)
        for offer in picked:
            channel = rng.choices(channels, channel_weights)[0] if workday else ONLINE
            cases.append(builder.case(offer, day, channel))
    return cases


@transaction.atomic
def load(*, actor: str, rng) -> DemoResult:
    offers = _offers(rng)
    if not offers:
        return DemoResult(summary="没有可受理的演示事项，跳过一年的办件演示数据")
    today, cal = timezone.localdate(), current_calendar()
    days = list(season.days_back(today))
    counts = season.daily_counts(season.day_weights(cal, days), volume(), rng)
    persons, organisations = _applicants(rng)
    dates, numbers = Dates(cal), Numbers(rng)
    builder = Builder(dates, numbers, rng, today, timezone.now(), persons, organisations)
    cases = write_cases(_generate(builder, offers, counts, rng, cal))
    numbers.save_counters()
    ratings, bad = feedback.rate(cases, dates, rng, today)
    searches = feedback.search_logs(days, counts, rng)
    rebuilt = rollup_rebuild(start=days[0], end=today, actor=actor)
    return DemoResult(
        summary=f"一年的办件：{days[0]:%Y-%m-%d}至{today:%Y-%m-%d}共{len(cases)}件"
        f"（{len(offers)}个事项），{ratings}条评价（{bad}条差评已下发整改），"
        f"{searches}条搜索记录；日统计{rebuilt.days}天{rebuilt.rows}行",
        notes=["办件统计公开：/statistics/"],
    )
