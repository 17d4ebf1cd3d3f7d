"""Prices, rates and wages: "3.100€/mês", "£28,000 p.a.", "1h 150 €", "R$ 2.500,00 por mês".

Rates tie adverts of one operation together (a price list is copied from advert to advert)
and some are indicators in themselves (wages too good to be true, fees charged up front).
A price needs a currency (symbol, ISO code or name), so ages, times, dates, percentages and
phone numbers are never prices. The amount is read with the thousands separators of English,
Spanish, French and Portuguese ("3,100", "3.100", "3 100", "2.500,00"); the unit comes from the
words after it ("per hour", "/h", "la hora", "l'heure", "por mês", "mensuels", "p.a.") or
before it ("1h 150 €", "30 min 100€").

A bare "$" or "pesos" is resolved from the advert: an explicit code elsewhere in it ("US$",
"CA$", "MXN"), else the country it sends people to, else its own country (``ad.place``), else
US dollars. Values are ``"3100 EUR/month"``, or ``"150 EUR"`` without a unit; units are hour,
night, day, week, month, year, session, or minutes (``"30min"``) for other durations.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from threadline.extract import place as places
from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Span

KIND = "price"

# The amount: thousands grouped by ".", "," or a space, a decimal mark before 1-2 digits,
# "k" for thousands and the Swiss ".-". Its look-behinds come after the first digit, so that
# the scan jumps from digit to digit: the first keeps the tail of a longer number out, and
# ``{guard}`` takes one more.
_AMOUNT = r"""
    (?P<amount>
        \d(?<![\d.,]\d){guard}
        (?:
            \d{0,2}(?:\.\d{3})+(?:,\d{1,2})?             # 3.100  1.234.567  2.500,00
          | \d{0,2}(?:,\d{3})+(?:\.\d{1,2})?             # 3,100  1,234,567  2,500.00
          | \d{0,2}(?:[ \u00a0\u202f]\d{3})+(?:,\d{1,2})?  # 3 100  (French, with any space)
          | \d*(?:[.,]\d{1,2})?                          # 150  12.50  3,5
        )(?!\d)
    )
    (?P<k>\s?[kK](?!\w))?
    (?:[.,]-)?                                            # Swiss "150.-"
"""
# Every alternative starts with a literal character, so the scan skips straight to the few
# places a currency can start (one character class or optional letter in front made the whole
# pattern several times slower).
_PREFIX = r"""
    R\$|US\$|U\$S|CA\$|C\$|MX\$|COP\$|AU\$|A\$|NZ\$|SFr\.|Fr\.|€|\$|£
    |EUR|USD|GBP|BRL|MXN|CAD|COP|AUD|CHF
"""
_CODES_AFTER = ("EUR", "USD", "GBP", "BRL", "MXN", "CAD", "CHF", "COP", "AUD", "NZD", "ARS", "CLP")
_SUFFIX = rf"""
    [ \u00a0\u202f]?(?P<post>
        €|\$|£|R\$|{"|".join(_CODES_AFTER)}|PEN
      | (?i:euros?|eur|d[oó]lares|d[oó]lar|dollars?|bucks|pounds?(?:\s+sterling)?
        | libras?(?:\s+esterlinas?)? | reais | pesos | francs?(?:\s+suisses)?
        | francos?(?:\s+su[ií]ços)?)
    )(?!\w)
