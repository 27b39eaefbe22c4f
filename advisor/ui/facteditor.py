"""The Workspace's fact editor, drawn in the browser as part of one element (advisor/ui/board.py).

Why a component: a fact change must reach the updated advice within 1.3x of a minimal
Streamlit page (issue 12, benchmarks/bench_app.py). As Streamlit widgets (pills, selectboxes,
multiselects) the editor had to sit in its own fragment, so a change made two script runs, and
drawing its widgets again in the advice's fragment cost more than the second run (docs/app.md).
As one element fed the scenario as JSON it shares the advice's fragment: one run per change, and
a redraw with the same facts only updates the shown values.

What the planner sees and can do is the same as with the widgets: groups of facts picked from a
row of pills (picking a group is done in the browser, no run), a list box per fact with "unknown"
as a real choice, tick boxes for a list fact with its own "unknown" box, the concept section in
each fact's help. The list boxes follow the WAI-ARIA "select-only combobox" pattern, so they
are read and driven like Streamlit's own (role combobox, options with role option, keyboard).

What the browser sends back is a change, {"path", "value"} (and "unknown" for a list), inside a
numbered batch (`unapplied`), each checked against the vocabulary by `event_value` before the
scenario takes it: the browser is not trusted.
Every string is set with textContent, never innerHTML: labels and help are shown literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from .. import vocabulary as v
from ..errors import AdvisorError, Problem
from ..report.briefing import show
from ..scenario import Scenario
from . import state
from .groups import GROUPS

EVENT = "change"
LABEL = "Facts to edit"
DEFAULT_GROUP = "Host authority and consent"  # where a planner starts: mandate-deciding facts (§6.2)
CAPACITY_SCALE = "absent < weak < partial < adequate"


@dataclass(frozen=True)
class Fact:
    """One fact as the editor shows it: a list box (`many` False) or tick boxes (`many` True)."""

    path: str
    label: str
    help: str
    options: tuple[tuple[str, str], ...]  # (value sent back, word shown)
    shown: str | tuple[str, ...]  # the option chosen; for a list fact, the members ticked
    many: bool = False
    unknown: bool = False  # a list fact's own "unknown" box

    def data(self) -> list:
        kind = "many" if self.many else "one"
        row = [kind, self.path, self.label, self.help, [list(o) for o in self.options]]
        return row + ([list(self.shown), self.unknown] if self.many else [self.shown])


@dataclass(frozen=True)
class Caption:
    """A line above a mapping's facts (the host capacity scale)."""

    text: str

    def data(self) -> list:
        return ["caption", self.text]


@dataclass(frozen=True)
class EditorView:
    """What the editor is sent: every group's rows (the browser shows one group at a time)."""

    groups: tuple[tuple[str, tuple[Fact | Caption, ...]], ...]
    errors: tuple[str, ...] = ()
    applied: Applied | None = None  # the last change taken from the browser (see unapplied)
    label: str = LABEL
    group: str = DEFAULT_GROUP  # the group shown until the planner picks another

    def data(self) -> dict:
        """The JSON the browser receives (the script below reads exactly these keys)."""
        return {
            "label": self.label,
            "group": self.group,
            "groups": [[title, [row.data() for row in rows]] for title, rows in self.groups],
            "errors": list(self.errors),
            "applied": list(self.applied) if self.applied else None,
        }

    def facts(self) -> tuple[Fact, ...]:
        return tuple(row for _, rows in self.groups for row in rows if isinstance(row, Fact))


def _fact(scenario: Scenario | None, path: str) -> Fact:
    field = v.PATHS[path].field
    label = field.label if "." not in path else show(path.split(".", 1)[1]).capitalize()
    help_text = " ".join(x for x in (field.help, f"Concept {field.section}." if field.section else "") if x)
    value = scenario.get(path) if scenario is not None else None
    if field.kind == v.LIST:
        options = tuple((m, show(m)) for m in field.values)
        return Fact(path, label, help_text, options, tuple(value or ()), many=True, unknown=value is None)
    options = tuple((o, show(o)) for o in state.options(path))
    return Fact(path, label, help_text, options, state.to_widget(path, value))


