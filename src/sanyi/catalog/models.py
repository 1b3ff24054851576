"""The catalogue of service items.

``BaseItem`` is an item of the base catalogue (基本目录, base code). ``ImplementationItem``
is one org unit's implementation of it (实施清单, implementation code); a district item
delegated to subdistricts has one implementation per subdistrict, all pointing to the same
base item. The guide (办事指南) of an implementation lives in ``ItemVersion`` rows: one
code, many versions, at most one published and at most one being worked on at a time.
Published versions are frozen: ``ItemVersion.save`` and the child rows refuse to change
them, and only ``catalog.services`` moves a version through its lifecycle.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from sanyi.catalog.choices import (
    CodeKind,
    HandlingType,
    ImplementerNature,
    ItemLevel,
    ItemType,
    LegalBasisKind,
    LimitUnit,
    MaterialForm,
    MaterialNecessity,
    MaterialReuse,
    MaterialSource,
    MaterialType,
    PowerSource,
    ResultType,
    StepUnitLevel,
    VersionStatus,
)
from sanyi.core.files import content_matches_extension
from sanyi.orgs.models import OrgUnit, Role

GUIDE_FILE_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".jpg", ".jpeg", ".png"}


class FrozenVersionError(ValidationError):
    """A published, superseded or cancelled version was about to change."""


def validate_guide_file(upload) -> None:
    """Blank forms and samples: office documents, PDF or pictures (checked by content),
    within the upload limit."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in GUIDE_FILE_EXTENSIONS:
        allowed = "、".join(sorted(ext.lstrip(".") for ext in GUIDE_FILE_EXTENSIONS))
        raise ValidationError(f"文件类型{suffix or '（无扩展名）'}不允许上传，只能上传{allowed}")
    if upload.size is not None and upload.size > settings.SANYI_UPLOAD_MAX_BYTES:
        limit_mb = settings.SANYI_UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"文件超过{limit_mb}MB，请压缩后再上传")
    if not content_matches_extension(upload):
        kind = suffix.lstrip(".").upper()
        raise ValidationError(
            f"文件“{upload.name}”的内容不是{kind}格式，请上传真正的{kind}文件，不要只改扩展名"
        )


class BaseItem(models.Model):
    base_code = models.CharField("基本编码", max_length=12, unique=True)
    name = models.CharField("事项名称", max_length=200)
    item_type = models.CharField("事项类型", max_length=2, choices=ItemType.choices)
    main_item = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_items",
        verbose_name="主项",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "基本目录事项"
        verbose_name_plural = "基本目录事项"
        ordering = ["base_code"]
        indexes = [
            models.Index(fields=["item_type", "base_code"], name="baseitem_type"),
            models.Index(fields=["name"], name="baseitem_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(item_type__in=ItemType.values), name="baseitem_item_type_valid"
            ),
            models.CheckConstraint(
                condition=~Q(base_code="") & ~Q(name=""), name="baseitem_code_name_present"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.base_code}）"

    def clean(self) -> None:
        if self.main_item_id and self.main_item.main_item_id:
            raise ValidationError({"main_item": "子项不能再拆分子项：主项本身不能是子项"})
        if self.main_item_id and self.main_item.item_type != self.item_type:
            raise ValidationError({"main_item": "子项的事项类型应与主项相同"})


class ImplementationItem(models.Model):
    """One unit's implementation of a base item: the identity behind every guide version."""

    implementation_code = models.CharField("实施编码", max_length=36, unique=True)
    base_item = models.ForeignKey(
        BaseItem,
        on_delete=models.PROTECT,
        related_name="implementations",
        verbose_name="基本目录事项",
    )
    implementing_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="implemented_items",
        verbose_name="实施主体",
    )
    delegated_from = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegated_items",
        verbose_name="下放单位",
        help_text="由区级下放到街道、社区实施的事项，填写下放的单位",
    )
    level = models.CharField("行使层级", max_length=1, choices=ItemLevel.choices)
    power_source = models.CharField("权力来源", max_length=1, choices=PowerSource.choices)
    implementer_nature = models.CharField(
        "实施主体性质", max_length=1, choices=ImplementerNature.choices
    )
    entrusting_body = models.CharField("委托部门", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "实施清单事项"
        verbose_name_plural = "实施清单事项"
        ordering = ["implementation_code"]
        indexes = [
            models.Index(fields=["implementing_unit", "level"], name="impl_unit_level"),
            models.Index(fields=["level"], name="impl_level"),
        ]
        # No unique (base item, unit): after a cancellation the unit may implement the item
        # again, under a new code. The services refuse two live implementations.
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=ItemLevel.values), name="impl_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(power_source__in=PowerSource.values), name="impl_power_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(implementer_nature__in=ImplementerNature.values),
                name="impl_nature_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.base_item.name}（{self.implementation_code}）"


