"""Writing cases (办件): from the first save to the delivered result.

Every function is keyword-only, names its ``actor`` (a staff User, an applicant's
``audit_label`` such as "申请人：4301****123X", or a system actor such as "系统：定时任务"),
runs in one transaction, writes the case's ledger (``CaseEvent``) and an audit row, and
writes notifications through sanyi.notify (delivered after commit). ``on`` is the business
day of the action (default today, never in the future) so history can be replayed.

Staff actors are checked here against their roles (sanyi.orgs.permissions); applicant and
system labels are trusted: the applicant pages check that the signed-in applicant owns the
case before they call a service.

This package is the app's public API: every name pages, the API, the commands, the demo
and other apps use is importable from here. The modules follow the stages of a case:
intake (start, drafts, uploads, submit), prechecks, acceptance, routing (where each step
goes, and the tasks), deadlines (clock stops, extensions, recomputation), warnings,
conclusion (and withdrawal), delivery and visits. ``_common`` holds the steps they share.
"""

from sanyi.cases.services._common import (
    CENTER_LEVELS,
    STAFF_ROLES,
    SYSTEM_TASKS,
    UPLOAD_TYPES,
    WARNING_ORDER,
    correction_days,
    correction_due,
    version_in_force,
)
from sanyi.cases.services.acceptance import (
    case_accept,
    case_conclude_instant,
    case_start_at_counter,
)
from sanyi.cases.services.bundles import (
    BUNDLE_CHECK_CHOICES,
    BUNDLE_CHECKED,
    BUNDLE_MISSING,
    BUNDLE_TO_FIX,
    BundleAcceptance,
    bundle_accept,
    bundle_apply,
    bundle_area,
    bundle_clean_answers,
    bundle_member_start,
    bundle_uploads_needed,
    bundles_after_conclusion,
    bundles_start_waiting,
)
from sanyi.cases.services.conclusion import case_conclude, case_withdraw
from sanyi.cases.services.counter import case_walk_in_cancel
from sanyi.cases.services.deadlines import (
    case_extend,
    case_recompute_due,
    cases_recompute_for_years,
    clock_restart,
    clock_stop,
)
from sanyi.cases.services.delivery import case_deliver, case_receipt_number
from sanyi.cases.services.eligibility import case_eligibility_confirm, case_eligibility_require
from sanyi.cases.services.intake import (
    UPLOAD_STATUSES,
    case_material_reuse,
    case_material_upload,
    case_start,
    case_submit,
    case_update_draft,
    check_material_upload,
)
from sanyi.cases.services.prechecks import case_precheck, case_resubmit
from sanyi.cases.services.privacy import case_applicant_id_reveal
from sanyi.cases.services.reuse import case_materials_autofill
from sanyi.cases.services.routing import center_may_accept, step_unit, task_act, task_claim
from sanyi.cases.services.visits import visit_record
from sanyi.cases.services.warnings import case_update_warnings

__all__ = [
    "BUNDLE_CHECKED",
    "BUNDLE_CHECK_CHOICES",
    "BUNDLE_MISSING",
    "BUNDLE_TO_FIX",
    "CENTER_LEVELS",
    "STAFF_ROLES",
    "SYSTEM_TASKS",
    "UPLOAD_STATUSES",
    "UPLOAD_TYPES",
    "WARNING_ORDER",
    "BundleAcceptance",
    "bundle_accept",
    "bundle_apply",
    "bundle_area",
    "bundle_clean_answers",
    "bundle_member_start",
    "bundle_uploads_needed",
    "bundles_after_conclusion",
    "bundles_start_waiting",
    "case_accept",
    "case_applicant_id_reveal",
    "case_conclude",
    "case_conclude_instant",
    "case_deliver",
    "case_eligibility_confirm",
    "case_eligibility_require",
    "case_extend",
    "case_material_reuse",
    "case_material_upload",
    "case_materials_autofill",
    "case_precheck",
    "case_receipt_number",
    "case_recompute_due",
    "case_resubmit",
    "case_start",
    "case_start_at_counter",
    "case_submit",
    "case_update_draft",
    "case_update_warnings",
    "case_walk_in_cancel",
    "case_withdraw",
    "cases_recompute_for_years",
    "center_may_accept",
    "check_material_upload",
    "clock_restart",
    "clock_stop",
    "correction_days",
    "correction_due",
    "step_unit",
    "task_act",
    "task_claim",
    "version_in_force",
    "visit_record",
]
