"""Shapes of the catalogue endpoints. The guide keys are those of docs/catalog-format.md;
the serializers only check types and fill the format's defaults, and ``clean_guide`` and
the services decide what a guide may say."""

from __future__ import annotations

from rest_framework import serializers

from sanyi.catalog.choices import (
    Channel,
    HandlingType,
    ImplementerNature,
    ItemLevel,
    ItemType,
    LegalBasisKind,
    LifeEventAudience,
    LimitUnit,
    MaterialForm,
    MaterialNecessity,
    MaterialReuse,
    MaterialSource,
    MaterialType,
    OnlineDepth,
    PowerSource,
    ResultType,
    ServiceObject,
    StepUnitLevel,
    VersionStatus,
)
from sanyi.core.numbers import IdQueryField
from sanyi.orgs.models import Role


def _choice(choices, help_text: str, **kwargs) -> serializers.ChoiceField:
    listed = "；".join(f"{value} {label}" for value, label in choices.choices)
    return serializers.ChoiceField(
        choices=choices.choices, help_text=f"{help_text}：{listed}", **kwargs
    )


def _text(help_text: str, **kwargs) -> serializers.CharField:
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(help_text=help_text, **kwargs)


# --- guide ----------------------------------------------------------------------------------


class CatalogTimeLimit(serializers.Serializer):
    value = serializers.IntegerField(
        allow_null=True, min_value=0, help_text="时限数值；单位为 none（无时限）时为 null"
    )
    unit = _choice(LimitUnit, "时限单位")
    note = _text("时限说明", required=False, default="")


class CatalogResult(serializers.Serializer):
    name = _text("审批结果名称")
    type = _choice(ResultType, "审批结果类型")
    sample = _text("审批结果样本（文件名或链接）", required=False, default="")


class CatalogMaterial(serializers.Serializer):
    name = _text("材料名称")
    type = _choice(MaterialType, "材料类型", default=MaterialType.ORIGINAL)
    form = _choice(MaterialForm, "材料形式", default=MaterialForm.PAPER)
    necessity = _choice(MaterialNecessity, "必要性", default=MaterialNecessity.REQUIRED)
    copies = serializers.IntegerField(min_value=0, max_value=99, default=1, help_text="份数")
    specification = _text("规格（如 A4）", required=False, default="")
    source = _choice(MaterialSource, "来源渠道", default=MaterialSource.APPLICANT)
    source_note = _text("来源说明（哪个部门出具、哪个共享库获取）", required=False, default="")
    legal_basis = _text("要求提供材料的依据", required=False, default="")
    acceptance_standard = _text("受理标准", required=False, default="")
    notes = _text("填报须知", required=False, default="")
    reuse = _choice(
        MaterialReuse,
        "复用期限（空为平台默认期限）",
        required=False,
        allow_blank=True,
        default=MaterialReuse.DEFAULT,
    )
    reuse_days = serializers.IntegerField(
        min_value=1,
        max_value=3650,
        required=False,
        allow_null=True,
        default=None,
        help_text="复用天数（复用期限为 days 时填写）",
    )
    review_points = _text("审查要点（业务手册，仅工作人员可见）", required=False, default="")
    common_mistakes = _text("常见问题（业务手册，仅工作人员可见）", required=False, default="")


class CatalogFee(serializers.Serializer):
    name = _text("收费项目名称")
    standard = _text("收费标准")
    basis = _text("收费依据", default="")
    reducible = serializers.BooleanField(default=False, help_text="是否允许减免")
    reduction_basis = _text("减免依据", default="")


class CatalogStep(serializers.Serializer):
    name = _text("环节名称")
    actor = _text("办理人员（岗位）", default="")
    description = _text("办理内容", default="")
    days = serializers.IntegerField(
        allow_null=True, required=False, default=None, min_value=0, help_text="环节时限（工作日）"
    )
    unit_level = _choice(StepUnitLevel, "办理层级，可为空", allow_blank=True, default="")
    role = _choice(Role, "办理角色，可为空", allow_blank=True, default="")
    handling_points = _text("办理要点（业务手册，仅工作人员可见）", required=False, default="")


class CatalogLegalBasis(serializers.Serializer):
    title = _text("法律法规名称（带书名号）")
    article = _text("条款", default="")
    url = _text("链接", required=False, default="")
    kind = _choice(LegalBasisKind, "依据类别", default=LegalBasisKind.SETTING)


class CatalogHandlingVariant(serializers.Serializer):
    name = _text("业务办理项名称")
    code = _text("业务办理项编码；新建时不填则自动生成", required=False, default="")
    note = _text("说明", required=False, default="")