class ItemVersion(models.Model):
    """One version of the guide of one implementation code."""

    # The only fields a service may still set once a version left the draft state: while
    # in review, the review and publication facts; once published, only its retirement.
    REVIEW_FIELDS = frozenset(
        {
            "status",
            "submitted_at",
            "submitted_by",
            "reviewed_by",
            "reviewed_at",
            "published_at",
            "published_by_label",
            "effective_on",
            "cancelled_at",
        }
    )
    RETIREMENT_FIELDS = frozenset(
        {"status", "superseded_at", "planned_cancel_on", "cancel_reason", "cancelled_at"}
    )

    implementation_item = models.ForeignKey(
        ImplementationItem,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name="实施清单事项",
    )
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_note = models.CharField("修订说明", max_length=500, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    planned_cancel_on = models.DateField("计划取消日期", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=500, blank=True)
    # Guide elements (STANDARDS.md §1, docs/catalog-format.md).
    acceptance_conditions = models.TextField("受理条件", blank=True)
    statutory_limit_value = models.PositiveIntegerField("法定办结时限", null=True, blank=True)
    statutory_limit_unit = models.CharField(
        "法定办结时限单位", max_length=16, choices=LimitUnit.choices, default=LimitUnit.NONE
    )
    statutory_limit_note = models.CharField("法定办结时限说明", max_length=500, blank=True)
    promised_limit_value = models.PositiveIntegerField("承诺办结时限", null=True, blank=True)
    promised_limit_unit = models.CharField(
        "承诺办结时限单位", max_length=16, choices=LimitUnit.choices, default=LimitUnit.NONE
    )
    promised_limit_note = models.CharField("承诺办结时限说明", max_length=500, blank=True)
    handling_type = models.CharField(
        "办件类型", max_length=1, choices=HandlingType.choices, default=HandlingType.PROMISED
    )
    visits = models.PositiveSmallIntegerField("到办事现场次数", default=1)
    channels = models.JSONField("办理形式", default=list, blank=True)
    online_depth = models.JSONField("网办深度", default=list, blank=True)
    online_url = models.CharField("网办地址", max_length=500, blank=True)
    online_payment = models.BooleanField("支持网上支付", default=False)
    place = models.CharField("办理地点", max_length=500, blank=True)
    hours = models.CharField("办理时间", max_length=500, blank=True)
    consultation_phone = models.CharField("咨询电话", max_length=100, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=100, blank=True)
    service_objects = models.JSONField("服务对象", default=list, blank=True)
    themes_person = models.JSONField("面向自然人主题", default=list, blank=True)
    themes_business = models.JSONField("面向法人主题", default=list, blank=True)
    result_name = models.CharField("审批结果名称", max_length=200, blank=True)
    result_type = models.CharField(
        "审批结果类型", max_length=16, choices=ResultType.choices, default=ResultType.NONE
    )
    result_sample = models.CharField("审批结果样本", max_length=500, blank=True)
    intermediary_services = models.TextField("中介服务", blank=True)
    joint_agencies = models.JSONField("联办机构", default=list, blank=True)
    special_procedures = models.TextField("特别程序", blank=True)
    # Who and when.
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="编写人",
    )
    created_by_label = models.CharField("编写人", max_length=100)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="提交人",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by_label = models.CharField("发布人", max_length=100, blank=True)
    superseded_at = models.DateTimeField("被替代时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        verbose_name = "事项版本"
        verbose_name_plural = "事项版本"
        ordering = ["implementation_item", "number"]
        indexes = [
            models.Index(fields=["status", "implementation_item"], name="version_status"),
            models.Index(fields=["planned_cancel_on"], name="version_planned_cancel"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["implementation_item", "number"], name="version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["implementation_item"],
                condition=Q(status=VersionStatus.PUBLISHED),
                name="version_one_published",
            ),
            models.UniqueConstraint(
                fields=["implementation_item"],
                condition=Q(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW]),
                name="version_one_working_copy",
            ),
            models.CheckConstraint(
                condition=Q(status__in=VersionStatus.values), name="version_status_valid"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(
                condition=~Q(status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED])
                | (Q(published_at__isnull=False) & Q(effective_on__isnull=False)),
                name="version_published_has_dates",
            ),
            models.CheckConstraint(
                condition=(Q(statutory_limit_unit=LimitUnit.NONE) & Q(statutory_limit_value=None))
                | (~Q(statutory_limit_unit=LimitUnit.NONE) & Q(statutory_limit_value__gt=0)),
                name="version_statutory_limit_consistent",
            ),
            models.CheckConstraint(
                condition=(Q(promised_limit_unit=LimitUnit.NONE) & Q(promised_limit_value=None))
                | (~Q(promised_limit_unit=LimitUnit.NONE) & Q(promised_limit_value__gt=0)),
                name="version_promised_limit_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.implementation_item.implementation_code} 第{self.number}版"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk:
            stored = ItemVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != VersionStatus.DRAFT:
                update_fields = kwargs.get("update_fields")
                allowed = (
                    self.REVIEW_FIELDS
                    if stored == VersionStatus.IN_REVIEW
                    else self.RETIREMENT_FIELDS
                )
                if update_fields is None or not set(update_fields) <= allowed:
                    raise FrozenVersionError(
                        f"{self}处于“{VersionStatus(stored).label}”状态，内容不能修改；"
                        "请新建草稿版本"
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = ItemVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored is not None and stored != VersionStatus.DRAFT:
            raise FrozenVersionError(f"{self}不是草稿，不能删除")
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class VersionChild(models.Model):
    """Ordered rows of a version (materials, fees …): frozen together with their version."""

    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        abstract = True
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return getattr(self, "name", "") or getattr(self, "title", "")

    def save(self, *args, **kwargs):
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _guard(self) -> None:
        stored = (
            ItemVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        )
        if stored is not None and stored != VersionStatus.DRAFT:
            raise FrozenVersionError(
                f"版本处于“{VersionStatus(stored).label}”状态，其{self._meta.verbose_name}不能修改"
            )


class HandlingVariant(VersionChild):
    version = models.ForeignKey(
        ItemVersion, on_delete=models.CASCADE, related_name="variants", verbose_name="版本"
    )
    name = models.CharField("业务办理项名称", max_length=200)
    code = models.CharField("业务办理项编码", max_length=50, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = "业务办理项"
        verbose_name_plural = "业务办理项"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="variant_position"),
        ]


class Material(VersionChild):
    version = models.ForeignKey(
        ItemVersion, on_delete=models.CASCADE, related_name="materials", verbose_name="版本"
    )
    name = models.CharField("材料名称", max_length=300)
    type = models.CharField(
        "材料类型", max_length=16, choices=MaterialType.choices, default=MaterialType.ORIGINAL
    )
    form = models.CharField(
        "材料形式", max_length=16, choices=MaterialForm.choices, default=MaterialForm.PAPER
    )
    necessity = models.CharField(
        "必要性",
        max_length=16,
        choices=MaterialNecessity.choices,
        default=MaterialNecessity.REQUIRED,
    )
    copies = models.PositiveSmallIntegerField("份数", default=1)
    specification = models.CharField("规格", max_length=200, blank=True)
    source = models.CharField(
        "来源渠道",
        max_length=16,
        choices=MaterialSource.choices,
        default=MaterialSource.APPLICANT,
    )
    source_note = models.CharField("来源说明", max_length=500, blank=True)
    legal_basis = models.CharField("要求提供材料的依据", max_length=500, blank=True)
    acceptance_standard = models.TextField("受理标准", blank=True)
    notes = models.TextField("填报须知", blank=True)
    reuse = models.CharField(
        "复用期限",
        max_length=8,
        choices=MaterialReuse.choices,
        blank=True,
        default=MaterialReuse.DEFAULT,
        help_text="审核合格的材料在以后的申请中可复用多久；不填按平台默认期限",
    )
    reuse_days = models.PositiveSmallIntegerField(
        "复用天数", null=True, blank=True, help_text="复用期限为“若干天内”时填写"
    )
    # The staff handbook (业务手册): what the window officer checks, and what applicants
    # commonly get wrong. Staff-only; versioned and reviewed with the rest of the guide.
    review_points = models.TextField("审查要点", blank=True)
    common_mistakes = models.TextField("常见问题", blank=True)
    blank_form = models.FileField(
        "空白表格",
        upload_to="catalog/forms/%Y/",
        blank=True,
        max_length=300,
        validators=[validate_guide_file],
    )
    sample = models.FileField(
        "示例样表",
        upload_to="catalog/samples/%Y/",
        blank=True,
        max_length=300,
        validators=[validate_guide_file],
    )

    class Meta(VersionChild.Meta):
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="material_position"),
        ]