"""
# "€150", "US$ 20", "$2.600 MXN": a currency before the amount (and maybe a code after it).
PREFIXED = re.compile(
    rf"(?P<pre>{_PREFIX})[ \u00a0\u202f]?{_AMOUNT.replace('{guard}', '')}(?:{_SUFFIX})?",
    re.VERBOSE,
)
# "150 €", "3.100€", "1050 euros": a currency after the amount. The guard keeps the last group
# of a spaced phone number out ("06 12 34 56 78 100€" is not 78100 €).
SUFFIXED = re.compile(_AMOUNT.replace("{guard}", r"(?<!\d[ \u00a0\u202f]\d)") + _SUFFIX, re.VERBOSE)

# Unit words after a connector ("per hour", "/h", "la hora", "de l'heure", "por mês")...
UNIT_WORDS = {
    "hour": "h hr hrs hour hours hora horas heure heures",
    "night": "night nights noche noches noite noites nuit nuits",
    "day": "day days dia dias día días jour jours",
    "week": "week weeks wk semana semanas semaine semaines",
    "month": "month months mo mth mes mês mois",
    "year": "year years yr año años ano anos an annum",
    "session": "session sessions sesión sesion sessão sessao séance seance",
}
# ...and words that are units on their own ("monthly", "mensuels", "p.a.", "£100ph").
UNIT_ADJECTIVES = {
    "hour": "hourly ph",
    "night": "nightly",
    "day": "daily diario diaria diarios diarias diário diária diários diárias journalier "
    "journaliere journalière journaliers journalieres journalières",
    "week": "weekly semanal semanales semanais hebdomadaire hebdomadaires pw",
    "month": "monthly mensual mensuales mensuel mensuels mensuelle mensuelles mensal mensais pcm",
    "year": "yearly annual annually anual anuales anuais annuel annuels annuelle annuelles p.a. pa",
}
UNIT_NAMES = {
    word: unit
    for table in (UNIT_WORDS, UNIT_ADJECTIVES)
    for unit, words in table.items()
    for word in words.split()
}


def _alternation(table: dict[str, str]) -> str:
    words = sorted({w for ws in table.values() for w in ws.split()}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in words)


_HALF_HOUR = r"half[\s-]hour|media\s+hora|meia\s+hora|(?:la\s+)?demi[\s-]heure"
_CONNECTOR = r"/|per|an|a|por|par|la|al|ao|à|a\s+la|de\s+l['’]|l['’]|the|each|cada|every|p/"
_DURATION_WORD = r"h|hrs?|hours?|horas?|heures?|min|mins|minutes?|minutos?"
_DURATION = rf"(?P<count>\d{{1,3}})\s?(?P<dunit>{_DURATION_WORD})"
_MODIFIER = r"(?:(?:brut[oe]?s?|net[oe]?s?|gross|l[ií]quid[oa]s?)\s*)?"
# Matched against a lower-cased window after the amount: cheaper than ``re.IGNORECASE`` on
# an alternation this long.
UNIT_WINDOW = 40
UNIT_AFTER = re.compile(
    rf"""
    \s*{_MODIFIER}
    (?:
        (?P<half>{_HALF_HOUR})
      | (?:(?:{_CONNECTOR})\s*)?{_DURATION}(?!\w)
      | (?:{_CONNECTOR})\s*(?P<word>{_alternation(UNIT_WORDS)})(?!\w)
      | (?P<adj>{_alternation(UNIT_ADJECTIVES)})(?!\w)
    )
    """,
    re.VERBOSE,
)
# "1h 150 €", "30 min 100€", "1 hora: 80€": a duration just before the price.
DURATION_BEFORE = re.compile(
    rf"(?<![\d.,:])(\d{{1,3}})\s?({_DURATION_WORD})\s*[:=-]?\s*$", re.IGNORECASE
)
DURATION_ENDINGS = ("h", "n", "s", "r", "a", "e", "o")
DIGIT = re.compile(r"\d")

SYMBOLS = {
    "€": "EUR",
    "£": "GBP",
    "R$": "BRL",
    "US$": "USD",
    "U$S": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "MX$": "MXN",
    "COP$": "COP",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "FR.": "CHF",
    "SFR.": "CHF",
}
WORDS = {
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "libra": "GBP",
    "libras": "GBP",
    "reais": "BRL",
    "dólares": "USD",
    "dolares": "USD",
    "dólar": "USD",
    "dolar": "USD",
    "franc": "CHF",
    "francs": "CHF",
    "franco": "CHF",
    "francos": "CHF",
}
# Currencies written "$" locally, and those whose money is called "pesos".
DOLLAR_COUNTRIES = {
    "US": "USD",
    "CA": "CAD",
    "MX": "MXN",
    "CO": "COP",
    "AU": "AUD",
    "NZ": "NZD",
    "AR": "ARS",
    "CL": "CLP",
    "UY": "UYU",
    "DO": "DOP",
    "SG": "SGD",
    "HK": "HKD",
}
PESO_COUNTRIES = {"MX": "MXN", "CO": "COP", "AR": "ARS", "CL": "CLP", "UY": "UYU", "DO": "DOP"}
PESO_COUNTRIES.update({"PH": "PHP", "CU": "CUP"})
# An explicit member of the "$" family anywhere in the advert says which dollar it uses.
# (Literal alternatives only, so the scan is quick; a letter before a code is checked apart.)
EXPLICIT_CODES = {"US$": "USD", "U$S": "USD", "CA$": "CAD", "MX$": "MXN", "AU$": "AUD"}
EXPLICIT_CODES.update({code: code for code in ("USD", "CAD", "MXN", "COP", "AUD")})
EXPLICIT_DOLLAR = re.compile(
    "(?:" + "|".join(re.escape(c) for c in EXPLICIT_CODES) + r")(?![A-Za-z])"
)
PESOS = ("pesos", "Pesos", "PESOS")
ADVERT_DECIDES = frozenset({"$", "pesos"})
"""Marks whose currency the rest of the advert tells."""
SURE_PLACE = 0.9
"""The place finder's confidence for countries and big cities under their plain names."""


