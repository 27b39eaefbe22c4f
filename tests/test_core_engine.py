"""The durable-rules adapter: chaining, absence, isolation, threads, memory (reload: test_core_lifetimes.py).

Each test answers one trap measured in docs/engine-notes.md.
"""

from __future__ import annotations

import json
import resource
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from advisor import scenario as scenarios
from advisor.engine import CompiledRuleBase
from advisor.oracle import evaluate_reference
from advisor.service import advise, compiled_for
from support import CHAIN_KNOWLEDGE, CHAIN_RULES, FIXTURES

SUBSTITUTION = scenarios.from_mapping(
    {"name": "interim", "host_authority": "absent", "interim_administration": True, "host_consent": True}
)
CONSENTING = scenarios.from_mapping({"name": "plain", "host_consent": True})


def test_chaining_across_three_levels(chain_rulebase):
    advice = advise(chain_rulebase, SUBSTITUTION)
    assert advice.mandate == "substitution"
    assert advice.values("function") == ("strengthening", "substitution")
    fired = [f.rule_id for f in advice.evaluation.firings]
    assert fired.index("executive-powers") < fired.index("substitution") < fired.index("third-level")
    assert "derived:deep_fact" in advice.evaluation.concluded


def test_a_derived_fact_reaches_every_rule_that_reads_it(chain_rulebase):
    # Events would be consumed by one rule only; conclusions are facts, so both readers fire.
    fired = advise(chain_rulebase, SUBSTITUTION).evaluation.fired_ids()
    assert {"substitution", "second-reader"} <= fired


def test_absence_is_tested_only_after_the_producers_ran(chain_rulebase):
    # deep_fact arrives at the third level of the chain; the negation must not have fired earlier.
    with_deep = advise(chain_rulebase, SUBSTITUTION).evaluation.fired_ids()
    assert "absence-of-deep-fact" not in with_deep
    assert "strengthening-default" not in with_deep
    without = advise(chain_rulebase, CONSENTING).evaluation.fired_ids()
    assert {"absence-of-deep-fact", "strengthening-default"} <= without


def test_a_conclusion_nobody_reads_is_still_recorded(chain_rulebase):
    # Asserting an unread fact into durable-rules raises inside the action and vanishes; we keep it.
    advice = advise(chain_rulebase, CONSENTING)
    assert "unread_marker" in advice.values("derived")
    assert "derived:unread_marker" not in chain_rulebase.plan.read_keys


def test_firings_record_the_facts_matched_with_their_values(chain_rulebase):
    advice = advise(chain_rulebase, SUBSTITUTION)
    first = next(f for f in advice.evaluation.firings if f.rule_id == "executive-powers")
    assert {(m.name, m.value) for m in first.matched} == {
        ("host_authority", "absent"),
        ("interim_administration", True),
    }


def test_priority_decides_and_the_loser_is_reported(chain_rulebase):
    s = SUBSTITUTION.with_value("disputed_border", True)
    advice = advise(chain_rulebase, s)
    assert advice.mandate == "substitution"
    assert ("mandate", "monitoring", "monitoring") in {(o.slot, o.value, o.rule_id) for o in advice.overridden}
    assert "monitoring" in advice.values("function")


