"""One long-lived thread of the process for the durable-rules engine's calls.

Why: each evaluation makes the engine allocate and free a session state of about 6 MB
(durable's createStateNode: the index tables of every node, set to zero). glibc serves a thread
from its own malloc arena, and the Streamlit server runs every script run in a new thread, so
each fact change got an arena that had to be grown for it again: about 1,550 page faults per
evaluation, which on this machine kind (a Firecracker VM; its kernel reports freed pages to
the host, which likely makes a fault dear) took 20-30 ms of an evaluation that takes under 1 ms
in a thread that lives on (measured 2026-12-08 with perf and strace in the app server:
docs/engine-notes.md; later that day 7-12 ms: the cost depends on the machine's memory state).
On one long-lived thread the arena keeps the memory: 0-45 faults, 3-7 ms in the same state.

The main thread lives as long as the process, so its calls run where they are; so do calls made
on the engine thread itself (a sweep piece runs its whole loop there, one hand-over per piece).
Every other thread hands its call over and waits. The engine never releases the GIL, so no
parallelism is lost: calls were serialised already (CompiledRuleBase's lock). A function run
here must not wait for another thread's engine call: that call would wait for this thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_local = threading.local()
_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None  # (pid that made it, executor)


def _mark() -> None:
    _local.engine = True


def on_engine_thread() -> bool:
    """True on the engine thread (or the main thread, which serves as its own)."""
    return getattr(_local, "engine", False) or threading.current_thread() is threading.main_thread()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        # A forked child has the parent's executor object but not its thread: work queued there
        # would wait forever. Our sweeps spawn their workers; a fork can still come from a host
        # process (a pre-forking server, a user's script).
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="durable-rules", initializer=_mark))
        return _pool[1]


def run(fn: Callable[..., T], *args) -> T:
    """`fn(*args)` on the engine thread; its result or its exception, as if called here."""
    if on_engine_thread():
        return fn(*args)
    try:
        future = _executor().submit(fn, *args)
    except RuntimeError:  # the interpreter is shutting down and starts no thread: run it here
        return fn(*args)
    return future.result()