@dataclass(slots=True)
class _Context:
    """What resolving a bare "$" needs, worked out at most once per advert."""

    text: str
    place_field: str | None
    _home: str | None = None
    _home_known: bool = False
    _mentions: list[str] | None = None

    @property
    def home(self) -> str | None:
        if not self._home_known:
            try:
                self._home = places.country_of(self.place_field)
            except Exception:
                self._home = None
            self._home_known = True
        return self._home

    @property
    def foreign_mentions(self) -> list[str]:
        """Countries other than its own that the advert names, in order (destinations)."""
        if self._mentions is None:
            try:
                found = places.find_places(self.text, self.place_field)
            except Exception:
                found = []
            home = self.home
            # Only countries and big cities: a destination is named plainly ("Canada",
            # "Dubai"), while a small town's name is often a word or a company's.
            countries = (f.attrs.get("country") for f in found if f.confidence >= SURE_PLACE)
            self._mentions = [c for c in countries if c and c != home]
        return self._mentions


def _dollar(ctx: _Context) -> str:
    text = ctx.text
    for explicit in EXPLICIT_DOLLAR.finditer(text):
        if not (explicit.start() and text[explicit.start() - 1].isalpha()):
            return EXPLICIT_CODES[explicit.group()]
    if any(word in text for word in PESOS):
        return _peso(ctx)
    if ctx.foreign_mentions:
        # The first destination named: "work in Japan, later maybe Canada" pays in dollars
        # of the first stop (or US dollars, the usual currency of offers abroad).
        return DOLLAR_COUNTRIES.get(ctx.foreign_mentions[0], "USD")
    return DOLLAR_COUNTRIES.get(ctx.home or "", "USD")


def _peso(ctx: _Context) -> str:
    for country in (ctx.home, *ctx.foreign_mentions):
        if country in PESO_COUNTRIES:
            return PESO_COUNTRIES[country]
    return "MXN"


@functools.lru_cache(maxsize=1024)
def _mark(mark: str) -> str:
    """ISO code a currency mark stands for, or "$" / "pesos" when the advert must tell.
    (Marks are few and repeat endlessly, hence the cache.)"""
    upper = mark.upper()
    if upper in SYMBOLS:
        return SYMBOLS[upper]
    if len(mark) == 3 and mark.isupper():
        return mark
    lower = mark.lower().split()[0]
    if lower == "pesos":
        return "pesos"
    return WORDS.get(lower, "$")


def _currency(pre: str | None, post: str | None, ctx: _Context) -> str:
    """ISO code of a price's currency: "$2.600 MXN" is MXN, "$400.000 pesos" a peso."""
    after = _mark(post) if post is not None else None
    if after is not None and after not in ADVERT_DECIDES:
        return after
    before = _mark(pre) if pre is not None else None
    if before is not None and before not in ADVERT_DECIDES:
        return before
    return _peso(ctx) if "pesos" in (after, before) else _dollar(ctx)


DECIMAL_TAIL = re.compile(r"(.*?)(?:[.,](\d{1,2}))?")
SPACES = re.compile(r"[\s\u00a0\u202f]")
SEPARATORS = re.compile(r"[.,]")


def normalise_amount(written: str) -> str | None:
    """``"3.100"`` -> ``"3100"``, ``"2.500,00"`` -> ``"2500"``, ``"12.50"`` -> ``"12.50"``.

    A separator followed by exactly three digits groups thousands, whatever the language
    ("3,100" and "3.100" are both 3100); one followed by one or two digits is a decimal mark.
    """
    if written.isdigit():
        return written.lstrip("0") or None
    head, cents = DECIMAL_TAIL.fullmatch(SPACES.sub("", written)).groups()  # type: ignore[union-attr]
    integer = SEPARATORS.sub("", head).lstrip("0") or "0"
    if cents and cents.strip("0"):
        return f"{integer}.{cents}"
    return None if integer == "0" else integer


