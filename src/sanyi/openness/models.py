"""Disclosure directories, the negative list and publications (government information).

Requests for information and the annual report come later; they will point at
``Publication`` (already public) and ``NegativeListEntry`` / ``NonDisclosureGround``
(grounds of a refusal), so those are kept free of anything request-specific.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from sanyi.openness.choices import (
    Audience,
    ContentNature,
    DisclosureAttribute,
    DisclosureMode,
    DocumentKind,
    FiveKind,
    InterpretationKind,
    Level,
    LimitTrigger,
    LimitUnit,
    NonDisclosureGround,
    PublicationStatus,
    Topic,
    Validity,
)


class Area(models.Model):
    """A disclosure area: the 26 pilot areas of 国办发〔2019〕54号 (seeded) or a custom one."""

    code = models.CharField("领域编号", max_length=20, unique=True)
    name = models.CharField("领域名称", max_length=50, unique=True)
    is_pilot = models.BooleanField("国家试点领域", default=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "公开领域"
        verbose_name_plural = "公开领域"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class DirectoryEntry(models.Model):
    """One row of a level's standard disclosure directory (基层政务公开标准目录)."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="entries", verbose_name="公开领域"
    )
    level = models.CharField("公开层级", max_length=16, choices=Level.choices, db_index=True)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="disclosure_entries",
        verbose_name="公开主体",
    )
    sequence = models.PositiveIntegerField("序号", default=0)
    item_l1 = models.CharField("一级公开事项", max_length=100)
    item_l2 = models.CharField("二级公开事项", max_length=100)
    content_elements = models.TextField("公开内容（要素）")
    basis = models.TextField("公开依据")
    time_limit_days = models.PositiveSmallIntegerField("公开时限天数", null=True, blank=True)
    time_limit_unit = models.CharField(
        "时限单位", max_length=10, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    time_limit_trigger = models.CharField(
        "起算情形",
        max_length=20,
        choices=LimitTrigger.choices,
        default=LimitTrigger.FORMED_OR_CHANGED,
    )
    time_limit_text = models.CharField("公开时限（原文）", max_length=200)
    channels = models.JSONField("公开渠道和载体", default=list)
    audience = models.CharField(
        "公开对象", max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    mode = models.CharField(
        "公开方式", max_length=12, choices=DisclosureMode.choices, default=DisclosureMode.PROACTIVE
    )
    five_kind = models.CharField("五公开", max_length=12, choices=FiveKind.choices)
    nature = models.CharField(
        "信息性质", max_length=8, choices=ContentNature.choices, default=ContentNature.DYNAMIC
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "公开目录事项"
        verbose_name_plural = "公开目录事项"
        ordering = ["area__sort_order", "level", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "area", "item_l1", "item_l2"],
                name="openness_entry_unique_per_body",
            ),
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="openness_entry_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(five_kind__in=FiveKind.values), name="openness_entry_five_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["area", "item_l1", "item_l2"], name="openness_entry_key")]

    def __str__(self) -> str:
        return f"{self.area.name}／{self.item_l1}／{self.item_l2}"

    @property
    def channel_labels(self) -> list[str]:
        from sanyi.openness.choices import Channel

        labels = dict(Channel.choices)
        return [labels.get(code, code) for code in self.channels]


