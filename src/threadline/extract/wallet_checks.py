"""Checksum validation of one candidate wallet address, chain by chain.

The finder (:mod:`threadline.extract.wallet`) cuts candidates out of the text; this module
decides what each one is. Every chain but Solana carries a checksum (Base58Check's double
SHA-256, bech32/bech32m's BCH code, EIP-55's keccak-driven letter case, Monero's keccak), and
bip-utils' address decoders verify it, so a random string or a one-character typo is
rejected. Solana addresses are bare ed25519 keys: :func:`solana` can only say the string
decodes to a point on the curve, which is why the finder asks for a context cue as well.

Dispatch is by prefix and length before any decoding, so an ordinary long token costs a
couple of string comparisons, not a base58 decode.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# bip-utils ships no type information; every call below is wrapped in a typed helper.
from bip_utils import (  # type: ignore[import-untyped]
    Base58Decoder,
    Base58XmrDecoder,
    Kekkak256,
    P2PKHAddrDecoder,
    P2SHAddrDecoder,
    P2TRAddrDecoder,
    P2WPKHAddrDecoder,
    SolAddrDecoder,
    TrxAddrDecoder,
    XmrAddrDecoder,
    XmrIntegratedAddrDecoder,
)

BASE58_CHARS = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
_HEX40 = re.compile(r"[0-9a-fA-F]{40}")

# Version bytes (mainnet only: testnet coins have no value, so nobody is paid in them).
_BTC_P2PKH = b"\x00"
_BTC_P2SH = b"\x05"
_LTC_P2PKH = b"\x30"
_LTC_P2SH = b"\x32"
_XMR_STANDARD = b"\x12"
_XMR_INTEGRATED = b"\x13"
_XMR_SUBADDRESS = b"\x2a"
_XMR_PAYMENT_ID_BYTES = 8
_XMR_CHECKSUM_BYTES = 4

SOLANA_LENGTHS = range(32, 45)
"""A 32-byte key in base58 takes 32 to 44 characters."""


@dataclass(frozen=True, slots=True)
class Address:
    """A validated address: its chain, canonical spelling and what proved it."""

    chain: str
    """btc, eth (any EVM chain), tron, ltc, xmr or sol."""
    address: str
    """Canonical spelling: lower-case bech32, EIP-55 for eth, as written for base58."""
    type: str
    checksum: str
    """What was verified: base58check, bech32, bech32m, eip55, keccak, or none."""

    @property
    def value(self) -> str:
        return f"{self.chain}:{self.address}"


def _decodes(decode: Callable[..., Any], token: str, **params: Any) -> bool:
    """True if the bip-utils decoder accepts ``token``.

    The decoders signal a bad address with ValueError, their own checksum errors (plain
    Exception subclasses) and, on odd input, TypeError or KeyError; any of them means "not
    this kind of address", and must not escape to the caller.
    """
    try:
        decode(token, **params)
    except Exception:
        return False
    return True


def eip55(hex40: str) -> str:
    """EIP-55 spelling of a 40-hex-digit address: a letter is upper case where the keccak
    hash of the lower-case hex has its matching nibble >= 8."""
    lower = hex40.lower()
    digest: bytes = Kekkak256.QuickDigest(lower.encode("ascii"))
    nibbles = digest.hex()
    return "0x" + "".join(
        c.upper() if c.isalpha() and int(nibbles[i], 16) >= 8 else c for i, c in enumerate(lower)
    )


def _eth(token: str) -> Address | None:
    body = token[2:]
    if len(body) != 40 or not _HEX40.fullmatch(body):
        return None
    canonical = eip55(body)
    if body.islower() or body.isupper() or body.isdigit():
        # One case throughout carries no checksum by EIP-55's own rule; it is still the
        # normal way wallets and explorers print addresses, so it is accepted.
        return Address("eth", canonical, "account", "none")
    if canonical[2:] != body:
        return None
    return Address("eth", canonical, "account", "eip55")


def _segwit(token: str, chain: str, hrp: str) -> Address | None:
    lower = token.lower()
    # The character after the separator is the witness version: q = 0, p = 1 (Taproot).
    version = lower[len(hrp) + 1 : len(hrp) + 2]
    if version == "q" and _decodes(P2WPKHAddrDecoder.DecodeAddr, token, hrp=hrp):
        # bip-utils' version-0 decoder accepts both 20-byte (key hash) and 32-byte (script
        # hash) programs; the length of the address tells them apart.
        kind = "p2wpkh" if len(lower) == len(hrp) + 40 else "p2wsh"
        return Address(chain, lower, kind, "bech32")
    if version == "p" and _decodes(P2TRAddrDecoder.DecodeAddr, token, hrp=hrp):
        return Address(chain, lower, "p2tr", "bech32m")
    return None


def _base58check(
    token: str, chain: str, kind: str, decode: Callable[..., Any], net_ver: bytes
) -> Address | None:
    if not 25 <= len(token) <= 35 or not _decodes(decode, token, net_ver=net_ver):
        return None
    return Address(chain, token, kind, "base58check")


def _tron(token: str) -> Address | None:
    if len(token) != 34 or not _decodes(TrxAddrDecoder.DecodeAddr, token):
        return None
    return Address("tron", token, "account", "base58check")


def _monero(token: str) -> Address | None:
    if len(token) == 95:
        net_ver = _XMR_STANDARD if token[0] == "4" else _XMR_SUBADDRESS
        if _decodes(XmrAddrDecoder.DecodeAddr, token, net_ver=net_ver):
            kind = "standard" if net_ver == _XMR_STANDARD else "subaddress"
            return Address("xmr", token, kind, "keccak")
        return None
    if len(token) == 106 and token[0] == "4":
        # The integrated decoder insists on being told the payment id; it is whatever the
        # address embeds, so read it from the raw bytes and let the decoder check the rest.
        try:
            raw: bytes = Base58XmrDecoder.Decode(token)
        except Exception:
            return None
        payment_id = raw[-_XMR_CHECKSUM_BYTES - _XMR_PAYMENT_ID_BYTES : -_XMR_CHECKSUM_BYTES]
        if _decodes(
            XmrIntegratedAddrDecoder.DecodeAddr,
            token,
            net_ver=_XMR_INTEGRATED,
            payment_id=payment_id,
        ):
            return Address("xmr", token, "integrated", "keccak")
    return None


def identify(token: str) -> Address | None:
    """The chain whose checksum ``token`` satisfies, or None.

    ``token`` must be the whole candidate (a maximal alphanumeric run): no trimming happens
    here. Solana is never returned: it has no checksum, see :func:`solana`.
    """
    head = token[:4].lower()
    if head.startswith("0x"):
        return _eth(token) if len(token) == 42 else None
    if head.startswith("bc1"):
        return _segwit(token, "btc", "bc") if len(token) in (42, 62) else None
    if head == "ltc1":
        return _segwit(token, "ltc", "ltc") if len(token) in (43, 63) else None
    first = token[0]
    if first == "1":
        return _base58check(token, "btc", "p2pkh", P2PKHAddrDecoder.DecodeAddr, _BTC_P2PKH)
    if first == "3":
        return _base58check(token, "btc", "p2sh", P2SHAddrDecoder.DecodeAddr, _BTC_P2SH)
    if first == "L":
        return _base58check(token, "ltc", "p2pkh", P2PKHAddrDecoder.DecodeAddr, _LTC_P2PKH)
    if first == "M":
        return _base58check(token, "ltc", "p2sh", P2SHAddrDecoder.DecodeAddr, _LTC_P2SH)
    if first == "T":
        return _tron(token)
    if first in "48":
        return _monero(token)
    return None


def could_be_solana(token: str) -> bool:
    """Cheap shape test (length and alphabet) before the costly curve check."""
    return len(token) in SOLANA_LENGTHS and BASE58_CHARS.issuperset(token)


def solana(token: str) -> Address | None:
    """``token`` as a Solana account if it decodes to a valid ed25519 public key.

    There is no checksum: any 32 random bytes have about even odds of being a curve point,
    so a hit here means only "shaped like a Solana key". Program-derived accounts are off the
    curve by construction and are rejected; people are paid at their wallet's own key.
    """
    if not could_be_solana(token):
        return None
    try:
        if len(Base58Decoder.Decode(token)) != 32:
            return None
    except Exception:
        return None
    if not _decodes(SolAddrDecoder.DecodeAddr, token):
        return None
    return Address("sol", token, "account", "none")
