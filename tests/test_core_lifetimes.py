"""Rule-base lifetimes: an engine is freed only when nothing holds it; per-version caches stay bounded.

Regression (issue 16): an LRU of 16 compiled rule bases closed the engine a sweep Evaluator
still held, so after 17 Rule lab drafts the sweep failed with "this compiled rule base has
been closed".
"""

from __future__ import annotations

import gc
import shutil
import weakref

import pytest

from advisor import advice as advice_module
from advisor import engine as engine_module
from advisor import scenario as scenarios
from advisor import unknowns as unknowns_module
from advisor.errors import AdvisorError, RuleFileError
from advisor.lifetimes import KEEP, PerVersion
from advisor.ruleset import DEFAULT_KNOWLEDGE, DEFAULT_RULES, PROJECT_ROOT, load_rulebase
from advisor.service import advise, compiled_for
from advisor.sweep.grid import make_grid
from advisor.sweep.outcome import COLUMNS, Evaluator
from advisor.sweep.run import sweep_rows
from advisor.ui.live import LiveRuleBase
from support import CHAIN_KNOWLEDGE, CHAIN_RULES

DRAFTS = 17  # one more than the old LRU held
RULE_FILE = "mandate.yaml"
SCENARIO = PROJECT_ROOT / "examples" / "collapsed_state_full_substitution.yaml"


def _draft(n: int):
    """A Rule lab draft: the real rule files with one of them edited in memory (a new version)."""
    text = (DEFAULT_RULES / RULE_FILE).read_text(encoding="utf-8") + f"\n# draft {n}\n"
    return load_rulebase(DEFAULT_RULES, DEFAULT_KNOWLEDGE, overlay={RULE_FILE: text})


def _fresh_chain():
    """A new RuleBase object of the chain fixture's version: an overlay of the file's own text
    is never served from the loader's cache (which would hand back the same object)."""
    return load_rulebase(CHAIN_RULES, CHAIN_KNOWLEDGE, overlay={"chain.yaml": (CHAIN_RULES / "chain.yaml").read_text()})


def _headline(row: tuple) -> dict:
    cells = dict(zip(COLUMNS, row))
    return {k: cells[k] for k in ("mandate", "structure", "hq")}


@pytest.fixture(scope="module")
def after_seventeen_drafts():
    """A sweep under way on the first draft, then 17 more drafts validated, tried and dropped
    as the Rule lab does on each run; returns what a test needs to look at afterwards."""
    scenario = scenarios.load(SCENARIO)
    gc.collect()
    # Versions other tests of the session still hold (shared fixtures, the app's caches).
    before = advice_module._checks.versions()
    first = _draft(0)
    expected = advise(first, scenario)
    evaluator = Evaluator(first)  # holds the first draft's engine, as a running sweep does
    engines, shas = [], []
    for n in range(1, DRAFTS + 1):
        draft = _draft(n)
        advise(draft, scenario)
        engines.append(weakref.ref(compiled_for(draft)))
        shas.append(draft.sha256)
        del draft
    gc.collect()
    # What is kept right after the drafts, before the tests below use the first draft again.
    alive = [n for n, ref in enumerate(engines) if ref() is not None]
    kept = {
        "engines": alive,
        "checks": advice_module._checks.versions(),
        "readers": unknowns_module._readers.versions(),
        "before": before,
    }
    return scenario, first, expected, evaluator, kept, shas


def test_a_sweep_holding_the_first_draft_still_works_after_seventeen_drafts(after_seventeen_drafts):
    scenario, first, expected, evaluator, *_ = after_seventeen_drafts
    row = evaluator.row(scenario)  # raised "this compiled rule base has been closed" before
    want = expected.headline()
    assert _headline(row) == {"mandate": want["mandate"], "structure": want["structure"], "hq": want["hq"]}
    assert want["mandate"] == "substitution"  # the example really decides something


def test_a_new_sweep_on_the_first_draft_works_after_seventeen_drafts(after_seventeen_drafts):
    scenario, first, expected, *_ = after_seventeen_drafts
    grid = make_grid(["conflict_status=stable,active_conflict"], base=scenario)
    rows = sweep_rows(grid, first, jobs=1)
    assert len(rows) == 2
    for s, row in zip(grid.scenarios(), rows):
        assert _headline(row) == {k: advise(first, s).headline()[k] for k in ("mandate", "structure", "hq")}