def _rows(scenario: Scenario | None, fields: tuple[str, ...]) -> tuple[Fact | Caption, ...]:
    out: list[Fact | Caption] = []
    for name in fields:
        field = v.FIELDS_BY_NAME[name]
        if field.kind == v.MAPPING:
            out.append(Caption(f"{field.label} ({field.section}): {CAPACITY_SCALE}"))
            out.extend(_fact(scenario, f"{name}.{area}") for area in v.AREAS)
        else:
            out.append(_fact(scenario, name))
    return tuple(out)


def view(scenario: Scenario | None, errors: tuple[str, ...] = (), applied: Applied | None = None) -> EditorView:
    """The editor for a scenario (None: every fact unknown), with its error lines."""
    return EditorView(tuple((title, _rows(scenario, fields)) for title, fields in GROUPS), tuple(errors), applied)


def editable() -> tuple[str, ...]:
    """Every path the editor offers, in its order: each contract fact once, the name aside (it
    has its own text box above the editor)."""
    return tuple(f.path for f in view(None).facts())


def event_value(event: Any) -> tuple[str, Any]:
    """The (path, scenario value) of a change event from the browser; AdvisorError naming the
    field and what is allowed if it is not one the editor can send."""
    path = event.get("path") if isinstance(event, dict) else None
    if not isinstance(path, str) or path not in _EDITABLE:
        raise AdvisorError(
            Problem(f"the editor sent a change of {str(path)[:80]!r}, not a fact it offers", field="path")
        )
    shown, field = event.get("value"), v.PATHS[path].field
    if field.kind == v.LIST:
        if not isinstance(shown, list) or not all(isinstance(m, str) and m in field.values for m in shown):
            raise AdvisorError(Problem("not a list of its members", field=path, allowed=tuple(field.values)))
        if not shown:
            return path, None if event.get("unknown") is True else ()
        return path, tuple(m for m in field.values if m in shown)  # the vocabulary's order
    if not isinstance(shown, str) or shown not in state.options(path):
        raise AdvisorError(Problem("not one of its values", field=path, allowed=tuple(state.options(path))))
    return path, state.from_widget(path, shown)


_EDITABLE = frozenset(editable())

# ---- batches: no change lost when two reach the server together --------------------------
# Streamlit keeps one trigger value per element: two changes sent before the server starts a run
# (a busy server) would keep only the second. So the browser sends every change the server has
# not yet acknowledged, numbered within the editor's session ("batch"), and the server takes the
# ones it has not taken yet; the editor's data says which it took last (`applied`).
Applied = tuple[str, int]  # (batch, number of the last change taken)
MAX_BATCH = 200  # changes not yet acknowledged that one message may carry


def unapplied(payload: Any, applied: Applied | None) -> tuple[list[Any], Applied | None]:
    """The changes of a payload not taken yet, in order, and the new `applied` mark.

    A bare change (no batch) is one change to take. AdvisorError names what is malformed."""
    if not (isinstance(payload, dict) and "events" in payload):
        return [payload], applied
    batch, events = payload.get("batch"), payload.get("events")
    if not isinstance(batch, str) or not 0 < len(batch) <= 64 or not isinstance(events, list):
        raise AdvisorError(Problem("the editor sent a malformed batch of changes", field="batch"))
    if len(events) > MAX_BATCH:
        raise AdvisorError(
            Problem(f"the editor sent {len(events)} changes at once; at most {MAX_BATCH}", field="events")
        )
    seqs: list[int] = []
    for e in events:
        n = e.get("seq") if isinstance(e, dict) else None
        if type(n) is not int or n <= (seqs[-1] if seqs else 0):
            raise AdvisorError(Problem("the editor's changes are not numbered in order", field="seq"))
        seqs.append(n)
    done = applied[1] if applied is not None and applied[0] == batch else 0
    fresh = [e for e, n in zip(events, seqs) if n > done]
    return fresh, ((batch, seqs[-1]) if seqs else applied)


