"""One Streamlit element that draws a View (advisor/ui/glance.py): the headline or the design.

Why a component: the headline and the design change on every fact change, and as st.metric,
st.caption and st.markdown they were a dozen elements, each a React subtree with CSS-in-JS
styles and a Markdown parse. Drawn as one custom element (st.components.v2, mounted in the
page, no iframe) fed the View as JSON, the browser builds a few plain DOM nodes instead; the
design's change measured about 20 ms faster (docs/app.md).

Its script sets every string with textContent, never innerHTML: rule and catalogue titles are
shown literally, never run as HTML, Markdown or mathematics. The script and style below are
our own fixed code, registered once; no user text reaches them.
"""

from __future__ import annotations

import streamlit as st

from .glance import View

NAME = "advisor.view"

# Class names are prefixed: with isolate_styles=False (so the page's font, colours and the
# accessibility checks reach it) the style applies to the whole page.
# drawView and el are also part of the Workspace's element (advisor/ui/board.py, whose editor
# builds its nodes with the same el), so each is one function.
VIEW_JS = r"""
function el(tag, cls, text) {  // text is set as text, never parsed
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

function drawView(parentElement, data) {
  const out = document.createDocumentFragment();
  const figures = data.figures || [];
  if (figures.length) {
    const row = el("div", "ibm-figures");
    for (const [slot, label, value, note, conflict] of figures) {
      const fig = el("div", conflict ? "ibm-figure ibm-conflict" : "ibm-figure");
      fig.dataset.slot = slot;
      fig.append(el("p", "ibm-label", label), el("p", "ibm-value", value), el("p", "ibm-small", note));
      row.append(fig);
    }
    out.append(row);
  }
  for (const [kind, text, items, note] of data.blocks || []) {
    if (kind === "heading") out.append(el("h3", "ibm-heading", text));
    else if (kind === "warning") {
      const w = el("div", "ibm-warning", text);
      w.setAttribute("role", "note");
      out.append(w);
    } else if (kind === "small") out.append(el("p", "ibm-small", text));
    else if (kind === "text") out.append(el("p", "ibm-text", text));
    else {
      const box = el("div", kind === "line" ? "ibm-line" : "ibm-list");
      box.append(el("p", "ibm-title", text));
      const list = el("ul");
      for (const item of items) list.append(el("li", "", item));
      box.append(list);
      if (note) box.append(el("p", "ibm-small", note));
      out.append(box);
    }
  }
  let root = parentElement.querySelector(":scope > .ibm-view");
  if (!root) {
    root = el("div", "ibm-view");
    parentElement.append(root);
  }
  root.replaceChildren(out);
}
"""

JS = (
    VIEW_JS
    + """
export default function ({ data, parentElement }) {
  drawView(parentElement, data);
}
"""
)

CSS = """
.ibm-view { overflow-wrap: anywhere; line-height: 1.6; }
.ibm-view p { margin: 0; }
.ibm-figures {
  display: flex; flex-wrap: wrap; gap: 1rem;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 1rem;
}
.ibm-figure { flex: 1 1 12rem; min-width: 0; }
.ibm-label { font-size: 0.875rem; }
.ibm-value { font-size: clamp(1.4rem, 2.6vw, 2.25rem); line-height: 1.2; padding: 0.25rem 0; }
.ibm-conflict .ibm-value { color: #a3000b; }
.ibm-small { font-size: 0.875rem; }
.ibm-view > .ibm-small, .ibm-view > .ibm-text { margin: 0 0 1rem; }
.ibm-heading { font-size: 1.5rem; font-weight: 600; margin: 0.5rem 0 1rem; padding: 0; }
.ibm-warning {
  background: rgba(255, 189, 69, 0.2); border-radius: 0.5rem;
  padding: 1rem; margin: 0 0 1rem;
}
.ibm-line, .ibm-list { margin: 0 0 1rem; }
.ibm-title { font-weight: 600; }
.ibm-view ul { margin: 0.25rem 0 0.25rem 1.5rem; padding: 0; }
.ibm-view li { margin: 0; }
"""

_mount = st.components.v2.component(NAME, js=JS, css=CSS, isolate_styles=False)


def draw(view: View, key: str) -> None:
    """Draw the view; `key` must be unique on the page."""
    _mount(data=view.data(), key=key)
