"""Benchmark: Chinese search over 10,000 generated service items, 1,000 mixed queries.

    .venv/bin/python bench/bench_search.py [--items 10000] [--queries 1000] [--seed 7] \
        [--prefer-titles]
    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/bench_search.py

SQLite by default, in a temporary file that is deleted afterwards. When DATABASE_URL is a
PostgreSQL URL, the script creates its own database sanyi_bench_search_<pid> on that
server (the user needs CREATEDB), runs there, and drops it at the end; the database named
in the URL is only used to connect.

The items are built from real item-name parts (subjects such as 户口, 生育, 养老保险,
食品经营, 残疾人证 and actions such as 登记, 许可, 备案, 证明, 补贴, 津贴, 变更, 注销),
with bodies of a few sentences and the facets the catalogue filters on. They are indexed
with ``search_reindex`` (timed), then the queries run through ``search_query`` exactly as
the portal calls it, query log included: words, two-word phrases, full pinyin, pinyin
initials, colloquial synonyms, about a third with filters, a few filter-only browses.
``--prefer-titles`` searches as the portal's search page does (when a title matches, the
body-only matches are left out and counted apart).

Prints the indexing time, p50/p95/max latency in milliseconds, queries per second (one
client, one after the other), how many queries found something, a few common words timed
alone (户口 is in nearly every generated body), and the database's plan for one text
query, so the full-text index can be seen at work.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import benchdb

KIND = "bench.item"
# Words in nearly every generated body (户口簿) or many titles, timed alone at the end.
COMMON_WORDS = ("户口", "hukou", "补贴")
FACETS = {
    "level": "行使层级",
    "department": "实施部门",
    "item_type": "事项类型",
    "theme": "主题",
    "life_event": "一件事",
    "service_center": "办理地点",
}
SUBJECTS = [
    ("户口", "公安分局", "household"),
    ("户口迁移", "公安分局", "household"),
    ("居住证", "公安分局", "household"),
    ("居民身份证", "公安分局", "household"),
    ("生育", "卫生健康局", "birth"),
    ("出生医学证明", "卫生健康局", "birth"),
    ("新生儿落户", "公安分局", "birth"),
    ("婚姻", "民政局", "marriage"),
    ("最低生活保障", "民政局", "assistance"),
    ("特困人员救助供养", "民政局", "assistance"),
    ("临时救助", "民政局", "assistance"),
    ("高龄", "民政局", "elderly"),
    ("养老服务", "民政局", "elderly"),
    ("残疾人证", "残疾人联合会", "disability"),
    ("残疾人两项补贴", "民政局", "disability"),
    ("基本养老保险", "人力资源社会保障局", "pension"),
    ("城乡居民基本养老保险", "人力资源社会保障局", "pension"),
    ("基本医疗保险", "医疗保障局", "medical"),
    ("医疗费用", "医疗保障局", "medical"),
    ("失业保险", "人力资源社会保障局", "employment"),
    ("就业", "人力资源社会保障局", "employment"),
    ("职业技能", "人力资源社会保障局", "employment"),
    ("食品经营", "市场监督管理局", "business"),
    ("个体工商户", "市场监督管理局", "business"),
    ("营业执照", "市场监督管理局", "business"),
    ("药品零售", "市场监督管理局", "business"),
    ("公共场所卫生", "卫生健康局", "business"),
    ("建筑工程施工", "住房城乡建设局", "construction"),
    ("农村宅基地", "农业农村局", "rural"),
    ("农村危房改造", "住房城乡建设局", "rural"),
    ("耕地地力保护", "农业农村局", "rural"),
    ("住房公积金", "住房公积金中心", "housing"),
    ("公共租赁住房", "住房城乡建设局", "housing"),
    ("义务教育入学", "教育局", "education"),
    ("学生资助", "教育局", "education"),
    ("退役军人优待", "退役军人事务局", "veterans"),
    ("殡葬", "民政局", "death"),
    ("丧葬补助金", "人力资源社会保障局", "death"),
    ("法律援助", "司法局", "legal"),
    ("人民调解", "司法局", "legal"),
]
ACTIONS = [
    ("登记", "07"),
    ("许可", "01"),
    ("备案", "10"),
    ("证明", "20"),
    ("补贴", "05"),
    ("津贴", "05"),
    ("变更", "07"),
    ("注销", "07"),
    ("申请", "20"),
    ("审核", "10"),
    ("核发", "01"),
    ("补领", "20"),
    ("发放", "05"),
    ("查询", "20"),
    ("认定", "07"),
]
QUALIFIERS = [
    "",
    "",
    "",
    "（首次）",
    "（补办）",
    "（延续）",
    "（个人）",
    "（企业）",
    "（跨省通办）",
]
LIFE_EVENTS = {
    "birth": "出生一件事",
    "death": "身后一件事",
    "marriage": "婚育一件事",
    "pension": "退休一件事",
    "business": "开办企业一件事",
    "employment": "就业一件事",
}
SENTENCES = [
    "申请人可以向{dept}提出{name}申请，也可以在网上办理。",
    "办理{subject}{action}需要提交居民身份证、户口簿和申请表。",
    "{dept}自受理之日起{days}个工作日内作出决定，符合条件的当场办结。",
    "本事项不收费，可以通过邮寄领取结果，到现场次数为{visits}次。",
    "对{subject}有疑问的，可以拨打12345热线咨询。",
    "材料齐全、符合法定形式的，窗口工作人员一次性告知并当场受理。",
    "{name}的结果为电子证照，可在手机上亮证使用。",
]
SYNONYM_QUERIES = [
    "低保",
    "生孩子",
    "上户口",
    "落户",
    "开店",
    "开饭店",
    "退休",
    "残疾证",
    "医保",
    "社保",
    "养老金",
    "结婚",
    "失业",
    "高龄补贴",
    "公积金",
    "丧葬费",
    "找工作",
    "公租房",
]


def setup_django(database_url: str, data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ["DATABASE_URL"] = database_url
    os.environ["SANYI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    os.environ.setdefault("SANYI_ENV", "test")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    import django

    django.setup()


def build_entries(count: int, rng: random.Random):
    from sanyi.search.services import SearchEntry

    centers = [str(n) for n in range(1, 13)]
    for n in range(count):
        subject, dept, theme = rng.choice(SUBJECTS)
        action, item_type = rng.choice(ACTIONS)
        name = f"{subject}{action}{rng.choice(QUALIFIERS)}"
        values = {
            "dept": dept,
            "name": name,
            "subject": subject,
            "action": action,
            "days": rng.choice([1, 3, 5, 10, 15, 20]),
            "visits": rng.choice([0, 1]),
        }
        body = "".join(s.format(**values) for s in rng.sample(SENTENCES, rng.randint(3, 5)))
        facets = {
            "level": [rng.choice(["district", "subdistrict", "community"])],
            "department": [dept],
            "item_type": [item_type],
            "theme": [theme],
            "service_center": rng.sample(centers, rng.randint(1, 3)),
        }
        if theme in LIFE_EVENTS:
            facets["life_event"] = [theme]
        yield SearchEntry(
            object_id=str(n),
            title=name,
            body=body,
            url=f"/items/{n}/",
            summary=body[:80],
            is_public=rng.random() > 0.05,
            facets=facets,
            weight=rng.randint(0, 3),
        )


def build_queries(count: int, rng: random.Random) -> list[tuple[str, str, dict]]:
    from sanyi.search import text as search_text

    queries = []
    for _ in range(count):
        subject = rng.choice(SUBJECTS)[0]
        action = rng.choice(ACTIONS)[0]
        roll = rng.random()
        if roll < 0.25:
            kind, text = "word", rng.choice([subject, action, subject[:2]])
        elif roll < 0.45:
            kind, text = "phrase", f"{subject}{action}"
        elif roll < 0.55:
            kind, text = "pinyin", search_text.word_pinyin(subject)[0]
        elif roll < 0.65:
            kind, text = "initials", search_text.word_pinyin(subject + action)[1]
        elif roll < 0.85:
            kind, text = "synonym", rng.choice(SYNONYM_QUERIES)
        elif roll < 0.97:
            kind, text = "question", f"{subject}怎么办理"
        else:
            kind, text = "browse", ""
        filters: dict[str, list[str]] = {}
        if kind == "browse" or rng.random() < 0.33:
            facet = rng.choice(["level", "department", "theme", "service_center"])
            value = {
                "level": lambda: rng.choice(["district", "subdistrict", "community"]),
                "department": lambda: rng.choice(SUBJECTS)[1],
                "theme": lambda: rng.choice(SUBJECTS)[2],
                "service_center": lambda: str(rng.randint(1, 12)),
            }[facet]()
            filters[facet] = [value]
        queries.append((kind, text, filters))
    return queries


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def explain(text: str, *, prefer_titles: bool = False) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanyi.search.selectors import search_query

    with CaptureQueriesContext(connection) as ctx:
        search_query(text=text, kinds=[KIND], log=False, prefer_titles=prefer_titles)
    marker = "MATCH" if connection.vendor == "sqlite" else "@@"
    sql = next(q["sql"] for q in ctx.captured_queries if marker in q["sql"])
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(f"  {row[-1]}" for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(f"  {row[0]}" for row in cursor.fetchall())


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from sanyi.search.registry import register_kind
    from sanyi.search.selectors import search_query
    from sanyi.search.services import search_reindex

    call_command("migrate", verbosity=0)
    register_kind(KIND, label="基准测试事项", facets=FACETS)
    rng = random.Random(args.seed)

    started = time.perf_counter()
    entries = list(build_entries(args.items, rng))
    indexed = search_reindex(KIND, entries)
    index_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
            cursor.execute("ANALYZE search_searchfacet")

    queries = build_queries(args.queries, rng)
    search_query(text="户口", kinds=[KIND])  # load the lexicon before the clock starts
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    found = 0
    wall = time.perf_counter()
    for kind, text, filters in queries:
        t0 = time.perf_counter()
        results = search_query(
            text=text, kinds=[KIND], filters=filters or None, prefer_titles=args.prefer_titles
        )
        elapsed = (time.perf_counter() - t0) * 1000
        latencies.append(elapsed)
        by_kind.setdefault(kind, []).append(elapsed)
        found += results.total > 0
    wall = time.perf_counter() - wall

    print(f"database: {connection.vendor}")
    print(
        f"indexed {indexed} items in {index_seconds:.1f} s ({indexed / index_seconds:.0f} items/s)"
    )
    print(
        f"{len(queries)} queries: p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {percentile(latencies, 95):.1f} ms, max {max(latencies):.1f} ms, "
        f"{len(queries) / wall:.0f} queries/s; {found} found something"
    )
    for kind, values in sorted(by_kind.items()):
        print(
            f"  {kind:<9} n={len(values):<4} p50 {statistics.median(values):6.1f} ms  "
            f"p95 {percentile(values, 95):6.1f} ms"
        )
    for text in COMMON_WORDS:
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            search_query(text=text, kinds=[KIND], log=False, prefer_titles=args.prefer_titles)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"  {text}: p50 {statistics.median(times):.1f} ms, max {max(times):.1f} ms (20 runs)")
    print("plan of a text query (殡葬补助):")
    print(explain("殡葬补助", prefer_titles=args.prefer_titles))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--prefer-titles",
        action="store_true",
        help="search as the portal does: when a title matches, leave body-only matches out",
    )
    args = parser.parse_args()

    with benchdb.bench_database("sanyi_bench_search", setup_django):
        run(args)


if __name__ == "__main__":
    main()