class NegativeListEntry(models.Model):
    """Information that must not be published (负面清单), with its legal ground."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="negative_list_entries",
        verbose_name="适用单位",
        help_text="对该单位及其下级单位适用",
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="negative_entries",
        verbose_name="公开领域",
    )
    title = models.CharField("不予公开的事项", max_length=200)
    description = models.TextField("说明", blank=True)
    ground = models.CharField("不予公开依据", max_length=20, choices=NonDisclosureGround.choices)
    basis = models.TextField("具体依据", blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "负面清单事项"
        verbose_name_plural = "负面清单"
        ordering = ["org_unit__path", "title"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "title"], name="openness_negative_unique"),
            models.CheckConstraint(
                condition=Q(ground__in=NonDisclosureGround.values),
                name="openness_negative_ground_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IndexCounter(models.Model):
    """Last sequence number used for index numbers of one prefix (USCC) and year.

    Numbers are taken under a row lock and never handed back, so a revoked or failed
    publication leaves a gap rather than a reused number.
    """

    prefix = models.CharField(max_length=18)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="openness_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}/{self.year}: {self.last}"


class Publication(models.Model):
    """A piece of government information (政府信息) and its disclosure workflow."""

    publisher = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name="发布单位",
    )
    publisher_label = models.CharField(
        "发布机构（显示名称）",
        max_length=200,
        blank=True,
        help_text="为空时显示发布单位名称；导入的外部信息保留原发布机构",
    )
    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文", blank=True)  # sanitised HTML (services run nh3)
    body_text = models.TextField("正文纯文本", blank=True, editable=False)
    index_number = models.CharField("索引号", max_length=40, null=True, blank=True, unique=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    formed_on = models.DateField(
        "信息形成或变更日期", null=True, blank=True, help_text="用于计算公开时限"
    )
    publish_at = models.DateTimeField("发布日期", null=True, blank=True, db_index=True)
    document_number = models.CharField("发文字号", max_length=100, blank=True)
    topic = models.CharField("主题分类", max_length=20, choices=Topic.choices, default=Topic.OTHER)
    document_kind = models.CharField(
        "文件类型",
        max_length=16,
        choices=DocumentKind.choices,
        default=DocumentKind.OTHER,
        help_text="规章和行政规范性文件计入年度报告",
    )
    validity = models.CharField(
        "有效性", max_length=10, choices=Validity.choices, default=Validity.VALID
    )
    validity_changed_on = models.DateField("失效/废止日期", null=True, blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    attribute = models.CharField(
        "公开属性",
        max_length=16,
        choices=DisclosureAttribute.choices,
        default=DisclosureAttribute.PROACTIVE,
    )
    non_disclosure_ground = models.CharField(
        "不予公开依据", max_length=20, choices=NonDisclosureGround.choices, blank=True
    )
    negative_entry = models.ForeignKey(
        NegativeListEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name="对应负面清单事项",
    )
    directory_entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name="公开目录事项",
    )
    status = models.CharField(
        "状态",
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="起草人",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提交人",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="保密审查人",
    )
    reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)
    # Everyone who changed the draft (four eyes: none of them does the confidentiality check).
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="修改人"
    )
    review_comment = models.TextField("审查意见", blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.TextField("撤销原因", blank=True)
    source_name = models.CharField(
        "来源",
        max_length=200,
        blank=True,
        help_text="转载信息的原发布机关或网站；为空表示由发布单位自己发布",
    )
    source_url = models.URLField("原文链接", max_length=500, blank=True)
    provenance = models.JSONField("来源信息", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-publish_at", "-pk"]
        indexes = [
            # The public lists walk this index newest first and stop after one page
            # (attribute is an equality in ``publication_public_qs``); status and
            # publisher ride along so page counts and unit filters never touch the table.
            models.Index(
                fields=["attribute", "-publish_at", "-id", "status", "publisher"],
                name="openness_pub_public_list",
            ),
            # A unit's or a topic's records in list order, the id last: a list filtered
            # by them seeks to its page (core.pagination) instead of sorting.
            models.Index(fields=["publisher", "-publish_at", "-id"], name="openness_pub_publisher"),
            models.Index(fields=["topic", "-publish_at", "-id"], name="openness_pub_topic"),
            # Staff lists: newest change first, filtered by status, kind or year written.
            models.Index(fields=["status", "-updated_at", "-id"], name="openness_pub_staff_status"),
            models.Index(
                fields=["document_kind", "-updated_at", "-id"], name="openness_pub_staff_kind"
            ),
            models.Index(fields=["-updated_at", "-id"], name="openness_pub_staff_list"),
            models.Index(fields=["document_kind", "publish_at"], name="openness_pub_doc_kind"),
            models.Index(fields=["written_on"], name="openness_pub_written_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(attribute=DisclosureAttribute.NOT_DISCLOSED)
                | ~Q(non_disclosure_ground=""),
                name="openness_pub_not_disclosed_has_ground",
            ),
            models.CheckConstraint(
                condition=Q(validity=Validity.VALID) | Q(validity_changed_on__isnull=False),
                name="openness_pub_invalid_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[PublicationStatus.SCHEDULED, PublicationStatus.PUBLISHED])
                | (
                    Q(publish_at__isnull=False)
                    & Q(index_number__isnull=False)
                    & Q(attribute=DisclosureAttribute.PROACTIVE)
                ),
                name="openness_pub_published_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("openness:publication", args=[self.pk])

    def author_ids(self) -> set[int]:
        """Ids of everyone who drafted, changed or submitted it: none of them may review it."""
        ids = {self.created_by_id, self.submitted_by_id}
        ids.update(self.editors.values_list("pk", flat=True))
        return {pk for pk in ids if pk is not None}

    @property
    def publisher_display(self) -> str:
        """The issuer shown to readers: a reprint never shows our unit as its issuer."""
        return self.publisher_label or self.source_name or self.publisher.name

    @property
    def is_reprint(self) -> bool:
        return bool(self.source_name)

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.replace("，", " ").replace(",", " ").split() if k]


class Attachment(models.Model):
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="attachments", verbose_name="政府信息"
    )
    file = models.FileField("文件", upload_to="openness/attachments/%Y/")
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    sort_order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Interpretation(models.Model):
    """A plain-language explanation (政策解读) of a policy publication."""

    policy = models.ForeignKey(
        Publication,
        on_delete=models.PROTECT,
        related_name="interpretations",
        verbose_name="被解读的政策文件",
    )
    kind = models.CharField("解读形式", max_length=10, choices=InterpretationKind.choices)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("解读文字", blank=True)  # sanitised HTML
    picture = models.FileField("解读图片", upload_to="openness/interpretations/%Y/", blank=True)
    video_url = models.URLField("视频地址", blank=True)
    # An uploaded video (MP4 or WebM, checked by content) with its captions (WebVTT),
    # a text transcript and a poster picture; all four or none (services check).
    video = models.FileField("解读视频", upload_to="openness/videos/%Y/", blank=True)
    video_type = models.CharField("视频类型", max_length=20, blank=True)
    video_size = models.PositiveBigIntegerField("视频大小（字节）", null=True, blank=True)
    captions = models.FileField("字幕（WebVTT）", upload_to="openness/videos/%Y/", blank=True)
    poster = models.FileField("视频封面", upload_to="openness/videos/%Y/", blank=True)
    transcript = models.TextField("视频文字稿", blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.title


class PublicationRevision(models.Model):
    """What was published, kept at every publish so later edits never rewrite history."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    published_at = models.DateTimeField()
    actor_label = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"], name="openness_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} #{self.number}"