# drawEditor(parentElement, data, send, key) is called by the Workspace's element (board.py),
# which puts viewer.VIEW_JS first: its el() builds the nodes here too.
JS = r"""
const groupShown = new Map();  // component key -> the group the planner picked (kept across runs)
let serial = 0;

function fieldHead(wrap, tag, label, help) {
  const id = "ibm-f" + (++serial);
  const name = el(tag, "ibm-flabel", label);
  name.id = id + "-l";
  wrap.append(name);
  if (help) {
    const p = el("p", "ibm-fhelp", help);
    p.id = id + "-h";
    wrap.append(p);
  }
  return id;
}

// One fact with one value: the WAI-ARIA select-only combobox (a read-only input showing the
// value, a listbox of options), driven by mouse or keyboard (arrows, Home, End, Enter, Escape,
// a letter for the next option starting with it).
function combo(row, send) {
  const [, path, label, help, options, value] = row;
  const wrap = el("div", "ibm-field");
  const id = fieldHead(wrap, "label", label, help);
  const frame = el("div", "ibm-combo");
  const box = el("input", "ibm-cinput");
  box.id = id + "-i";
  wrap.firstChild.htmlFor = box.id;  // a real <label>: axe's label checks want one on an input
  box.readOnly = true;
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-labelledby", id + "-l");
  if (help) box.setAttribute("aria-describedby", id + "-h");
  box.setAttribute("aria-haspopup", "listbox");
  box.setAttribute("aria-expanded", "false");
  box.setAttribute("aria-controls", id + "-o");
  box.setAttribute("aria-autocomplete", "none");
  const caret = el("span", "ibm-caret", "\u25be");
  caret.setAttribute("aria-hidden", "true");
  frame.append(box, caret);
  const list = el("ul", "ibm-options");
  list.id = id + "-o";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-labelledby", id + "-l");
  list.hidden = true;
  let current = -1, active = -1;
  const items = options.map(([, shown], i) => {
    const li = el("li", "ibm-option", shown);
    li.id = id + "-" + i;
    li.setAttribute("role", "option");
    li.addEventListener("mousedown", (e) => e.preventDefault());  // the focus stays on the box
    li.addEventListener("click", () => choose(i));
    list.append(li);
    return li;
  });
  const setActive = (i) => {
    active = Math.max(0, Math.min(items.length - 1, i));
    items.forEach((li, j) => li.classList.toggle("ibm-active", j === active));
    box.setAttribute("aria-activedescendant", items[active].id);
    const li = items[active];  // scroll the list, not the page: a page scroll closes the list
    if (li.offsetTop < list.scrollTop) list.scrollTop = li.offsetTop;
    else if (li.offsetTop + li.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = li.offsetTop + li.offsetHeight - list.clientHeight;
    }
  };
  const typed = (key) => {  // type-ahead: the next option starting with the letter typed
    const n = options.length, from = active >= 0 ? active : current;
    for (let k = 1; k <= n; k++) {
      const i = (from + k + n) % n;
      if (options[i][1].toLowerCase().startsWith(key.toLowerCase())) return i;
    }
    return -1;
  };
  const show = (val) => {
    current = options.findIndex(([v]) => v === val);
    box.value = current >= 0 ? options[current][1] : "";
    items.forEach((li, j) => li.setAttribute("aria-selected", j === current ? "true" : "false"));
  };
  const open = () => {
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
    setActive(current >= 0 ? current : 0);
  };
  const close = () => {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  };
  const choose = (i) => {
    close();
    if (i === current) return;
    show(options[i][0]);
    send({ path, value: options[i][0] });
  };
  frame.addEventListener("mousedown", (e) => {
    e.preventDefault();  // no text selection in the read-only input; the click opens or closes
    box.focus();
    if (list.hidden) open(); else close();
  });
  box.addEventListener("blur", close);
  box.addEventListener("keydown", (e) => {
    if (e.key.length === 1 && e.key !== " " && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const i = typed(e.key);
      if (i >= 0) {
        if (list.hidden) open();
        setActive(i);
      }
      e.preventDefault();
      return;
    }
    if (list.hidden) {
      if (!["ArrowDown", "ArrowUp", "Enter", " "].includes(e.key)) return;
      open();
    } else if (e.key === "ArrowDown") setActive(active + 1);
    else if (e.key === "ArrowUp") setActive(active - 1);
    else if (e.key === "Home") setActive(0);
    else if (e.key === "End") setActive(items.length - 1);
    else if (e.key === "Enter" || e.key === " ") choose(active);
    else if (e.key === "Escape") close();
    else { if (e.key === "Tab") close(); return; }
    e.preventDefault();
  });
  wrap.append(frame, list);
  wrap._update = (r) => show(r[5]);
  show(value);
  return wrap;
}

// A list fact: a tick box per member and its own "unknown" box (unknown is not "none of these").
function many(row, send) {
  const [, path, label, help, options] = row;
  const set = el("fieldset", "ibm-field ibm-many");
  const id = fieldHead(set, "legend", label, help);
  if (help) set.setAttribute("aria-describedby", id + "-h");
  const tick = (text, value) => {
    const lab = el("label", "ibm-tick");
    const input = el("input");
    input.type = "checkbox";
    input.value = value;
    lab.append(input, el("span", "", text));
    set.append(lab);
    return input;
  };
  const boxes = options.map(([val, shown]) => tick(shown, val));
  const unknown = tick("unknown", "");
  unknown.parentElement.classList.add("ibm-unknown");
  const chosen = () => boxes.filter((b) => b.checked).map((b) => b.value);
  for (const b of boxes) b.addEventListener("change", () => {
    if (chosen().length) unknown.checked = false;
    send({ path, value: chosen(), unknown: unknown.checked });
  });
  unknown.addEventListener("change", () => {
    if (unknown.checked) for (const b of boxes) b.checked = false;
    send({ path, value: [], unknown: unknown.checked });
  });
  set._update = (r) => {
    const members = new Set(r[5]);
    for (const b of boxes) b.checked = members.has(b.value);
    unknown.checked = r[6];
  };
  set._update(row);
  return set;
}

// The groups as a row of pills (a radio group, like Streamlit's pills); picking one only shows
// its facts, in the browser: the scenario is the same, so nothing runs on the server.
function build(root, data, send, key) {
  const heading = el("p", "ibm-flabel", data.label);
  heading.id = "ibm-g" + (++serial);
  const pills = el("div", "ibm-pills");
  pills.setAttribute("role", "radiogroup");
  pills.setAttribute("aria-labelledby", heading.id);
  const panels = [], fields = new Map();
  const pick = (title, focus) => {
    groupShown.set(key, title);
    for (const b of pills.children) {
      const on = b.dataset.group === title;
      b.setAttribute("aria-checked", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
    for (const p of panels) p.hidden = p.dataset.group !== title;
  };
  data.groups.forEach(([title, rows], i) => {
    const b = el("button", "ibm-pill", title);
    b.type = "button";
    b.dataset.group = title;
    b.setAttribute("role", "radio");
    b.addEventListener("click", () => pick(title, false));
    b.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
      if (!step) return;
      e.preventDefault();
      const n = data.groups.length;
      pick(data.groups[(i + step + n) % n][0], true);
    });
    pills.append(b);
    const panel = el("div", "ibm-group");
    panel.dataset.group = title;
    for (const row of rows) {
      if (row[0] === "caption") { panel.append(el("p", "ibm-fcaption", row[1])); continue; }
      const f = row[0] === "many" ? many(row, send) : combo(row, send);
      fields.set(row[1], f);
      panel.append(f);
    }
    panels.push(panel);
  });
  const errors = el("div", "ibm-errors");
  root.replaceChildren(heading, pills, ...panels, errors);
  root._fields = fields;
  root._errors = errors;
  const kept = groupShown.get(key);
  pick(data.groups.some(([t]) => t === kept) ? kept : data.group, false);
}

function drawEditor(parentElement, data, send, key) {
  const shape = JSON.stringify(data.groups.map(([t, rows]) => [t, rows.map((r) => r.slice(0, 5))]));
  let root = parentElement.querySelector(":scope > .ibm-editor");
  if (!root) {
    root = el("div", "ibm-editor");
    parentElement.append(root);
  }
  if (root._shape !== shape) {  // new labels or options (first draw, a changed rule base)
    // Every change not yet acknowledged is sent again with the next (see unapplied in Python).
    const batch = Math.random().toString(36).slice(2) + Date.now().toString(36);
    let seq = 0;
    root._pending = [];
    root._batch = batch;
    build(root, data, (event) => {
      root._pending.push({ ...event, seq: ++seq });
      send({ batch, events: root._pending.slice() });
    }, key);
    root._shape = shape;
  }
  const [batch, taken] = data.applied || [];
  if (batch === root._batch) root._pending = root._pending.filter((e) => e.seq > taken);
  for (const [, rows] of data.groups) {
    for (const row of rows) if (row[0] !== "caption") root._fields.get(row[1])._update(row);
  }
  root._errors.replaceChildren(...data.errors.map((line) => {
    const e = el("div", "ibm-error", line);
    e.setAttribute("role", "alert");
    return e;
  }));
}
"""

