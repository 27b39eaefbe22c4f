"""The `advisor` command: a thin shell over the library.

Each sub-command lives in `advisor/commands/<name>.py` with `register(subparsers, common)`.
Library errors become clean messages here, at one boundary: stderr, exit status 2,
nothing on stdout.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from . import __version__, commands
from .datadirs import data_dir
from .errors import AdvisorError

EXIT_BAD_INPUT = 2


def common_options() -> argparse.ArgumentParser:
    """Options every command that reads a rule base accepts."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--rules", default=str(data_dir("rules")), metavar="DIR", help="rules directory (default: the project's rules/)"
    )
    parent.add_argument(
        "--knowledge",
        default=str(data_dir("knowledge")),
        metavar="DIR",
        help="knowledge directory (default: the project's knowledge/)",
    )
    return parent


def _command_names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just that sub-command is imported (start-up time: a command
    module pulls in what it needs, e.g. the engine or fpdf2, and the others need not load)."""
    parser = argparse.ArgumentParser(
        prog="advisor",
        description="Advice for civilian CSDP missions supporting Integrated Border Management "
        "(EU concept 16044/13), with the rules and concept sections behind every conclusion.",
    )
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options()
    for name in _command_names():
        if only is not None and name != only:
            continue
        module = importlib.import_module(f"{commands.__name__}.{name}")
        module.register(sub, common)
    return parser


def _requested_command(argv: Sequence[str]) -> str | None:
    """The sub-command's module when argv names one (first non-option word), else None."""
    for word in argv:
        if word.startswith("-"):  # a top-level option (--help, --version): build the full parser
            return None
        name = word.replace("-", "_")
        return name if name in _command_names() else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; without `argv`, this process's own (the `advisor` script)."""
    code = _main(list(sys.argv[1:] if argv is None else argv))
    if argv is None:
        # The process ends here: its final garbage collection would walk every object left
        # (the rule base, the engine's tables, ...) only for the exit to free them anyway,
        # ~20 ms of recommend's ~180 ms of CPU. Frozen objects are not walked. Not done for a
        # caller passing argv (tests, a host program), whose process goes on.
        gc.freeze()
    return code


def _main(argv: list[str]) -> int:
    parser = build_parser(only=_requested_command(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or 0)
    except AdvisorError as err:
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except ImportError as err:
        if not (err.name or "").startswith("durable"):
            raise
        # A command that needs the C extension, on a machine without it: one line, not a traceback.
        from .service import ENGINE_MISSING

        print(f"error: advisor {args.command} needs the engine; {ENGINE_MISSING} ({err})", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
