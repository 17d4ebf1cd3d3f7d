"""Valid cryptocurrency addresses from a seeded RNG, and the checks that prove them valid.

Operations in the corpus take deposits and "fees" in crypto, so the corpus must carry addresses
a real checksum validator accepts: an extractor that rejects junk must still find these. The
encoders are implemented here from the specifications (Base58Check with double SHA-256, BIP-173
bech32) so the generator needs nothing beyond the standard library; the validators double as the
test oracle.
"""

from __future__ import annotations

import hashlib
import random
import re

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58_ALPHABET)}
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(_BECH32_CHARSET)}
_ETH_RE = re.compile(r"0x[0-9a-f]{40}")

BTC_P2PKH = 0x00
BTC_P2SH = 0x05
TRON = 0x41


def _sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    chars: list[str] = []
    while n:
        n, r = divmod(n, 58)
        chars.append(_B58_ALPHABET[r])
    # Leading zero bytes are not carried by the integer; Base58 writes each as a "1".
    pad = len(data) - len(data.lstrip(b"\x00"))
    return "1" * pad + "".join(reversed(chars))


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        n = n * 58 + _B58_INDEX[c]
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\x00" * pad + body


def b58check_encode(version: int, payload: bytes) -> str:
    raw = bytes([version]) + payload
    return b58encode(raw + _sha256d(raw)[:4])


def b58check_decode(text: str) -> tuple[int, bytes] | None:
    """Return ``(version, payload)`` if the checksum holds, else None."""
    if not text or any(c not in _B58_INDEX for c in text):
        return None
    raw = b58decode(text)
    if len(raw) < 5 or _sha256d(raw[:-4])[:4] != raw[-4:]:
        return None
    return raw[0], raw[1:-4]


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= generator[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: bytes, from_bits: int, to_bits: int) -> list[int]:
    acc = bits = 0
    out: list[int] = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if bits:
        out.append((acc << (to_bits - bits)) & maxv)
    return out


def bech32_segwit_encode(hrp: str, witver: int, program: bytes) -> str:
    data = [witver, *_convert_bits(program, 8, 5)]
    polymod = _bech32_polymod([*_hrp_expand(hrp), *data, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32_CHARSET[d] for d in data + checksum)


def bech32_segwit_valid(address: str, hrp: str = "bc") -> bool:
    """BIP-173 check of a version-0 segwit address (bech32, not bech32m)."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    pos = address.rfind("1")
    if address[:pos] != hrp or pos + 7 > len(address):
        return False
    try:
        data = [_BECH32_INDEX[c] for c in address[pos + 1 :]]
    except KeyError:
        return False
    if _bech32_polymod(_hrp_expand(hrp) + data) != 1:
        return False
    witver, five_bit = data[0], data[1:-6]
    program_bits = len(five_bit) * 5
    return witver == 0 and program_bits // 8 in (20, 32) and program_bits % 8 < 5


def random_btc(rng: random.Random) -> str:
    """A legacy, P2SH or native segwit address, in roughly the mix seen in the wild."""
    payload = rng.getrandbits(160).to_bytes(20, "big")
    roll = rng.random()
    if roll < 0.4:
        return b58check_encode(BTC_P2PKH, payload)
    if roll < 0.6:
        return b58check_encode(BTC_P2SH, payload)
    return bech32_segwit_encode("bc", 0, payload)


def random_eth(rng: random.Random) -> str:
    # All-lowercase hex is a valid address by EIP-55 (it simply carries no case checksum).
    return "0x" + f"{rng.getrandbits(160):040x}"


def random_tron(rng: random.Random) -> str:
    return b58check_encode(TRON, rng.getrandbits(160).to_bytes(20, "big"))


def valid_btc(address: str) -> bool:
    if address[:3].lower() == "bc1":
        return bech32_segwit_valid(address)
    decoded = b58check_decode(address)
    return decoded is not None and decoded[0] in (BTC_P2PKH, BTC_P2SH) and len(decoded[1]) == 20


def valid_tron(address: str) -> bool:
    decoded = b58check_decode(address)
    return decoded is not None and decoded[0] == TRON and len(decoded[1]) == 20


def valid_eth(address: str) -> bool:
    return _ETH_RE.fullmatch(address.lower()) is not None


def valid_wallet(value: str) -> bool:
    """Validate a normalised ``chain:address`` wallet value as written in truth.jsonl."""
    chain, _, address = value.partition(":")
    checks = {"btc": valid_btc, "eth": valid_eth, "tron": valid_tron}
    check = checks.get(chain)
    return check is not None and check(address)
