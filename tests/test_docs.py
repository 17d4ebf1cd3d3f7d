"""The documentation names only commands and options that exist (docs checked by tests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command

from threadline.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "guide.md"]
COMMAND = re.compile(r"threadline ((?:[a-z]+)(?: [a-z]+)?)((?: [^\n`|]*)?)")


def _commands() -> dict[str, set[str]]:
    """Every command path ('adverts search') with its option names."""
    root = get_command(app)
    found: dict[str, set[str]] = {}

    def walk(cmd: object, prefix: str) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, f"{prefix} {name}".strip())
            return
        params = getattr(cmd, "params", [])
        names = [o for p in params for o in [*p.opts, *getattr(p, "secondary_opts", [])]]
        found[prefix] = {opt for opt in names if opt[:2] == "--"}

    walk(root, "")
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_documented_command_and_option_exists(doc: Path) -> None:
    commands = _commands()
    global_options = {"--db", "--help"}
    seen = 0
    for match in COMMAND.finditer(doc.read_text("utf-8")):
        words, rest = match.group(1).split(), match.group(2)
        name = " ".join(words) if " ".join(words) in commands else words[0]
        if name not in commands and words[0] in {"adverts"}:
            name = " ".join(words[:2])
        assert name in commands, f"{doc.name}: 'threadline {match.group(1)}' is not a command"
        for option in re.findall(r"(--[a-z-]+)", rest):
            assert option in commands[name] | global_options, f"{doc.name}: {name} {option}"
        seen += 1
    assert seen >= 5
