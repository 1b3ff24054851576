from django.urls import reverse
from rest_framework import serializers

from sanyi.openness.choices import Topic
from sanyi.openness.models import Attachment, Interpretation, Publication


class OpennessPublicationQuery(serializers.Serializer):
    unit = serializers.IntegerField(
        required=False, min_value=1, help_text="发布单位编号（含下级单位）",
        error_messages={"invalid": "发布单位（unit）应为单位编号，例如 12"},
    )  # fmt: skip
    topic = serializers.CharField(
        required=False, help_text="主题分类代码：" + "、".join(Topic.values)
    )
    year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="发布年份",
        error_messages={"invalid": "发布年份（year）应为四位数字，例如 2026"},
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

    class Meta:
        model = Publication
        fields = [
            "id", "index_number", "title", "publisher", "publisher_unit", "topic",
            "topic_label", "written_on", "publish_at", "document_number", "validity",
            "validity_changed_on", "keywords", "url",
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

    class Meta:
        model = Interpretation
        fields = ["kind", "title", "text", "video_url"]


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
