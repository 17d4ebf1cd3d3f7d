"""Real-format, valid, never-repeated phone numbers for synthetic posters.

Numbers are drawn once per actor (an operation's pool, an independent's own line, a company's
switchboard, a hotline), never per advert, so each costs one phonenumbers validation and the
formatted variants are computed once. Candidates are built from the real numbering plan
(mobile ranges, the city's area code) and kept only if phonenumbers calls them valid and of the
wanted type; the NANP fictitious exchange 555 is never used. A number is never handed out twice,
because two unrelated posters sharing a phone by accident would plant a false link.
"""

from __future__ import annotations

import random
from enum import Enum

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from threadline.synth.places import City

_NANP = frozenset({"US", "CA"})
_AREA_MOBILES = frozenset({"US", "CA", "BR", "MX"})
"""Regions whose mobile numbers start with the geographic area code."""

# Mobile ranges as (prefix choices, national significant number length).
_MOBILE_PLANS: dict[str, tuple[tuple[str, ...], int]] = {
    "GB": (("74", "75", "77", "78", "79"), 10),
    "IE": (("83", "85", "86", "87", "89"), 9),
    "ES": (("6", "71", "72", "73", "74"), 9),
    "CO": (
        ("300", "301", "304", "310", "311", "312", "313", "315", "316", "317", "320", "321"),
        10,
    ),
    "FR": (("6", "73", "75", "76", "77", "78"), 9),
    "BE": (("46", "47", "48", "49"), 9),
    "CH": (("75", "76", "77", "78", "79"), 9),
    "PT": (("91", "92", "93", "96"), 9),
}
_TOLL_FREE_PREFIX: dict[str, tuple[str, ...]] = {
    "US": ("800", "888", "877", "866"),
    "CA": ("800", "888", "877", "866"),
    "GB": ("800",),
    "IE": ("1800",),
    "CO": ("1800",),
    "ES": ("900",),
    "MX": ("800",),
    "FR": ("800", "805"),
    "BE": ("800",),
    "CH": ("800",),
    "PT": ("800",),
    "BR": ("800",),
}
_ATTEMPTS = 400
_SHARED_CODES = frozenset({1, 44})


class Line(Enum):
    MOBILE = "mobile"
    FIXED = "fixed"
    TOLL_FREE = "toll_free"


_WANTED: dict[Line, frozenset[int]] = {
    Line.MOBILE: frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}),
    Line.FIXED: frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}),
    Line.TOLL_FREE: frozenset({PhoneNumberType.TOLL_FREE}),
}


class Phone:
    """A valid number; its written forms are formatted on first use (formatting costs more
    than validating, and many numbers are only ever written one way)."""

    __slots__ = ("_international", "_national", "country_code", "e164", "nsn", "region")

    def __init__(self, region: str, country_code: int, nsn: int) -> None:
        # Two ints rather than a PhoneNumber object: a million-advert corpus holds ~200k phones.
        self.region = region
        self.country_code = country_code
        self.nsn = nsn
        self.e164 = f"+{country_code}{nsn}"
        self._national: str | None = None
        self._international: str | None = None

    def _format(self, style: int) -> str:
        number = phonenumbers.PhoneNumber(country_code=self.country_code, national_number=self.nsn)
        return phonenumbers.format_number(number, style)

    def __repr__(self) -> str:
        return f"Phone({self.e164!r})"

    @property
    def national(self) -> str:
        """As phonenumbers formats it for domestic dialling: ``06 12 34 56 78``."""
        if self._national is None:
            self._national = self._format(PhoneNumberFormat.NATIONAL)
        return self._national

    @property
    def international(self) -> str:
        """``+33 6 12 34 56 78``."""
        if self._international is None:
            self._international = self._format(PhoneNumberFormat.INTERNATIONAL)
        return self._international

    @property
    def national_digits(self) -> str:
        """The digits a local would dial, trunk prefix included: ``0612345678``."""
        return "".join(c for c in self.national if c.isdigit())


def _digits(rng: random.Random, n: int) -> str:
    return f"{rng.randrange(10**n):0{n}d}"


def _nanp_subscriber(rng: random.Random) -> str:
    while True:
        exchange = str(rng.randint(200, 999))
        # 555 is the fictitious exchange; N11 codes are service numbers, never subscribers.
        if exchange != "555" and exchange[1:] != "11":
            return exchange + _digits(rng, 4)


class PhoneFactory:
    """Hands out unique valid numbers; one instance per corpus."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def new(self, region: str, city: City, line: Line = Line.MOBILE) -> Phone:
        wanted = _WANTED[line]
        country_code = phonenumbers.country_code_for_region(region)
        for _ in range(_ATTEMPTS):
            nsn = self._candidate(region, city, line)
            number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(nsn))
            # One check per candidate (this runs for every actor): a known type implies a
            # valid number. Under a code shared by several regions (NANP, +44 with the Crown
            # Dependencies) number_type first searches the region, which is slow, and the
            # region is what needs checking; there the candidate ranges fix the type.
            if country_code in _SHARED_CODES:
                valid = phonenumbers.is_valid_number_for_region(number, region)
            else:
                valid = phonenumbers.number_type(number) in wanted
            if not valid:
                continue
            phone = Phone(region, country_code, int(nsn))
            if phone.e164 in self._used:
                continue
            self._used.add(phone.e164)
            return phone
        raise RuntimeError(f"no valid {line.value} number found for {region} {city.english}")

    def _candidate(self, region: str, city: City, line: Line) -> str:
        rng = self._rng
        if line is Line.TOLL_FREE:
            prefix = rng.choice(_TOLL_FREE_PREFIX[region])
            if region in _NANP:
                return prefix + _nanp_subscriber(rng)
            return prefix + _digits(rng, _example_length(region, line) - len(prefix))
        if region in _NANP:
            return city.area + _nanp_subscriber(rng)
        if line is Line.MOBILE and region in _AREA_MOBILES:
            if region == "BR":
                return city.area + "9" + rng.choice("6789") + _digits(rng, 7)
            return city.area + _digits(rng, 10 - len(city.area))
        if line is Line.MOBILE:
            prefixes, length = _MOBILE_PLANS[region]
            prefix = rng.choice(prefixes)
            return prefix + _digits(rng, length - len(prefix))
        length = _example_length(region, line)
        if region == "BE":
            length = 8
        elif region == "IE":
            # Irish local numbers are 5 to 7 digits depending on the area: try both lengths.
            length = 8 if city.area == "1" else rng.choice((8, 9))
        elif region == "BR":
            return city.area + rng.choice("2345") + _digits(rng, 7)
        area = city.area
        # A leading non-zero digit keeps fixed lines out of the short special-service ranges.
        return area + rng.choice("23456789") + _digits(rng, length - len(area) - 1)


_EXAMPLE_LENGTHS: dict[tuple[str, Line], int] = {}


def _example_length(region: str, line: Line) -> int:
    key = (region, line)
    if key not in _EXAMPLE_LENGTHS:
        kind = PhoneNumberType.TOLL_FREE if line is Line.TOLL_FREE else PhoneNumberType.FIXED_LINE
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            raise RuntimeError(f"phonenumbers has no {line.value} example for {region}")
        _EXAMPLE_LENGTHS[key] = len(str(example.national_number))
    return _EXAMPLE_LENGTHS[key]


def valid_e164(value: str) -> bool:
    """True if ``value`` is E.164 and a valid number by phonenumbers (the test oracle)."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    formatted = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return formatted == value and phonenumbers.is_valid_number(number)
