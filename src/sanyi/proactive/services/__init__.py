"""The public API of proactive offers (主动服务): rules, the daily run, opt-out."""

from sanyi.proactive.services.offers import (
    proactive_offer_apply,
    proactive_offer_confirm,
    proactive_offer_open,
)
from sanyi.proactive.services.opt_out import proactive_opt_in, proactive_opt_out
from sanyi.proactive.services.rules import (
    params_problems,
    proactive_rule_create,
    proactive_rule_publish,
    proactive_rule_retire,
    proactive_rule_update,
    rule_test_failures,
)
from sanyi.proactive.services.run import (
    OfferPlan,
    apply_link,
    offer_link,
    proactive_run,
    rule_plans,
)

__all__ = [
    "OfferPlan",
    "apply_link",
    "offer_link",
    "params_problems",
    "proactive_offer_apply",
    "proactive_offer_confirm",
    "proactive_offer_open",
    "proactive_opt_in",
    "proactive_opt_out",
    "proactive_rule_create",
    "proactive_rule_publish",
    "proactive_rule_retire",
    "proactive_rule_update",
    "proactive_run",
    "rule_plans",
    "rule_test_failures",
]
