"""IBM Mission Design Advisor: the Streamlit app. Layout only; every decision comes from advisor/.

Run: streamlit run app.py
"""

from pathlib import Path

import streamlit as st

from advisor.auth import gate  # issue 13
from advisor.report.markdown import esc
from advisor.ui import context, resources, state, style

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="IBM Mission Design Advisor", layout="wide")
style.apply()  # fixed CSS: caption contrast, headline and tab layout (advisor/ui/style.py)

state.begin_run()  # the Workspace body may rerun alone (st.fragment); see state.fragment_done
gate()  # issue 13: team mode signs users in (advisor/auth.py); single-user mode passes
rulebase = context.load_rulebase()
presets = resources.presets()
state.init(next(iter(presets.scenarios.values()), None))
state.follow_link()
state.show_preset(presets.scenarios)
resources.settle_heap()  # once per server: full collections skip the loaded code and rule base

pages = [
    st.Page("app_pages/workspace.py", title="Workspace", default=True),
    st.Page("app_pages/whatif.py", title="Why not / what if"),
    st.Page("app_pages/compare.py", title="Compare"),
    st.Page("app_pages/briefing.py", title="Briefing export"),
    st.Page("app_pages/rulelab.py", title="Rule lab"),
]
if (HERE / "app_pages" / "sweep.py").exists():
    pages.append(st.Page("app_pages/sweep.py", title="Sweep"))
pages += [
    st.Page("app_pages/library.py", title="Library"),  # issue 13: storage
    st.Page("app_pages/records.py", title="Records"),
]
nav = st.navigation(pages)

with st.sidebar:
    st.markdown(f"**Scenario:** {esc(state.current().name)}")
    st.caption(f"Rule base {esc(rulebase.label)}")
    st.caption("Concept: EU CSDP support to Integrated Border Management, Council doc 16044/13.")

if state.LINK_ERROR in st.session_state:
    err = st.session_state[state.LINK_ERROR]
    st.error(
        "The link's scenario could not be read. The link stays in the address bar so you can "
        "correct it there; until then the scenario shown is the previous one (or the first preset):\n\n"
        + "\n".join(f"- {esc(str(p))}" for p in err.problems)
    )
    if st.button("Dismiss", key="dismiss_link_error"):
        del st.session_state[state.LINK_ERROR]
        st.rerun()

nav.run()
state.record()  # after the page, so a change made by the page itself can be undone at once
with st.sidebar:
    before = state.previous()
    st.button(
        f"Undo: back to {esc(before.name)}" if before else "Undo",
        key="undo",
        on_click=state.undo,
        disabled=before is None,
        help="Restore the scenario before the last change",
    )
state.sync_link()
state.end_run()
