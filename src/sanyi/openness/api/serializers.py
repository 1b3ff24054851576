from django.urls import reverse
from rest_framework import serializers

from sanyi.core.numbers import IdQueryField
from sanyi.openness.choices import DocumentKind, NonDisclosureGround, PublicationStatus, Topic
from sanyi.openness.models import (
    Attachment,
    DirectoryEntry,
    Interpretation,
    NegativeListEntry,
    Publication,
)


class OpennessPublicationQuery(serializers.Serializer):
    unit = IdQueryField(
        label="发布单位编号", param="unit", required=False, help_text="发布单位编号（含下级单位）"
    )
    topic = serializers.CharField(
        required=False, help_text="主题分类代码：" + "、".join(Topic.values)
    )
    year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="发布年份",
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"), "发布年份（year）应为1990到2100之间的年份"
        ),
    )  # fmt: skip

    def validate_topic(self, value: str) -> str:
        if value not in Topic.values:
            raise serializers.ValidationError(f"主题分类（topic）“{value}”不存在")
        return value


class OpennessPublicationSummaryOutput(serializers.ModelSerializer):
    publisher = serializers.CharField(source="publisher_display", help_text="发布机构")
    publisher_unit = serializers.IntegerField(source="publisher_id", help_text="发布单位编号")
    topic = serializers.CharField(help_text="主题分类代码")
    topic_label = serializers.CharField(source="get_topic_display", help_text="主题分类")
    validity = serializers.CharField(
        help_text="有效性代码：valid 有效、expired 失效、abolished 废止"
    )
    url = serializers.SerializerMethodField(help_text="门户页面地址")
    source = serializers.CharField(
        source="source_name",
        help_text="来源：转载信息的原发布机关或网站；为空表示由发布单位自己发布",
    )
    source_url = serializers.CharField(help_text="原文链接（转载信息的原始网址，可为空）")

    class Meta:
        model = Publication
        fields = [
            "id", "index_number", "title", "publisher", "publisher_unit", "topic",
            "topic_label", "written_on", "publish_at", "document_number", "validity",
            "validity_changed_on", "keywords", "source", "source_url", "url",
        ]  # fmt: skip

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class OpennessAttachmentOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址")

    class Meta:
        model = Attachment
        fields = ["original_name", "content_type", "size", "url"]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("openness:attachment", args=[obj.publication_id, obj.pk])
        )


class OpennessInterpretationOutput(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="解读形式代码：text 文字、picture 图片、video 视频")
    video = serializers.SerializerMethodField(
        help_text="上传视频的地址（支持分段请求），没有时为空"
    )
    captions = serializers.SerializerMethodField(help_text="字幕（WebVTT）地址，没有时为空")
    poster = serializers.SerializerMethodField(help_text="视频封面地址，没有时为空")

    class Meta:
        model = Interpretation
        fields = ["kind", "title", "text", "video_url", "video", "captions", "poster", "transcript"]

    def _part(self, obj, part: str) -> str | None:
        if not obj.video:
            return None
        path = reverse(f"openness:interpretation_{part}", args=[obj.policy_id, obj.pk])
        return self.context["request"].build_absolute_uri(path)

    def get_video(self, obj) -> str | None:
        return self._part(obj, "video")

    def get_captions(self, obj) -> str | None:
        return self._part(obj, "captions")

    def get_poster(self, obj) -> str | None:
        return self._part(obj, "poster")


class OpennessPublicationDetailOutput(OpennessPublicationSummaryOutput):
    attachments = OpennessAttachmentOutput(many=True, read_only=True)
    interpretations = OpennessInterpretationOutput(many=True, read_only=True)
    body = serializers.CharField(help_text="正文（已清理的HTML）")

    class Meta(OpennessPublicationSummaryOutput.Meta):
        fields = [
            *OpennessPublicationSummaryOutput.Meta.fields,
            "body",
            "attachments",
            "interpretations",
        ]


# --- staff: writing directories, the negative list and publications --------------------------

LEVEL_HELP = "公开层级：district 县级、subdistrict 乡级、community 村级"
AUDIENCE_HELP = "公开对象：public 全社会、specific_group 特定群体"
FIVE_HELP = "五公开：decision 决策、execution 执行、management 管理、service 服务、result 结果"
KIND_HELP = "文件类型：regulation 规章、normative 行政规范性文件、other 其他"


class OpennessUnitRef(serializers.Serializer):
    id = serializers.IntegerField(help_text="单位编号")
    name = serializers.CharField(help_text="单位名称")


