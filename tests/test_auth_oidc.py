"""Team login for real: a real OIDC provider (oidc-provider-mock) on a free port, the real app
served by Streamlit with st.login, and a real headless Chromium through the login redirect.
The signed-in identity's role comes from the database and the Library enforces it: a reader's
save is refused, a planner's is stored. On SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import pytest

from advisor.store.library import Library
from advisor.store.roles import Actor

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from app_browser import FIX, ROOT, save_in_workspace, serve, settle, stop

# The provider's and Authlib's own deprecation notices are not ours to fix.
pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

READER, PLANNER = "rita@example.org", "pat@example.org"


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=0) as server:  # port 0: a free port
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def team_app(engine, provider, tmp_path):
    """The app as a team server: the database URL set (which turns on OIDC) and an [auth] section."""
    Library(engine, actor=Actor("operator", "admin")).grant(PLANNER, "planner")  # `advisor db grant`
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
            "ADVISOR_RULES": str(FIX / "rules"),
            "ADVISOR_KNOWLEDGE": str(FIX / "knowledge"),
            "ADVISOR_EXAMPLES": str(FIX / "examples"),
        },
        cwd=tmp_path,
    )  # why: Streamlit reads .streamlit/secrets.toml from its working dir
    yield url
    stop(proc)


def _sign_in(browser, url: str, who: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url + "/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")  # the provider's own page, not ours
    page.locator("input[name='sub']").fill(who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(url + "/**")
    page.get_by_text(f"Signed in as {who}").wait_for()
    settle(page)
    return context, page


def test_oidc_sign_in_and_the_role_gates_a_save(team_app, browser, engine):
    anonymous = browser.new_context().new_page()
    anonymous.goto(team_app + "/")
    anonymous.get_by_role("button", name="Sign in").wait_for()
    assert "Mission design workspace" not in anonymous.locator("[data-testid='stMain']").inner_text()
    anonymous.context.close()

    context, page = _sign_in(browser, team_app, READER)
    assert "(reader)" in page.locator("[data-testid='stSidebar']").inner_text()
    assert f"'{READER}' is a reader" in save_in_workspace(page)
    context.close()
    assert Library(engine).list() == ()

    context, page = _sign_in(browser, team_app, PLANNER)
    assert "(planner)" in page.locator("[data-testid='stSidebar']").inner_text()
    assert "Saved version 1" in save_in_workspace(page)
    context.close()
    (saved,) = Library(engine).list()
    assert saved.author == PLANNER
    log = [(e.actor, e.action) for e in Library(engine).audit_log()]
    assert (READER, "login") in log and (PLANNER, "login") in log and (PLANNER, "save") in log
    assert (READER, "save") not in log
