"""Prices, wages and fees: plausible amounts per country and their written forms.

Amounts come from ranges per currency; a poster keeps a price *level* (0..1) so its adverts
quote consistent prices even when it moves to a country with another currency. The written form
follows local habits (``€150``, ``150 €``, ``R$ 300``, ``CHF 200``) and the truth value is always
``"<amount> <ISO currency>/<unit>"`` (``"150 EUR/hour"``), or without the unit for a one-off fee.
"""

from __future__ import annotations

import random

from threadline.synth.draw import between, pick
from threadline.synth.lexicon import Lexicon

# Hourly rates of massage/companionship listings, (low, high, rounding step).
HOURLY: dict[str, tuple[int, int, int]] = {
    "EUR": (80, 250, 10),
    "GBP": (80, 220, 10),
    "USD": (120, 350, 10),
    "CAD": (140, 350, 10),
    "MXN": (1500, 4500, 100),
    "COP": (150_000, 450_000, 10_000),
    "BRL": (200, 700, 50),
    "CHF": (150, 400, 10),
}

# Typical legitimate pay by country: (unit, low, high, step). Unit names index Lexicon.units.
WAGES: dict[str, tuple[str, int, int, int]] = {
    "US": ("wage_hour", 16, 26, 1),
    "GB": ("year", 23_000, 34_000, 500),
    "CA": ("wage_hour", 17, 27, 1),
    "CA-fr": ("wage_hour", 17, 26, 1),
    "IE": ("year", 28_000, 40_000, 500),
    "ES": ("month", 1_200, 1_800, 50),
    "MX": ("month", 9_000, 16_000, 500),
    "CO": ("month", 1_400_000, 2_600_000, 50_000),
    "FR": ("month", 1_800, 2_500, 50),
    "BE": ("month", 2_000, 2_900, 50),
    "CH": ("month", 4_200, 5_800, 100),
    "PT": ("month", 870, 1_300, 10),
    "BR": ("month", 1_600, 3_500, 50),
}

# "Too good to be true" monthly pay and up-front fees quoted by lures, by destination currency.
LURE_MONTHLY: dict[str, tuple[int, int, int]] = {
    "EUR": (2_800, 5_000, 100),
    "GBP": (2_600, 4_500, 100),
    "USD": (3_500, 6_500, 100),
    "CAD": (4_000, 6_500, 100),
    "CHF": (5_000, 8_000, 100),
}
LURE_FEE: dict[str, tuple[int, int, int]] = {
    "EUR": (200, 1_500, 50),
    "GBP": (200, 1_200, 50),
    "USD": (250, 1_800, 50),
    "CAD": (300, 1_800, 50),
    "CHF": (300, 2_000, 50),
}

_UNIT_VALUE = {
    "hour": "hour",
    "half": "30min",
    "month": "month",
    "wage_hour": "hour",
    "year": "year",
    "once": "",
}

_SYMBOLS: dict[str, tuple[str, ...]] = {
    "EUR": ("€{n}", "{n} EUR", "{n}€", "{n} €", "{n} euros"),
    "GBP": ("£{n}", "£{n}", "{n} GBP"),
    "USD": ("${n}", "${n}", "{n} USD", "US${n}"),
    "CAD": ("${n}", "{n} CAD", "CA${n}"),
    "MXN": ("${n} MXN", "{n} pesos", "${n} pesos"),
    "COP": ("${n}", "{n} COP", "${n} pesos"),
    "BRL": ("R$ {n}", "R${n}", "{n} reais"),
    "CHF": ("CHF {n}", "{n} CHF", "{n}.- CHF"),
}
# English writers put the euro sign first; the others write it after the number.
_EUR_BY_LANGUAGE = {
    "en": ("€{n}", "€{n}", "{n} EUR", "{n} euros"),
    "es": ("{n}€", "{n} €", "{n} euros"),
    "fr": ("{n} €", "{n}€", "{n} euros"),
    "pt": ("{n}€", "{n} €", "{n} euros"),
}


def level_amount(level: float, low: int, high: int, step: int) -> int:
    """The amount at ``level`` (0..1) of a range, rounded to the step."""
    raw = low + level * (high - low)
    return max(low, min(high, round(raw / step) * step))


def jitter(rng: random.Random, amount: int, step: int, low: int, high: int) -> int:
    return max(low, min(high, amount + step * between(rng, -1, 1)))


def _number(rng: random.Random, lex: Lexicon, amount: int) -> str:
    digits = str(amount)
    if amount < 1000 or (amount < 10_000 and rng.random() < 0.3):
        return digits
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return lex.thousands.join(groups)


def money(rng: random.Random, lex: Lexicon, amount: int, currency: str) -> str:
    forms = _EUR_BY_LANGUAGE[lex.language] if currency == "EUR" else _SYMBOLS[currency]
    return pick(rng, forms).replace("{n}", _number(rng, lex, amount))


def price_text(
    rng: random.Random, lex: Lexicon, amount: int, currency: str, unit: str
) -> tuple[str, str]:
    """Return ``(raw, value)`` for an amount per unit (``unit`` indexes ``Lexicon.units``)."""
    raw = pick(rng, lex.units[unit]).replace("{a}", money(rng, lex, amount, currency))
    suffix = _UNIT_VALUE[unit]
    value = f"{amount} {currency}/{suffix}" if suffix else f"{amount} {currency}"
    return raw, value
