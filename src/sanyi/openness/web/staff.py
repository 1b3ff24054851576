"""Disclosure officers' pages under /workbench/open/: the home page, publications (draft,
confidentiality check, publish or schedule, revoke, validity) and the timeliness page.

Disclosure officers act on the units of their subtree; supervisors read the same pages
without the buttons. Anyone else gets 403; a record outside the viewer's subtree does not
exist for them (404). Every change goes through one service of ``openness.services``,
which checks the role, the status and the four-eyes rule again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanyi.core.forms import apply_service_errors
from sanyi.core.pagination import keyset_page
from sanyi.core.responses import file_response
from sanyi.openness import selectors, services
from sanyi.openness.choices import DisclosureAttribute, Level, PublicationStatus
from sanyi.openness.models import DirectoryEntry, Publication
from sanyi.openness.readability import THRESHOLD as READABILITY_THRESHOLD
from sanyi.openness.readability import publication_readability
from sanyi.openness.web.editor import EDITOR_CSP, editor_csp
from sanyi.openness.web.forms import (
    AttachmentForm,
    InterpretationForm,
    PublicationFilterForm,
    PublicationForm,
    PublishForm,
    ReviewForm,
    RevokeForm,
    TimelinessFilterForm,
    ValidityForm,
)
from sanyi.openness.web.media import interpretation_part_response
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import has_role

PER_PAGE = 25


def require_openness_staff(request) -> None:
    if not selectors.is_openness_staff(request.user):
        raise PermissionDenied("只有政务公开专员和监督人员可以使用政务公开工作台")


def is_officer_of(user, unit) -> bool:
    return has_role(user, Role.DISCLOSURE_OFFICER, unit)


def _link(url_name: str, fallback: str) -> str:
    """Sections other helpers build may not exist yet; link to their fixed path then."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return fallback


# --- home ----------------------------------------------------------------------------------


def home(request):
    require_openness_staff(request)
    viewer = request.user
    counts = selectors.publication_counts(viewer=viewer)
    overdue = selectors.publication_timeliness(
        viewer=viewer,
        today=timezone.localdate(),
        filters=selectors.TimelinessFilters(state=selectors.Timeliness.OVERDUE),
    )
    context = {
        "counts": counts,
        "overdue_count": sum(len(rows) for rows in overdue.values()),
        "duplicate_count": len(selectors.directory_duplicates(viewer=viewer)),
        "review_count": selectors.review_queue(viewer=viewer).count(),
        "entry_count": selectors.directory_entry_list(viewer=viewer).count(),
        "is_officer": selectors.is_disclosure_officer(viewer),
        "requests_url": _link("workbench:disclosure_requests:home", "/workbench/open/requests/"),
        "reports_url": _link("workbench:annual_reports:home", "/workbench/open/reports/"),
    }
    return render(request, "openness/staff/home.html", context)


# --- publications --------------------------------------------------------------------------


def _units(request, *, officer_only=False):
    return selectors.openness_units(viewer=request.user, officer_only=officer_only)


def publication_list(request):
    require_openness_staff(request)
    form = PublicationFilterForm(request.GET or None, units=_units(request))
    filters = selectors.StaffPublicationFilters()
    entry = None
    if form.is_valid():
        data = form.cleaned_data
        if data["entry"]:
            entry = (
                selectors.directory_entry_list(viewer=request.user).filter(pk=data["entry"]).first()
            )
        filters = selectors.StaffPublicationFilters(
            status=data["status"],
            unit=data["unit"],
            area=data["area"],
            entry=entry,
            topic=data["topic"],
            document_kind=data["document_kind"],
            year=data["year"],
            text=data["q"],
        )
    publications = selectors.publication_list(viewer=request.user, filters=filters)
    page = keyset_page(request.GET, publications, per_page=PER_PAGE, name="openness.staff")
    return render(
        request,
        "openness/staff/publication_list.html",
        {
            "form": form,
            "page": page,
            "entry": entry,
            "review_count": selectors.review_queue(viewer=request.user).count(),
            "can_create": selectors.is_disclosure_officer(request.user),
        },
    )


def review_list(request):
    require_openness_staff(request)
    return render(
        request,
        "openness/staff/review_list.html",
        {"publications": list(selectors.review_queue(viewer=request.user))},
    )


def _publication_or_404(request, pk: int) -> Publication:
    require_openness_staff(request)
    try:
        return selectors.publication_staff_get(viewer=request.user, pk=pk)
    except Publication.DoesNotExist:
        raise Http404("这条信息不存在或不在您的管辖范围内") from None


def _entries(request):
    return (
        selectors.directory_entry_list(viewer=request.user)
        .filter(is_active=True)
        .select_related("area", "org_unit")
    )


def _negatives(request):
    return selectors.negative_entry_list(viewer=request.user).filter(is_active=True)


