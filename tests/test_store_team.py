"""Team mode in the library layer, on SQLite and PostgreSQL: roles granted in the database,
the audit log, private drafts, and backups that carry them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text
from store_db import CEASEFIRE, ROOT

from advisor import scenario as scenarios
from advisor.errors import AdvisorError
from advisor.store import backup, db
from advisor.store.library import Library
from advisor.store.roles import Actor, NotAllowed

ADMIN = Actor("operator", "admin")


def test_roles_come_from_the_database_then_the_roles_file_else_reader(engine, tmp_path, monkeypatch):
    lib = Library(engine, actor=ADMIN)
    lib.grant("pat@example.org", "planner")
    lib.grant("pat@example.org", "author")  # a second grant replaces the first
    roles = tmp_path / "roles.yaml"
    roles.write_text("ann@example.org: planner\npat@example.org: reader\n", encoding="utf-8")
    monkeypatch.setenv("ADVISOR_ROLES", str(roles))
    assert lib.actor_for("pat@example.org") == Actor("pat@example.org", "author")  # the database wins
    assert lib.actor_for("ann@example.org").role == "planner"
    assert lib.actor_for("someone@example.org").role == "reader"
    assert [(g.identity, g.role, g.granted_by) for g in lib.grants()] == [("pat@example.org", "author", "operator")]


def test_only_an_admin_grants_and_a_bad_role_is_named(engine):
    lib = Library(engine, actor=ADMIN)
    with pytest.raises(AdvisorError, match="role 'boss' for 'x@example.org': allowed roles are reader, planner"):
        lib.grant("x@example.org", "boss")
    lib.grant("pat@example.org", "author")
    author = lib.as_actor(lib.actor_for("pat@example.org"))
    with pytest.raises(NotAllowed, match="'pat@example.org' is an author; to grant you need the role admin"):
        author.grant("pat@example.org", "admin")
    assert lib.role_of("pat@example.org") == "author"


def test_the_audit_log_names_every_write_and_is_append_only(engine, real_rulebase):
    lib = Library(engine, actor=ADMIN)
    lib.grant("pat@example.org", "planner")
    pat = lib.as_actor(lib.actor_for("pat@example.org"))
    pat.log("login", "oidc sign-in")
    ceasefire = scenarios.load(CEASEFIRE)
    pat.save(ceasefire)
    pat.delete(ceasefire.name)
    pat.undelete(ceasefire.name)
    rec = pat.record(ceasefire, real_rulebase)
    reader = lib.as_actor(Actor("rita@example.org", "reader"))
    with pytest.raises(NotAllowed):
        reader.save(ceasefire)
    log = [(e.actor, e.role, e.action, e.subject) for e in lib.audit_log()]
    assert log == [
        ("operator", "admin", "grant", "pat@example.org -> planner"),
        ("pat@example.org", "planner", "login", "oidc sign-in"),
        ("pat@example.org", "planner", "save", f"{ceasefire.name} v1"),
        ("pat@example.org", "planner", "delete", ceasefire.name),
        ("pat@example.org", "planner", "undelete", ceasefire.name),
        ("pat@example.org", "planner", "record", f"record {rec.id}: {ceasefire.name}"),
    ]
    for statement in ("UPDATE audit SET actor = 'nobody'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    assert len(lib.audit_log()) == 6


def test_drafts_are_private_and_replaced(engine):
    lib = Library(engine)
    ann, ben = lib.as_actor(Actor("ann", "reader")), lib.as_actor(Actor("ben", "author"))
    assert ann.draft("rulelab") is None
    ann.keep_draft("rulelab", {"lab_source": ["mandate.yaml", "a"]})
    ann.keep_draft("rulelab", {"lab_source": ["mandate.yaml", "b"]})
    ben.keep_draft("rulelab", {"lab_source": ["gaps.yaml", "c"]})
    assert ann.draft("rulelab")[0] == {"lab_source": ["mandate.yaml", "b"]}
    assert ben.draft("rulelab")[0] == {"lab_source": ["gaps.yaml", "c"]}


def test_a_0002_database_upgrades_and_backup_carries_roles_and_audit(engine, tmp_path):
    db.upgrade(engine, "0002")
    lib = Library(engine, actor=ADMIN)  # opening it migrates to 0003
    assert db.current_revision(engine) == "0003"
    lib.grant("pat@example.org", "planner")
    lib.as_actor(Actor("pat@example.org", "planner")).save(scenarios.load(CEASEFIRE))
    counts = backup.backup(engine, tmp_path / "b.json")
    assert (counts["roles"], counts["audit"], counts["scenario_versions"]) == (1, 2, 1)
    other = db.make_engine(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    backup.restore(other, tmp_path / "b.json")
    again = Library(other)
    assert again.role_of("pat@example.org") == "planner"
    assert [e.action for e in again.audit_log()] == ["grant", "save"]
    other.dispose()


def test_cli_grant_roles_and_audit(engine):
    env = {"ADVISOR_DATABASE_URL": engine.url.render_as_string(hide_password=False), "ADVISOR_USER": "operator"}

    def cli(*args, rc=0):
        import os

        done = subprocess.run(
            [sys.executable, "-m", "advisor.cli", "db", *args],
            check=False,
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            timeout=120,
            cwd=ROOT,
        )
        assert done.returncode == rc, done.stderr + done.stdout
        return done

    cli("grant", "pat@example.org", "planner")
    assert "pat@example.org\tplanner\toperator" in cli("roles").stdout
    assert "grant\tpat@example.org -> planner" in cli("audit").stdout
    bad = cli("grant", "pat@example.org", "owner", rc=2)
    assert "allowed roles are reader, planner, author, admin" in bad.stderr and "Traceback" not in bad.stderr
    assert Library(engine).role_of("pat@example.org") == "planner"


def test_roles_from_identity_provider_groups_highest_wins_and_grants_still_work(engine, tmp_path, monkeypatch):
    roles = tmp_path / "roles.yaml"
    roles.write_text(
        "ann@example.org: planner\n"
        "groups_claim: ibm_groups\n"
        "groups:\n  ibm-readers: reader\n  ibm-authors: author\n  ibm-planners: planner\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ADVISOR_ROLES", str(roles))
    lib = Library(engine, actor=ADMIN)
    assert lib.actor_for("zoe@example.org", ["ibm-readers", "ibm-authors", "unknown"]).role == "author"
    assert lib.actor_for("ann@example.org", ["ibm-readers"]).role == "planner"  # the user line is higher
    assert lib.actor_for("ann@example.org", ["ibm-authors"]).role == "author"  # the group is higher
    assert lib.actor_for("zoe@example.org", ["elsewhere"]).role == "reader"
    lib.grant("zoe@example.org", "admin")  # a database grant decides for that one identity
    assert lib.actor_for("zoe@example.org", ["ibm-readers"]).role == "admin"
    from advisor.store.roles import groups_of

    assert groups_of({"ibm_groups": ["ibm-authors", 7, None], "groups": ["x"]}) == ("ibm-authors", "7")
    assert groups_of({"ibm_groups": "ibm-authors"}) == ("ibm-authors",)
    assert groups_of({"ibm_groups": {"not": "a list"}}) == ()


@pytest.mark.parametrize(
    "text, message",
    [
        ("groups:\n  ibm-authors: boss\n", "field 'groups' must map identity-provider groups to one of reader"),
        ("groups_claim: ''\n", "field 'groups_claim' must name the ID-token claim"),
        ("ann: chief\n", "user 'ann': role 'chief' is not one of reader, planner, author, admin"),
    ],
)
def test_a_bad_roles_file_is_named(tmp_path, text, message):
    from advisor.store.roles import load_roles

    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AdvisorError, match=message) as err:
        load_roles(path)
    assert str(path) in str(err.value)
