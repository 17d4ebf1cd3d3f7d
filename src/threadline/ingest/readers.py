"""Readers: files and folders in, raw records (or quarantine entries) out.

A reader never judges a record's content; it only turns bytes into fields. Problems with a
whole input (missing, empty, binary) and with one record's syntax (bad JSON, a CSV row with the
wrong number of fields) become :class:`~threadline.model.Quarantined` entries with a reason, so
the runner can count and keep them; the other records of the input are read on.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from threadline.errors import InputError
from threadline.ingest.encoding import decode, looks_binary, sniff_encoding, text_stream
from threadline.model import Doc, Quarantined, RawRecord

if TYPE_CHECKING:
    from _csv import Reader as _reader

READ_STAGE = "ingest.read@1"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv", ".tab")
TEXT_SUFFIXES = (".txt", ".text")
READABLE_SUFFIXES = HTML_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES + TEXT_SUFFIXES
_SUFFIX_LIST = " ".join(READABLE_SUFFIXES)
EXCERPT_CHARS = 100_000

Item = Doc | Quarantined

# The csv module's default 128 KiB field limit would make one huge field poison the whole
# reader; fields are read in full and the size limit is applied, with a reason, when parsing.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _reject(path: Path | str, code: str, reason: str, record: str = "", source: str = "") -> Item:
    return Quarantined(
        stage=READ_STAGE,
        code=code,
        reason=reason,
        locator=str(path),
        record=record[:EXCERPT_CHARS],
        source=source,
        size=len(record),
    )


def _check_file(path: Path, source: str) -> Quarantined | None:
    """A whole-input problem, or None if the file can be read as text."""
    if not path.exists():
        return Quarantined(
            READ_STAGE, "no-such-file", f"{path} does not exist", str(path), "", source
        )
    if not path.is_file():
        return Quarantined(READ_STAGE, "not-a-file", f"{path} is not a file", str(path), "", source)
    if path.stat().st_size == 0:
        return Quarantined(
            READ_STAGE, "empty-file", f"{path} is empty: no records in it", str(path), "", source
        )
    if looks_binary(path):
        return Quarantined(
            READ_STAGE,
            "binary-file",
            f"{path} is a binary file (NUL bytes), not text adverts",
            str(path),
            "",
            source,
        )
    return None


def read_jsonl(path: Path, source: str) -> Iterator[Item]:
    """One JSON object per line. Blank lines are skipped; anything else is a record."""
    problem = _check_file(path, source)
    if problem:
        yield problem
        return
    with path.open("rb") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            locator = f"{path}:{lineno}"
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError:
                # orjson wants valid UTF-8; retry once on the decoded text before giving up
                text = decode(line).strip()
                try:
                    obj = orjson.loads(text)
                except orjson.JSONDecodeError as exc:
                    yield _reject(
                        locator,
                        "malformed-json",
                        f"line {lineno} is not valid JSON: {exc}",
                        text,
                        source,
                    )
                    continue
            if not isinstance(obj, dict):
                yield _reject(
                    locator,
                    "not-an-object",
                    f"line {lineno} is JSON {type(obj).__name__}, not an object",
                    decode(line).strip(),
                    source,
                )
                continue
            yield Doc(raw=RawRecord(source=source, locator=locator, fields=obj))


def _unique_header(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(header):
        name = name.strip() or f"column_{i + 1}"
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(name if n == 0 else f"{name}_{n + 1}")
    return out


def read_csv(path: Path, source: str, delimiter: str | None = None) -> Iterator[Item]:
    """A CSV (or TSV) file with a header row. Rows with the wrong field count are rejected."""
    problem = _check_file(path, source)
    if problem:
        yield problem
        return
    if delimiter is None:
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    with path.open("rb") as raw:
        text = text_stream(raw, sniff_encoding(path))
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = _unique_header(next(reader))
        except StopIteration:
            yield _reject(path, "empty-file", f"{path} has no header row", "", source)
            return
        except csv.Error as exc:
            yield _reject(
                path, "malformed-csv", f"{path}: cannot read the header: {exc}", "", source
            )
            return
        yield from _csv_rows(reader, header, path, source)


def _csv_rows(reader: _reader, header: list[str], path: Path, source: str) -> Iterator[Item]:
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield _reject(f"{path}:{start}", "malformed-csv", f"line {start}: {exc}", "", source)
            continue
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        locator = f"{path}:{start}"
        if len(row) != len(header):
            yield _reject(
                locator,
                "bad-row",
                f"line {start} has {len(row)} fields; the header has {len(header)}",
                orjson.dumps(row).decode(),
                source,
            )
            continue
        yield Doc(
            raw=RawRecord(
                source=source, locator=locator, fields=dict(zip(header, row, strict=True))
            )
        )
    if rows == 0:
        yield _reject(path, "empty-file", f"{path} has a header but no rows", "", source)


def read_folder(path: Path, source: str) -> Iterator[Item]:
    """Every advert file in a folder and its subfolders, in name order: saved pages (one
    advert each), JSON Lines, CSV/TSV and plain text. Other files (a saved page's images,
    style sheets and scripts) are not adverts and are passed over."""
    files = sorted(p for p in path.rglob("*") if p.is_file())
    readable = [p for p in files if p.suffix.lower() in READABLE_SUFFIXES]
    if not readable:
        yield _reject(
            path, "empty-folder", f"{path} holds no advert files ({_SUFFIX_LIST})", "", source
        )
    for file in readable:
        if file.suffix.lower() in HTML_SUFFIXES:
            yield from _one_page(file, source)
        else:
            yield from read_path(file, source)


def read_lines(path: Path, source: str) -> Iterator[Item]:
    """Plain text, one advert per line; the line number is the record's id."""
    problem = _check_file(path, source)
    if problem:
        yield problem
        return
    with path.open("rb") as f:
        for lineno, line in enumerate(f, 1):
            text = decode(line).strip()
            if text:
                fields = {"id": str(lineno), "body": text}
                yield Doc(raw=RawRecord(source=source, locator=f"{path}:{lineno}", fields=fields))


def read_path(path: Path, source: str | None = None) -> Iterator[Item]:
    """Pick the reader by what the path is: a folder of pages, .jsonl, .csv/.tsv or .html."""
    src = source or path.stem
    suffix = path.suffix.lower()
    if path.is_dir():
        return read_folder(path, src)
    if not path.exists():
        return _one_problem(path, src)
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path, src)
    if suffix in CSV_SUFFIXES:
        return read_csv(path, src)
    if suffix in HTML_SUFFIXES:
        return _one_page(path, src)
    if suffix in TEXT_SUFFIXES:
        return read_lines(path, src)
    raise InputError(
        f"{path}: cannot tell the format from the name; use .jsonl, .csv, .tsv, .txt (one "
        "advert per line), .html or a folder of .html pages"
    )


def _one_problem(path: Path, source: str) -> Iterator[Item]:
    problem = _check_file(path, source)
    if problem:
        yield problem


def _one_page(page: Path, source: str) -> Iterator[Item]:
    problem = _check_file(page, source)
    if problem:
        yield problem
        return
    yield _page_doc(page, source)


def _page_doc(page: Path, source: str) -> Doc:
    fields = {"html": decode(page.read_bytes()), "file": page.name}
    return Doc(raw=RawRecord(source=source, locator=str(page), fields=fields))


def count_records(path: Path) -> int | None:
    """Cheap upper bound of records for the progress bar (lines of a JSONL file)."""
    if not path.is_file() or path.suffix.lower() not in JSONL_SUFFIXES:
        return None
    n = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            n += chunk.count(b"\n")
    return n
