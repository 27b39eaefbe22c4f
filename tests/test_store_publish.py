"""Publishing into the shared rule base, on SQLite and PostgreSQL, with the real engine and a
real rules directory in tmp: strict validation, rule tests, version bump, history kept,
restore, roles, a concurrent publish refused, and a killed publisher leaving the last version."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_db import ROOT

from advisor.ruleset import load_rulebase
from advisor.store.library import ConflictError, Library
from advisor.store.roles import Actor, NotAllowed
from advisor.store.rulestore import PublishRefused, RuleStore

RULES, KNOWLEDGE = ROOT / "rules", ROOT / "knowledge"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "publish"
AUTHOR = Actor("ann@example.org", "author")


def _hq() -> str:
    return (RULES / "hq.yaml").read_text(encoding="utf-8")


@pytest.fixture
def store(tmp_path):
    return RuleStore(tmp_path / "data" / "rulebase")


def _first(engine, store) -> Library:
    lib = Library(engine, actor=AUTHOR)
    lib.publish(store, {}, expected=0, knowledge_dir=KNOWLEDGE, seed=RULES)
    return lib


def test_publish_bumps_the_version_keeps_the_previous_and_audits(engine, store):
    lib = _first(engine, store)
    seed = load_rulebase(RULES, KNOWLEDGE)
    assert load_rulebase(store.served, KNOWLEDGE).sha256 == seed.sha256  # same files, same hash as a checkout
    edited = _hq() + "# moved the HQ note\n"
    done = lib.publish(store, {"hq.yaml": edited}, expected=1, knowledge_dir=KNOWLEDGE, note="HQ note")
    served = load_rulebase(store.served, KNOWLEDGE)
    assert (done.number, done.previous_version, done.files) == (2, seed.version, ("hq.yaml",))
    assert served.version == done.version != seed.version and served.sha256 == done.sha256
    assert (store.served / "hq.yaml").read_text(encoding="utf-8") == edited
    assert load_rulebase(store.path(1), KNOWLEDGE).sha256 == seed.sha256  # the previous version is kept
    assert done.tests > 0
    entry = lib.audit_log()[-1]
    assert (entry.actor, entry.role, entry.action) == ("ann@example.org", "author", "publish")
    assert f"{seed.version} (sha256 {seed.sha256})" in entry.subject and f"{done.version} (sha256 {done.sha256})" in (
        entry.subject
    )
    assert [p.number for p in lib.rule_history(store)] == [1, 2]


def test_restore_serves_an_old_version_again_as_a_new_one(engine, store):
    lib = _first(engine, store)
    lib.publish(store, {"hq.yaml": _hq() + "# v2\n"}, expected=1, knowledge_dir=KNOWLEDGE)
    back = lib.restore_rules(store, 1, expected=2, knowledge_dir=KNOWLEDGE)
    assert (back.number, back.action, back.files) == (3, "restore", ("hq.yaml",))
    assert (store.served / "hq.yaml").read_text(encoding="utf-8") == _hq()
    assert lib.audit_log()[-1].action == "restore"
    with pytest.raises(Exception, match="there is no version 9; versions are 1, 2, 3"):
        lib.restore_rules(store, 9, expected=3, knowledge_dir=KNOWLEDGE)


@pytest.mark.parametrize(
    "fixture, located",
    [
        ("bad_value.yaml", ["hq.yaml:12:29: rule hq.capital.national: field 'scope'"]),  # does not validate
        ("breaks_a_rule_test.yaml", ["tests/headline.yaml:", "rule test"]),  # validates; a rule test fails
    ],
)
def test_a_draft_that_fails_is_refused_and_nothing_changes(engine, store, fixture, located):
    lib = _first(engine, store)
    before = (store.served / "hq.yaml").read_text(encoding="utf-8")
    with pytest.raises(PublishRefused) as err:
        lib.publish(
            store, {"hq.yaml": (FIXTURES / fixture).read_text(encoding="utf-8")}, expected=1, knowledge_dir=KNOWLEDGE
        )
    shown = "\n".join(str(p) for p in err.value.problems)
    for part in located:
        assert part in shown, shown
    assert all(p.line for p in err.value.problems), shown
    assert ".stage-" not in shown  # named relative to the rules directory, not the folder thrown away
    assert store.current() == 1 and (store.served / "hq.yaml").read_text(encoding="utf-8") == before
    assert [e.action for e in lib.audit_log()] == ["publish"]
    assert not list(store.versions.glob(".stage-*"))


def test_a_warning_refuses_a_strict_publish(engine, store, tmp_path):
    lib = Library(engine, actor=AUTHOR)
    unversioned = tmp_path / "rules"
    unversioned.mkdir()
    for p in RULES.glob("*.yaml"):
        if p.name != "ruleset.yaml":
            (unversioned / p.name).write_bytes(p.read_bytes())
    with pytest.raises(PublishRefused, match="no ruleset.yaml.*publishing is strict"):
        lib.publish(store, {}, expected=0, knowledge_dir=KNOWLEDGE, seed=unversioned)
    assert store.current() == 0


def test_a_concurrent_publish_is_refused(engine, store):
    lib = _first(engine, store)
    other = lib.as_actor(Actor("bob@example.org", "admin"))
    other.publish(store, {"hq.yaml": _hq() + "# bob\n"}, expected=1, knowledge_dir=KNOWLEDGE)
    with pytest.raises(ConflictError, match="version 2 is in service, but this draft started from version 1"):
        lib.publish(store, {"hq.yaml": _hq() + "# ann\n"}, expected=1, knowledge_dir=KNOWLEDGE)
    assert (store.served / "hq.yaml").read_text(encoding="utf-8").endswith("# bob\n")


@pytest.mark.parametrize("role", ["reader", "planner"])
def test_only_authors_and_admins_publish(engine, store, role):
    lib = _first(engine, store)
    who = lib.as_actor(Actor("pat@example.org", role))
    with pytest.raises(NotAllowed, match=f"'pat@example.org' is a {role}; to publish you need the role author"):
        who.publish(store, {"hq.yaml": _hq() + "# x\n"}, expected=1, knowledge_dir=KNOWLEDGE)
    with pytest.raises(NotAllowed):
        who.restore_rules(store, 1, expected=1, knowledge_dir=KNOWLEDGE)
    assert store.current() == 1


def test_a_file_name_outside_the_rules_directory_is_refused(engine, store):
    lib = _first(engine, store)
    with pytest.raises(PublishRefused, match="must stay inside the rules directory"):
        lib.publish(store, {"../escape.yaml": _hq()}, expected=1, knowledge_dir=KNOWLEDGE)
    assert not (store.root.parent / "escape.yaml").exists()


def test_killing_a_publisher_leaves_the_previous_version_serving(engine, store):
    """A real publisher process killed at random moments: the served version is always whole."""
    _first(engine, store)
    url = engine.url.render_as_string(hide_password=False)
    script = (
        "import sys; from pathlib import Path\n"
        "from advisor.store.library import Library; from advisor.store.roles import Actor\n"
        "from advisor.store.rulestore import RuleStore\n"
        "from advisor.store import db\n"
        f"lib = Library(db.make_engine({url!r}), actor=Actor('ann', 'author'))\n"
        f"store = RuleStore(Path({str(store.root)!r}))\n"
        f"hq = Path({str(RULES / 'hq.yaml')!r}).read_text()\n"
        "i = 0\n"
        "while True:\n"
        "    i += 1\n"
        f"    lib.publish(store, {{'hq.yaml': hq + f'# {{i}}\\n'}}, expected=None, knowledge_dir={str(KNOWLEDGE)!r})\n"
    )
    for delay in (0.3, 0.9, 1.7):
        proc = subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ), cwd=ROOT)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        served = load_rulebase(store.served, KNOWLEDGE)  # whole and valid, whatever moment the kill hit
        assert store.get(store.current()).sha256 == served.sha256
    lib = Library(engine, actor=AUTHOR)
    before = store.current()
    lib.publish(store, {"hq.yaml": _hq()}, expected=before, knowledge_dir=KNOWLEDGE)  # and publishing goes on
    assert store.current() > before and not list(store.versions.glob(".stage-*"))


def _cli(engine, data_dir, *args, rc=0, user="ann", roles=None):
    env = {
        **os.environ,
        "ADVISOR_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "ADVISOR_DATA_DIR": str(data_dir),
        "ADVISOR_USER": user,
    }
    if roles:
        env["ADVISOR_ROLES"] = str(roles)
    done = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "rulebase", *args], capture_output=True, text=True, env=env, timeout=180
    )
    assert done.returncode == rc, done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    return done


def test_cli_publish_history_restore_and_refusals(engine, tmp_path):
    import json

    data = tmp_path / "data"
    roles = tmp_path / "roles.yaml"
    roles.write_text("ann: author\npat: planner\nrita: reader\n", encoding="utf-8")
    _cli(engine, data, "init", roles=roles)
    draft = tmp_path / "hq.yaml"
    draft.write_text(_hq() + "# a clearer note\n", encoding="utf-8")
    for who, role in (("rita", "reader"), ("pat", "planner")):
        refused = _cli(engine, data, "publish", str(draft), "--expect", "1", rc=2, user=who, roles=roles)
        assert f"'{who}' is a {role}; to publish you need the role author or higher" in refused.stderr
    done = json.loads(
        _cli(engine, data, "publish", str(draft), "--expect", "1", "--format", "json", roles=roles).stdout
    )
    assert (done["number"], done["files"], done["author"]) == (2, ["hq.yaml"], "ann")
    stale = _cli(engine, data, "publish", str(draft), "--expect", "1", rc=2, roles=roles)
    assert "version 2 is in service, but this draft started from version 1" in stale.stderr
    bad = tmp_path / "bad" / "hq.yaml"
    bad.parent.mkdir()
    bad.write_text((FIXTURES / "bad_value.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    refused = _cli(engine, data, "publish", str(bad), "--expect", "2", rc=2, roles=roles)
    assert "error: hq.yaml:12:29" in refused.stderr and "'nationwide' is not a value of scope" in refused.stderr
    _cli(engine, data, "restore", "1", "--expect", "2", roles=roles)
    history = json.loads(_cli(engine, data, "history", "--format", "json", user="rita", roles=roles).stdout)
    assert history["current"] == 3 and history["served"] == str(data / "rulebase" / "rules")
    assert [(v["number"], v["action"]) for v in history["versions"]] == [(1, "init"), (2, "publish"), (3, "restore")]
    assert load_rulebase(data / "rulebase" / "rules", KNOWLEDGE).version == history["versions"][-1]["version"]


def test_a_first_publish_with_a_change_starts_from_the_seed_and_bumps(engine, store):
    lib = Library(engine, actor=AUTHOR)
    done = lib.publish(store, {"hq.yaml": _hq() + "# first\n"}, expected=0, knowledge_dir=KNOWLEDGE, seed=RULES)
    seed = load_rulebase(RULES, KNOWLEDGE)
    assert (done.number, done.action, done.previous_version) == (1, "publish", seed.version)
    assert done.version != seed.version and done.files == ("hq.yaml",)
    assert (RULES / "hq.yaml").read_text(encoding="utf-8") == _hq()  # the seed itself is never written
