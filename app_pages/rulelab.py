"""Rule lab for authors: browse the rules, edit or upload a rule file, validate it, run the
rule tests and try it on the current scenario. The draft is private (kept in the store); an
author's Publish makes it a new version of the shared rule base (advisor/store/rulestore.py)."""

from pathlib import Path

import streamlit as st

from advisor.authoring import ruletests
from advisor.errors import AdvisorError
from advisor.report.markdown import esc
from advisor.ruleset import load_rulebase, rule_files
from advisor.service import advise
from advisor.slots import SLOTS
from advisor.store import app as store  # issue 13: store hooks
from advisor.store.app import keep_draft
from advisor.ui import context, decision_table, editing, state, views

rulebase = context.rulebase()
rules_dir = Path(rulebase.rules_dir)
knowledge_dir = Path(rulebase.knowledge_dir)

st.title("Rule lab")
st.caption(
    f"Rule base in service: {esc(rulebase.label)}, {len(rulebase.rules)} rules. "
    "Drafts here are private to you until an author publishes one."
)

browse, edit = st.tabs(["Browse rules", "Edit and try a rule file"])

with browse:
    files = sorted({Path(r.file).name for r in rulebase.rules})
    topics = sorted({r.topic for r in rulebase.rules})
    sections = sorted({s for r in rulebase.rules for s in r.sections})
    c1, c2, c3 = st.columns(3)
    f_file = c1.multiselect("File", files, key="lab_filter_file")
    f_topic = c2.multiselect("Topic", topics, key="lab_filter_topic")
    f_section = c3.multiselect(
        "Concept section",
        sections,
        key="lab_filter_section",
        format_func=lambda s: f"{rulebase.knowledge.section_label(s)} {rulebase.knowledge.section_title(s)}",
    )
    shown = [
        r
        for r in rulebase.rules
        if (not f_file or Path(r.file).name in f_file)
        and (not f_topic or r.topic in f_topic)
        and (not f_section or set(r.sections) & set(f_section))
    ]
    st.dataframe(
        [
            {
                "id": r.id,
                "title": r.title,
                "concludes": ", ".join(c.key for c in r.conclusions),
                "sections": ", ".join(rulebase.knowledge.section_label(s) for s in r.sections),
                "priority": r.priority,
                "where": f"{Path(r.file).name}:{r.line}",
            }
            for r in shown
        ],
        hide_index=True,
        width="stretch",
        key="lab_rules_table",
    )
    decision_table.show(rulebase)
    pick = st.selectbox("Open a rule", [r.id for r in shown], index=None, key="lab_open_rule")
    if pick:
        rule = rulebase.rule(pick)
        st.markdown(f"**{esc(rule.title)}** `{rule.id}`, {esc(editing.relative(rule.location, rules_dir))}")
        st.markdown(esc(rule.rationale))
        try:
            lines = Path(rule.file).read_text(encoding="utf-8").splitlines()
            start = (rule.line or 1) - 1
            end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- id:")), len(lines))
            st.code("\n".join(lines[start:end]), language="yaml")
        except OSError:
            st.caption("The file is no longer on disk.")