def test_equal_priority_disagreement_is_a_reported_conflict(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(CHAIN_RULES, rules)
    (rules / "clash.yaml").write_text(
        "topic: clash\nrules:\n  - id: clash\n    title: Clash\n    priority: 10\n"
        "    when: {derived: executive_powers_needed}\n    then:\n      - mandate: monitoring\n"
        '    rationale: Fixture.\n    sections: ["6.3"]\n',
        encoding="utf-8",
    )
    from advisor.ruleset import load_rulebase

    advice = advise(load_rulebase(rules, CHAIN_KNOWLEDGE), SUBSTITUTION)
    assert advice.mandate is None
    (conflict,) = advice.conflicts
    assert conflict.values == ("substitution", "monitoring") and set(conflict.rules) == {"substitution", "clash"}
    assert advice.to_json()["mandate"]["conflict"]["rules"]


def test_evaluations_are_isolated(chain_rulebase):
    engine = compiled_for(chain_rulebase)
    first = engine.evaluate(SUBSTITUTION)
    second = engine.evaluate(CONSENTING)
    again = engine.evaluate(SUBSTITUTION)
    assert "mandate:substitution" not in second.concluded
    assert first == again


def test_more_sessions_than_the_engine_limit(chain_rulebase):
    # durable-rules allows 1,024 live sids per ruleset; each evaluation deletes its own.
    engine = compiled_for(chain_rulebase)
    results = {engine.evaluate(SUBSTITUTION if i % 2 else CONSENTING).concluded for i in range(1500)}
    assert len(results) == 2


def test_compiling_starts_no_threads(chain_rulebase):
    # durable's Host starts two timer threads per instance; we drive the engine without it.
    before = threading.active_count()
    engines = [CompiledRuleBase(chain_rulebase) for _ in range(20)]
    assert threading.active_count() == before
    for e in engines:
        e.close()


def test_closed_rule_base_refuses_politely(chain_rulebase):
    engine = CompiledRuleBase(chain_rulebase)
    engine.close()
    from advisor.errors import EngineError

    with pytest.raises(EngineError):
        engine.evaluate(CONSENTING)


def _engine_threads(monkeypatch) -> set[int]:
    """The threads durable-rules' calls run on from now on (the extension's entry, wrapped)."""
    import durable_rules_engine as dre

    seen: set[int] = set()
    real = dre.assert_fact

    def recording(*args):
        seen.add(threading.get_ident())
        return real(*args)

    monkeypatch.setattr(dre, "assert_fact", recording)
    return seen


def _in_threads(fn, n: int = 5) -> tuple[list, set[int]]:
    """fn() in n short-lived threads one after the other, as Streamlit runs a script; results
    (or exceptions) and the callers' thread ids."""
    results: list = []
    callers: set[int] = set()

    def call():
        callers.add(threading.get_ident())
        try:
            results.append(fn())
        except Exception as err:  # noqa: BLE001 - handed back to the test
            results.append(err)

    for _ in range(n):
        t = threading.Thread(target=call)
        t.start()
        t.join(timeout=60)
        assert not t.is_alive(), "an evaluation from a thread did not come back"
    return results, callers


def test_evaluations_from_short_lived_threads_run_on_one_engine_thread(chain_rulebase, monkeypatch):
    # Each Streamlit script run is a new thread; evaluating there paid 20-30 ms of page faults for
    # the engine's session state (advisor/enginethread.py). The engine's calls move to one thread.
    engine = compiled_for(chain_rulebase)
    expected = engine.evaluate(SUBSTITUTION)  # the main thread runs its own calls
    seen = _engine_threads(monkeypatch)
    results, callers = _in_threads(lambda: engine.evaluate(SUBSTITUTION))
    assert results == [expected] * 5
    assert len(seen) == 1 and not seen & callers and threading.get_ident() not in seen


def test_an_engine_error_comes_back_to_the_thread_that_asked(chain_rulebase):
    from advisor.errors import EngineError

    engine = CompiledRuleBase(chain_rulebase)
    engine.close()
    results, _ = _in_threads(lambda: engine.evaluate(CONSENTING), n=2)
    assert all(isinstance(r, EngineError) and "closed" in str(r) for r in results)


# Forking a process that has threads is what this test is about; Python 3.12+ warns about it.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")
def test_a_forked_child_gets_an_engine_thread_of_its_own(chain_rulebase):
    # A fork copies the parent's executor but not its thread: work handed to it would wait forever.
    import multiprocessing

    engine = compiled_for(chain_rulebase)
    expected = sorted(engine.evaluate(SUBSTITUTION).concluded)
    _in_threads(lambda: engine.evaluate(SUBSTITUTION), n=1)  # the parent's engine thread exists
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def child():
        results, _ = _in_threads(lambda: sorted(engine.evaluate(SUBSTITUTION).concluded), n=2)
        queue.put(results)

    proc = ctx.Process(target=child)
    proc.start()
    proc.join(timeout=30)
    alive = proc.is_alive()
    if alive:
        proc.kill()
    assert not alive, "the forked child's evaluation from a thread hung"
    assert queue.get(timeout=5) == [expected, expected]


def test_a_sweep_piece_runs_whole_on_the_engine_thread(real_rulebase, monkeypatch):
    # One hand-over per piece, not one per scenario: every row is built where the engine runs.
    from advisor.sweep.outcome import Evaluator
    from advisor.sweep.run import Piece

    rows_built_on: set[int] = set()

    class Watched(Evaluator):
        def row(self, scenario):
            rows_built_on.add(threading.get_ident())
            return super().row(scenario)

    batch = _scenarios_for_threads()
    piece = Piece(0, len(batch), rows=tuple((s.to_dict(), s.source) for s in batch))
    expected = piece.evaluate(Evaluator(real_rulebase))
    seen = _engine_threads(monkeypatch)
    results, callers = _in_threads(lambda: piece.evaluate(Watched(real_rulebase)), n=2)
    assert results == [expected, expected]
    assert len(seen) == 1 and rows_built_on == seen and not seen & callers


def test_only_equality_tests_reach_the_engine(real_rulebase):
    # Numeric comparisons are what triggered durable-rules' error 303.
    engine = compiled_for(real_rulebase)
    text = json.dumps(engine.definition)
    assert '"$or"' in text and '"$and"' in text  # the definition really is the compiled one
    for op in ("$lt", "$lte", "$gt", "$gte", "$neq", "$ex", "$nex"):
        assert op not in text


def _scenarios_for_threads():
    from advisor import vocabulary as v

    out = []
    for i, field in enumerate(f for f in v.FIELDS if f.kind == v.CHOICE):
        for j, value in enumerate(field.values):
            out.append(
                scenarios.from_mapping(
                    {
                        "name": f"s{i}-{j}",
                        field.name: value,
                        "host_consent": bool(j % 2),
                        "host_capacity": {"legislative": ("weak", "adequate")[j % 2]},
                    }
                )
            )
    return out


def test_eight_threads_share_one_compiled_rule_base(real_rulebase):
    batch = _scenarios_for_threads() * 4
    engine = compiled_for(real_rulebase)
    serial = [engine.evaluate(s).concluded for s in batch]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda s: engine.evaluate(s).concluded, batch))
    assert threaded == serial


