"""Full-text search: analysts' words to a safe query, ranked, with a highlighted snippet.

The query is never passed through as query syntax. It is cut into words at white space, and
each word becomes a plain term (a quoted FTS5 string on SQLite; input to ``plainto_tsquery`` on
PostgreSQL); all terms must match. So ``"``, ``AND``, ``NEAR(``, ``*`` or an emoji are just
text: they find adverts that contain them, or nothing, and never raise.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, String, func, literal_column, select, table
from sqlalchemy import column as sql_column

from threadline.store.schema import ads

MARK_START = "⟦"
MARK_END = "⟧"
"""Around each matched word in a snippet. Faces escape the snippet, then replace these (with
``<mark>`` or a colour); they are rare in adverts, unlike brackets or asterisks."""

ELLIPSIS = "…"
SNIPPET_TOKENS = 16

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
"""Longer queries are cut: every term must match, so more terms could only narrow the result,
while each one costs an index look-up."""

# Control characters and lone surrogates: the drivers refuse them (PostgreSQL text cannot hold
# NUL; a surrogate cannot be encoded as UTF-8), so they separate words like white space.
_WORD = re.compile(r"[^\W_]+")
_UNSAFE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def terms(query: str) -> list[str]:
    """The searchable words of ``query``: runs of letters and digits, as the full-text
    tokenizers cut them (``e-mail`` is ``e`` and ``mail``). Whole words only, because the
    SQLite index keeps no word positions (``detail=column``: a quarter of its size and of its
    write time), so it cannot match a phrase."""
    cleaned = _UNSAFE.sub(" ", query[:MAX_QUERY_CHARS])
    words = _WORD.findall(cleaned)
    return list(dict.fromkeys(words))[:MAX_TERMS]


def fts5_query(words: list[str]) -> str:
    """FTS5 syntax in which each word is a string: ``"it's" "a"" b"``, implicitly ANDed."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def sqlite_search(words: list[str], limit: int, offset: int) -> Select[Any]:
    """Adverts matching every word, best bm25 first (rank is negated: higher is better)."""
    fts = table("ads_fts", sql_column("rowid"), sql_column("rank", Float))
    fts_table: ColumnElement[Any] = literal_column("ads_fts")
    snippet = func.snippet(fts_table, -1, MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS)
    return (
        select(*ads.c, snippet.label("snippet"), (-fts.c.rank).label("rank"))
        .select_from(fts.join(ads, ads.c.seq == fts.c.rowid))
        .where(fts_table.match(fts5_query(words)))
        .order_by(fts.c.rank, ads.c.seq)
        .limit(limit)
        .offset(offset)
    )


def postgres_search(words: list[str], limit: int, offset: int) -> Select[Any]:
    """Adverts matching every word, best ``ts_rank`` first, with a ``ts_headline`` snippet."""
    tsv: ColumnElement[Any] = literal_column(
        "ads.tsv"
    )  # generated column, only on PostgreSQL: not in the schema
    query = func.plainto_tsquery("simple", " ".join(words))
    rank = func.ts_rank(tsv, query, type_=Float)
    page = (
        select(*ads.c, rank.label("rank"))
        .where(tsv.op("@@")(query))
        .order_by(rank.desc(), ads.c.seq)
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    # ts_headline re-parses the whole text, so it runs only on the page of hits, not all matches
    text = func.coalesce(page.c.title, "") + "\n\n" + func.coalesce(page.c.body, "")
    options = (
        f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=24, MinWords=12, '
        f'MaxFragments=1, FragmentDelimiter=" {ELLIPSIS} "'
    )
    headline = func.ts_headline("simple", text, query, options, type_=String)
    return select(
        *(page.c[c.name] for c in ads.c), headline.label("snippet"), page.c.rank
    ).order_by(page.c.rank.desc(), page.c.seq)