def edit_tab() -> None:
    """The editor tab. It returns early, never st.stop(): that would also end app.py's frame after
    the page (the sidebar's Undo, the address bar)."""
    names = [p.name for p in rule_files(rules_dir)]
    base = st.selectbox(
        "Start from a rule file of the rule base",
        names,
        index=None,
        key="lab_base",
        placeholder="Choose a file, or upload one below",
    )
    upload = st.file_uploader("…or upload a rule file", type=["yaml", "yml"], key="lab_upload")
    source_name, source_text = None, ""
    if upload is not None:
        source_name = upload.name
        source_text = upload.getvalue().decode("utf-8", errors="replace")
    elif base:
        source_name = base
        source_text = (rules_dir / base).read_text(encoding="utf-8")
    keep_draft("rulelab", ("lab_source", "_lab_draft", "_lab_from"))  # issue 13: drafts kept in the database
    if source_name is None and "lab_source" in st.session_state:
        # Back from another page (which drops the file pickers' state): carry on with the draft.
        source_name, source_text = st.session_state["lab_source"]
    if source_name is None:
        st.info("Choose or upload a rule file to edit it here.")
        return
    # A new source resets the editor; later edits are kept while the source stays the same, and
    # under our own key (_lab_draft) so they survive visits to other pages, which drop widget state.
    if st.session_state.get("lab_source") != (source_name, source_text):
        st.session_state["lab_source"] = (source_name, source_text)
        st.session_state["_lab_draft"] = (source_name, source_text)
        st.session_state["_lab_from"] = store.rule_store().current()  # the version a publish must find in service
        st.session_state.pop("lab_text", None)
        st.session_state.pop("lab_name", None)
    draft_name, draft_text = st.session_state["_lab_draft"]
    st.session_state.setdefault("lab_name", draft_name)
    st.session_state.setdefault("lab_text", draft_text)

    def remember_draft():
        st.session_state["_lab_draft"] = (st.session_state["lab_name"], st.session_state["lab_text"])

    # Monospace editor (fixed CSS, no user text): positions in errors are line and column.
    st.markdown(
        "<style>.st-key-lab_text textarea{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;"
        "font-size:0.85rem;line-height:1.45;tab-size:2}</style>",
        unsafe_allow_html=True,
    )
    name = st.text_input(
        "File name in the rule base (a new name adds a file)",
        value=state.shown("lab_name"),  # why: a late-loading browser must not send "" back (state.shown)
        key="lab_name",
        on_change=remember_draft,
    )
    text = st.text_area(
        "Rule file (validated when you leave the box or press Ctrl+Enter)",
        value=state.shown("lab_text"),
        key="lab_text",
        height=360,
        on_change=remember_draft,
    )
    with st.expander("The draft with line numbers"):
        st.code(text, language="yaml", line_numbers=True)
    st.download_button(
        "Download the draft",
        text.encode("utf-8"),
        file_name=name if name.endswith((".yaml", ".yml")) else "draft.yaml",
        mime="application/x-yaml",
        key="lab_download",
        on_click="ignore",
    )
    if not name.endswith((".yaml", ".yml")) or "/" in name:
        st.error("The file name must be a plain name ending in .yaml, e.g. mandate.yaml.")
        return
    try:
        draft = load_rulebase(rules_dir, knowledge_dir, overlay={name: text})
    except AdvisorError as err:
        st.error(
            f"The draft does not validate ({len(err.problems)} problem(s)); the rule base in service is unchanged."
        )
        rows = []
        for p in err.problems:
            line, message = p.line, editing.relative(p.message, rules_dir, knowledge_dir)
            opened = editing.unclosed_quote_line(text, p.line) if "YAML" in p.message else None
            if opened and opened != p.line:
                line, message = (
                    opened,
                    f"a quote opened on this line is not closed (the parser noticed at line {p.line}: {message})",
                )
            rows.append(
                {
                    "file": editing.relative(str(p.file or ""), rules_dir, knowledge_dir),
                    "line": line,
                    "column": p.column if line == p.line else None,
                    "rule": p.rule_id or "",
                    "field": p.field or "",
                    "problem": message + (f" (did you mean '{p.suggestion}'?)" if p.suggestion else ""),
                    "allowed": ", ".join(map(str, p.allowed[:12])),
                }
            )
        st.dataframe(rows, hide_index=True, width="stretch", key="lab_problems")
        return
    st.success(f"Valid: {len(draft.rules)} rules, draft version hash {draft.sha256[:12]}.")
    decision_table.show(draft, key="lab_draft", file_name=name)
    for w in draft.warnings:
        st.warning(esc(editing.relative(str(w), rules_dir, knowledge_dir)))

    st.subheader("Try it on the current scenario")
    scenario = state.current()
    before, after = context.advice_for(scenario, rulebase), advise(draft, scenario)  # in service: cached
    rows = []
    for slot in (
        "mandate",
        "function",
        "structure",
        "hq",
        "partner",
        "objective",
        "task",
        "expertise",
        "planning_step",
        "warning",
    ):
        old, new = set(before.values(slot)), set(after.values(slot))
        if old != new:
            rows.append(
                {
                    "conclusion": SLOTS[slot].label,
                    "in service": ", ".join(sorted(old)) or "—",
                    "with your draft": ", ".join(sorted(new)) or "—",
                }
            )
    st.caption(f"Scenario: {esc(scenario.name)}")
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch", key="lab_diff")
    else:
        st.info("Your draft gives the same advice as the rule base in service for this scenario.")
    with st.expander("Advice with your draft"):
        views.advice_panel(after, key="lab")

    st.subheader("Rule tests")
    test_files = ruletests.discover([rules_dir / "tests"]) if (rules_dir / "tests").is_dir() else []
    if not test_files:
        st.info("This rule base has no rule tests (rules/tests/*.yaml).")
    elif st.toggle("Run the rule tests against the draft", key="lab_run_tests"):
        outcomes, problems = [], []
        for f in test_files:
            try:
                outcomes += [ruletests.run_test(t, draft) for t in ruletests.load_tests(f, draft)]
            except AdvisorError as err:
                problems += err.problems
        for p in problems:
            st.error(esc(str(p)))
        failed = [o for o in outcomes if not o.passed]
        (st.error if failed else st.success)(f"{len(outcomes) - len(failed)} of {len(outcomes)} rule tests pass.")
        for o in failed:
            st.markdown(f"- **{esc(o.test.name)}** ({esc(o.test.location)}): " + esc("; ".join(o.failures)))

    st.subheader("Publish")
    store.publish_control(name, text, rulebase, st.session_state.get("_lab_from", 0))


with edit:
    edit_tab()