class OpennessDirectoryEntryInput(serializers.Serializer):
    org_unit = serializers.IntegerField(min_value=1, help_text="公开主体（单位编号）")
    area = serializers.CharField(help_text="公开领域编号，例如 P17（社会救助）")
    level = serializers.CharField(help_text=LEVEL_HELP)
    sequence = serializers.IntegerField(min_value=0, required=False, default=0, help_text="序号")
    item_l1 = serializers.CharField(max_length=100, help_text="一级公开事项")
    item_l2 = serializers.CharField(max_length=100, help_text="二级公开事项")
    content_elements = serializers.CharField(help_text="公开内容（要素）")
    basis = serializers.CharField(help_text="公开依据")
    time_limit_text = serializers.CharField(max_length=200, help_text="公开时限（原文）")
    time_limit_days = serializers.IntegerField(
        min_value=1,
        max_value=365,
        required=False,
        allow_null=True,
        default=None,
        help_text="公开时限天数；没有固定时限时为空",
    )
    time_limit_unit = serializers.CharField(
        required=False, default="working", help_text="时限单位：working 工作日、natural 自然日"
    )
    time_limit_trigger = serializers.CharField(
        required=False,
        default="formed_or_changed",
        help_text="起算情形：formed_or_changed 信息形成或变更、decision 作出决定、other 其他",
    )
    channels = serializers.ListField(
        child=serializers.CharField(),
        allow_empty=False,
        help_text="公开渠道和载体代码，例如 website、notice_board",
    )
    audience = serializers.CharField(required=False, default="public", help_text=AUDIENCE_HELP)
    mode = serializers.CharField(
        required=False, default="proactive", help_text="公开方式：proactive 主动、on_request 依申请"
    )
    five_kind = serializers.CharField(help_text=FIVE_HELP)
    nature = serializers.CharField(
        required=False, default="dynamic", help_text="信息性质：static 静态、dynamic 动态"
    )
    is_active = serializers.BooleanField(required=False, default=True, help_text="是否有效")


class OpennessDirectoryEntryUpdateInput(OpennessDirectoryEntryInput):
    """Every key optional; only the keys given change. The responsible body stays."""

    org_unit = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False
            f.default = serializers.empty


class OpennessDirectoryEntryOutput(serializers.ModelSerializer):
    org_unit = OpennessUnitRef(help_text="公开主体")
    area = serializers.CharField(source="area.code", help_text="公开领域编号")
    area_name = serializers.CharField(source="area.name", help_text="公开领域")
    level_label = serializers.CharField(source="get_level_display", help_text="公开层级")
    five_kind_label = serializers.CharField(source="get_five_kind_display", help_text="五公开")
    channel_labels = serializers.ListField(
        child=serializers.CharField(), help_text="公开渠道和载体"
    )

    class Meta:
        model = DirectoryEntry
        fields = [
            "id",
            "org_unit",
            "area",
            "area_name",
            "level",
            "level_label",
            "sequence",
            "item_l1",
            "item_l2",
            "content_elements",
            "basis",
            "time_limit_text",
            "time_limit_days",
            "time_limit_unit",
            "time_limit_trigger",
            "channels",
            "channel_labels",
            "audience",
            "mode",
            "five_kind",
            "five_kind_label",
            "nature",
            "is_active",
            "updated_at",
        ]


class OpennessNegativeEntryInput(serializers.Serializer):
    org_unit = serializers.IntegerField(min_value=1, help_text="适用单位（单位编号，含下级单位）")
    area = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text="公开领域编号（可空）",
    )
    title = serializers.CharField(max_length=200, help_text="不予公开的事项")
    description = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="说明"
    )
    ground = serializers.CharField(
        help_text="不予公开依据代码：" + "、".join(NonDisclosureGround.values)
    )
    basis = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="具体依据"
    )
    is_active = serializers.BooleanField(required=False, default=True, help_text="是否有效")


class OpennessNegativeEntryUpdateInput(OpennessNegativeEntryInput):
    org_unit = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False
            f.default = serializers.empty


class OpennessNegativeEntryOutput(serializers.ModelSerializer):
    org_unit = OpennessUnitRef(help_text="适用单位")
    area = serializers.CharField(source="area.code", allow_null=True, help_text="公开领域编号")
    ground_label = serializers.CharField(source="get_ground_display", help_text="不予公开依据")

    class Meta:
        model = NegativeListEntry
        fields = [
            "id",
            "org_unit",
            "area",
            "title",
            "description",
            "ground",
            "ground_label",
            "basis",
            "is_active",
            "updated_at",
        ]


class OpennessPublicationStaffQuery(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=PublicationStatus.choices, required=False, help_text="状态代码"
    )
    unit = IdQueryField(
        label="发布单位编号", param="unit", required=False, help_text="发布单位（含下级）"
    )
    area = serializers.CharField(required=False, help_text="公开领域编号")
    entry = IdQueryField(label="公开目录事项编号", param="entry", required=False)
    topic = serializers.ChoiceField(choices=Topic.choices, required=False, help_text="主题分类代码")
    document_kind = serializers.ChoiceField(
        choices=DocumentKind.choices, required=False, help_text="文件类型代码"
    )
    year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="年份",
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"), "年份（year）应为1990到2100之间的年份"
        ),
    )  # fmt: skip
    q = serializers.CharField(required=False, max_length=100, help_text="标题中的词")


