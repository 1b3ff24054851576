import pytest
from django.core.management import call_command
from django_otp.oath import TOTP

from sanyi.orgs.demo import DEMO_TOTP_KEY_HEX, demo_totp_now

pytestmark = pytest.mark.django_db


def test_logins_list_every_role_and_a_second_load_prints_them_again(capsys):
    # One demo load serves both checks: a load takes a minute or more.
    call_command("demo", "load")
    capsys.readouterr()
    call_command("demo", "logins")
    out = capsys.readouterr().out
    for username in ["admin.district", "catalog.subdistrict", "clerk.community", "grid.grid"]:
        assert username in out

    call_command("demo", "load")
    out = capsys.readouterr().out
    assert "已经加载过" in out
    assert "clerk.community" in out
    assert "Sanyi-Demo-2026" in out


def test_totp_prints_the_code_an_authenticator_app_would_show(capsys):
    engine = TOTP(bytes.fromhex(DEMO_TOTP_KEY_HEX), step=30, t0=0, digits=6)
    engine.time = 59  # RFC 6238 test vector: 94287082 → last six digits
    assert demo_totp_now(59) == f"{engine.token():06d}" == "287082"
    call_command("demo", "totp")
    assert len(capsys.readouterr().out.strip()) == 6
