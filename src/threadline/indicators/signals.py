"""Indicators that phrases cannot state: checks over the identifiers an advert carries.

A rule names a signal (``signal: several_ages``) instead of, or beside, phrases. Each signal is
a pure function of the advert's text and identifiers that returns the spans it rests on, so a
signal flag points at evidence like any phrase does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from threadline.model import Identifier, Span

Signal = Callable[[Sequence[Identifier]], list[Span]]

MESSENGERS = frozenset(
    {"whatsapp", "telegram", "signal", "viber", "wechat", "line", "kik", "snapchat"}
)

EUR_PER_UNIT: dict[str, float] = {
    "EUR": 1.0, "USD": 0.92, "GBP": 1.17, "CHF": 1.05, "CAD": 0.68, "AUD": 0.61,
    "BRL": 0.18, "MXN": 0.05, "ARS": 0.001, "COP": 0.00023, "CLP": 0.001, "PEN": 0.25,
    "PLN": 0.23, "RON": 0.2, "AED": 0.25, "JPY": 0.0062,
}  # fmt: skip
"""Rough exchange rates (late 2026) to compare pay across currencies; a signal needs the order
of magnitude, not the day's rate."""

HIGH_MONTHLY_EUR = 3000.0
HIGH_HOURLY_EUR = 30.0
"""Pay that stands out for the unskilled jobs lures advertise (ILO 2012: "promises of
unrealistic wages"); set well above minimum wages in the EU and the Americas."""
HIGH_IN_CURRENCY: dict[tuple[str, str], float] = {
    ("CHF", "month"): 6500.0,
    ("CHF", "hour"): 45.0,
}
"""Where ordinary wages are far above the European level (Switzerland: a median near 6,800 CHF
a month), the bar is set in the local currency, so that an honest Swiss advert is not a lure."""


def several_ages(identifiers: Sequence[Identifier]) -> list[Span]:
    """Two or more different ages stated: several workers behind one advert (third party)."""
    ages = [i for i in identifiers if i.kind == "age"]
    if len({i.value for i in ages}) < 2:
        return []
    return [i.span for i in ages]


def messenger_contact_only(identifiers: Sequence[Identifier]) -> list[Span]:
    """Contact only through messenger handles or a bare phone: no e-mail, no website."""
    if any(i.kind in ("email", "url") for i in identifiers):
        return []
    handles = [i for i in identifiers if i.kind == "handle"]
    if not handles or any(i.value.split(":", 1)[0] not in MESSENGERS for i in handles):
        return []
    return [i.span for i in handles]


def salary_high(identifiers: Sequence[Identifier]) -> list[Span]:
    """A wage far above what the unskilled jobs of recruitment lures pay."""
    return [i.span for i in identifiers if i.kind == "price" and _high_pay(i.value)]


def _high_pay(value: str) -> bool:
    # "3100 EUR/month", "25 USD/hour"; prices without a unit are one-off sums, not pay
    amount_currency, _, unit = value.partition("/")
    amount, _, currency = amount_currency.partition(" ")
    rate = EUR_PER_UNIT.get(currency)
    if rate is None or unit not in ("month", "hour"):
        return False
    try:
        paid = float(amount)
    except ValueError:
        return False
    local = HIGH_IN_CURRENCY.get((currency, unit))
    if local is not None:
        return paid >= local
    return paid * rate >= (HIGH_MONTHLY_EUR if unit == "month" else HIGH_HOURLY_EUR)


SIGNALS: dict[str, Signal] = {
    "several_ages": several_ages,
    "messenger_contact_only": messenger_contact_only,
    "salary_high": salary_high,
}
