"""The public API of proactive offers (主动服务): rules, the daily run, opt-out."""

from sanyi.proactive.services.opt_out import proactive_opt_in, proactive_opt_out
from sanyi.proactive.services.rules import (
    params_problems,
    proactive_rule_create,
    proactive_rule_publish,
    rule_test_failures,
)
from sanyi.proactive.services.run import OfferPlan, apply_link, proactive_run, rule_plans

__all__ = [
    "OfferPlan",
    "apply_link",
    "params_problems",
    "proactive_opt_in",
    "proactive_opt_out",
    "proactive_rule_create",
    "proactive_rule_publish",
    "proactive_run",
    "rule_plans",
    "rule_test_failures",
]
