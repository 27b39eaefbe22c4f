"""`advisor library` and `advisor records` as a user runs them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from store_db import CEASEFIRE, ROOT


def _cli(engine, *args, rc=0):
    env = {**os.environ, "ADVISOR_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    done = subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args], capture_output=True, text=True, env=env, timeout=180, cwd=ROOT
    )
    assert done.returncode == rc, done.stderr + done.stdout
    return done


def test_save_conflict_list_and_show(engine):
    _cli(engine, "library", "save", str(CEASEFIRE), "--tag", "caucasus", "--expect", "0")
    refused = _cli(engine, "library", "save", str(CEASEFIRE), "--expect", "0", rc=2)
    assert "is at version 1" in refused.stderr and "Traceback" not in refused.stderr
    listed = json.loads(_cli(engine, "library", "list", "--format", "json").stdout)
    assert [(s["version"], s["tags"]) for s in listed] == [(1, ["caucasus"])]
    shown = json.loads(_cli(engine, "library", "show", listed[0]["name"], "--format", "json").stdout)
    assert shown["facts"]["agreements"] == ["ceasefire"]


def test_records_recheck_reports_a_rule_change(engine, tmp_path):
    _cli(engine, "records", "add", str(CEASEFIRE), "--marking", "EU RESTRICTED")
    assert "unchanged" in _cli(engine, "records", "recheck", "--all").stdout
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    mandate = rules / "mandate.yaml"
    text = mandate.read_text(encoding="utf-8")
    text = text.replace(
        "contains_any: [ceasefire, cessation_of_hostilities, bcp_agreement]",
        "contains_any: [cessation_of_hostilities, bcp_agreement]",
    )
    mandate.write_text(
        text.replace("when: {fact: disputed_border, is: true}", "when: {fact: disputed_border, is: false}"),
        encoding="utf-8",
    )
    out = _cli(engine, "records", "recheck", "--all", "--rules", str(rules), "--format", "json", rc=1).stdout
    report = json.loads(out)[0]
    mandate_change = next(c for c in report["changes"] if c["part"] == "mandate")
    assert mandate_change["then"]["type"] == "monitoring"
    assert "mandate.monitoring" in mandate_change["rules_then"]


def test_backup_and_restore_into_an_empty_database(engine, tmp_path):
    _cli(engine, "library", "save", str(CEASEFIRE), "--tag", "caucasus")
    _cli(engine, "records", "add", str(CEASEFIRE), "--marking", "EU RESTRICTED")
    _cli(engine, "db", "backup", str(tmp_path / "b.json"))
    refused = _cli(engine, "db", "restore", str(tmp_path / "b.json"), rc=2)
    assert "not empty" in refused.stderr
    from advisor.store import backup, db

    target = db.make_engine(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    assert backup.restore(target, tmp_path / "b.json") == {
        "scenarios": 1,
        "scenario_versions": 1,
        "records": 1,
        "roles": 0,
        "audit": 2,
        "drafts": 0,
    }  # save, record
    from advisor.store.library import Library

    lib, back = Library(engine), Library(target)
    assert [r.to_json() for r in back.records()] == [r.to_json() for r in lib.records()]
    assert back.version(lib.list()[0].name).facts == lib.list()[0].facts
    back.save(back.list()[0].scenario(), expected=1)  # ids continue after the restored rows


def test_a_reader_cannot_save_from_the_cli(engine, tmp_path, monkeypatch):
    (tmp_path / "roles.yaml").write_text("pat: planner\nrita: reader\n", encoding="utf-8")
    monkeypatch.setenv("ADVISOR_ROLES", str(tmp_path / "roles.yaml"))
    monkeypatch.setenv("ADVISOR_USER", "rita")
    refused = _cli(engine, "library", "save", str(CEASEFIRE), rc=2)
    assert "'rita' is a reader" in refused.stderr
    monkeypatch.setenv("ADVISOR_USER", "pat")
    _cli(engine, "library", "save", str(CEASEFIRE))
    listed = json.loads(_cli(engine, "library", "list", "--format", "json").stdout)
    assert [s["author"] for s in listed] == ["pat"]
