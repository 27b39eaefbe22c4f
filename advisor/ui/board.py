"""The Workspace's headline, fact editor and mission design as one Streamlit element.

Why one element: a fact change reruns one fragment that draws just this (app_pages/workspace.py),
so a change is one script run and one element for the browser to update. Every Streamlit element
a change draws, even the st.columns that placed the editor beside the design, cost the browser
a render (about 10 ms for the columns alone); the layout is CSS here instead (docs/app.md).

The headline and design are drawn by the viewer's own function (viewer.py), the editor by
facteditor.py; a view whose data did not change is not drawn again. Every string is set with
textContent, never innerHTML.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from . import facteditor, viewer
from .glance import View

NAME = "advisor.workspace"

JS = (
    viewer.VIEW_JS
    + facteditor.JS
    + r"""
export default function ({ data, parentElement, setTriggerValue, key }) {
  let root = parentElement.querySelector(":scope > .ibm-board");
  if (!root) {
    root = document.createElement("div");
    root.className = "ibm-board";
    const cols = document.createElement("div");
    cols.className = "ibm-cols";
    for (const part of ["ibm-head", "ibm-edit", "ibm-design"]) {
      const box = document.createElement("div");
      box.className = part;
      (part === "ibm-head" ? root : cols).append(box);
    }
    root.append(cols);
    parentElement.append(root);
  }
  for (const [part, view] of [["ibm-head", data.headline], ["ibm-design", data.design]]) {
    const box = root.querySelector("." + part);
    const json = JSON.stringify(view);
    if (box._drawn !== json) {
      drawView(box, view);
      box._drawn = json;
    }
  }
  drawEditor(root.querySelector(".ibm-edit"), data.editor, (event) => setTriggerValue("change", event), key);
}
"""
)

# The editor beside the design, 2:3 like the page's columns before; stacked when the main area
# is narrow (800 px with the sidebar open leaves about 500 px), where two columns squeeze both.
CSS = (
    viewer.CSS
    + facteditor.CSS
    + """
.ibm-board { container-type: inline-size; }
.ibm-head { margin: 0 0 1.5rem; }
.ibm-cols { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 3rem; }
@container (max-width: 40rem) { .ibm-cols { grid-template-columns: minmax(0, 1fr); gap: 1rem; } }
"""
)

_mount = st.components.v2.component(NAME, js=JS, css=CSS, isolate_styles=False)


def draw(headline: View, editor: facteditor.EditorView, design: View, key: str, on_change: Callable[[], None]) -> None:
    """Draw the element; `on_change` runs as a callback when the planner changes a fact
    (read the event with facteditor.last_event(key))."""
    data = {"headline": headline.data(), "editor": editor.data(), "design": design.data()}
    _mount(data=data, key=key, on_change_change=on_change)  # on_<event>_change, event facteditor.EVENT
