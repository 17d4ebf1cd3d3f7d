"""Blocking keys: what an advert carries that can tie it to other adverts without comparing
every pair.

The identifier keys (``kind=value``: the same phone, e-mail, handle, wallet or payment tag)
are made here; the wording key and picture keys are made with the signature
(:mod:`~threadline.link.signatures`, :mod:`~threadline.link.pictures`). Pairs come from keys
only, as chains in posting order (:mod:`~threadline.link.scoring`), so cost grows with the
number of key memberships, not the square of the adverts. Template MinHashes are compared
only inside those pairs: a template never links alone, so LSH bands over it would only make
pairs that could never become links.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import phonenumbers
from phonenumbers import PhoneNumberType

from threadline.model import Identifier

LINKING_KINDS = frozenset({"phone", "email", "handle", "wallet", "payment"})


SERVICE_LINES = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.UAN,
        PhoneNumberType.VOICEMAIL,
    }
)
"""Numbering-plan types of business service lines. A toll-free or shared-cost number is
leased by an organisation (a job board's help desk, an agency switchboard, a booking line)
and printed by everyone it serves; whoever runs adverts from a phone in hand uses a mobile
or a plain line. Such numbers are kept as ``line=...`` keys: weak evidence, never a join."""


@functools.lru_cache(maxsize=65_536)
def is_service_line(e164: str) -> bool:
    """True for a toll-free, shared-cost, premium-rate, UAN or voicemail number."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in SERVICE_LINES


def identifier_keys(identifiers: Iterable[Identifier]) -> list[str]:
    """``kind=value`` for the identifiers that tie an advert to whoever runs it; business
    service lines as ``line=value`` (see :data:`SERVICE_LINES`)."""
    keys = set()
    for i in identifiers:
        if i.kind not in LINKING_KINDS:
            continue
        kind = "line" if i.kind == "phone" and is_service_line(i.value) else i.kind
        keys.add(f"{kind}={i.value}")
    return sorted(keys)
