"""The demo's 一件事 applications: one per demo life event with ordered members, and the
开办餐饮店 one carried on until its first member concluded, so the waiting members have
started with the business licence attached by itself (docs/cases-applying.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sanyi.cases import services
from sanyi.cases.choices import CaseStatus
from sanyi.catalog.models import LifeEvent
from sanyi.catalog.selectors import life_event_plan

DEMO_EVENTS = ("孩子出生", "退休", "开办餐饮店", "身后事")
CARRIED_ON = "开办餐饮店"


def load_bundles(plan) -> list[str]:
    """Apply for each demo life event as a demo resident; the notes of what was made."""
    notes = []
    for i, name in enumerate(DEMO_EVENTS):
        event = LifeEvent.objects.filter(name=name).first()
        if event is None or not plan.persons:
            continue
        person = plan.persons[(i * 7) % len(plan.persons)]
        answers = {f["name"]: "yes" for f in event.fields}
        needed = services.bundle_uploads_needed(
            life_event_plan(event, services.bundle_clean_answers(event, answers))
        )
        uploads = {
            m: SimpleUploadedFile(f"{m}.pdf", plan.pdf, content_type="application/pdf")
            for m in needed
        }
        try:
            bundle = services.bundle_apply(
                applicant=person,
                life_event=event,
                answers=answers,
                uploads=uploads,
                actor=person.audit_label,
                on=plan.wd(3),
            )
        except ValidationError as exc:
            notes.append(f"一件事“{name}”未能申请：{'；'.join(exc.messages)}")
            continue
        if name == CARRIED_ON:
            _carry_on(plan, bundle)
        notes.append(f"一件事“{name}”：申请编号{bundle.number}，{bundle.members.count()}个事项")
    return notes


def _carry_on(plan, bundle) -> None:
    """Pre-check, accept and conclude the members that started; those waiting start."""
    for member in bundle.members.select_related("case").order_by("position"):
        case = member.case
        if case.status != CaseStatus.PRECHECK:
            continue
        case = plan.accept(plan.precheck(case, plan.wd(2)), plan.wd(2))
        plan.finish(case, 1)
    services.bundles_start_waiting()
