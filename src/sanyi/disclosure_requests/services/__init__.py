"""Handling requests for information: intake, clocks, replies, fees and appeals.

Every write names its actor (a staff User, a ``SystemActor``, or a label such as
"系统：定时任务" or "申请人：4301****123X"), runs in one transaction, writes an audit row and
a ledger row (``RequestEvent``), and writes the applicant's or the staff's notifications in
the same transaction. Every action takes ``on``: the day it happened (default today, never
in the future), so history can be entered late and the demo can replay it.

A staff actor must be a disclosure officer of the agency (or of a unit above it); a window
clerk may also register requests handed in at the counter.

This package is the app's public API: every name other apps, pages, the API and the
commands use is importable from here. The modules follow the stages of a request:
registration (numbers, applicants, intake, confirmation), corrections (Art. 30),
consultation (Art. 32, Art. 33 ¶3), what a granting reply carries (carriers), fees
(Art. 42), replies (Art. 36, withdrawal), downloads, deadlines (extension, lapses,
recomputation), warnings and review (appeals). ``_common`` holds the steps they share;
status transitions go through ``sanyi.core.transitions``.
"""

from sanyi.disclosure_requests.services._common import (
    AGENCY_KINDS,
    DEFAULT_BASIS,
    LAPSE_OUTCOMES,
    QUERY_CODE_ALPHABET,
    QUERY_CODE_LENGTH,
    REG,
    SYSTEM_TASK,
    WITHHOLD_OUTCOMES,
)
from sanyi.disclosure_requests.services.carriers import MAX_FILES, Carriers
from sanyi.disclosure_requests.services.consultation import (
    request_agency_consultation_end,
    request_agency_consultation_start,
    request_consultation_end,
    request_consultation_start,
)
from sanyi.disclosure_requests.services.corrections import (
    request_correction_notice,
    request_correction_received,
)
from sanyi.disclosure_requests.services.deadlines import (
    request_extend,
    request_recompute,
    requests_close_lapsed,
    requests_recompute_open,
)
from sanyi.disclosure_requests.services.downloads import request_file_download
from sanyi.disclosure_requests.services.fees import (
    monthly_ordinal,
    request_fee_notice,
    request_fee_paid,
)
from sanyi.disclosure_requests.services.registration import (
    Submission,
    allocate_number,
    applicant_column_of,
    applicant_for_request,
    query_code_matches,
    request_assign,
    request_confirm,
    request_contact,
    request_register,
    request_submit_online,
)
from sanyi.disclosure_requests.services.replies import request_reply, request_withdraw
from sanyi.disclosure_requests.services.review import appeal_conclude, appeal_record
from sanyi.disclosure_requests.services.warnings import requests_warn

__all__ = [
    "AGENCY_KINDS",
    "DEFAULT_BASIS",
    "LAPSE_OUTCOMES",
    "MAX_FILES",
    "QUERY_CODE_ALPHABET",
    "QUERY_CODE_LENGTH",
    "REG",
    "SYSTEM_TASK",
    "WITHHOLD_OUTCOMES",
    "Carriers",
    "Submission",
    "allocate_number",
    "appeal_conclude",
    "appeal_record",
    "applicant_column_of",
    "applicant_for_request",
    "monthly_ordinal",
    "query_code_matches",
    "request_agency_consultation_end",
    "request_agency_consultation_start",
    "request_assign",
    "request_confirm",
    "request_consultation_end",
    "request_consultation_start",
    "request_contact",
    "request_correction_notice",
    "request_correction_received",
    "request_extend",
    "request_fee_notice",
    "request_fee_paid",
    "request_file_download",
    "request_recompute",
    "request_register",
    "request_reply",
    "request_submit_online",
    "request_withdraw",
    "requests_close_lapsed",
    "requests_recompute_open",
    "requests_warn",
]