class OpennessPublicationInput(serializers.Serializer):
    publisher = serializers.IntegerField(min_value=1, help_text="发布单位（单位编号）")
    title = serializers.CharField(max_length=300, help_text="标题")
    body = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="正文（HTML，保存时清理）"
    )
    publisher_label = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="发布机构显示名称（可空）"
    )
    written_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="成文日期"
    )
    formed_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="信息形成或变更日期（计算公开时限）",
    )
    document_number = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="发文字号"
    )
    topic = serializers.CharField(required=False, default="other", help_text="主题分类代码")
    document_kind = serializers.CharField(required=False, default="other", help_text=KIND_HELP)
    validity = serializers.CharField(
        required=False, default="valid", help_text="有效性：valid、expired、abolished"
    )
    validity_changed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="失效/废止日期"
    )
    keywords = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="关键词"
    )
    attribute = serializers.CharField(
        required=False,
        default="proactive",
        help_text="公开属性：proactive 主动公开、on_request 依申请公开、not_disclosed 不予公开",
    )
    non_disclosure_ground = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="不予公开依据代码"
    )
    negative_entry = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="对应负面清单事项编号"
    )
    directory_entry = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="公开目录事项编号"
    )


class OpennessPublicationUpdateInput(OpennessPublicationInput):
    publisher = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False
            f.default = serializers.empty


class OpennessReviewInput(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 通过，false 退回修改")
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="审查意见（退回时必填）"
    )


class OpennessPublishInput(serializers.Serializer):
    at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="定时发布时间（带时区）；为空或已过去则立即发布",
    )


class OpennessRevokeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="撤销原因")


class OpennessValidityInput(serializers.Serializer):
    validity = serializers.CharField(help_text="有效性：valid 有效、expired 失效、abolished 废止")
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="失效/废止日期"
    )


class OpennessStaffAttachmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256"]


class OpennessPublicationStaffOutput(serializers.ModelSerializer):
    publisher = OpennessUnitRef(help_text="发布单位")
    publisher_display = serializers.CharField(help_text="发布机构（显示名称）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态")
    document_kind_label = serializers.CharField(
        source="get_document_kind_display", help_text="文件类型"
    )
    non_disclosure_ground = serializers.CharField(help_text="不予公开依据代码（主动公开时为空）")
    directory_entry = serializers.IntegerField(
        source="directory_entry_id", allow_null=True, help_text="公开目录事项编号"
    )
    negative_entry = serializers.IntegerField(
        source="negative_entry_id", allow_null=True, help_text="负面清单事项编号"
    )
    created_by = serializers.CharField(
        source="created_by.username", allow_null=True, default=None, help_text="起草人"
    )
    submitted_by = serializers.CharField(
        source="submitted_by.username", allow_null=True, default=None, help_text="提交人"
    )
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", allow_null=True, default=None, help_text="保密审查人"
    )
    attachments = OpennessStaffAttachmentOutput(many=True, read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "status",
            "status_label",
            "index_number",
            "publisher",
            "publisher_label",
            "publisher_display",
            "title",
            "body",
            "written_on",
            "formed_on",
            "publish_at",
            "document_number",
            "topic",
            "document_kind",
            "document_kind_label",
            "validity",
            "validity_changed_on",
            "keywords",
            "attribute",
            "non_disclosure_ground",
            "negative_entry",
            "directory_entry",
            "created_by",
            "submitted_by",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "revoked_at",
            "revoke_reason",
            "source_name",
            "source_url",
            "attachments",
            "created_at",
            "updated_at",
        ]


class OpennessAttachmentInput(serializers.Serializer):
    file = serializers.FileField(help_text="PDF、Word、Excel、JPG 或 PNG（按内容识别类型）")


class OpennessInterpretationInput(serializers.Serializer):
    kind = serializers.CharField(help_text="解读形式：text 文字、picture 图片、video 视频")
    title = serializers.CharField(max_length=200, help_text="解读标题")
    text = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="解读文字（HTML，保存时清理）"
    )
    picture = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="解读图片（JPG/PNG）"
    )
    video_url = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="视频地址（https://）"
    )
    video = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="解读视频（MP4 或 WebM）"
    )
    captions = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="字幕文件（WebVTT）"
    )
    poster = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="视频封面（JPG/PNG）"
    )
    transcript = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="视频文字稿（上传视频时必填）"
    )


class OpennessStaffInterpretationOutput(serializers.ModelSerializer):
    has_video = serializers.SerializerMethodField(help_text="是否有上传的视频")

    class Meta:
        model = Interpretation
        fields = ["id", "kind", "title", "text", "video_url", "has_video", "transcript"]

    def get_has_video(self, obj) -> bool:
        return bool(obj.video)