class Fee(VersionChild):
    version = models.ForeignKey(
        ItemVersion, on_delete=models.CASCADE, related_name="fees", verbose_name="版本"
    )
    name = models.CharField("收费项目名称", max_length=200)
    standard = models.CharField("收费标准", max_length=500)
    basis = models.CharField("收费依据", max_length=500, blank=True)
    reducible = models.BooleanField("是否允许减免", default=False)
    reduction_basis = models.CharField("减免依据", max_length=500, blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = "收费"
        verbose_name_plural = "收费"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="fee_position"),
        ]


class ProcessStep(VersionChild):
    version = models.ForeignKey(
        ItemVersion, on_delete=models.CASCADE, related_name="steps", verbose_name="版本"
    )
    name = models.CharField("环节名称", max_length=100)
    actor = models.CharField("办理人员", max_length=100, blank=True)
    description = models.TextField("办理内容", blank=True)
    days = models.PositiveSmallIntegerField("办理时限（工作日）", null=True, blank=True)
    unit_level = models.CharField(
        "办理层级", max_length=16, choices=StepUnitLevel.choices, blank=True
    )
    role = models.CharField("办理角色", max_length=32, choices=Role.choices, blank=True)
    # The staff handbook (业务手册): what the officer at this step does and looks at.
    handling_points = models.TextField("办理要点", blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = "办理环节"
        verbose_name_plural = "办理环节"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="step_position"),
        ]