class BoardNotice(models.Model):
    """A notice for a community's or grid's notice board (公开栏), posted from the phone.

    The notice is a ``Publication`` of the board unit: it goes through the same draft →
    confidentiality check → publish steps as every publication. This row adds what the
    board needs: which of the 五公开 it is, the picture and the day it stops being current.
    """

    publication = models.OneToOneField(
        Publication, on_delete=models.CASCADE, related_name="board_notice", verbose_name="政府信息"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="board_notices",
        verbose_name="公开栏所属社区/网格",
    )
    five_kind = models.CharField(
        "五公开", max_length=12, choices=FiveKind.choices, default=FiveKind.SERVICE
    )
    expires_on = models.DateField("有效期至")
    picture = models.FileField("图片", upload_to="openness/board/%Y/", blank=True)
    thumbnail = models.FileField("缩略图", upload_to="openness/board/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公开栏信息"
        verbose_name_plural = "公开栏信息"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["unit", "expires_on"], name="openness_board_unit")]
        constraints = [
            models.CheckConstraint(
                condition=Q(five_kind__in=[FiveKind.SERVICE, FiveKind.RESULT]),
                name="openness_board_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.publication_id}"


class BoardChannel(models.TextChoices):
    INBOX = "inbox", "站内消息"
    SMS = "sms", "站内消息和短信"


class BoardSubscription(models.Model):
    """A resident (signed-in applicant) who wants to hear of new notices on a board."""

    applicant = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.CASCADE,
        related_name="board_subscriptions",
        verbose_name="居民",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        related_name="board_subscriptions",
        verbose_name="社区/网格",
    )
    channel = models.CharField(
        "提醒方式", max_length=8, choices=BoardChannel.choices, default=BoardChannel.INBOX
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公开栏订阅"
        verbose_name_plural = "公开栏订阅"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "unit"], name="openness_board_sub_unique")
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} → {self.unit_id}"
