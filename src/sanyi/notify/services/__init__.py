"""Writing notifications and recording their delivery.

``notify_applicant`` and ``notify_staff`` are called by other apps inside their own
transaction. They write the inbox row (the in-app channel) and one outbox row per external
channel, and arrange for delivery after commit: a rolled-back transaction sends nothing.

Delivery (``outbox_deliver``) claims one row with a conditional UPDATE, so two workers never
send the same row; a failure is retried with exponential backoff and jitter, and after
``SANYI_NOTIFY_MAX_ATTEMPTS`` attempts the row is marked dead (a staff admin may re-queue it).

This package is the app's public API; callers import from here, never a module in it:
messages (writing and reading the inbox), bulk (many staff notices at once, for the daily
jobs), delivery (the outbox) and webhooks (the subscriptions).
"""

from sanyi.notify.services.bulk import (
    StaffNotice,
    notify_staff_many,
    staff_recipients_many,
)
from sanyi.notify.services.delivery import (
    DUE_STATUSES,
    SWEEPER_ACTOR,
    _finish,
    backoff_base_seconds,
    backoff_delay,
    backoff_max_seconds,
    max_attempts,
    outbox_claim,
    outbox_deliver,
    outbox_deliver_due,
    outbox_keep_days,
    outbox_prune,
    outbox_release_stuck,
    outbox_requeue,
    sending_timeout,
)
from sanyi.notify.services.messages import (
    enqueue_delivery,
    is_mobile,
    message_mark_read,
    messages_mark_all_read,
    notify_applicant,
    notify_staff,
    platform_admins,
    staff_recipients,
    staff_sms_enabled,
)
from sanyi.notify.services.webhooks import (
    SUBSCRIPTION_FIELDS,
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_update,
)

__all__ = [
    "DUE_STATUSES",
    "SUBSCRIPTION_FIELDS",
    "SWEEPER_ACTOR",
    "StaffNotice",
    "_finish",
    "backoff_base_seconds",
    "backoff_delay",
    "backoff_max_seconds",
    "enqueue_delivery",
    "is_mobile",
    "max_attempts",
    "message_mark_read",
    "messages_mark_all_read",
    "notify_applicant",
    "notify_staff",
    "notify_staff_many",
    "outbox_claim",
    "outbox_deliver",
    "outbox_deliver_due",
    "outbox_keep_days",
    "outbox_prune",
    "outbox_release_stuck",
    "outbox_requeue",
    "platform_admins",
    "sending_timeout",
    "staff_recipients",
    "staff_recipients_many",
    "staff_sms_enabled",
    "webhook_subscription_create",
    "webhook_subscription_delete",
    "webhook_subscription_update",
]
