"""Making rule patterns cheap: finite patterns become phrases, the others get anchors.

A regular expression over every advert costs a scan of the whole text per pattern, and one
that starts with ``\\b`` or a character class defeats the regex engine's fast search: twenty
such patterns cost ten times more than all phrases together. Two remedies, both automatic:

- a pattern that matches a finite, small set of strings (alternatives and optional words,
  ``\\b(?:two|three) (?:new )?girls available\\b``) is expanded into those strings, which join
  the phrases in the Aho-Corasick automaton;
- any other pattern gets *anchors*: literal strings of which every match contains one
  (``deposit``; ``->``, ``=>``, ``>``, ``→``). It runs only on adverts that contain an anchor,
  which a plain substring test settles.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from re import _constants as C  # type: ignore[attr-defined]  # the parser's opcodes
from re import _parser  # type: ignore[attr-defined]  # Python's own regex parser
from typing import Any

MAX_EXPANSION = 5_000
"""Strings a pattern may stand for and still be matched as phrases."""
MAX_CLASS = 20
"""Characters a class may hold and still be expanded or used as an anchor."""

Strings = list[str] | None


def expand(pattern: str) -> list[str] | None:
    """Every string ``pattern`` matches, if they are few, and the pattern starts and ends with
    ``\\b`` and asserts nothing else (the phrase matcher checks word boundaries itself)."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    items = list(parsed)
    # phrases match whole words only, so only a pattern bounded the same way may become one
    if not (_is_boundary(items[:1]) and _is_boundary(items[-1:])):
        return None
    return _expand_seq(items[1:-1])


def _is_boundary(items: Sequence[tuple[Any, Any]]) -> bool:
    return bool(items) and items[0][0] is C.AT and items[0][1] is C.AT_BOUNDARY


def _expand_seq(items: Sequence[tuple[Any, Any]]) -> Strings:
    out = [""]
    for op, av in items:
        options = _expand_item(op, av)
        if options is None:
            return None
        out = [a + b for a, b in itertools.product(out, options)]
        if len(out) > MAX_EXPANSION:
            return None
    return out


def _expand_item(op: Any, av: Any) -> Strings:
    if op is C.LITERAL:
        return [chr(av)]
    if op is C.IN:
        return _class_chars(av)
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _expand_seq(list(sub))
    if op is C.BRANCH:
        options: list[str] = []
        for branch in av[1]:
            found = _expand_seq(list(branch))
            if found is None:
                return None
            options += found
        return options
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        low, high, sub = av
        if high > 4:
            return None
        once = _expand_seq(list(sub))
        if once is None:
            return None
        options = []
        for n in range(low, high + 1):
            options += ["".join(p) for p in itertools.product(once, repeat=n)]
            if len(options) > MAX_EXPANSION:
                return None
        return options
    return None  # assertions, backreferences, wildcards: not a small finite set


def _class_chars(items: Sequence[tuple[Any, Any]]) -> Strings:
    chars: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            chars.append(chr(av))
        elif op is C.RANGE:
            chars += [chr(c) for c in range(av[0], av[1] + 1)]
        elif op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            chars += list("0123456789")
        else:
            return None
        if len(chars) > MAX_CLASS:
            return None
    return chars


def anchors(pattern: str) -> tuple[str, ...] | None:
    """Literal strings of which every match of ``pattern`` contains at least one, the
    longest such set found; None when the pattern has none (it then runs on every advert)."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    found = _seq_anchors(list(parsed))
    return tuple(sorted(set(found))) if found else None


def _seq_anchors(items: Sequence[tuple[Any, Any]]) -> Strings:
    """The best anchor set of a sequence: runs of literals, or one item's own anchors."""
    best: Strings = None
    run = ""

    def better(candidate: Strings) -> None:
        nonlocal best
        if (
            candidate
            and all(candidate)
            and (best is None or min(map(len, candidate)) > min(map(len, best)))
        ):
            best = candidate

    for op, av in items:
        if op is C.LITERAL:
            run += chr(av)
            continue
        better([run] if run else None)
        run = ""
        if op is C.SUBPATTERN:
            better(_seq_anchors(list(av[3])))
        elif op is C.BRANCH:
            options: list[str] = []
            for branch in av[1]:
                found = _seq_anchors(list(branch))
                if not found:
                    options = []
                    break
                options += found
            better(options or None)
        elif op is C.IN:
            better(_class_chars(av))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            better(_seq_anchors(list(av[2])))
    better([run] if run else None)
    return best