# Colours: text #31333f on #f0f2f6 and the help grey #4a4947 on white pass WCAG AA (axe
# color-contrast, tests/browser/test_app_accessibility.py), like the app's CSS (style.py).
CSS = """
.ibm-editor { line-height: 1.5; }
.ibm-editor p { margin: 0; }
.ibm-flabel { display: block; font-size: 0.875rem; margin: 0 0 0.25rem; padding: 0; }
.ibm-fhelp, .ibm-fcaption { font-size: 0.8rem; color: #4a4947; margin: 0 0 0.25rem; }
.ibm-fcaption { margin: 0.5rem 0; }
.ibm-pills { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0 0 1rem; }
.ibm-pill {
  font: inherit; font-size: 0.875rem; padding: 0.25rem 0.75rem; cursor: pointer; color: inherit;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 1rem; background: #ffffff;
}
.ibm-pill[aria-checked="true"] { border-color: #ff4b4b; color: #9e1f2e; background: rgba(255, 75, 75, 0.08); }
.ibm-field { position: relative; margin: 0 0 1rem; border: 0; padding: 0; min-width: 0; }
.ibm-combo {
  display: flex; align-items: center; cursor: pointer; background: #f0f2f6;
  border: 1px solid transparent; border-radius: 0.5rem; min-height: 2.5rem; box-sizing: border-box;
}
.ibm-combo:focus-within { border-color: #ff4b4b; }
.ibm-cinput {
  flex: 1; min-width: 0; font: inherit; color: #31333f; background: transparent; border: 0;
  padding: 0.5rem 0 0.5rem 0.75rem; cursor: pointer; outline: none; caret-color: transparent;
}
.ibm-caret { padding: 0 0.75rem; color: #31333f; }
.ibm-options {
  position: absolute; z-index: 1000; left: 0; right: 0; margin: 0.25rem 0 0; padding: 0.25rem 0;
  list-style: none; background: #ffffff; border-radius: 0.5rem; max-height: 18rem; overflow-y: auto;
  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.16);
}
.ibm-option { padding: 0.4rem 0.75rem; cursor: pointer; overflow-wrap: anywhere; }
.ibm-option:hover, .ibm-option.ibm-active { background: #e8eaf0; }
.ibm-option[aria-selected="true"] { font-weight: 600; }
.ibm-many legend { float: none; }
.ibm-tick { display: flex; gap: 0.5rem; align-items: baseline; font-size: 0.9rem; }
.ibm-unknown { margin-top: 0.25rem; }
.ibm-error {
  background: rgba(255, 43, 43, 0.09); color: #7d000c; border-radius: 0.5rem; padding: 1rem; margin: 0 0 1rem;
}
"""


def last_event(key: str) -> Any:
    """In the element's on_change callback: what the browser sent (check it with `event_value`)."""
    read = getattr(st.session_state.get(key), "get", None)  # the component's state and triggers
    return read(EVENT) if callable(read) else None
