"""The ground truth is exact and the planted patterns are really there."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import phonenumbers
from synth_corpus import Corpus

from threadline.synth.lexicon import INDICATORS
from threadline.synth.styles import OBFUSCATED_STYLES
from threadline.synth.wallets import valid_wallet

KINDS = {"legit_job", "labour_lure", "sexual_lure", "adult_services"}
IDENTIFIER_KINDS = {"phone", "email", "handle", "url", "wallet", "payment", "age", "price"}
SHAREABLE = {"phone", "email", "handle", "url", "wallet", "payment"}

# Words that must never appear: explicit terms and anything sexualising youth, in the four
# languages of the corpus. Matched as whole words, case-insensitively.
_EN = ("sex", "sexy", "sexual", "porn", "porno", "xxx", "nude", "naked", "erotic", "fetish")
_EN_MORE = ("bdsm", "orgasm", "blowjob", "bareback", "gfe", "pse", "teen", "teens", "underage")
_EN_YOUTH = ("schoolgirl", "lolita", "virgin", "barely")
_ES = ("sexo", "desnuda", "desnudo", "erótico", "erótica", "puta", "caliente", "follar")
_FR = ("sexe", "nue", "nu", "érotique", "pute", "coquine", "salope")
_PT = ("nua", "safada", "gostosa", "transar", "putaria")
BLOCKLIST = _EN + _EN_MORE + _EN_YOUTH + _ES + _FR + _PT
_BLOCK_RE = re.compile(r"\b(" + "|".join(map(re.escape, BLOCKLIST)) + r")\b", re.IGNORECASE)


def test_every_raw_occurs_verbatim_in_the_advert_text(corpus: Corpus) -> None:
    for i, truth in enumerate(corpus.truth):
        text = corpus.text(i)
        for ident in truth["identifiers"]:
            assert ident["kind"] in IDENTIFIER_KINDS
            assert ident["raw"] in text, (truth["id"], ident)


def test_truth_fields(corpus: Corpus) -> None:
    for truth in corpus.truth:
        assert truth["kind"] in KINDS
        poster = truth["poster"]
        assert re.fullmatch(r"(op|indep|co)-\d{4,}", poster)
        if poster.startswith("op-"):
            assert truth["operation"] == poster
            assert truth["kind"] != "legit_job"
        else:
            assert truth["operation"] is None
        if poster.startswith("co-"):
            assert truth["kind"] == "legit_job"
        if poster.startswith("indep-"):
            assert truth["kind"] == "adult_services"
        assert set(truth["indicators"]) <= INDICATORS
        assert re.fullmatch(r"(en|es|fr|pt)-[a-z0-9]+-\d\d", truth["template"])


def test_phones_are_valid_e164(corpus: Corpus) -> None:
    phones = {i["value"] for t in corpus.truth for i in t["identifiers"] if i["kind"] == "phone"}
    assert len(phones) > 100
    for value in phones:
        number = phonenumbers.parse(value, None)
        assert phonenumbers.is_valid_number(number), value
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == value
        # Never the NANP fictitious range 555-01xx (nor the 555 exchange at all).
        assert not (value.startswith("+1") and value[5:8] == "555"), value


def test_normalised_values(corpus: Corpus) -> None:
    for truth in corpus.truth:
        for ident in truth["identifiers"]:
            kind, value = ident["kind"], ident["value"]
            if kind == "email":
                assert value == value.lower()
                assert re.fullmatch(r"[a-z0-9._-]+@[a-z0-9.-]+\.(example|test)", value)
            elif kind == "handle":
                assert re.fullmatch(r"(telegram|instagram|snapchat):[a-z0-9_.]+", value)
            elif kind == "url":
                assert re.fullmatch(r"https://[a-z0-9.-]+\.(example|test)(/[\w-]+)?", value)
            elif kind == "wallet":
                assert valid_wallet(value), value
            elif kind == "payment":
                assert re.fullmatch(r"cashapp:\$[a-z0-9]+|venmo:@[a-z0-9]+|paypal:[a-z0-9]+", value)
            elif kind == "age":
                assert 19 <= int(value) <= 35
            elif kind == "price":
                assert re.fullmatch(r"\d+ [A-Z]{3}(/(hour|30min|month|year))?", value), value


def test_wallets_are_present_and_checksummed(corpus: Corpus) -> None:
    chains = Counter(
        i["value"].split(":")[0]
        for t in corpus.truth
        for i in t["identifiers"]
        if i["kind"] == "wallet"
    )
    assert set(chains) == {"btc", "eth", "tron"}


def test_all_kinds_and_languages(corpus: Corpus) -> None:
    pairs = Counter(
        (t["kind"], a["language"]) for a, t in zip(corpus.adverts, corpus.truth, strict=True)
    )
    assert {k for k, _ in pairs} == KINDS
    assert {lang for _, lang in pairs} == {"en", "es", "fr", "pt"}
    # Every kind is written in every language.
    assert len(pairs) == 16


def test_operations_repost_rotate_phones_and_share_wallets(corpus: Corpus) -> None:
    by_op: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for truth in corpus.truth:
        if truth["operation"]:
            by_op[truth["operation"]].append(truth)
    assert len(by_op) >= 20
    assert all(len(ads) >= 2 for ads in by_op.values())
    rotating = 0
    for ads in by_op.values():
        phones = {
            i["value"]
            for t in ads
            for i in t["identifiers"]
            if i["kind"] == "phone" and not t["shared_contact"]
        }
        rotating += len(phones) >= 2
    assert rotating >= 5
    sizes = sorted(len(ads) for ads in by_op.values())
    assert sizes[len(sizes) // 2] <= 10 < sizes[-1]


def test_operations_move_between_cities(corpus: Corpus) -> None:
    places: dict[str, set[str]] = defaultdict(set)
    for advert, truth in zip(corpus.adverts, corpus.truth, strict=True):
        if truth["operation"]:
            places[truth["operation"]].add(advert["place"])
    assert sum(len(p) >= 3 for p in places.values()) >= 5


def test_only_hotlines_are_shared_between_posters(corpus: Corpus) -> None:
    posters: dict[tuple[str, str], set[str]] = defaultdict(set)
    hotline_values: dict[str, set[str]] = defaultdict(set)
    for truth in corpus.truth:
        for ident in truth["identifiers"]:
            if ident["kind"] in SHAREABLE:
                posters[(ident["kind"], ident["value"])].add(truth["poster"])
        if truth["shared_contact"]:
            phones = {i["value"] for i in truth["identifiers"] if i["kind"] == "phone"}
            hotline_values[truth["shared_contact"]] |= phones
    all_hotline_phones = set().union(*hotline_values.values())
    for (kind, value), who in posters.items():
        if len(who) > 1:
            assert kind == "phone", (kind, value, who)
            assert value in all_hotline_phones, (kind, value, who)


def test_a_hotline_is_printed_by_many_unrelated_posters(corpus: Corpus) -> None:
    posters: dict[str, set[str]] = defaultdict(set)
    for truth in corpus.truth:
        if truth["shared_contact"]:
            posters[truth["shared_contact"]].add(truth["poster"])
    assert max(len(p) for p in posters.values()) >= 3
    # Legitimate employers and operations both print job-board hotlines.
    mixed = [p for p in posters.values() if any(x.startswith("co-") for x in p)]
    assert mixed


def test_boilerplate_and_identical_legit_reposts(corpus: Corpus) -> None:
    bodies = Counter(
        (a["title"], a["body"].split("\n")[0])
        for a, t in zip(corpus.adverts, corpus.truth, strict=True)
        if t["kind"] == "legit_job"
    )
    assert any(n >= 2 for n in bodies.values())
    last_lines = Counter(a["body"].rsplit("\n", 1)[-1] for a in corpus.adverts)
    assert last_lines.most_common(1)[0][1] >= 30


def test_every_obfuscation_style_occurs(corpus: Corpus) -> None:
    styles = Counter(i["style"] for t in corpus.truth for i in t["identifiers"])
    assert set(styles) >= OBFUSCATED_STYLES, OBFUSCATED_STYLES - set(styles)
    texts = "\n".join(corpus.text(i) for i in range(len(corpus.adverts)))
    assert "\u20e3" in texts  # emoji keycap digits
    assert re.search("[０-９]", texts)  # fullwidth digits
    assert "wa.me/" in texts
    assert re.search(r"\b(six|seis|zéro|cinq)\b", texts)


def test_obfuscation_share_of_operation_adverts(corpus: Corpus) -> None:
    ops = [t for t in corpus.truth if t["operation"]]
    dodging = sum(any(i["style"] in OBFUSCATED_STYLES for i in t["identifiers"]) for t in ops)
    assert 0.25 <= dodging / len(ops) <= 0.55


def test_stated_ages_are_adult(corpus: Corpus) -> None:
    ages = [int(i["value"]) for t in corpus.truth for i in t["identifiers"] if i["kind"] == "age"]
    assert ages
    assert min(ages) >= 19
    assert max(ages) <= 35


def test_indicators_are_planted_where_they_belong(corpus: Corpus) -> None:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for truth in corpus.truth:
        by_kind[truth["kind"]].update(truth["indicators"])
    assert {"pay_too_good", "fees_charged", "passport_early", "messenger_only"} <= set(
        by_kind["labour_lure"]
    )
    assert "abroad_young_women" in by_kind["sexual_lure"]
    assert "verifiable_employer" in by_kind["legit_job"]
    assert {"third_party", "independent_first_person", "movement"} <= set(by_kind["adult_services"])


def test_nothing_explicit(corpus: Corpus) -> None:
    for i in range(len(corpus.adverts)):
        match = _BLOCK_RE.search(corpus.text(i))
        assert match is None, (corpus.adverts[i]["id"], match.group(0) if match else "")