def test_drafts_nobody_holds_are_freed_but_the_last_few(after_seventeen_drafts):
    *_, kept, _ = after_seventeen_drafts
    # Exactly the last KEEP versions stay warm; the others' engines are garbage.
    assert kept["engines"] == list(range(DRAFTS - KEEP, DRAFTS))
    gc.collect()  # finalisers of whatever is garbage now queue their engines...
    gc.disable()  # ...and no collection during the compile may queue new ones before the check
    try:
        compiled_for(_draft(DRAFTS + 1))  # a version never compiled: a real compile, which frees the queue
        assert engine_module.retired_count() == 0
    finally:
        gc.enable()


def test_per_version_caches_are_bounded_by_the_same_policy(after_seventeen_drafts):
    scenario, first, *_, everything, shas = after_seventeen_drafts
    kept = everything["checks"]
    assert first.sha256 in kept  # held: the sweep's rule base
    assert set(shas[-KEEP:]) <= kept  # the last few used
    assert not set(shas[:-KEEP]) & kept  # the rest dropped (the old cache kept all 17)
    # + the first draft and whatever the session held before (shared fixtures, app caches)
    assert kept - everything["before"] <= set(shas[-KEEP:]) | {first.sha256}
    assert not set(shas[:-KEEP]) & everything["readers"]


def test_an_engine_held_by_a_caller_outlives_its_rule_base_and_the_cache(chain_rulebase):
    scenario = scenarios.from_mapping({"host_consent": True})
    rules = _fresh_chain()
    held = compiled_for(rules)
    want = held.evaluate(scenario)
    cache = PerVersion(engine_module.CompiledRuleBase, keep=1)
    mine = cache(rules)
    del rules
    gc.collect()
    assert cache.versions() == {chain_rulebase.sha256}  # still among the last used
    other = load_rulebase(
        CHAIN_RULES, CHAIN_KNOWLEDGE, overlay={"chain.yaml": (CHAIN_RULES / "chain.yaml").read_text() + "\n# other\n"}
    )
    cache(other)
    assert cache.versions() == {other.sha256}  # dropped by the cache...
    assert mine.evaluate(scenario) == want  # ...but not closed under its holder
    assert held.evaluate(scenario) == want


def test_two_rule_base_objects_of_one_version_share_one_engine(chain_rulebase):
    again = _fresh_chain()
    assert again is not chain_rulebase and again.sha256 == chain_rulebase.sha256
    assert compiled_for(again) is compiled_for(chain_rulebase)


def test_a_dropped_engine_is_freed_by_its_finaliser(chain_rulebase):
    engine = engine_module.CompiledRuleBase(chain_rulebase)
    gc.collect()
    before = engine_module.retired_count()
    del engine
    gc.collect()
    assert engine_module.retired_count() == before + 1  # queued, not freed inside the finaliser
    engine_module.CompiledRuleBase(chain_rulebase).close()
    assert engine_module.retired_count() == 0


def test_a_broken_rule_file_leaves_the_previous_rule_base_in_service(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(CHAIN_RULES, rules)
    live = LiveRuleBase(rules, CHAIN_KNOWLEDGE)
    before = live.serving()
    (rules / "chain.yaml").write_text((rules / "chain.yaml").read_text() + "  - id: [broken\n", encoding="utf-8")
    status = live.check()
    assert isinstance(status.error, RuleFileError) and "chain.yaml" in str(status.error)
    assert live.serving() is before
    substitution = scenarios.from_mapping(
        {"host_authority": "absent", "interim_administration": True, "host_consent": True}
    )
    assert advise(live.serving(), substitution).mandate == "substitution"


def test_a_good_edit_goes_into_service(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(CHAIN_RULES, rules)
    live = LiveRuleBase(rules, CHAIN_KNOWLEDGE)
    text = (rules / "chain.yaml").read_text().replace("priority: 20", "priority: 1")
    (rules / "chain.yaml").write_text(text, encoding="utf-8")
    status = live.check()
    assert status.reloaded and status.error is None
    assert advise(live.serving(), scenarios.from_mapping({"host_consent": False})).mandate == "none"
    assert live.serving().rule("none-without-consent").priority == 1


def test_serving_names_the_load_error_when_nothing_ever_loaded(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(CHAIN_RULES, rules)
    (rules / "chain.yaml").write_text("rules: [\n", encoding="utf-8")
    live = LiveRuleBase(rules, CHAIN_KNOWLEDGE)
    with pytest.raises(AdvisorError, match="chain.yaml"):
        live.serving()
