"""Admin pages for the calendar, open to system administrators only.

Every save and delete goes through ``calendar.services`` so that it is checked the same way
as ``sanyi calendar load``, audited, recorded as a CalendarChange and announced to the apps
that recompute deadlines. The admin never writes the tables itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from sanyi.calendar.models import CalendarChange, CalendarDay, CalendarYear, DayKind
from sanyi.calendar.notice import load_json, parse_notice, weekday_label
from sanyi.calendar.services import (
    calendar_day_check,
    calendar_day_remove,
    calendar_day_set,
    calendar_year_load,
    calendar_year_remove,
    calendar_year_update,
)
from sanyi.core.http import staff_user
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths

if TYPE_CHECKING:
    from sanyi.orgs.models import User

MAX_NOTICE_FILE_BYTES = 1024 * 1024


def is_system_admin(user: User | AnonymousUser) -> bool:
    return not isinstance(user, AnonymousUser) and bool(scope_paths(user, Role.SYSTEM_ADMIN))


class SystemAdminOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return is_system_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return is_system_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return is_system_admin(request.user)


def _copy_saved(target: Any, saved: Any) -> None:
    """Make the admin's unsaved instance the row the service saved (for its log and redirect)."""
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


class CalendarYearUploadForm(forms.ModelForm):
    notice_file = forms.FileField(
        label="节假日安排文件",
        help_text="一年的节假日安排，JSON格式（见docs/calendar.md）。已载入的年份将整体替换。",
    )

    class Meta:
        model = CalendarYear
        fields: list[str] = []

    def clean_notice_file(self) -> Any:
        upload = self.cleaned_data["notice_file"]
        if upload.size > MAX_NOTICE_FILE_BYTES:
            raise ValidationError("文件超过1MB，不像是一年的节假日安排，请检查")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("文件不是UTF-8编码的文字文件") from None
        self.notice = parse_notice(load_json(text, upload.name))
        return upload


@admin.register(CalendarYear)
class CalendarYearAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["year", "notice_number", "published_on", "loaded_at"]
    ordering = ["-year"]

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = CalendarYearUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("notice_file",)
        return (
            "year",
            "notice_title",
            "notice_number",
            "published_on",
            "source",
            "notes",
            "loaded_at",
            "days",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any | None = None) -> list[str]:
        return [] if obj is None else ["year", "loaded_at", "days"]

    @admin.display(description="节假日与调休上班日")
    def days(self, obj: Any) -> str:
        rows = CalendarDay.objects.filter(date__year=obj.year).order_by("date")
        return format_html_join(
            "",
            "<div>{}（{}）{}：{}</div>",
            ((d.date, weekday_label(d.date), d.get_kind_display(), d.name) for d in rows),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            saved = calendar_year_update(
                actor=staff_user(request),
                calendar_year=obj,
                notice_title=obj.notice_title,
                notice_number=obj.notice_number,
                published_on=obj.published_on,
                source=obj.source,
                notes=obj.notes,
            )
        else:
            saved = calendar_year_load(actor=staff_user(request), data=form.notice)
        _copy_saved(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        calendar_year_remove(actor=staff_user(request), year=obj.year)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for row in queryset:
            calendar_year_remove(actor=staff_user(request), year=row.year)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        day = cleaned.get("date") or (self.instance.date if self.instance.pk else None)
        if day and cleaned.get("kind"):
            try:
                cleaned["kind"], cleaned["name"] = calendar_day_check(
                    day=day, kind=cleaned["kind"], name=cleaned.get("name", "")
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(SystemAdminOnly, admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any | None = None) -> list[str]:
        # A day is moved by deleting it and adding the new date, so each is one change.
        return ["date"] if obj is not None else []

    @admin.display(description="星期")
    def weekday(self, obj: Any) -> str:
        return weekday_label(obj.date)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = calendar_day_set(
            actor=staff_user(request), day=obj.date, kind=DayKind(obj.kind), name=obj.name
        )
        _copy_saved(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        calendar_day_remove(actor=staff_user(request), day=obj.date)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for row in queryset:
            calendar_day_remove(actor=staff_user(request), day=row.date)


@admin.register(CalendarChange)
class CalendarChangeAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "action", "summary"]
    list_filter = ["action"]
    readonly_fields = ("created_at", "actor_label", "action", "years", "dates", "summary")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False
