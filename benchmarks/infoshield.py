"""InfoShield (Lee, Vajiac et al., ICDE 2021) as a baseline for the linking benchmark.

Run alone: ``python -m benchmarks.infoshield [--corpus N:SEED ...] [--fine-limit N] [--no-record]``.

Re-implemented from the paper and the authors' code (github.com/mengchillee/InfoShield), on the
same adverts and truth as ``benchmarks.bench_link``:

- **InfoShield-coarse**, as in ``infoshieldcoarse.py``: each advert's text (title and body)
  is filtered (digits and HTML removed, runs of non-ASCII characters made spaces), cut into
  word 5-grams (white-space tokens, case kept) and weighed by tf-idf with sublinear tf; each
  advert keeps its 5 phrases of highest tf-idf; adverts and phrases make a bipartite graph whose
  connected components with two or more adverts are the coarse clusters.
- **InfoShield-fine**, after ``infoshieldfine.py``, in a simplified form: inside each coarse
  cluster, the first advert left seeds a template; every other advert left joins it when the
  cost in bits of encoding it as an alignment to the template is below the cost of encoding it
  plainly (``log*(n) + n * log2(V)``); the template is kept when the total description length
  falls (template + alignments < the adverts on their own); its adverts are removed and the
  next advert left seeds the next template. Simplifications, stated: the template is the seed
  advert itself, aligned word by word with ``difflib`` (the authors build a partial-order
  alignment graph and search its consensus), and slots are not detected (in the authors' code
  slots only lower the cost of a kept template; the membership test does not use them).

Reported beside Threadline's linker: pairwise precision and recall against the posters, by
template slots, and adverts per second (one core; the fine step on the first ``--fine-limit``
adverts when the corpus is larger).
"""

from __future__ import annotations

import argparse
import difflib
import math
import re
import string
import time
from collections.abc import Mapping, Sequence

from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from benchmarks.bench_extract import one_core
from benchmarks.bench_link import (
    HEADER,
    Truth,
    corpus,
    extracted_docs,
    load_truth,
    quality_rows,
)
from benchmarks.common import append_results, markdown_table
from threadline.link.scoring import link_signatures
from threadline.link.signatures import sign_docs

PHRASES = 5
"""Top tf-idf phrases kept per advert (``num_phrases=5`` in the authors' script)."""
NGRAM = 5

_DIGITS = re.compile(r"\d+")
_NON_ASCII = re.compile(r"[^\x00-\x7F]+")
_TAGS = re.compile(r"<.*?>")
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def filter_text(text: str) -> str:
    """The authors' ``filter_text``: digits removed, non-ASCII runs to a space, no tags."""
    text = _TAGS.sub("", _NON_ASCII.sub(" ", _DIGITS.sub("", text)))
    for junk in ("&nbsp;", "nbsp;", "<b", "<br", "br>"):
        text = text.replace(junk, "")
    return text


def coarse(texts: Sequence[str], phrases: int = PHRASES) -> list[int]:
    """InfoShield-coarse labels: a cluster number per text, -1 for a text alone."""
    tfidf = TfidfVectorizer(
        token_pattern=r"[^\s]+", lowercase=False, ngram_range=(NGRAM, NGRAM), sublinear_tf=True
    )
    matrix = tfidf.fit_transform([filter_text(t) for t in texts]).tocsr()
    n = len(texts)
    parent = list(range(n + matrix.shape[1]))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in range(n):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if start == end:
            continue
        values = matrix.data[start:end]
        cols = matrix.indices[start:end]
        # highest tf-idf first, ties broken by phrase index as heapq.nlargest on pairs would
        top = sorted(zip(values.tolist(), cols.tolist(), strict=True), reverse=True)[:phrases]
        for _, col in top:
            a, b = find(row), find(n + col)
            if a != b:
                parent[a] = b
    roots = [find(i) for i in range(n)]
    sizes: dict[int, int] = {}
    for r in roots:
        sizes[r] = sizes.get(r, 0) + 1
    label: dict[int, int] = {}
    out = []
    for r in roots:
        if sizes[r] < 2:
            out.append(-1)
        else:
            out.append(label.setdefault(r, len(label)))
    return out


def words(text: str) -> list[str]:
    """The authors' ``str_prep``: punctuation removed, lower case, split on spaces."""
    return [w.lower() for w in text.translate(_PUNCTUATION).split(" ") if w]


def log_star(x: int) -> int:
    return 2 * math.ceil(math.log2(x)) + 1 if x > 0 else 0


def sequence_cost(seq: Sequence[str], word_cost: float) -> float:
    return log_star(len(seq)) + len(seq) * word_cost


def alignment_cost(seq: Sequence[str], template: Sequence[str], word_cost: float) -> float:
    """Bits to encode ``seq`` as an alignment to ``template`` (the authors' formula without
    slots): alignment length, then each unmatched position and each unmatched word."""
    matcher = difflib.SequenceMatcher(None, template, seq, autojunk=False)
    length = errors = unmatched = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            length += i2 - i1
        elif tag == "replace":
            common = min(i2 - i1, j2 - j1)
            length += max(i2 - i1, j2 - j1)
            errors += max(i2 - i1, j2 - j1)
            unmatched += common + max(0, (j2 - j1) - (i2 - i1))
        elif tag == "delete":
            length += i2 - i1
            errors += i2 - i1
        else:  # insert
            length += j2 - j1
            errors += j2 - j1
            unmatched += j2 - j1
    bits = log_star(length) + length
    bits += log_star(errors) + errors * math.ceil(math.log2(max(2, length))) + 2 * errors
    return bits + unmatched * word_cost


