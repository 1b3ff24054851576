"""The disclosure part of the demo: standard directories for 8 of the 26 pilot areas at
all three levels, a negative list, the real published documents in publications.jsonl
(attached to the fictional 示范区, with their original publisher shown), and a few
records in every workflow state so staff pages and leak checks have something to show.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanyi.core.demo import DemoResult
from sanyi.openness import services
from sanyi.openness.choices import (
    Audience,
    DisclosureAttribute,
    Level,
    LimitTrigger,
    NonDisclosureGround,
    Topic,
)
from sanyi.openness.demo.board import load_board
from sanyi.openness.demo.notices import load_area_notices
from sanyi.openness.importing import publications_import_file
from sanyi.openness.models import Area, DirectoryEntry, Publication
from sanyi.orgs.models import OrgKind, OrgUnit, User

CORPUS = Path(__file__).resolve().parent / "publications.jsonl"
DEMO_MARK = "demo-openness"
# Where every record of publications.jsonl comes from (README.md): shown as 来源 with each
# record's original link, so no page passes them off as the demo district's documents.
CORPUS_SOURCE = "平潭综合实验区党工委管委会门户网站（中国平潭）"
ON_DECISION = LimitTrigger.DECISION

# Per area: the district department responsible, and the entries of each level (level,
# names, required elements, time limit, five-kind, nature, channels). Days 20 follow
# Art. 26; 7 working days is the usual limit for licensing and penalty decisions.
DIRECTORY = json.loads((Path(__file__).resolve().parent / "directories.json").read_text("utf-8"))
LEVEL_UNITS = {
    Level.SUBDISTRICT: ["城关街道", "东湖街道"],
    Level.COMMUNITY: ["翠苑社区", "湖滨社区"],
}
NEGATIVE = [
    ("P17", "低保对象的身份证号码、银行账号和家庭收入明细", NonDisclosureGround.PRIVACY),
    ("P17", "低保审核中的入户调查记录", NonDisclosureGround.PROCESS_INFORMATION),
    ("P04", "财政资金拨付过程中的内部审批单", NonDisclosureGround.INTERNAL_AFFAIRS),
    ("P21", "医疗机构执业登记中的商业合同", NonDisclosureGround.TRADE_SECRET),
    (None, "涉及国家秘密的文件", NonDisclosureGround.STATE_SECRET),
    (None, "行政处罚案卷材料", NonDisclosureGround.ENFORCEMENT_FILE),
]


def _demo_file(name: str, content_type: str) -> SimpleUploadedFile:
    data = (Path(__file__).resolve().parent / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type=content_type)


def _video_interpretation(writer: User, draft: Publication) -> None:
    """A short video interpretation (a few generated frames, with captions, poster and
    transcript), added while the record is a draft so it is reviewed with it."""
    services.interpretation_create(
        actor=writer,
        policy=draft,
        kind="video",
        title="一分钟看懂低保名单公示（视频）",
        video=services.VideoUpload(
            video=_demo_file("interpretation.webm", "video/webm"),
            captions=_demo_file("interpretation.vtt", "text/vtt"),
            poster=_demo_file("interpretation-poster.png", "image/png"),
            transcript=(
                "低保名单只公开姓名中的一个字、所在社区和保障金额。\n"
                "身份证号、收入等个人信息不公开。"
            ),
        ),
    )


def is_loaded() -> bool:
    return Publication.objects.filter(provenance__demo=DEMO_MARK).exists()


def _unit(name: str) -> OrgUnit:
    return OrgUnit.objects.get(name=name, is_active=True)


def _directories(actor, district: OrgUnit) -> dict[tuple[str, str, str], DirectoryEntry]:
    made: dict[tuple[str, str, str], DirectoryEntry] = {}
    for block in DIRECTORY:
        area_code = block["area"]
        area = Area.objects.get(code=area_code)
        for n, row in enumerate(block["entries"], start=1):
            level, l2, days = row["level"], row["item_l2"], row["time_limit_days"]
            trigger = row["time_limit_trigger"]
            if level == Level.DISTRICT:
                units = [_unit(block["district_body"])]
            else:
                units = [_unit(name) for name in LEVEL_UNITS[level]]
            for unit in units:
                entry = services.directory_entry_create(
                    actor=actor,
                    org_unit=unit,
                    area=area,
                    level=level,
                    sequence=n,
                    item_l1=row["item_l1"],
                    item_l2=l2,
                    content_elements=row["content_elements"],
                    basis=f"《中华人民共和国政府信息公开条例》；{area.name}领域基层政务公开标准指引",
                    time_limit_days=days,
                    time_limit_trigger=trigger,
                    time_limit_text=(
                        f"作出决定之日起{days}个工作日内"
                        if trigger == ON_DECISION
                        else f"信息形成或者变更之日起{days}个工作日内"
                    ),
                    channels=row["channels"],
                    audience=Audience.PUBLIC,
                    five_kind=row["five_kind"],
                    nature=row["nature"],
                )
                made[(area_code, unit.name, l2)] = entry
    return made


def load(*, actor: str, rng) -> DemoResult:
    district = OrgUnit.objects.get(parent__isnull=True, kind=OrgKind.DISTRICT, name="示范区")
    entries = _directories(actor, district)
    for area_code, title, ground in NEGATIVE:
        services.negative_entry_create(
            actor=actor,
            org_unit=district,
            area=Area.objects.get(code=area_code) if area_code else None,
            title=title,
            ground=ground,
            basis="《中华人民共和国政府信息公开条例》第十四条至第十六条",
        )
    imported = publications_import_file(
        path=CORPUS, publisher=district, actor=actor, source=CORPUS_SOURCE
    ).created

    writer = User.objects.get(username="disclosure.subdistrict")
    reviewer = User.objects.get(username="disclosure.district")
    street = _unit("城关街道")
    now = timezone.now()
    today = timezone.localdate()

    def draft(title, body, **fields):
        return services.publication_create(
            actor=writer, publisher=street, title=title, body=body, **fields
        )

    def through_review(pub):
        services.publication_submit(actor=writer, publication=pub)
        return services.publication_review(actor=reviewer, publication=pub, approve=True)

    dibao_list = entries[("P17", "城关街道", "低保对象名单")]
    states = {}
    states["draft"] = draft(
        "城关街道2026年12月低保对象名单（草稿）",
        "<p>本月新增低保对象3户，停保1户。</p>",
        directory_entry=dibao_list,
        formed_on=today - dt.timedelta(days=40),
        topic=Topic.SOCIAL_ASSISTANCE,
    )
    states["in_review"] = draft(
        "城关街道居家养老服务站点调整公告",
        "<p>府前社区居家养老服务站迁至府前路18号。</p>",
        directory_entry=entries[("P18", "城关街道", "居家养老服务站点")],
        formed_on=today - dt.timedelta(days=3),
        topic=Topic.ELDERLY,
    )
    services.publication_submit(actor=writer, publication=states["in_review"])
    scheduled = through_review(
        draft(
            "城关街道2027年春季招聘会通知",
            "<p>招聘会将于2027年2月在城关街道便民服务中心举行，欢迎求职者参加。</p>",
            directory_entry=entries[("P16", "城关街道", "招聘信息")],
            topic=Topic.EMPLOYMENT,
            keywords="招聘会 就业",
        )
    )
    states["scheduled"] = services.publication_publish(
        actor=writer, publication=scheduled, at=now + dt.timedelta(days=7)
    )
    published = draft(
        "城关街道2026年11月低保对象名单公示",
        "<p>经入户调查、民主评议和审核，现将2026年11月城关街道低保对象名单公示如下。"
        "公示期7天，如有异议请拨打0000-6600001。</p>",
        directory_entry=dibao_list,
        formed_on=today - dt.timedelta(days=5),
        written_on=today - dt.timedelta(days=5),
        topic=Topic.SOCIAL_ASSISTANCE,
        keywords="低保 公示",
    )
    _video_interpretation(writer, published)
    published = through_review(published)
    states["published"] = services.publication_publish(actor=writer, publication=published)
    services.interpretation_create(
        actor=writer,
        policy=states["published"],
        kind="text",
        title="低保名单公示怎么看",
        text="<p>名单只公开姓名中的一个字、所在社区和保障金额；身份证号、收入等个人信息不公开。</p>",
    )
    revoked = through_review(
        draft(
            "城关街道临时救助办理流程（旧版）",
            "<p>申请临时救助须携带身份证、户口簿和相关证明。</p>",
            directory_entry=entries[("P17", "城关街道", "办理流程")],
            topic=Topic.SOCIAL_ASSISTANCE,
        )
    )
    revoked = services.publication_publish(actor=writer, publication=revoked)
    states["revoked"] = services.publication_revoke(
        actor=writer, publication=revoked, reason="办理流程已调整，以新版为准"
    )
    states["not_disclosed"] = through_review(
        draft(
            "低保对象入户调查记录（翠苑社区）",
            "<p>入户调查记录，含家庭收入明细。</p>",
            attribute=DisclosureAttribute.NOT_DISCLOSED,
            non_disclosure_ground=NonDisclosureGround.PRIVACY,
            topic=Topic.SOCIAL_ASSISTANCE,
        )
    )
    states["on_request"] = through_review(
        draft(
            "城关街道2025年度财政资金拨付明细",
            "<p>按项目列明的拨付明细。</p>",
            attribute=DisclosureAttribute.ON_REQUEST,
            topic=Topic.FINANCE,
        )
    )
    for pub in states.values():
        Publication.objects.filter(pk=pub.pk).update(provenance={"demo": DEMO_MARK})
    notices = load_area_notices(actor=actor, mark=DEMO_MARK)
    board = load_board(mark=DEMO_MARK)
    return DemoResult(
        summary=(
            f"政务公开：{len(entries)}个公开目录事项（{len(DIRECTORY)}个领域、区街社区三级），"
            f"{len(NEGATIVE)}条负面清单，导入{imported}条真实政府信息，"
            f"{len(states)}条演示信息"
            "（草稿、审查中、定时发布、已发布、已撤销、不予公开、依申请公开），"
            f"各街道（乡镇）和社区（村）的{notices}条通知，"
            f"翠苑社区及其网格公开栏的{board}条信息（含往期和审查中的）"
        ),
        notes=[
            "政务公开：门户 /open/；disclosure.subdistrict 起草，disclosure.district 保密审查",
            "公开栏：/open/board/翠苑社区编号/；disclosure.community 或 grid.grid 用手机发布，"
            "disclosure.subdistrict 审查并发布",
        ],
    )
