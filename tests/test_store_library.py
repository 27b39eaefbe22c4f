"""The scenario library and briefing records on a real SQLite file and a real PostgreSQL cluster."""

from __future__ import annotations

import shutil
import subprocess
import time
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from store_db import CEASEFIRE, EXAMPLES

from advisor import scenario as scenarios
from advisor.errors import AdvisorError
from advisor.ruleset import DEFAULT_RULES, load_rulebase
from advisor.store import db
from advisor.store.library import ConflictError, Library


@pytest.fixture(scope="module")
def rulebase():
    return load_rulebase()


def test_saved_versions_survive_a_restart(engine):
    ceasefire = scenarios.load(CEASEFIRE)
    lib = Library(engine)
    first = lib.save(
        ceasefire, tags=["caucasus", "monitoring"], note="first cut", author="ana", ruleset_version="0.1.0", expected=0
    )
    second = lib.save(
        ceasefire.with_value("host_consent", False), note="no consent", author="ben", expected=first.number
    )
    engine.dispose()
    reopened = Library(engine)  # a fresh process would see only the database
    history = reopened.versions(ceasefire.name)
    assert [(v.number, v.author) for v in history] == [(1, "ana"), (2, "ben")]
    assert history[0].scenario().to_dict() == ceasefire.to_dict()
    assert reopened.version(ceasefire.name).scenario().get("host_consent") is False
    assert history[0].tags == ("caucasus", "monitoring") and history[0].ruleset_version == "0.1.0"
    assert second.created_at >= first.created_at


def test_a_stale_save_is_refused_and_loses_nothing(engine):
    ceasefire = scenarios.load(CEASEFIRE)
    lib = Library(engine)
    lib.save(ceasefire, expected=0, author="ana")
    lib.save(ceasefire.with_value("mediation_process", False), expected=1, author="ana")
    with pytest.raises(ConflictError, match="version 2.*started from version 1"):
        lib.save(ceasefire.with_value("host_consent", False), expected=1, author="ben")
    assert [v.author for v in lib.versions(ceasefire.name)] == ["ana", "ana"]


def test_soft_delete_undo_and_search(engine):
    lib = Library(engine)
    for path in sorted(EXAMPLES.glob("*.yaml"))[:4]:
        lib.save(scenarios.load(path), tags=[path.stem.split("_")[0]])
    ceasefire = scenarios.load(CEASEFIRE)
    lib.save(ceasefire, tags=["caucasus"])
    assert [v.name for v in lib.search(tag="caucasus")] == [ceasefire.name]
    by_fact = lib.search(facts={"conflict_status": "ceasefire", "disputed_border": True})
    assert ceasefire.name in [v.name for v in by_fact]
    assert all(v.scenario().get("conflict_status") == "ceasefire" for v in by_fact)
    assert [v.name for v in lib.search(text="CEASEFIRE along")] == [ceasefire.name]
    before = [v.number for v in lib.versions(ceasefire.name)]
    lib.delete(ceasefire.name)
    assert ceasefire.name not in [v.name for v in lib.list()]
    assert not lib.search(tag="caucasus")
    lib.undelete(ceasefire.name)
    assert [v.number for v in lib.versions(ceasefire.name)] == before
    with pytest.raises(AdvisorError, match="no scenario named 'Monitoring a ceasefire'"):
        lib.versions("Monitoring a ceasefire")


def test_export_and_import_a_folder(engine, tmp_path):
    lib = Library(engine)
    chosen = sorted(EXAMPLES.glob("*.yaml"))[:3]
    imported = lib.import_(_copy(chosen, tmp_path / "in"), author="ana")
    assert len(imported) == 3
    written = lib.export(None, tmp_path / "out")
    assert len(written) == 3
    for path in chosen:
        original = scenarios.load(path)
        back = next(scenarios.load(p) for p in written if scenarios.load(p).name == original.name)
        assert back.to_dict() == original.to_dict()


def test_import_of_a_bad_folder_saves_nothing(engine, tmp_path):
    folder = _copy(sorted(EXAMPLES.glob("*.yaml"))[:2], tmp_path / "in")
    (folder / "zz_bad.yaml").write_text("name: bad\nhost_consent: maybe\n", encoding="utf-8")
    lib = Library(engine)
    with pytest.raises(AdvisorError, match="zz_bad.yaml"):
        lib.import_(folder)
    assert lib.list() == ()


def test_diff_of_two_versions_names_facts_and_rules(engine, rulebase):
    ceasefire = scenarios.load(CEASEFIRE)
    lib = Library(engine)
    lib.save(ceasefire)
    lib.save(ceasefire.with_value("host_consent", False))
    comparison = lib.diff(ceasefire.name, 1, 2, rulebase)
    assert [f.path for f in comparison.facts] == ["host_consent"]
    assert comparison.conclusions, "withdrawing consent must change some conclusion"
    assert all(rulebase.rule(r) for c in comparison.conclusions for r in c.rules)


