"""The search index (documents and their facets), colloquial synonyms, and the query log.

The full-text part of the index is not a Django field: on SQLite it is the FTS5 table
``search_fts`` (rowid = SearchDocument.id), on PostgreSQL the generated tsvector columns
``search_vector`` and ``title_vector`` with GIN indexes. They are created in migrations
0002 and 0008 and written only by ``search.services`` (SQLite) or by PostgreSQL itself; see
docs/adr/0002-chinese-search.md.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sanyi.orgs.models import OrgUnit


class SearchDocument(models.Model):
    """One searchable thing of another app (an item, a life event, a publication)."""

    kind = models.CharField("类别", max_length=40)
    object_id = models.CharField("对象编号", max_length=64)
    title = models.CharField("标题", max_length=300)
    url = models.CharField("链接", max_length=500, blank=True)
    summary = models.CharField("摘要", max_length=500, blank=True)
    body = models.TextField("正文", blank=True)
    is_public = models.BooleanField("公开", default=False)
    org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="所属单位",
    )
    # Copy of org_unit.path, so "everything under this unit" is one prefix test on the row.
    org_path = models.CharField("单位路径", max_length=255, blank=True)
    sort_date = models.DateTimeField("日期", null=True, blank=True)
    # How much use the document sees (set by the owning app, e.g. searches that led to an
    # item and applications for it); a tie-breaker and a bounded boost of the score.
    weight = models.IntegerField("排序权重", default=0)
    # Documents of one kind with the same key are one thing implemented in several places
    # (one base item, a guide per subdistrict): a search shows them as one result that
    # opens the resident's own area's document. Blank: the document stands alone.
    collapse_key = models.CharField("合并键", max_length=64, blank=True)
    # Pre-segmented text, space-separated (see search.text.index_tokens).
    title_tokens = models.TextField("标题分词", blank=True)
    tokens = models.TextField("全文分词", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_key"),
        ]
        indexes = [
            models.Index(
                fields=["kind", "is_public", "-weight", "-sort_date"], name="search_doc_browse"
            ),
            models.Index(fields=["org_path"], name="search_doc_org_path"),
            models.Index(fields=["updated_at"], name="search_doc_updated"),
            models.Index(fields=["kind", "collapse_key"], name="search_doc_collapse"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchFacet(models.Model):
    """One facet value of a document (level=district, theme=birth…); many per name allowed."""

    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="facets", verbose_name="文档"
    )
    name = models.CharField("筛选项", max_length=40)
    value = models.CharField("值", max_length=100)

    class Meta:
        verbose_name = "检索筛选值"
        verbose_name_plural = "检索筛选值"
        constraints = [
            models.UniqueConstraint(
                fields=["document", "name", "value"], name="search_facet_unique"
            ),
        ]
        # The documents of a facet value, read from the index alone (a covering index on
        # SQLite, an index-only scan on PostgreSQL): a filter without words yields its
        # documents, and on PostgreSQL a count over every match of a word reads the rows of
        # the facet's name, without touching the table. A filter with words tests each
        # match by document id (search_facet_unique).
        indexes = [
            models.Index(fields=["name", "value", "document"], name="search_facet_name_value_doc")
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Synonym(models.Model):
    """A word residents say and the official terms it stands for: 低保 → 最低生活保障."""

    term = models.CharField("群众用语", max_length=20, unique=True)
    expansions = models.JSONField("对应的规范用语", default=list)
    is_active = models.BooleanField("启用", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ["term"]
        constraints = [
            models.CheckConstraint(condition=~Q(term=""), name="search_synonym_term_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {' / '.join(self.expansions)}"


class SearchQueryLog(models.Model):
    """One search as typed, for demand analysis. No user, no address: only what was asked
    (ID and phone numbers masked), where, and how it went."""

    text = models.CharField("搜索内容", max_length=100, blank=True)
    kinds = models.CharField("搜索范围", max_length=200)
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    result_count = models.PositiveIntegerField("结果数")
    took_ms = models.PositiveIntegerField("用时（毫秒）")
    is_anonymous = models.BooleanField("未登录", default=True)
    # Something was found, but nothing matched in a title: the best result only mentions
    # the words somewhere in its text (see search.selectors.POOR_RESULT_RULE).
    is_poor = models.BooleanField("结果不理想", default=False)
    # "kind:object_id" of the first result, so an owning app can count the searches that
    # led to each of its documents.
    top_result = models.CharField("第一条结果", max_length=110, blank=True)
    created_at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "搜索记录"
        verbose_name_plural = "搜索记录"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["result_count", "created_at"], name="search_log_zero"),
            models.Index(fields=["is_poor", "created_at"], name="search_log_poor"),
            models.Index(fields=["top_result", "created_at"], name="search_log_top"),
        ]

    def __str__(self) -> str:
        return f"{self.text or '（浏览）'} · {self.result_count}条"
