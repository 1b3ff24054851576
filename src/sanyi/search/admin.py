"""Admin pages: the synonym table (edited through the audited services) and a read-only
view of the query log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from sanyi.core.http import staff_user
from sanyi.search.models import SearchQueryLog, Synonym
from sanyi.search.selectors import can_edit_synonyms
from sanyi.search.services import (
    parse_expansions,
    synonym_create,
    synonym_delete,
    synonym_update,
)


def _is_synonym_editor(request: HttpRequest) -> bool:
    user = request.user
    return not isinstance(user, AnonymousUser) and can_edit_synonyms(user)


class SynonymForm(forms.ModelForm):
    expansions_text = forms.CharField(
        label="对应的规范用语",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个，或用“/”“、”隔开，例如：生育登记 / 出生医学证明",
    )

    class Meta:
        model = Synonym
        fields = ["term", "is_active", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expansions_text"].initial = "\n".join(self.instance.expansions)

    def clean_expansions_text(self) -> list[str]:
        expansions = parse_expansions(self.cleaned_data["expansions_text"])
        if not expansions:
            raise ValidationError("请至少填写一个规范用语")
        return expansions

    def validate_unique(self) -> None:
        # The service checks uniqueness with its own message; the model check would run
        # first and say it less plainly.
        pass


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    form = SynonymForm
    list_display = ["term", "expansion_list", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["term", "note"]
    actions = None  # bulk delete would skip the audit trail

    @admin.display(description="对应的规范用语")
    def expansion_list(self, obj: Synonym) -> str:
        return " / ".join(obj.expansions)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_synonym_editor(request)

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return _is_synonym_editor(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_synonym_editor(request)

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return _is_synonym_editor(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return _is_synonym_editor(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            saved = synonym_update(
                actor=staff_user(request),
                synonym=obj,
                term=data["term"],
                expansions=data["expansions_text"],
                note=data.get("note", ""),
                is_active=data["is_active"],
            )
        else:
            saved = synonym_create(
                actor=staff_user(request),
                term=data["term"],
                expansions=data["expansions_text"],
                note=data.get("note", ""),
                is_active=data["is_active"],
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        synonym_delete(actor=staff_user(request), synonym=obj)


@admin.register(SearchQueryLog)
class SearchQueryLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "text", "kinds", "result_count", "took_ms", "is_anonymous"]
    list_filter = ["is_anonymous"]
    search_fields = ["text"]
    date_hierarchy = "created_at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_synonym_editor(request)

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return _is_synonym_editor(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False
