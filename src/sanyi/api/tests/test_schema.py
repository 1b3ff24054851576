"""The committed OpenAPI schema (src/sanyi/api/openapi.yaml) and the served one."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

import sanyi.api

COMMITTED = Path(sanyi.api.__file__).parent / "openapi.yaml"
REPO_ROOT = Path(sanyi.api.__file__).resolve().parents[3]
CHECK_SCRIPT = REPO_ROOT / "scripts" / "check_openapi.sh"


def generate(tmp_path) -> str:
    out = tmp_path / "openapi.yaml"
    # The same command and options as scripts/update_openapi.sh.
    call_command(
        "spectacular", "--lang", "zh-hans", "--validate", "--fail-on-warn", "--file", str(out)
    )
    return out.read_text(encoding="utf-8")


def test_the_committed_schema_equals_the_generated_one(tmp_path):
    assert generate(tmp_path) == COMMITTED.read_text(encoding="utf-8"), (
        "OpenAPI schema is out of date: run scripts/update_openapi.sh"
    )


def test_generation_is_deterministic(tmp_path):
    first = generate(tmp_path)
    second = generate(tmp_path)

    assert first == second


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_ci_script_fails_with_a_clear_message_when_the_schema_is_stale(tmp_path):
    stale = tmp_path / "openapi.yaml"
    stale.write_text(COMMITTED.read_text(encoding="utf-8").replace("计算到期日", "算日子"))

    result = subprocess.run(
        ["bash", str(CHECK_SCRIPT), str(stale)],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
        check=False,
    )

    assert result.returncode == 1
    assert "OpenAPI schema is out of date: run scripts/update_openapi.sh" in result.stderr
    assert "-      summary: 算日子" in result.stdout


def test_every_operation_documents_the_problem_format():
    schema = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))

    assert set(schema["components"]["schemas"]["Problem"]["required"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "errors",
    }
    problem_ref = "#/components/schemas/Problem"
    for response in schema["components"]["responses"].values():
        assert response["content"]["application/problem+json"]["schema"]["$ref"] == problem_ref
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation["responses"]["default"] == {
                "$ref": "#/components/responses/Problem"
            }, f"{method.upper()} {path}"


def test_serializer_component_names_are_unique_and_descriptive():
    schema = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))

    names = schema["components"]["schemas"]
    assert not [n for n in names if n in {"Input", "Output", "InputSerializer", "Serializer"}]
    assert "CalendarDeadlineOutput" in names
    assert "OrgUnitOutput" in names


@pytest.mark.django_db
def test_the_schema_is_served_as_yaml_and_json(client):
    as_yaml = client.get("/api/v1/schema/")
    as_json = client.get("/api/v1/schema/", {"format": "json"})

    assert as_yaml.status_code == 200
    assert "/api/v1/calendar/deadline/" in yaml.safe_load(as_yaml.content)["paths"]
    assert as_json.status_code == 200
    assert "/api/v1/org-units/{id}/" in as_json.json()["paths"]


def test_storage_bounds_are_left_out_so_every_database_gives_the_same_schema():
    from sanyi.api.schema import drop_storage_integer_bounds

    schema = {
        "sqlite": {
            "type": "integer",
            "minimum": 0,
            "maximum": 9223372036854775807,
            "format": "int64",
        },
        "postgres": {"type": "integer", "minimum": 0, "maximum": 32767},
        "rule": {"type": "integer", "minimum": 1, "maximum": 20},
        "nested": [{"type": "integer", "minimum": -2147483648, "maximum": 2147483647}],
    }
    result = drop_storage_integer_bounds(schema, None, None, True)
    assert result["sqlite"] == result["postgres"] == {"type": "integer", "minimum": 0}
    assert result["rule"] == {"type": "integer", "minimum": 1, "maximum": 20}
    assert result["nested"] == [{"type": "integer"}]


def _committed() -> dict:
    return yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))


def test_an_email_that_may_be_empty_documents_the_empty_string():
    import jsonschema

    email = _committed()["components"]["schemas"]["OrgUnitOutput"]["properties"]["email"]
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER

    jsonschema.validate("", email, format_checker=checker)
    jsonschema.validate("office@example.gov.cn", email, format_checker=checker)
    assert "format" not in email


def test_file_endpoints_are_documented_as_pdf_not_json():
    binary_as_json = []
    pdf_paths = set()
    for path, ops in _committed()["paths"].items():
        for method, op in ops.items():
            for status, response in op.get("responses", {}).items():
                for media, content in response.get("content", {}).items():
                    if content.get("schema", {}).get("format") == "binary":
                        if media == "application/pdf":
                            pdf_paths.add(path)
                        elif "json" in media:
                            binary_as_json.append((method, path, status, media))
    assert binary_as_json == []
    assert {
        "/api/v1/disclosure-requests/{id}/letter/",
        "/api/v1/disclosure-requests/{id}/notices/{notice_id}/",
        "/api/v1/disclosure-requests/track/letter/",
        "/api/v1/disclosure-requests/track/notice/",
        "/api/v1/cases/{id}/receipt/",
    } <= pdf_paths
    # A reply's attached files are PDF, Word, Excel or pictures: any binary type.
    reply_file = _committed()["paths"]["/api/v1/disclosure-requests/{id}/files/{file_id}/"]
    assert set(reply_file["get"]["responses"]["200"]["content"]) == {"application/octet-stream"}


def test_filing_an_appeal_documents_its_201():
    # Found by schema fuzzing: the view answers 201, the schema said 200.
    operation = _committed()["paths"]["/api/v1/ratings/rectifications/{id}/appeal/"]["post"]
    assert "201" in operation["responses"] and "200" not in operation["responses"]
