"""The app's fixed CSS (never user text): contrast and layout fixes over Streamlit's theme.

Injected once per run by app.py, so every page gets it. Each rule names the problem it
solves; the browser tests (tests/browser/) check the outcome at 800 and 1400 px.
"""

from __future__ import annotations

import streamlit as st

RULES = (
    # The theme's faded caption grey is 3.8:1 on the sidebar, below WCAG AA's 4.5:1 (axe
    # color-contrast); a darker grey keeps the caption look at about 7:1.
    "[data-testid='stCaptionContainer'],[data-testid='stCaptionContainer'] *,"
    "[data-testid='stWidgetLabel'] small,[data-testid='stTooltipHoverTarget'] svg"
    "{color:#4a4947 !important;opacity:1 !important}",
    # A tab bar wider than its column scrolls sideways and hides its last tabs behind an
    # arrow; wrapped onto two lines every tab stays in sight.
    "[data-testid='stTabs'] [role='tablist']{flex-wrap:wrap;overflow-x:visible !important;"
    "row-gap:0.25rem;height:auto !important}",
    # The Workspace's preset and name row: at 800 px (500 px beside the sidebar) two columns cut
    # the preset and scenario names; below about 18rem each they stack instead. (The editor and
    # the design beside it are laid out by their own element, advisor/ui/board.py.)
    "[data-testid='stHorizontalBlock']:has(> [data-testid='stColumn'] .st-key-preset){flex-wrap:wrap;row-gap:1rem}",
    "[data-testid='stHorizontalBlock']:has(> [data-testid='stColumn'] .st-key-preset)"
    " > [data-testid='stColumn']{min-width:18rem}",
    # Button labels in narrow columns were cut with an ellipsis ("Download Markd..." at 800 px
    # on the Briefing page); they wrap onto a second line instead.
    "[data-testid='stDownloadButton'] button *,[data-testid='stButton'] button *"
    "{white-space:normal !important;overflow:visible !important;text-overflow:clip !important}",
    "[data-testid='stDownloadButton'] button,[data-testid='stButton'] button{height:auto !important}",
    # A selected pill (the advice details' panel) is theme red on pale red, 4.47:1: just under AA.
    "[data-testid='stButtonGroup'] [data-selected='true'] [data-testid='stMarkdownContainer'] p"
    "{color:#9e1f2e !important}",
)


def apply() -> None:
    st.markdown("<style>" + "".join(RULES) + "</style>", unsafe_allow_html=True)