def test_records_are_append_only_even_in_raw_sql(engine, rulebase):
    lib = Library(engine)
    rec = lib.record(
        scenarios.load(CEASEFIRE), rulebase, marking="EU RESTRICTED", author="ana", files={"brief.md": b"# brief\n"}
    )
    import hashlib

    assert rec.files["brief.md"] == hashlib.sha256(b"# brief\n").hexdigest()
    assert rec.ruleset_sha256 == rulebase.sha256 and rec.advice["mandate"]["type"] == "monitoring"
    for statement in ("UPDATE records SET marking = 'none'", "DELETE FROM records"):
        with pytest.raises(Exception, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    assert Library(engine).get_record(rec.id).marking == "EU RESTRICTED"


def test_recheck_reports_a_rule_change_and_its_rules(engine, rulebase):
    lib = Library(engine)
    rec = lib.record(scenarios.load(CEASEFIRE), rulebase, author="ana")
    assert lib.recheck(rec.id, rulebase).changes == ()
    source = (Path(DEFAULT_RULES) / "mandate.yaml").read_text(encoding="utf-8")
    changed = source.replace(
        "contains_any: [ceasefire, cessation_of_hostilities, bcp_agreement]",
        "contains_any: [cessation_of_hostilities, bcp_agreement]",
    )
    changed = changed.replace("when: {fact: disputed_border, is: true}", "when: {fact: disputed_border, is: false}")
    assert changed != source
    edited = load_rulebase(overlay={"mandate.yaml": changed})
    report = lib.recheck(rec.id, edited)
    assert report.changes, "dropping both monitoring grounds must change the advice"
    assert "mandate" in [c.part for c in report.changes]
    mandate = next(c for c in report.changes if c.part == "mandate")
    assert mandate.then["type"] == "monitoring" and mandate.now["type"] != "monitoring"
    assert mandate.rules_then and all(rulebase.rule(r) for r in mandate.rules_then)


def test_an_older_database_upgrades_and_keeps_its_scenarios(engine):
    db.upgrade(engine, "0001")
    assert db.current_revision(engine) == "0001"
    from datetime import datetime

    from advisor.store.tables import scenarios as t_scen
    from advisor.store.tables import versions

    ceasefire = scenarios.load(CEASEFIRE)
    with engine.begin() as conn:
        sid = conn.execute(insert(t_scen).values(name="old")).inserted_primary_key[0]
        conn.execute(
            insert(versions).values(
                scenario_id=sid,
                number=1,
                facts=ceasefire.to_dict(),
                tags=[],
                note="",
                author="ana",
                created_at=datetime.now(UTC),
                ruleset_version="0.0.9",
            )
        )
    lib = Library(engine)
    assert db.current_revision(engine) == "0003"
    assert lib.version("old").scenario().to_dict() == ceasefire.to_dict()
    assert lib.records() == ()


def _copy(paths, folder: Path) -> Path:
    folder.mkdir(parents=True)
    for p in paths:
        shutil.copy(p, folder / p.name)
    return folder


def test_a_reader_cannot_save_delete_or_record(engine, rulebase):
    from advisor.store.roles import Actor, NotAllowed

    ceasefire = scenarios.load(CEASEFIRE)
    Library(engine, actor=Actor("pat", "planner")).save(ceasefire)
    reader = Library(engine, actor=Actor("rita", "reader"))
    for attempt in (
        lambda: reader.save(ceasefire),
        lambda: reader.delete(ceasefire.name),
        lambda: reader.record(ceasefire, rulebase),
    ):
        with pytest.raises(NotAllowed, match="'rita' is a reader"):
            attempt()
    assert [v.author for v in reader.versions(ceasefire.name)] == ["pat"]  # reading is allowed
    assert reader.records() == ()


WRITER = """
import sys
from advisor import scenario as scenarios
from advisor.store import db
from advisor.store.library import Library
lib = Library(db.make_engine(sys.argv[1]))
s = scenarios.load(sys.argv[2])
print("ready", flush=True)
while True:
    lib.save(s.with_value("mediation_process", False), note="x" * 20000)
"""


def test_killing_a_writer_leaves_only_whole_versions(engine):
    import signal
    import sys

    url = engine.url.render_as_string(hide_password=False)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, url, str(CEASEFIRE)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(1.5)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    lib = Library(engine)
    history = lib.versions(scenarios.load(CEASEFIRE).name)
    assert len(history) >= 1
    assert [v.number for v in history] == list(range(1, len(history) + 1))
    assert all(len(v.note) == 20000 and v.scenario().get("mediation_process") is False for v in history)
    assert lib.save(scenarios.load(CEASEFIRE), expected=len(history)).number == len(history) + 1
