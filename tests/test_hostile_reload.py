"""Hot reload under broken and half-written files (issue 17): last good version served, every session warned."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from advisor.errors import AdvisorError
from advisor.ui.live import LiveRuleBase

HERE = Path(__file__).resolve().parent
CHAIN = HERE / "fixtures" / "rulebases" / "chain"


def _copy(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(CHAIN / "rules", rules)
    return rules


def test_a_bad_byte_on_disk_warns_every_session_and_keeps_the_last_good(tmp_path):
    rules = _copy(tmp_path)
    live = LiveRuleBase(rules, CHAIN / "knowledge")
    good = live.check().rulebase
    path = rules / "chain.yaml"
    path.write_bytes(path.read_bytes().replace(b"topic: chain", b"topic: ch\x00ain"))
    first, second = live.check(), live.check()
    for status in (first, second):  # the second session is told too, not silently served the old one
        assert status.rulebase is good
        assert isinstance(status.error, AdvisorError)
        assert "chain.yaml:2:10: not valid YAML: control character U+0000" in str(status.error)


def test_invalid_utf8_on_disk_is_an_error_not_a_traceback(tmp_path):
    rules = _copy(tmp_path)
    live = LiveRuleBase(rules, CHAIN / "knowledge")
    good = live.check().rulebase
    (rules / "chain.yaml").write_bytes(b"topic: chain\nrules: [\xff]\n")
    status = live.check()
    assert status.rulebase is good and "not UTF-8" in str(status.error)


def test_a_yml_file_is_watched_like_a_yaml_file(tmp_path):
    rules = _copy(tmp_path)
    live = LiveRuleBase(rules, CHAIN / "knowledge")
    count = len(live.check().rulebase.rules)
    text = (rules / "chain.yaml").read_text(encoding="utf-8")
    (rules / "more.yml").write_text(
        text.replace("topic: chain", "topic: more").replace("  - id: ", "  - id: m-"), encoding="utf-8"
    )
    status = live.check()
    assert status.error is None and len(status.rulebase.rules) == 2 * count


def test_reloads_during_slow_writes_never_serve_a_half_written_base(tmp_path):
    """A writer rewrites the rule file in small chunks while sessions check: what is served is
    the whole old or the whole new base, never a prefix that happens to parse."""
    rules = _copy(tmp_path)
    live = LiveRuleBase(rules, CHAIN / "knowledge")
    whole = live.check().rulebase
    full = (rules / "chain.yaml").read_bytes()
    seen: set[int] = set()
    stop = threading.Event()

    def writer():
        for _ in range(15):
            with open(rules / "chain.yaml", "wb") as out:
                for i in range(0, len(full), 256):
                    out.write(full[i : i + 256])
                    out.flush()
            if stop.is_set():
                return

    thread = threading.Thread(target=writer)
    thread.start()
    while thread.is_alive():
        status = live.check()
        seen.add(len(status.rulebase.rules))
    stop.set()
    thread.join()
    assert seen == {len(whole.rules)}
