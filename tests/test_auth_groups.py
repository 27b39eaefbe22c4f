"""Roles from the identity provider's groups, for real: oidc-provider-mock issues ID tokens with a
custom groups claim (named in the roles file), the real app signs users in through st.login in
headless Chromium, and the Library enforces the role the groups give. On SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import pytest

from advisor.store.library import Library
from advisor.store.roles import Actor

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from app_browser import FIX, ROOT, save_in_workspace, serve, settle, stop

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

GUEST, PLANNER, PROMOTED = "gus@example.org", "pia@example.org", "dora@example.org"


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import User, run_server_in_thread

    users = [
        User(sub=GUEST, claims={"email": GUEST, "directorate_groups": ["csdp-readers"]}),
        User(sub=PLANNER, claims={"email": PLANNER, "directorate_groups": ["csdp-readers", "csdp-planners"]}),
        User(sub=PROMOTED, claims={"email": PROMOTED, "directorate_groups": ["csdp-readers"]}),
    ]
    with run_server_in_thread(port=0, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def team_app(engine, provider, tmp_path):
    roles = tmp_path / "roles.yaml"
    roles.write_text(
        "groups_claim: directorate_groups\ngroups:\n  csdp-readers: reader\n  csdp-planners: planner\n",
        encoding="utf-8",
    )
    Library(engine, actor=Actor("operator", "admin")).grant(PROMOTED, "planner")  # grants still decide
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "ibm-advisor"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    proc, url = serve(
        ROOT / "app.py",
        {
            "ADVISOR_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "ADVISOR_ROLES": str(roles),
            "ADVISOR_RULES": str(FIX / "rules"),
            "ADVISOR_KNOWLEDGE": str(FIX / "knowledge"),
            "ADVISOR_EXAMPLES": str(FIX / "examples"),
        },
        cwd=tmp_path,
    )
    yield url
    stop(proc)


def _sign_in(browser, url: str, who: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url + "/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator("input[name='sub']").fill(who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(url + "/**")
    page.get_by_text(f"Signed in as {who}").wait_for()
    settle(page)
    return context, page


def test_the_groups_claim_gives_the_role_and_the_library_enforces_it(team_app, browser, engine):
    context, page = _sign_in(browser, team_app, GUEST)
    assert "(reader)" in page.locator("[data-testid='stSidebar']").inner_text()
    assert f"'{GUEST}' is a reader" in save_in_workspace(page)
    context.close()
    assert Library(engine).list() == ()

    context, page = _sign_in(browser, team_app, PLANNER)  # readers and planners: the highest wins
    assert "(planner)" in page.locator("[data-testid='stSidebar']").inner_text()
    assert "Saved version 1" in save_in_workspace(page)
    context.close()

    context, page = _sign_in(browser, team_app, PROMOTED)  # only a reader by group; granted planner
    assert "(planner)" in page.locator("[data-testid='stSidebar']").inner_text()
    context.close()

    (saved,) = Library(engine).list()
    assert saved.author == PLANNER
    logins = {e.actor: e.subject for e in Library(engine).audit_log() if e.action == "login"}
    assert logins[PLANNER] == "oidc sign-in as planner; groups csdp-readers, csdp-planners"
    assert logins[GUEST].startswith("oidc sign-in as reader")