def _publication_form(request, *, data=None, initial=None, editing=False):
    return PublicationForm(
        data,
        initial=initial,
        units=_units(request, officer_only=True),
        entries=_entries(request),
        negatives=_negatives(request),
        editing=editing,
    )


@editor_csp
def publication_create(request):
    require_openness_staff(request)
    if not selectors.is_disclosure_officer(request.user):
        raise PermissionDenied("只有政务公开专员可以起草政府信息")
    form = _publication_form(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pub = services.publication_create(
                actor=request.user,
                publisher=form.cleaned_data["publisher"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "草稿已保存。可以上传附件，写好后提交保密审查。")
            return redirect("workbench:openness:publication", pk=pub.pk)
    return render(
        request,
        "openness/staff/publication_form.html",
        {"form": form, "publication": None},
        status=400 if form.errors else 200,
    )


def _initial(pub: Publication) -> dict:
    fields = [
        "title", "body", "publisher_label", "document_number", "written_on", "formed_on",
        "directory_entry", "topic", "document_kind", "keywords", "attribute",
        "non_disclosure_ground", "negative_entry", "validity", "validity_changed_on",
    ]  # fmt: skip
    return {name: getattr(pub, name) for name in fields}


@editor_csp
def publication_edit(request, pk: int):
    pub = _publication_or_404(request, pk)
    if not is_officer_of(request.user, pub.publisher):
        raise PermissionDenied("只有本单位的政务公开专员可以修改")
    if pub.status != PublicationStatus.DRAFT:
        messages.error(request, f"“{pub.get_status_display()}”状态的信息不能修改。")
        return redirect("workbench:openness:publication", pk=pub.pk)
    form = _publication_form(
        request, data=request.POST or None, initial=_initial(pub), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_update(
                actor=request.user, publication=pub, **form.service_fields()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect("workbench:openness:publication", pk=pub.pk)
    return render(
        request,
        "openness/staff/publication_form.html",
        {"form": form, "publication": pub},
        status=400 if form.errors else 200,
    )


def _detail_context(request, pub: Publication, **forms) -> dict:
    officer = is_officer_of(request.user, pub.publisher)
    due = None
    if pub.directory_entry_id and pub.formed_on:
        due = selectors.publish_by(pub.directory_entry, pub.formed_on)
    is_author = request.user.pk in pub.author_ids()
    return {
        "publication": pub,
        "is_officer": officer,
        "is_author": is_author,
        "due": due,
        "is_public": selectors.is_public(pub),
        "can_publish": pub.attribute == DisclosureAttribute.PROACTIVE,
        "publish_form": forms.get("publish_form") or PublishForm(),
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
        "validity_form": forms.get("validity_form")
        or ValidityForm(initial={"validity": pub.validity, "on": pub.validity_changed_on}),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "interpretation_form": forms.get("interpretation_form") or InterpretationForm(),
        "readability": publication_readability(pub),
        "readability_threshold": READABILITY_THRESHOLD,
    }


@editor_csp
def publication_detail(request, pk: int):
    pub = _publication_or_404(request, pk)
    return render(request, "openness/staff/publication_detail.html", _detail_context(request, pub))


def _action_failed(request, pub, exc, **forms):
    """Re-show the record with the refused form's messages (status 400)."""
    for form in forms.values():
        apply_service_errors(form, exc)
    response = render(
        request,
        "openness/staff/publication_detail.html",
        _detail_context(request, pub, **forms),
        status=400,
    )
    response._csp_update = EDITOR_CSP  # type: ignore[attr-defined]
    return response


@require_POST
def publication_submit(request, pk: int):
    pub = _publication_or_404(request, pk)
    try:
        services.publication_submit(actor=request.user, publication=pub)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已提交保密审查，请另一名政务公开专员审查。")
    return redirect("workbench:openness:publication", pk=pub.pk)


def publication_review(request, pk: int):
    pub = _publication_or_404(request, pk)
    form = ReviewForm(request.POST or None)
    is_author = request.user.pk in pub.author_ids()
    officer = is_officer_of(request.user, pub.publisher)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.publication_review(
                    actor=request.user,
                    publication=pub,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                approved = form.cleaned_data["decision"] == "approve"
                messages.success(
                    request, "审查通过，可以发布。" if approved else "已退回起草人修改。"
                )
                return redirect("workbench:openness:publication", pk=pub.pk)
        status = 400
    return render(
        request,
        "openness/staff/review.html",
        {
            "publication": pub,
            "form": form,
            "is_author": is_author,
            "is_officer": officer,
            "readability": publication_readability(pub),
            "readability_threshold": READABILITY_THRESHOLD,
        },
        status=status,
    )


@require_POST
def publication_publish(request, pk: int):
    pub = _publication_or_404(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _action_failed(request, pub, ValidationError([]), publish_form=form)
    try:
        pub = services.publication_publish(
            actor=request.user, publication=pub, at=form.cleaned_data["at"]
        )
    except ValidationError as exc:
        return _action_failed(request, pub, exc, publish_form=form)
    if pub.status == PublicationStatus.SCHEDULED:
        local = timezone.localtime(pub.publish_at)
        messages.success(request, f"已定时发布，将于{local:%Y年%m月%d日 %H:%M}自动公开。")
    else:
        messages.success(request, f"已发布，索引号 {pub.index_number}。")
    return redirect("workbench:openness:publication", pk=pub.pk)


@require_POST
def publication_revoke(request, pk: int):
    pub = _publication_or_404(request, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _action_failed(request, pub, ValidationError([]), revoke_form=form)
    try:
        services.publication_revoke(
            actor=request.user, publication=pub, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        return _action_failed(request, pub, exc, revoke_form=form)
    messages.success(request, "已撤销，这条信息不再公开。")
    return redirect("workbench:openness:publication", pk=pub.pk)


@require_POST
def publication_validity(request, pk: int):
    pub = _publication_or_404(request, pk)
    form = ValidityForm(request.POST)
    if not form.is_valid():
        return _action_failed(request, pub, ValidationError([]), validity_form=form)
    try:
        services.publication_validity_set(
            actor=request.user,
            publication=pub,
            validity=form.cleaned_data["validity"],
            on=form.cleaned_data["on"],
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "validity_changed_on" in exc.error_dict:
            exc = ValidationError({"on": exc.error_dict["validity_changed_on"]})
        return _action_failed(request, pub, exc, validity_form=form)
    messages.success(request, "有效性已更新。")
    return redirect("workbench:openness:publication", pk=pub.pk)


@require_POST
def publication_attachment(request, pk: int):
    pub = _publication_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _action_failed(request, pub, ValidationError([]), attachment_form=form)
    try:
        services.publication_attachment_add(
            actor=request.user, publication=pub, uploaded=form.cleaned_data["attachment"]
        )
    except ValidationError as exc:
        return _action_failed(request, pub, exc, attachment_form=form)
    messages.success(request, "附件已上传。")
    return redirect("workbench:openness:publication", pk=pub.pk)


@require_POST
def publication_interpretation(request, pk: int):
    pub = _publication_or_404(request, pk)
    form = InterpretationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _action_failed(request, pub, ValidationError([]), interpretation_form=form)
    data = form.cleaned_data
    try:
        services.interpretation_create(
            actor=request.user,
            policy=pub,
            kind=data["kind"],
            title=data["title"],
            text=data["text"],
            picture=data["picture"],
            video_url=data["video_url"],
            video=(
                services.VideoUpload(
                    data["video"], data["captions"], data["poster"], data["transcript"]
                )
                if data["video"]
                else None
            ),
        )
    except ValidationError as exc:
        return _action_failed(request, pub, exc, interpretation_form=form)
    messages.success(request, "政策解读已添加，随文件一起公开。")
    return redirect("workbench:openness:publication", pk=pub.pk)


# --- timeliness ----------------------------------------------------------------------------


def timeliness(request):
    require_openness_staff(request)
    form = TimelinessFilterForm(request.GET or None, units=_units(request))
    filters = selectors.TimelinessFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.TimelinessFilters(
            level=data["level"], unit=data["unit"], state=data["state"]
        )
    today = timezone.localdate()
    grouped = selectors.publication_timeliness(viewer=request.user, today=today, filters=filters)
    groups = []
    labels = selectors.Timeliness.LABELS
    totals = dict.fromkeys(labels, 0)
    for (level, unit), rows in grouped.items():
        counts = dict.fromkeys(selectors.Timeliness.LABELS, 0)
        for row in rows:
            counts[row.state] += 1
            totals[row.state] += 1
        badges = [(code, label, counts[code]) for code, label in labels.items() if counts[code]]
        groups.append({"level": Level(level).label, "unit": unit, "rows": rows, "badges": badges})
    return render(
        request,
        "openness/staff/timeliness.html",
        {
            "form": form,
            "groups": groups,
            "summary": [(code, label, totals[code]) for code, label in labels.items()],
            "today": today,
        },
    )


def entry_publications_url(entry: DirectoryEntry) -> str:
    return reverse("workbench:openness:publications") + f"?entry={entry.pk}"


def publication_interpretation_media(request, pk: int, interpretation_id: int, part: str):
    """An uploaded interpretation video, its captions or poster, for staff in the record's
    scope, so the reviewer watches it before the record is published."""
    pub = _publication_or_404(request, pk)
    item = next((i for i in pub.interpretations.all() if i.pk == interpretation_id), None)
    if item is None:
        raise Http404("没有这条解读")
    return interpretation_part_response(request, item, part)


def publication_attachment_download(request, pk: int, attachment_id: int):
    """A file of any record in the viewer's scope (the reviewer reads drafts' files too)."""
    pub = _publication_or_404(request, pk)
    attachment = next((a for a in pub.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404("没有这个附件")
    return file_response(
        attachment.file.open("rb"), attachment.original_name, attachment.content_type
    )