class LegalBasis(VersionChild):
    version = models.ForeignKey(
        ItemVersion, on_delete=models.CASCADE, related_name="legal_bases", verbose_name="版本"
    )
    title = models.CharField("法律法规名称", max_length=300)
    article = models.CharField("条款", max_length=2000, blank=True)
    url = models.URLField("链接", max_length=500, blank=True)
    kind = models.CharField(
        "依据类别", max_length=16, choices=LegalBasisKind.choices, default=LegalBasisKind.SETTING
    )

    class Meta(VersionChild.Meta):
        verbose_name = "设定依据"
        verbose_name_plural = "设定依据"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="legal_basis_position"),
        ]


class EligibilityRule(VersionChild):
    """A machine-checkable condition (受理条件规则) in JSON Logic, with the plain reason
    shown when it fails and its own test cases (catalog.eligibility)."""

    version = models.ForeignKey(
        ItemVersion, on_delete=models.CASCADE, related_name="eligibility_rules", verbose_name="版本"
    )
    name = models.CharField("规则名称", max_length=100)
    logic = models.JSONField("判断规则（JSON Logic）")
    reason = models.CharField("不符合时的说明", max_length=300)
    tests = models.JSONField("测试用例", default=list, blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = "受理条件规则"
        verbose_name_plural = "受理条件规则"
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="eligibility_position"),
        ]


class ItemReview(models.Model):
    """One review decision on a version in review (four-eyes), with its comment."""

    # A discarded draft takes its reviews with it; the audit trail still records them.
    version = models.ForeignKey(
        ItemVersion, on_delete=models.CASCADE, related_name="reviews", verbose_name="版本"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核人",
    )
    approved = models.BooleanField("审核通过")
    comment = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField("审核时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["version", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.version} {'通过' if self.approved else '退回'}"


class IssuedCode(models.Model):
    """Every code ever issued. Rows are never deleted, so no code is ever given out twice."""

    code = models.CharField("编码", max_length=50, unique=True)
    kind = models.CharField("编码类别", max_length=16, choices=CodeKind.choices)
    issued_at = models.DateTimeField("发放时间", auto_now_add=True)
    issued_to = models.CharField("编码对象", max_length=300)
    issued_by_label = models.CharField("发放人", max_length=100)
    # The implementation item a variant code belongs to, so the next version may keep it.
    owner_code = models.CharField("所属实施编码", max_length=36, blank=True)

    class Meta:
        verbose_name = "已发放编码"
        verbose_name_plural = "已发放编码"
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"], name="issued_code_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CodeKind.values), name="issued_code_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("已发放的编码不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("已发放的编码不能删除，以免被再次使用")


# Life events (一件事) live in their own module; imported here so Django sees the models.
from sanyi.catalog.life_event_models import LifeEvent, LifeEventMember  # noqa: E402, F401
