"""Figures of a fuzzing run from schemathesis' NDJSON events: requests sent, server
errors, schema violations (``python -m sanyi.api.fuzz.summary events.ndjson NAME``)."""

from __future__ import annotations

import json
import sys
from collections import Counter

SERVER_ERROR_CHECKS = {"not_a_server_error"}
SCHEMA_CHECKS = {
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
}


def summarise(path: str) -> dict:
    requests = 0
    statuses: Counter[int] = Counter()
    failed: dict[str, set[tuple[str, str]]] = {"server": set(), "schema": set()}
    examples: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished["recorder"]
            for interaction in recorder.get("interactions", {}).values():
                requests += 1
                response = interaction.get("response") or {}
                statuses[response.get("status_code", 0)] += 1
            for case_id, checks in recorder.get("checks", {}).items():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    kind = "server" if check["name"] in SERVER_ERROR_CHECKS else "schema"
                    if check["name"] in SERVER_ERROR_CHECKS | SCHEMA_CHECKS:
                        failed[kind].add((recorder["label"], case_id))
                        if len(examples) < 20:
                            examples.append(f"{check['name']}: {recorder['label']}")
    return {
        "requests": requests,
        "server_errors": len(failed["server"]),
        "schema_violations": len(failed["schema"]),
        "statuses": dict(sorted(statuses.items())),
        "examples": examples,
    }


def main(argv: list[str]) -> int:
    path, name = argv[0], argv[1] if len(argv) > 1 else ""
    figures = summarise(path)
    print(
        f"fuzzing {name}: {figures['requests']} requests, "
        f"{figures['server_errors']} server errors, "
        f"{figures['schema_violations']} schema violations; "
        f"statuses {figures['statuses']}"
    )
    for line in figures["examples"]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
