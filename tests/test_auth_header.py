"""Header mode: a reverse proxy that signed the user in sets X-Forwarded-Email (here Playwright's
extra headers play the proxy). The role comes from the database; the Library enforces it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from advisor.store.library import Library
from advisor.store.roles import Actor

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from app_browser import FIX, ROOT, save_in_workspace, serve, settle, stop

pytestmark = pytest.mark.browser


@pytest.fixture
def proxied_app(engine, tmp_path):
    Library(engine, actor=Actor("operator", "admin")).grant("pat@example.org", "planner")
    proc, url = serve(
        ROOT / "app.py",
        {
            "ADVISOR_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "ADVISOR_AUTH": "header",
            "ADVISOR_RULES": str(FIX / "rules"),
            "ADVISOR_KNOWLEDGE": str(FIX / "knowledge"),
            "ADVISOR_EXAMPLES": str(FIX / "examples"),
        },
        cwd=tmp_path,
    )
    yield url
    stop(proc)


def test_the_proxy_header_names_the_user_and_the_role_gates_a_save(proxied_app, engine, browser):
    contexts = []
    try:
        contexts.append(browser.new_context())
        bare = contexts[-1].new_page()
        bare.goto(proxied_app + "/")
        bare.get_by_text("expects a reverse proxy to sign you in").wait_for(timeout=60_000)
        outcomes = {}
        for who in ("rita@example.org", "pat@example.org"):
            contexts.append(browser.new_context(extra_http_headers={"X-Forwarded-Email": who}))
            page = contexts[-1].new_page()
            page.set_default_timeout(60_000)
            page.goto(proxied_app + "/")
            page.get_by_text(f"Signed in as {who}").wait_for()
            settle(page)
            outcomes[who] = save_in_workspace(page)
    finally:
        for context in contexts:
            context.close()
    assert "'rita@example.org' is a reader" in outcomes["rita@example.org"]
    assert "Saved version 1" in outcomes["pat@example.org"]
    assert [v.author for v in Library(engine).list()] == ["pat@example.org"]