def fine(
    clusters: Mapping[int, Sequence[int]], texts: Sequence[str], word_cost: float
) -> dict[int, int]:
    """InfoShield-fine: template number per text index (texts in no template are absent)."""
    out: dict[int, int] = {}
    template_no = 0
    for members in clusters.values():
        seqs = {i: words(texts[i]) for i in members}
        left = [i for i in members if seqs[i]]
        while left:
            seed, rest = left[0], left[1:]
            template = seqs[seed]
            group, plain, aligned = [seed], sequence_cost(template, word_cost), 0.0
            for i in rest:
                cost = alignment_cost(seqs[i], template, word_cost)
                own = sequence_cost(seqs[i], word_cost)
                if cost < own:
                    group.append(i)
                    plain += own
                    aligned += cost
            if len(group) > 1:
                # the template costs the seed once; each member is then an alignment to it
                total = sequence_cost(template, word_cost) + aligned + len(group)
                if total < plain:
                    template_no += 1
                    for i in group:
                        out[i] = template_no
            taken = set(group)
            left = [i for i in left if i not in taken]
    return out


def run(
    texts: Sequence[str], fine_limit: int
) -> tuple[list[int], dict[int, int], float, float, int]:
    """Coarse labels, fine templates (on the first ``fine_limit`` texts), seconds of each."""
    start = time.perf_counter()
    labels = coarse(texts)
    coarse_seconds = time.perf_counter() - start
    subset = min(len(texts), fine_limit)
    start = time.perf_counter()
    labels_sub = coarse(texts[:subset]) if subset < len(texts) else labels
    clusters: dict[int, list[int]] = {}
    for i, label in enumerate(labels_sub):
        if label >= 0:
            clusters.setdefault(label, []).append(i)
    vocabulary = {w for t in texts[:subset] for w in words(t)}
    templates = fine(clusters, texts[:subset], math.log2(max(2, len(vocabulary))))
    fine_seconds = time.perf_counter() - start
    return labels, templates, coarse_seconds, fine_seconds, subset


def _rows(truth: Truth, group_of: Mapping[str, str], label: str) -> list[list[str]]:
    tables = quality_rows(truth, group_of)
    rows = [[f"{label}: {r[0]}", *r[1:]] for r in tables["kind"][:1] + tables["kind"][3:4]]
    return rows + [[f"{label}: {r[0]}", *r[1:]] for r in tables["slots"] if "operations" in r[0]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--corpus", action="append", help="N:SEED (repeatable)")
    parser.add_argument("--fine-limit", type=int, default=5_000, help="adverts for the fine step")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    corpora = [tuple(map(int, c.split(":"))) for c in args.corpus] if args.corpus else [(5_000, 11)]
    speed: list[list[str]] = []
    for n, seed in corpora:
        folder = corpus(n, seed)
        truth = load_truth(folder)
        docs = extracted_docs(folder)
        texts = [f"{d.ad.title} {d.ad.body}" for d in docs if d.ad]
        ids = [d.ad.source_id or "" for d in docs if d.ad]
        with one_core():
            labels, templates, coarse_s, fine_s, subset = run(texts, args.fine_limit)
            start = time.perf_counter()
            linked = link_signatures([s for s in sign_docs(docs) if s is not None])
            ours_s = time.perf_counter() - start
        coarse_of = {ids[i]: f"c{label}" for i, label in enumerate(labels) if label >= 0}
        fine_of = {ids[i]: f"t{t}" for i, t in templates.items()}
        local = {d.ad.id: d.ad.source_id or "" for d in docs if d.ad}
        ours_of = {local[k]: v for k, v in linked.operation_of().items()}
        sub_truth: Truth = {k: truth[k] for k in ids[:subset]}
        rows = _rows(truth, coarse_of, "InfoShield-coarse")
        rows += _rows(sub_truth, fine_of, f"InfoShield-fine ({subset:,} adverts)")
        rows += _rows(truth, ours_of, "Threadline")
        print(f"\n### {n:,} adverts, seed {seed}\n")
        print(markdown_table(HEADER, rows))
        speed.append(
            [
                f"{n:,} (seed {seed})",
                f"{n / coarse_s:,.0f}",
                f"{subset / (coarse_s * subset / n + fine_s):,.0f} ({subset:,} adverts)",
                f"{n / ours_s:,.0f}",
            ]
        )
        if not args.no_record:
            append_results(
                f"InfoShield beside Threadline ({n:,} adverts)",
                HEADER,
                rows,
                f"{n:,} synthetic adverts (seed {seed}); truth = poster; InfoShield "
                "re-implemented in benchmarks/infoshield.py (fine step simplified, see there); "
                "slots rows: operation adverts only",
            )
    header = ["corpus", "InfoShield-coarse ads/s", "coarse + fine ads/s", "Threadline ads/s"]
    print()
    print(markdown_table(header, speed))
    if not args.no_record:
        append_results(
            "InfoShield beside Threadline: speed",
            header,
            speed,
            "one core; Threadline: signing and linking after extraction; InfoShield: from "
            "the adverts' text",
        )


if __name__ == "__main__":
    main()