def _kilo(amount: str) -> str:
    whole, _, cents = amount.partition(".")
    value = int(whole) * 1000 + (int(cents.ljust(3, "0")[:3]) if cents else 0)
    return str(value)


def _unit_of_duration(count: int, unit: str) -> str | None:
    minutes = count if unit.lower().startswith("min") else count * 60
    if minutes <= 0 or minutes > 12 * 60:
        return None
    return "hour" if minutes == 60 else f"{minutes}min"


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    window = text[end : end + UNIT_WINDOW]
    lowered = window.lower()
    # Lower-casing keeps lengths (and so offsets) for the letters units are written in; a
    # window where it does not ("İ") is matched as written.
    match = UNIT_AFTER.match(lowered if len(lowered) == len(window) else window)
    if match is None:
        return None, end
    if match.group("half"):
        return "30min", end + match.end()
    if match.group("count"):
        unit = _unit_of_duration(int(match.group("count")), match.group("dunit"))
        return (unit, end + match.end()) if unit else (None, end)
    unit = UNIT_NAMES.get(match.group("word") or match.group("adj") or "")
    return (unit, end + match.end()) if unit else (None, end)


def _unit_before(text: str, start: int) -> tuple[str | None, int]:
    window = max(0, start - 16)
    # Cheap tests first: a duration word ends right before, with a digit not far before it.
    if not text[max(0, start - 3) : start].rstrip(" :=-").endswith(DURATION_ENDINGS):
        return None, start
    if DIGIT.search(text, window, start) is None:
        return None, start
    match = DURATION_BEFORE.search(text, window, start)
    if match is None:
        return None, start
    unit = _unit_of_duration(int(match.group(1)), match.group(2))
    return (unit, match.start()) if unit else (None, start)


def _read(match: re.Match[str], ctx: _Context) -> Found | None:
    """The price a currency-marked amount states, with its unit, if it is one."""
    text = ctx.text
    written = match.group("amount")
    if written[0] == "0" and written[1:2].isdigit():
        return None  # "075", "0750": a phone fragment, never a price
    start, end = match.span()
    pre = match.group("pre") if match.re is PREFIXED else None
    if pre is not None and pre[0].isalpha() and start and text[start - 1].isalpha():
        return None  # "MUSD 5": a code inside a word
    if pre == "Fr." and not match.group().rstrip().endswith(("-", *_CODES_AFTER)):
        return None  # "Mo-Fr. 9-17h": a weekday; Swiss francs are written "Fr. 150.-"
    amount = normalise_amount(written)
    if amount is None:
        return None
    if match.group("k"):
        amount = _kilo(amount)
    currency = _currency(pre, match.group("post"), ctx)
    # A duration just before wins over one after, which may open the next price of a list:
    # "1h 150€ 30 min 100€".
    unit, start = _unit_before(text, start)
    if unit is None:
        unit, end = _unit_after(text, end)
    attrs = {"currency": currency, "amount": amount}
    if unit:
        attrs["unit"] = unit
        value = f"{amount} {currency}/{unit}"
    else:
        value = f"{amount} {currency}"
    confidence = 0.9 if pre or match.group("post").isupper() else 0.85
    return Found(KIND, value, text[start:end], Span(start, end), confidence, attrs)


def _by_start(match: re.Match[str]) -> int:
    return match.start()


def find_prices(text: str, place_field: str | None = None) -> list[Found]:
    """Every price in ``text``; ``place_field`` (the advert's own place) helps read "$"."""
    candidates = [*PREFIXED.finditer(text), *SUFFIXED.finditer(text)]
    if not candidates:
        return []
    candidates.sort(key=_by_start)
    ctx = _Context(text, place_field)
    found: list[Found] = []
    taken = 0
    for match in candidates:
        # A mark already used by the price before is not this one's: "130 € 1 hora".
        if match.start() < taken:
            continue
        try:
            price = _read(match, ctx)
        except Exception:  # one odd candidate must not cost the advert its other prices
            continue
        if price is not None:
            found.append(price)
            taken = price.span.end
    return found


def find(ad: Ad) -> list[Found]:
    """Prices and rates in the advert's text."""
    return find_prices(ad.text, ad.place)


STAGE = ExtractStage("extract.price", 1, find)