class CatalogGuide(serializers.Serializer):
    """The guide of a version. In requests every key is optional: only the keys sent are
    changed, and a list replaces the whole list."""

    handling_variants = CatalogHandlingVariant(many=True, required=False, help_text="业务办理项")
    legal_bases = CatalogLegalBasis(many=True, required=False, help_text="设定依据和实施依据")
    acceptance_conditions = _text("受理条件", required=False)
    statutory_limit = CatalogTimeLimit(required=False, help_text="法定办结时限")
    promised_limit = CatalogTimeLimit(required=False, help_text="承诺办结时限")
    handling_type = _choice(HandlingType, "办件类型", required=False)
    visits = serializers.IntegerField(
        min_value=0, max_value=9, required=False, help_text="到办事现场次数"
    )
    channels = serializers.ListField(
        child=_choice(Channel, "办理形式"), required=False, help_text="办理形式"
    )
    online_depth = serializers.ListField(
        child=_choice(OnlineDepth, "网办深度"),
        required=False,
        help_text="网办深度；全部都有即为全程网办",
    )
    online_url = _text("网办地址", required=False)
    online_payment = serializers.BooleanField(required=False, help_text="是否支持网上支付")
    steps = CatalogStep(many=True, required=False, help_text="办理流程")
    place = _text("办理地点", required=False)
    hours = _text("办理时间", required=False)
    fees = CatalogFee(many=True, required=False, help_text="收费项目；空列表表示不收费")
    consultation_phone = _text("咨询电话", required=False)
    complaint_phone = _text("监督投诉电话", required=False)
    service_objects = serializers.ListField(
        child=_choice(ServiceObject, "服务对象"), required=False, help_text="服务对象"
    )
    themes_person = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="面向自然人的主题分类"
    )
    themes_business = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="面向法人的主题分类"
    )
    result = CatalogResult(required=False, help_text="审批结果")
    intermediary_services = _text("中介服务", required=False)
    joint_agencies = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="联办机构"
    )
    special_procedures = _text("特别程序（听证、公示、专家评审……）", required=False)
    materials = CatalogMaterial(many=True, required=False, help_text="申请材料")
    eligibility_rules = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="受理条件规则：{name, logic（JSON Logic）, reason（不符合时的说明）, "
        "tests（[{facts, expected}]）}；可用字段见 docs/catalog-format.md",
    )


