"""Every audit action code the code base writes has a plain Chinese name (audit.actions).

The codes are found in the source: ``action="app.verb"`` (also in a conditional), the
transition helper's ``step.audit("app.verb")``, and the apps' ``_audit``/``_audit_step``
wrappers (the cases app's wrappers add the ``cases.`` prefix themselves).
"""

from __future__ import annotations

import re
from pathlib import Path

from sanyi.audit.actions import ACTION_NAMES, action_name

SRC = Path(__file__).resolve().parents[2]
CODE = r'"([a-z_]+\.[a-z_]+)"'
PATTERNS = [
    re.compile(r"action\s*=\s*" + CODE),
    re.compile(r"action\s*=\s*" + CODE + r"\s+if\s+[^\n]+?\s+else\s+" + CODE),
    re.compile(r"\.audit\(\s*" + CODE),
    re.compile(r"\b_audit(?:_step)?\(\s*[a-z_.]+\s*,\s*" + CODE),
]
CASES_WRAPPER = re.compile(r'\b_audit(?:_step)?\(\s*[a-z_.]+\s*,\s*"([a-z_]+)"')


def written_codes() -> dict[str, str]:
    """Every action code in the source, with a file that writes it."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).parts
        if "tests" in parts or "migrations" in parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            for match in pattern.finditer(text):
                for code in filter(None, match.groups()):
                    found.setdefault(code, str(path.relative_to(SRC)))
        if parts[0] == "cases":
            for match in CASES_WRAPPER.finditer(text):
                found.setdefault(f"cases.{match.group(1)}", str(path.relative_to(SRC)))
    return found


def test_the_scan_finds_the_codes_it_should():
    # A scan that finds nothing would pass the test below; check it sees known writers.
    codes = written_codes()
    assert len(codes) > 100
    for code in ["publication.create", "staff.totp_device_create", "cases.accept"]:
        assert code in codes
    assert "appointments.schedule_pause" in codes  # written in a conditional


def test_every_written_action_code_has_a_chinese_name():
    missing = {code: where for code, where in written_codes().items() if code not in ACTION_NAMES}

    assert missing == {}, f"add these to sanyi/audit/actions.py: {missing}"


def test_names_are_chinese_and_unknown_codes_fall_back_to_the_verb():
    assert action_name("publication.create") == "新建公开信息"
    assert action_name("staff.totp_device_create") == "为工作人员设置手机验证器"
    assert action_name("something_new.update") == "修改"
    assert action_name("something_new.frobnicate") == "其他操作"
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in ACTION_NAMES.values())
