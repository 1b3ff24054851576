"""What the mixed-load benchmark reads from the database, before and after the load.

    python bench/mixed/data.py fixtures OUT.json
    python bench/mixed/data.py check SUBMITTED.json SINCE_ISO
    python bench/mixed/data.py costs FIXTURES.json

Run with the server's environment (``DJANGO_SETTINGS_MODULE=mixed.settings``), in its own
process, so the load generator never imports Django. ``fixtures`` lists the pages and
people the simulated users need; ``check`` compares the submissions the benchmark made
with the cases in the database. ``costs`` prints what each page of the mix costs in one
process (Django's test client, warm, no load): the floor under what the server can do.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time

import django

django.setup()

from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from sanyi.applicants.models import Applicant  # noqa: E402
from sanyi.cases.choices import CaseChannel, CaseStatus  # noqa: E402
from sanyi.cases.models import Case  # noqa: E402
from sanyi.cases.web.counter import acceptance_options  # noqa: E402
from sanyi.cases.web.public import online_apply_allowed, version_in_force  # noqa: E402
from sanyi.catalog.choices import MaterialSource, ServiceObject  # noqa: E402
from sanyi.catalog.eligibility.check import rules_of  # noqa: E402
from sanyi.catalog.models import ImplementationItem  # noqa: E402
from sanyi.openness.models import Area  # noqa: E402
from sanyi.openness.selectors.public import publication_public_qs  # noqa: E402
from sanyi.orgs.models import Role, RoleAssignment, User  # noqa: E402

# What residents type into the search boxes (the demo's own examples and everyday words).
SEARCH_WORDS = [
    "低保", "生孩子", "退休", "开饭店", "高龄津贴", "营业执照", "医保", "社保", "残疾人",
    "养老", "失业", "就业", "救助", "宅基地", "食品经营", "出生", "优待证", "户口", "调解",
    "护理补贴",
]  # fmt: skip
OPEN_WORDS = ["补贴", "通知", "公告", "规划", "预算", "救助", "教育", "卫生", "环境", "住房"]
STAFF = ["approver.district", "approver.subdistrict", "approver.community"]
CLERKS = ["clerk.district", "clerk.subdistrict", "clerk.community"]
# Online applications: items needing at most this many files from the applicant.
MAX_UPLOADS = 2


def _guides() -> tuple[list[str], list[str]]:
    """(every guide in force, the ones a resident may apply for online: for persons, with
    1-2 uploads, one form (no handling variants) and no eligibility rule, so a demo
    resident is never turned away by a rule)."""
    guides, apply = [], []
    for item in ImplementationItem.objects.order_by("implementation_code"):
        version = version_in_force(item.implementation_code)
        if version is None:
            continue
        guides.append(item.implementation_code)
        if not online_apply_allowed(version) or rules_of(version):
            continue
        if ServiceObject.PERSON not in (version.service_objects or []):
            continue
        uploads = [
            m
            for m in version.materials.all()
            if m.source != MaterialSource.SHARED_DATA and m.necessity == "required"
        ]
        if 1 <= len(uploads) <= MAX_UPLOADS and not version.variants.exists():
            apply.append(item.implementation_code)
    return guides, apply


def _counter_items() -> dict[str, list[str]]:
    """Per window clerk: the codes of items their center accepts that have no eligibility
    rule (so acceptance never waits for an override)."""
    found: dict[str, list[str]] = {}
    for ra in RoleAssignment.objects.filter(
        role=Role.WINDOW_CLERK, user__username__in=CLERKS, window__isnull=False
    ).select_related("user", "window__center"):
        codes = []
        for item, _variant in acceptance_options(ra.window.center):
            version = version_in_force(item.implementation_code)
            if version is not None and not rules_of(version):
                codes.append(item.implementation_code)
        found[ra.user.username] = sorted(set(codes))
    return found


def fixtures() -> dict:
    guides, apply = _guides()
    people = list(
        Applicant.objects.filter(kind="person", phone__startswith="100")
        .order_by("pk")
        .values("id_number", "phone", "name")[:2000]
    )
    return {
        "guides": guides,
        "apply_items": apply,
        "search_words": SEARCH_WORDS,
        "open_words": OPEN_WORDS,
        "publications": list(publication_public_qs().order_by("pk").values_list("pk", flat=True)),
        "areas": list(
            Area.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)
        ),
        "people": people,
        "staff": [u for u in STAFF if User.objects.filter(username=u, is_active=True).exists()],
        "clerks": _counter_items(),
        "since": timezone.now().isoformat(),
    }


def check(submitted: dict, since: dt.datetime) -> dict:
    """Compare what the benchmark says it submitted (online) and accepted (at the counter)
    with the database: every one must be there, in the state it was left in, and no case
    the benchmark does not know of may have appeared (a duplicate)."""
    online = set(submitted.get("online", []))
    counter = set(submitted.get("counter", []))
    rows = dict(Case.objects.filter(number__in=online | counter).values_list("number", "status"))
    lost_online = sorted(n for n in online if rows.get(n) in (None, CaseStatus.DRAFT))
    lost_counter = sorted(
        n
        for n in counter
        if n not in rows or not Case.objects.filter(number=n, accepted_at__isnull=False).exists()
    )
    new = Case.objects.filter(created_at__gte=since)
    by_channel = dict(
        new.exclude(status=CaseStatus.DRAFT).values_list("channel").annotate(n=Count("id"))
    )
    unknown = new.exclude(number__in=online | counter).exclude(status=CaseStatus.DRAFT)
    return {
        "online_submitted": len(online),
        "counter_accepted": len(counter),
        "lost_online": lost_online,
        "lost_counter": lost_counter,
        "db_online": by_channel.get(CaseChannel.ONLINE, 0),
        "db_window": by_channel.get(CaseChannel.WINDOW, 0),
        "unknown": list(unknown.values_list("number", flat=True)[:20]),
        "drafts_left": new.filter(status=CaseStatus.DRAFT).count(),
    }


def _cost(label: str, client, paths: list[str], rounds: int = 30) -> None:
    """Median and 90th percentile CPU time, and the queries, of ``rounds`` GETs of
    ``paths`` in turn, after each path has been asked for once (warm: in the page cache
    where it is cached, as most of the load's requests find it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for path in (paths * 3)[: max(3, len(paths))]:
        client.get(path, secure=True)
    cpu: list[float] = []
    queries: list[int] = []
    status = 0
    for i in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            started = time.process_time()
            response = client.get(paths[i % len(paths)], secure=True)
            spent = time.process_time() - started
        status = response.status_code
        cpu.append(spent * 1000)
        queries.append(len(ctx.captured_queries))
    cpu.sort()
    print(
        f"{label:<34} {status:>4} {statistics.median(cpu):>8.1f} "
        f"{cpu[int(len(cpu) * 0.9)]:>8.1f} {statistics.median(queries):>8.0f}"
    )


def costs(fix: dict) -> None:
    """Each page of the mix as its visitor gets it, in this process."""
    from django.conf import settings
    from django.test import Client

    from sanyi.applicants.auth import SESSION_KEY

    anonymous, resident, approver, clerk = (
        Client(HTTP_HOST=settings.ALLOWED_HOSTS[0]) for _ in range(4)
    )
    session = resident.session  # a signed-in resident, as the SMS sign-in leaves it
    session[SESSION_KEY] = Applicant.objects.get(id_number=fix["people"][0]["id_number"]).pk
    session.save()
    approver.force_login(User.objects.get(username=fix["staff"][0]))
    clerk.force_login(User.objects.get(username=next(iter(fix["clerks"]))))
    worklist = "/workbench/cases/work/unit/"
    case_paths = [
        f"/workbench/cases/work/cases/{pk}/"
        for pk in Case.objects.filter(status=CaseStatus.IN_PROGRESS).values_list("pk", flat=True)[
            :20
        ]
    ]
    columns = " ".join(f"{h:>8}" for h in ("CPU p50", "CPU p90", "queries"))
    print(f"{'page (one process, warm)':<34} HTTP {columns}")
    rows = [
        ("bare view", anonymous, ["/bench/ok/"]),
        ("guide, anonymous (cached)", anonymous, [f"/services/{c}/" for c in fix["guides"]]),
        ("guide, signed-in resident", resident, [f"/services/{c}/" for c in fix["guides"]]),
        ("home, anonymous", anonymous, ["/"]),
        ("search, the mix's words", anonymous, [f"/services/search/?q={w}" for w in SEARCH_WORDS]),
        ("disclosure home", anonymous, ["/open/"]),
        ("publication", anonymous, [f"/open/p/{pk}/" for pk in fix["publications"]]),
        ("disclosure list", anonymous, [f"/open/list/?page={n}" for n in range(1, 6)]),
        ("disclosure search", anonymous, [f"/open/search/?q={w}" for w in fix["open_words"]]),
        ("apply: start page", resident, [f"/cases/apply/{c}/" for c in fix["apply_items"]]),
        ("staff: my worklist", approver, ["/workbench/cases/work/mine/"]),
        ("staff: unit worklist", approver, [worklist]),
        ("staff: overdue", approver, ["/workbench/cases/work/overdue/"]),
        ("staff: case page", approver, case_paths or [worklist]),
        ("counter: walk-in page", clerk, ["/workbench/cases/counter/accept/"]),
    ]
    for label, client, paths in rows:
        _cost(label, client, paths)


def main(argv: list[str]) -> None:
    if argv[0] == "fixtures":
        with open(argv[1], "w", encoding="utf-8") as fh:
            json.dump(fixtures(), fh, ensure_ascii=False)
    elif argv[0] == "check":
        with open(argv[1], encoding="utf-8") as fh:
            submitted = json.load(fh)
        print(json.dumps(check(submitted, dt.datetime.fromisoformat(argv[2])), ensure_ascii=False))
    elif argv[0] == "costs":
        with open(argv[1], encoding="utf-8") as fh:
            costs(json.load(fh))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
