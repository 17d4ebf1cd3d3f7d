"""Crypto wallet addresses: Bitcoin, Ethereum/EVM, Tron, Litecoin, Monero and Solana.

Candidates are maximal runs of ASCII letters and digits long enough to be an address; each is
then identified by checksum (:mod:`threadline.extract.wallet_checks`), so a random token or a
mistyped address is never reported. A run glued to other letters or digits is not a
candidate at all: ``x1A1zP1...`` is not the genesis address. Solana keys have no checksum and
are only reported when the text around them names Solana (SOL, Phantom, Solscan...).

Values are ``chain:address`` in the address's canonical spelling (EIP-55 for eth, lower-case
bech32), so the same wallet written two ways links two adverts.
"""

from __future__ import annotations

import re

from threadline.extract.base import ExtractStage, Found
from threadline.extract.wallet_checks import Address, could_be_solana, identify, solana
from threadline.model import Ad, Span

MIN_ADDRESS_CHARS = 26
"""The shortest address of any supported chain (a Bitcoin P2PKH with leading zero bytes)."""

_CANDIDATE = re.compile(rf"[0-9A-Za-z]{{{MIN_ADDRESS_CHARS},}}")
# A maximal run is what the greedy pattern returns: it can only start where the previous
# match or a non-matching character ended, and a shorter tail of a run never matches alone.

_SPACELESS_SCRIPTS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)
"""Thai, Lao, Myanmar, Khmer, CJK, kana, Hangul, full-width forms: scripts written without
spaces, where an address sits directly against words and is still meant on its own."""

SOLANA_CUE_BEFORE = 80
SOLANA_CUE_AFTER = 40
_SOLANA_CUE = re.compile(
    r"\b(?:SOL|SPL)\b|(?i:\b(?:solana|phantom|solflare|solscan|sol\s*wallet)\b)"
)
"""Words that make a bare base58 key a Solana account. "SOL" only in capitals: "sol" is the
sun in Spanish and Portuguese."""

CONFIDENCE_CHECKSUM = 0.99
"""A 32-bit hash or BCH checksum held: a typo or a random string passes one time in billions."""
CONFIDENCE_NO_CHECKSUM_EVM = 0.9
"""0x + 40 hex in one case: no checksum, but nothing else in adverts looks like that."""
CONFIDENCE_SOLANA = 0.6
"""A key on the curve with a Solana cue nearby: plausible, not proved."""


def _glued(char: str) -> bool:
    """True if ``char`` next to a run makes the run part of a longer word."""
    return char.isalnum() and not _SPACELESS_SCRIPTS.match(char)


def _has_solana_cue(text: str, start: int, end: int) -> bool:
    # pos/endpos rather than a slice: \b then sees the real character before the window.
    lo = max(0, start - SOLANA_CUE_BEFORE)
    return _SOLANA_CUE.search(text, lo, end + SOLANA_CUE_AFTER) is not None


def _confidence(address: Address) -> float:
    if address.chain == "sol":
        return CONFIDENCE_SOLANA
    if address.chain == "eth" and address.checksum == "none":
        return CONFIDENCE_NO_CHECKSUM_EVM
    return CONFIDENCE_CHECKSUM


def _found(address: Address, text: str, start: int, end: int) -> Found:
    return Found(
        kind="wallet",
        value=address.value,
        raw=text[start:end],
        span=Span(start, end),
        confidence=_confidence(address),
        attrs={"chain": address.chain, "type": address.type, "checksum": address.checksum},
    )


def find_in_text(text: str) -> list[Found]:
    """Every wallet address in ``text``, in order of appearance."""
    out: list[Found] = []
    for match in _CANDIDATE.finditer(text):
        start, end = match.span()
        if (start > 0 and _glued(text[start - 1])) or (end < len(text) and _glued(text[end])):
            continue
        token = match.group()
        address = identify(token)
        if address is None and could_be_solana(token) and _has_solana_cue(text, start, end):
            address = solana(token)
        if address is not None:
            out.append(_found(address, text, start, end))
    return out


def find(ad: Ad) -> list[Found]:
    """Wallet addresses in the advert's text; place and language play no part."""
    return find_in_text(ad.text)


STAGE = ExtractStage("extract.wallet", 1, find)
