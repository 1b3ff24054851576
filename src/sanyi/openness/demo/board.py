"""翠苑社区's notice board (公开栏): 15 notices of the community and its grids, posted by the
community's disclosure officer and the grid officer, reviewed and published by the
subdistrict's officer; some already expired (shown under 往期), two still in review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanyi.openness import services
from sanyi.openness.choices import FiveKind
from sanyi.openness.models import BoardNotice, Publication
from sanyi.orgs.models import OrgKind, OrgUnit, User

COMMUNITY = "翠苑社区"
S, R = FiveKind.SERVICE, FiveKind.RESULT
# (title, text, kind, days valid from today (negative: expired), with the picture)
NOTICES = [
    ("本周六上午社区义诊", "周六9:00-11:30在社区广场，测血压、血糖，请带医保卡。", S, 5, True),
    ("冬季用电安全提醒", "请勿私拉电线给电动车充电，楼道内禁止停放电动车。", S, 30, False),
    ("高龄津贴名单公示", "本季度新增高龄津贴8人，名单张贴于服务站，公示7天。", R, 6, False),
    ("小区加装电梯意见征集结果", "3幢、5幢同意率超过三分之二，进入设计阶段。", R, 20, True),
    ("垃圾分类督导员招募", "每天早晚各一小时，有意者到服务站报名。", S, 14, False),
    ("社区食堂试运营", "工作日11:00-12:30供应午餐，65岁以上老人八折。", S, 60, True),
    ("低保年审结果公示", "本年度低保年审完成，保留42户、停保3户，公示7天。", R, 3, False),
    ("元旦文艺汇演报名", "节目报名到12月25日截止，地点在社区活动室。", S, 18, False),
    ("停水通知（已过期）", "因管网维修，11月20日8:00-16:00停水。", S, -16, True),
    ("流感疫苗接种安排", "11月每周三下午在社区卫生服务站接种。", S, -6, False),
    ("困难家庭临时救助结果公示", "10月临时救助5户，合计1.2万元。", R, -30, False),
    ("楼道杂物清理完成情况", "第一轮清理涉及12幢楼，已全部完成。", R, -2, True),
    ("消防演练通知", "11月15日上午在小区东门进行消防演练。", S, -20, False),
]
PENDING = [
    ("老年助餐点新增配送服务", "行动不便的老人可电话预约送餐上门。", S, 30, True),
    ("文明楼道评比结果公示", "本月评出文明楼道6个，名单张贴于各楼道口。", R, 7, False),
]


def _picture() -> SimpleUploadedFile:
    data = (Path(__file__).resolve().parent / "interpretation-poster.png").read_bytes()
    return SimpleUploadedFile("photo.png", data, content_type="image/png")


def load_board(*, mark: str) -> int:
    """Post, review and publish the notices; returns how many were posted."""
    community = OrgUnit.objects.get(name=COMMUNITY, kind=OrgKind.COMMUNITY)
    grids = list(
        OrgUnit.objects.filter(parent=community, kind=OrgKind.GRID, is_active=True).order_by(
            "sort_order", "name"
        )
    )
    officer = User.objects.get(username="disclosure.community")
    grid_officer = User.objects.filter(username="grid.grid").first()
    reviewer = User.objects.get(username="disclosure.subdistrict")
    units = [community, *grids]
    today = timezone.localdate()
    made: list[int] = []
    for i, (title, text, kind, days, picture) in enumerate(NOTICES + PENDING):
        unit = units[i % len(units)]
        own_grid = grid_officer is not None and services.may_post(grid_officer, unit)
        poster = grid_officer if own_grid and grid_officer is not None else officer
        notice = services.board_notice_post(
            actor=poster,
            unit=unit,
            title=title,
            text=text,
            five_kind=kind,
            expires_on=today + dt.timedelta(days=max(days, 1)),
            picture=_picture() if picture else None,
        )
        made.append(notice.publication_id)
        if i >= len(NOTICES):
            continue  # left in review
        pub = services.publication_review(
            actor=reviewer, publication=notice.publication, approve=True
        )
        services.publication_publish(actor=reviewer, publication=pub)
        if days < 0:  # posted earlier, since expired
            BoardNotice.objects.filter(pk=notice.pk).update(
                expires_on=today + dt.timedelta(days=days)
            )
            Publication.objects.filter(pk=pub.pk).update(
                publish_at=timezone.now() + dt.timedelta(days=days - 10)
            )
    Publication.objects.filter(pk__in=made).update(provenance={"demo": mark})
    return len(made)