def plain(value):
    """Validated data as plain dicts and lists (the services compare and store them)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


# --- items and versions ------------------------------------------------------------------------


class CatalogUnitRef(serializers.Serializer):
    id = serializers.IntegerField(help_text="单位编号")
    name = serializers.CharField(help_text="单位名称")


class CatalogItemSummaryOutput(serializers.Serializer):
    implementation_code = serializers.CharField(help_text="实施编码")
    base_code = serializers.CharField(help_text="基本编码")
    name = serializers.CharField(help_text="事项名称")
    item_type = _choice(ItemType, "事项类型")
    item_type_display = serializers.CharField(help_text="事项类型的中文名称")
    level = _choice(ItemLevel, "行使层级")
    level_display = serializers.CharField(help_text="行使层级的中文名称")
    implementing_unit = CatalogUnitRef(help_text="实施主体")
    version_id = serializers.IntegerField(help_text="已发布版本的编号")
    version_number = serializers.IntegerField(help_text="版本号")
    effective_on = serializers.DateField(help_text="生效日期")
    published_at = serializers.DateTimeField(help_text="发布时间")
    handling_type = _choice(HandlingType, "办件类型")
    visits = serializers.IntegerField(help_text="到办事现场次数")
    statutory_limit = CatalogTimeLimit(help_text="法定办结时限")
    promised_limit = CatalogTimeLimit(help_text="承诺办结时限")


class CatalogLifeEventRef(serializers.Serializer):
    id = serializers.IntegerField(help_text="“一件事”编号")
    name = serializers.CharField(help_text="名称")


class CatalogItemDetailOutput(CatalogItemSummaryOutput):
    power_source = _choice(PowerSource, "权力来源")
    implementer_nature = _choice(ImplementerNature, "实施主体性质")
    entrusting_body = serializers.CharField(help_text="委托部门")
    delegated_from = CatalogUnitRef(allow_null=True, help_text="下放单位；不是下放事项时为 null")
    planned_cancel_on = serializers.DateField(
        allow_null=True, help_text="计划取消日期；没有计划取消时为 null"
    )
    life_events = CatalogLifeEventRef(many=True, help_text="所属“一件事”")
    guide = CatalogGuide(help_text="办事指南")


class CatalogVersionOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="版本编号（系统内部）")
    implementation_code = serializers.CharField(help_text="实施编码")
    base_code = serializers.CharField(help_text="基本编码")
    name = serializers.CharField(help_text="事项名称")
    item_type = _choice(ItemType, "事项类型")
    implementing_unit = CatalogUnitRef(help_text="实施主体")
    number = serializers.IntegerField(help_text="版本号")
    status = _choice(VersionStatus, "状态")
    status_display = serializers.CharField(help_text="状态的中文名称")
    approved = serializers.BooleanField(help_text="待审核的版本是否已经第二位事项管理员审核通过")
    change_note = serializers.CharField(help_text="修订说明")
    created_by = serializers.CharField(help_text="编写人")
    created_at = serializers.DateTimeField(help_text="编写时间")
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="提交审核时间")
    reviewed_at = serializers.DateTimeField(allow_null=True, help_text="审核通过时间")
    published_at = serializers.DateTimeField(allow_null=True, help_text="发布时间")
    effective_on = serializers.DateField(allow_null=True, help_text="生效日期")
    guide = CatalogGuide(help_text="办事指南")


class CatalogVersionSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="版本编号（系统内部）")
    number = serializers.IntegerField(help_text="版本号")
    status = _choice(VersionStatus, "状态")
    status_display = serializers.CharField(help_text="状态的中文名称")
    change_note = serializers.CharField(help_text="修订说明")
    created_at = serializers.DateTimeField(help_text="编写时间")
    published_at = serializers.DateTimeField(allow_null=True, help_text="发布时间")
    effective_on = serializers.DateField(allow_null=True, help_text="生效日期")


class CatalogItemCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="事项名称")
    item_type = _choice(ItemType, "事项类型")
    implementing_unit = serializers.IntegerField(help_text="实施主体的单位编号")
    level = _choice(ItemLevel, "行使层级")
    power_source = _choice(PowerSource, "权力来源")
    implementer_nature = _choice(ImplementerNature, "实施主体性质")
    entrusting_body = _text("委托部门", required=False, default="", max_length=200)
    base_code = _text("基本编码；不填则按编码规则生成", required=False, default="", max_length=20)
    change_note = _text("修订说明", required=False, default="", max_length=500)
    guide = CatalogGuide(required=False, help_text="办事指南；不填的部分为空，之后再修改")


class CatalogVersionUpdateInput(serializers.Serializer):
    change_note = _text("修订说明", required=False, max_length=500)
    guide = CatalogGuide(required=False, help_text="要修改的指南内容；只改给出的键，列表整体替换")


class CatalogReviewInput(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 通过；false 退回修改（须写审核意见）")
    comment = _text("审核意见", required=False, default="", max_length=5000)


class CatalogReviewOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="审核记录编号")
    approved = serializers.BooleanField(help_text="是否通过")
    comment = serializers.CharField(help_text="审核意见")
    reviewer = serializers.CharField(help_text="审核人")
    created_at = serializers.DateTimeField(help_text="审核时间")
    version = CatalogVersionSummaryOutput(help_text="审核后的版本")


class CatalogPublishInput(serializers.Serializer):
    effective_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="生效日期；不填为今天，不能晚于今天",
    )


class CatalogNewDraftInput(serializers.Serializer):
    change_note = _text("这一版要改什么", required=False, default="", max_length=500)


class CatalogCancelInput(serializers.Serializer):
    planned_cancel_on = serializers.DateField(help_text="取消日期；今天或更早则立即取消")
    reason = serializers.CharField(max_length=500, help_text="取消原因")


class CatalogCancelOutput(serializers.Serializer):
    implementation_code = serializers.CharField(help_text="实施编码")
    planned_cancel_on = serializers.DateField(help_text="取消日期")
    cancelled = serializers.BooleanField(help_text="是否已经取消（取消日期已到）")


class CatalogLintFindingOutput(serializers.Serializer):
    code = serializers.CharField(help_text="规则代码（L001…）")
    title = serializers.CharField(help_text="规则名称，如“受理条件为空”")
    severity = serializers.ChoiceField(
        choices=[("error", "错误"), ("warning", "提醒")],
        help_text="error 错误（阻止提交和发布）；warning 提醒",
    )
    message = serializers.CharField(help_text="问题说明")
    path = serializers.CharField(help_text="字段路径，如 materials[2].name；空表示整体")


class CatalogLintOutput(serializers.Serializer):
    version_id = serializers.IntegerField(help_text="版本编号")
    errors = serializers.IntegerField(help_text="错误个数")
    warnings = serializers.IntegerField(help_text="提醒个数")
    findings = CatalogLintFindingOutput(many=True, help_text="检查发现的问题，错误在前")


# --- diff ---------------------------------------------------------------------------------------


class CatalogFieldChange(serializers.Serializer):
    field = serializers.CharField(help_text="字段（时限等写成 statutory_limit.value）")
    label = serializers.CharField(help_text="字段的中文名称")
    before = serializers.JSONField(help_text="原来的值")
    after = serializers.JSONField(help_text="现在的值")


class CatalogRowChange(serializers.Serializer):
    name = serializers.CharField(help_text="行的名称（依据为法律法规名称）")
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text="字段 → [原来的值, 现在的值]",
    )


class CatalogListDiff(serializers.Serializer):
    added = serializers.ListField(child=serializers.CharField(), help_text="新增的行（名称）")
    removed = serializers.ListField(child=serializers.CharField(), help_text="删除的行（名称）")
    changed = CatalogRowChange(many=True, help_text="修改的行")


class CatalogDiffChildren(serializers.Serializer):
    materials = CatalogListDiff(help_text="申请材料")
    fees = CatalogListDiff(help_text="收费")
    steps = CatalogListDiff(help_text="办理流程")
    legal_bases = CatalogListDiff(help_text="设定依据")
    handling_variants = CatalogListDiff(help_text="业务办理项")


class CatalogVersionDiffOutput(serializers.Serializer):
    implementation_code = serializers.CharField(help_text="实施编码")
    old_number = serializers.IntegerField(allow_null=True, help_text="原版本号；null 表示从无到有")
    new_number = serializers.IntegerField(help_text="新版本号")
    fields = CatalogFieldChange(many=True, help_text="字段变化")
    children = CatalogDiffChildren(help_text="各列表的增删改")


class CatalogDiffQuery(serializers.Serializer):
    old = IdQueryField(
        label="原版本号", param="old", required=False, help_text="原版本号；不填为新版本的前一版"
    )
    new = IdQueryField(
        label="新版本号", param="new", required=False, help_text="新版本号；不填为最新的版本"
    )


# --- search, life events, report ---------------------------------------------------------------


class CatalogSearchQuery(serializers.Serializer):
    q = serializers.CharField(
        max_length=100,
        allow_blank=True,
        default="",
        help_text="搜索内容，如“开饭店”“生孩子”；口语和同义词都可以",
        error_messages={"max_length": "搜索内容（q）不能超过 100 个字"},
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=100,
        default=20,
        help_text="每页条数，默认 20，最多 100",
        error_messages={
            "invalid": "每页条数（limit）应为整数",
            "min_value": "每页条数（limit）至少为 1",
            "max_value": "每页条数（limit）最多为 100",
        },
    )
    offset = serializers.IntegerField(
        min_value=0,
        max_value=10000,
        default=0,
        help_text="从第几条开始（从 0 起算）",
        error_messages={
            "invalid": "起始位置（offset）应为整数",
            "min_value": "起始位置（offset）不能为负数",
            "max_value": "起始位置（offset）最多为 10000",
        },
    )
    area = serializers.CharField(
        max_length=32,
        allow_blank=True,
        default="",
        help_text="群众所在街道（镇）或社区（村）的单位编码；给出时，各地分别办理的事项直接给出本地的指南",
        error_messages={"max_length": "地区编码（area）不能超过 32 个字符"},
    )
    all = serializers.BooleanField(
        default=False,
        help_text="有名称相符的事项时，默认不列只在正文中提到搜索词的事项；为 true 时全部列出",
    )


class CatalogSearchVariant(serializers.Serializer):
    object_id = serializers.CharField(help_text="实施编码")
    url = serializers.CharField(help_text="公开页面地址")
    unit_name = serializers.CharField(help_text="实施主体（街道、社区等）")
    unit_code = serializers.CharField(help_text="实施主体的单位编码，可作为 area 参数")


class CatalogSearchHit(serializers.Serializer):
    kind = serializers.CharField(help_text="catalog.item 办事事项；catalog.life_event 一件事")
    object_id = serializers.CharField(help_text="实施编码或“一件事”编号")
    title = serializers.CharField(help_text="标题")
    url = serializers.CharField(help_text="公开页面地址")
    summary = serializers.CharField(help_text="摘要")
    score = serializers.FloatField(help_text="相关度")
    needs_area = serializers.BooleanField(
        help_text="各地分别办理、且不知道群众所在地区：请让群众从 variants 中选择"
    )
    area_unit = serializers.CharField(help_text="按所给地区选定的实施主体；未选定时为空")
    variants = CatalogSearchVariant(
        many=True, help_text="各地分别办理的同一事项（每个实施主体一条）；单独办理的事项为空"
    )


class CatalogSearchOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text="结果总数（各地分别办理的同一事项算一条）")
    broader = serializers.IntegerField(
        help_text="未列出的、只在正文中提到搜索词的事项数（all=false 时）"
    )
    is_poor = serializers.BooleanField(help_text="有结果，但没有名称相符的事项")
    capped = serializers.BooleanField(
        help_text="结果太多，只排了最常办、最新的前1000份指南：count、broader 和 facets 只算这些"
    )
    did_you_mean = serializers.ListField(
        child=serializers.CharField(), help_text="没有结果或结果不理想时，“您是不是要找”的词"
    )
    results = CatalogSearchHit(many=True, help_text="本页结果，最相关的在前")
    facets = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="筛选项 → 值 → 结果数",
    )


class CatalogLifeEventOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="“一件事”编号")
    name = serializers.CharField(help_text="名称")
    description = serializers.CharField(help_text="说明")
    audience = _choice(LifeEventAudience, "面向对象")
    item_count = serializers.IntegerField(help_text="已发布的事项个数")


class CatalogMergedEntry(serializers.Serializer):
    text = serializers.CharField(help_text="条件或材料名称")
    items = serializers.ListField(child=serializers.CharField(), help_text="需要它的事项")
    detail = serializers.DictField(help_text="材料的类型、形式、份数、必要性、来源（条件为空）")


class CatalogLifeEventDetailOutput(CatalogLifeEventOutput):
    items = CatalogItemSummaryOutput(many=True, help_text="包含的事项（已发布的版本）")
    conditions = CatalogMergedEntry(many=True, help_text="合并后的受理条件，每条只列一次")
    materials = CatalogMergedEntry(many=True, help_text="合并后的申请材料，每种只交一次")


class CatalogReductionQuery(serializers.Serializer):
    unit = IdQueryField(
        label="单位编号",
        param="unit",
        required=False,
        help_text="只统计该单位及其下级单位实施的事项",
    )
    level = _choice(ItemLevel, "只统计该行使层级", required=False)


class CatalogFigures(serializers.Serializer):
    items = serializers.IntegerField(help_text="事项数")
    powers = serializers.IntegerField(help_text="行政权力事项数")
    public_services = serializers.IntegerField(help_text="公共服务事项数")
    licensing = serializers.IntegerField(help_text="行政许可事项数")
    delegated = serializers.IntegerField(help_text="下放事项数")
    sub_items = serializers.IntegerField(help_text="子项数")
    with_both_limits = serializers.IntegerField(help_text="法定和承诺时限都以工作日计的事项数")
    mean_time_ratio = serializers.FloatField(allow_null=True, help_text="承诺时限/法定时限的平均值")
    meeting_half_target = serializers.IntegerField(help_text="承诺时限不超过法定时限一半的事项数")
    materials = serializers.IntegerField(help_text="材料总数")
    materials_per_item = serializers.FloatField(allow_null=True, help_text="平均每项材料数")
    shared_materials = serializers.IntegerField(help_text="共享获取的材料数")
    shared_material_share = serializers.FloatField(allow_null=True, help_text="共享获取材料占比")
    visits_0 = serializers.IntegerField(help_text="零跑动事项数")
    visits_1 = serializers.IntegerField(help_text="跑一次事项数")
    visits_2_plus = serializers.IntegerField(help_text="跑两次及以上事项数")
    instant = serializers.IntegerField(help_text="即办件数")
    instant_share = serializers.FloatField(allow_null=True, help_text="即办件占比")


class CatalogFiguresGroup(CatalogFigures):
    key = serializers.CharField(help_text="分组：单位编号或层级代码")
    label = serializers.CharField(help_text="分组名称")


class CatalogTypeCount(serializers.Serializer):
    item_type = _choice(ItemType, "事项类型")
    label = serializers.CharField(help_text="事项类型的中文名称")
    items = serializers.IntegerField(help_text="事项数")


class CatalogReductionReportOutput(serializers.Serializer):
    total = CatalogFigures(help_text="总体")
    by_type = CatalogTypeCount(many=True, help_text="按事项类型")
    by_unit = CatalogFiguresGroup(many=True, help_text="按实施主体")
    by_level = CatalogFiguresGroup(many=True, help_text="按行使层级")
    target_ratio = serializers.FloatField(help_text="试点目标：承诺时限/法定时限")