@pytest.mark.slow
def test_no_memory_growth_over_ten_thousand_evaluations(real_rulebase):
    engine = compiled_for(real_rulebase)
    batch = _scenarios_for_threads()
    for s in batch * 3:  # warm-up: allocator pools and caches settle
        engine.evaluate(s)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    n = 0
    while n < 10_000:
        for s in batch:
            engine.evaluate(s)
            n += 1
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    # A leaked session of this rule base costs megabytes; 10,000 of them would be gigabytes.
    assert grown_kb < 20_000, f"resident memory grew by {grown_kb} kB"


def test_reference_evaluator_agrees_on_the_fixture(chain_rulebase):
    for s in (SUBSTITUTION, CONSENTING, scenarios.from_mapping({})):
        durable = compiled_for(chain_rulebase).evaluate(s)
        reference = evaluate_reference(chain_rulebase, s)
        assert durable.concluded == reference.concluded
        assert durable.fired_ids() == reference.fired_ids()


def test_scenarios_no_rule_matches_do_not_corrupt_the_engine():
    # Regression: a session opened by a fact no rule matched crashed the process on delete
    # (heap-layout dependent, so it runs in a fresh interpreter with the package imported).
    import subprocess
    import sys

    rules = FIXTURES / "authoring" / "verify" / "cycle" / "rules"
    knowledge = FIXTURES / "authoring" / "rulebase" / "knowledge"
    code = (
        "from advisor.ruleset import load_rulebase\n"
        "from advisor.service import compiled_for\n"
        "from advisor import scenario as s\n"
        f"rb = load_rulebase({str(rules)!r}, {str(knowledge)!r})\n"
        "e = compiled_for(rb)\n"
        "for i in range(2000):\n"
        "    e.evaluate(s.from_mapping({'host_consent': True} if i % 2 else {}))\n"
        "    e.evaluate(s.from_mapping({'host_capacity': {'legislative': 'weak'}}))\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-500:]
