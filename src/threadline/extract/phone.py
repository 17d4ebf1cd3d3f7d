"""Phone numbers: de-obfuscate, find digit runs, validate with phonenumbers, emit E.164.

A missed phone is a missed link and a false phone is a false accusation, so every candidate
must pass ``phonenumbers.is_valid_number`` plus the test ``Leniency.VALID`` adds to it: a
national number must carry its trunk prefix where the country requires one ("612345678" is
not a French number, "0612345678" is). ``Leniency.POSSIBLE`` only checks lengths: on the
first 20,000 synthetic adverts it costs half a point of precision and of recall (a merely
possible reading in the home country beats the valid one next door) and it lets bare digit
strings through. ``PhoneNumberMatcher`` itself is not used: it costs ~100 µs per advert,
misses every de-obfuscated writing and cannot try a neighbouring country.

The steps:

1. :func:`~threadline.extract.deobfuscate.deobfuscate` turns spelled, lettered, keycap and
   fullwidth digits into ASCII digit runs, with a map back to the original characters.
2. WhatsApp links (``wa.me/<digits>``, ``api.whatsapp.com/send?phone=<digits>``) resolve
   directly: their digits are always international.
3. Each run drops what its context says is not a phone (digits inside a URL or an e-mail
   address, dates, a price's amount, everything after a "Ref"/"#"/IBAN label, card-shaped
   groups) and is read as one number, or else split at group boundaries when it holds
   several (split readings are accepted only as international or in the home region).
4. A reading is international (``+`` or ``00``, no region needed) or national: in the
   advert's region (from ``ad.place``), then neighbours sharing the advert's language, other
   countries of that language, other neighbours. When several accept the digits, a writing
   that matches one country's national format exactly names it ("0487 62 44 87" is
   Belgian, "04 87 62 44 87" French); otherwise a mobile reading beats a fixed line.
5. Numbers the regulators reserve for fiction are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType

# The exact national-prefix test of Leniency.VALID; phonenumbers keeps it private but ships it
# in its type stubs, and no public function answers the same question.
from phonenumbers.phonenumbermatcher import _is_national_prefix_present_if_required

from threadline.extract.base import ExtractStage, Found
from threadline.extract.deobfuscate import Deobfuscated, deobfuscate
from threadline.model import Ad, Span

KIND = "phone"
DEFAULT_REGION = "US"
"""Region used when the advert's place names no country we know."""

MIN_DIGITS = 7
MAX_DIGITS = 17
"""Digits in a candidate: E.164 allows 15 after the country code; "00" or a trunk prefix
may add two more."""

MAX_REGIONS = 5
MAX_SPLIT_READS = 100
"""Bound on the numbers tried inside one run that is not a number as a whole: a list of a
few phones needs a few dozen, a page of digits must not cost seconds."""

CONFIDENCE_INTERNATIONAL = 0.95
CONFIDENCE_HOME_REGION = 0.9
CONFIDENCE_OTHER_REGION_GROUPED = 0.8
CONFIDENCE_OTHER_REGION = 0.7
OBFUSCATION_PENALTY = 0.05
"""A reading through spelled words or look-alike letters involved a guess of ours."""

# --- Where the advert is: country names in en/es/fr/pt, a few cities, NANP subdivisions ---

_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("united states", "united states of america", "usa", "us", "u s a", "u s",
           "america", "estados unidos", "etats unis", "eeuu", "ee uu", "eua"),
    "CA": ("canada",),
    "GB": ("united kingdom", "uk", "u k", "great britain", "britain", "england", "scotland",
           "wales", "northern ireland", "reino unido", "royaume uni", "inglaterra",
           "angleterre", "escocia", "ecosse", "gales", "pays de galles"),
    "IE": ("ireland", "republic of ireland", "irlanda", "irlande", "eire"),
    "FR": ("france", "francia", "franca"),
    "BE": ("belgium", "belgica", "belgique", "belgie"),
    "CH": ("switzerland", "suiza", "suisse", "suica", "schweiz", "svizzera"),
    "LU": ("luxembourg", "luxemburgo"),
    "MC": ("monaco",),
    "ES": ("spain", "espana", "espagne", "espanha"),
    "PT": ("portugal",),
    "BR": ("brazil", "brasil", "bresil"),
    "MX": ("mexico", "mexique"),
    "CO": ("colombia", "colombie"),
    "AR": ("argentina", "argentine"),
    "CL": ("chile", "chili"),
    "PE": ("peru", "perou"),
    "VE": ("venezuela",),
    "EC": ("ecuador", "equateur", "equador"),
    "BO": ("bolivia", "bolivie"),
    "PY": ("paraguay", "paraguai"),
    "UY": ("uruguay", "uruguai"),
    "DO": ("dominican republic", "republica dominicana", "republique dominicaine"),
    "CU": ("cuba",),
    "GT": ("guatemala",),
    "HN": ("honduras",),
    "SV": ("el salvador",),
    "NI": ("nicaragua",),
    "CR": ("costa rica",),
    "PA": ("panama",),
    "DE": ("germany", "alemania", "allemagne", "alemanha", "deutschland"),
    "AT": ("austria", "autriche"),
    "IT": ("italy", "italia", "italie"),
    "NL": ("netherlands", "the netherlands", "holland", "paises bajos", "holanda", "pays bas",
           "paises baixos", "nederland"),
    "PL": ("poland", "polonia", "pologne"),
    "RO": ("romania", "rumania", "roumanie", "romenia"),
    "BG": ("bulgaria", "bulgarie"),
    "HU": ("hungary", "hungria", "hongrie"),
    "CZ": ("czech republic", "czechia", "republica checa", "tchequie"),
    "GR": ("greece", "grecia", "grece"),
    "UA": ("ukraine", "ucrania"),
    "RU": ("russia", "rusia", "russie"),
    "MD": ("moldova", "moldavia", "moldavie"),
    "AL": ("albania", "albanie"),
    "TR": ("turkey", "turkiye", "turquia", "turquie"),
    "MA": ("morocco", "marruecos", "maroc", "marrocos"),
    "DZ": ("algeria", "argelia", "algerie"),
    "TN": ("tunisia", "tunez", "tunisie"),
    "NG": ("nigeria",),
    "GH": ("ghana",),
    "SN": ("senegal",),
    "CI": ("ivory coast", "cote d ivoire", "costa de marfil", "costa do marfim"),
    "CM": ("cameroon", "cameroun", "camerun", "camaroes"),
    "AO": ("angola",),
    "MZ": ("mozambique", "mocambique"),
    "CV": ("cape verde", "cabo verde", "cap vert"),
    "ZA": ("south africa", "sudafrica", "afrique du sud", "africa do sul"),
    "AU": ("australia", "australie"),
    "NZ": ("new zealand", "nueva zelanda", "nouvelle zelande", "nova zelandia"),
    "TH": ("thailand", "tailandia", "thailande"),
    "PH": ("philippines", "filipinas"),
    "VN": ("vietnam", "viet nam"),
    "CN": ("china", "chine"),
    "IN": ("india", "inde"),
    "AE": ("united arab emirates", "uae", "emiratos arabes unidos", "emirats arabes unis",
           "dubai"),
}  # fmt: skip

_CITY_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("new york", "los angeles", "chicago", "houston", "phoenix", "philadelphia",
           "san antonio", "san diego", "dallas", "miami", "atlanta", "boston", "seattle",
           "denver", "las vegas", "orlando", "washington", "san francisco"),
    "CA": ("toronto", "montreal", "vancouver", "calgary", "edmonton", "ottawa", "winnipeg",
           "quebec", "quebec city", "hamilton", "gatineau", "laval"),
    "GB": ("london", "manchester", "birmingham", "leeds", "glasgow", "liverpool", "bristol",
           "edinburgh", "sheffield", "newcastle", "newcastle upon tyne", "nottingham",
           "cardiff", "belfast", "londres"),
    "IE": ("dublin", "cork", "galway", "limerick", "waterford"),
    "FR": ("paris", "marseille", "lyon", "toulouse", "nice", "nantes", "strasbourg",
           "montpellier", "bordeaux", "lille", "rennes", "grenoble"),
    "BE": ("brussels", "bruxelles", "bruselas", "bruxelas", "antwerp", "anvers", "liege",
           "charleroi", "namur", "ghent", "gand"),
    "CH": ("geneva", "geneve", "ginebra", "genebra", "zurich", "lausanne", "bern", "berne",
           "basel", "bale", "neuchatel", "fribourg"),
    "ES": ("madrid", "barcelona", "valencia", "seville", "sevilla", "zaragoza", "malaga",
           "murcia", "palma", "palma de mallorca", "bilbao", "alicante", "valladolid",
           "granada"),
    "PT": ("lisbon", "lisboa", "lisbonne", "porto", "coimbra", "braga", "faro", "aveiro",
           "setubal", "funchal"),
    "BR": ("sao paulo", "rio de janeiro", "brasilia", "salvador", "fortaleza",
           "belo horizonte", "curitiba", "recife", "porto alegre", "florianopolis"),
    "MX": ("mexico city", "ciudad de mexico", "cdmx", "guadalajara", "monterrey", "puebla",
           "tijuana", "leon", "cancun", "merida", "queretaro"),
    "CO": ("bogota", "medellin", "cali", "barranquilla", "cartagena"),
}  # fmt: skip

_NANP_SUBDIVISIONS = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY", "PR",
    "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
))  # fmt: skip
"""US states and Canadian provinces: "Denver, CO" is in the NANP, not Colombia (all NANP
numbers parse the same from either "US" or "CA")."""

_NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "US": ("CA", "MX"), "CA": ("US",), "MX": ("US", "CO"), "GB": ("IE",), "IE": ("GB",),
    "FR": ("BE", "CH"), "BE": ("FR", "NL"), "CH": ("FR",), "LU": ("FR", "BE"),
    "NL": ("BE",), "ES": ("PT", "FR"), "PT": ("ES", "BR"), "BR": ("PT",), "CO": ("VE", "EC"),
}  # fmt: skip
"""Where a poster's phone comes from when not from the advert's country: across a border, or
from the country the operation last worked in. Only plans that fix the length of a number
(and mostly require a trunk prefix) are listed as fallbacks: Luxembourg, Germany, Austria or
Italy accept so many digit strings that almost any price or reference reads as valid there."""

_LANGUAGE_REGIONS: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB", "IE", "CA", "AU"),
    "es": ("ES", "MX", "CO", "AR", "US"),
    "fr": ("FR", "BE", "CH", "CA"),
    "pt": ("PT", "BR"),
}
"""Countries whose adverts are written in a language, most posters first: an operation
moves along an itinerary where it can advertise in the same language."""


def _fold(name: str) -> str:
    """Lower case, accents and punctuation dropped: "États-Unis" -> "etats unis"."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _invert(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_fold(name): region for region, names in table.items() for name in names}


_COUNTRY_BY_NAME = _invert(_COUNTRY_NAMES)
_COUNTRY_BY_CITY = _invert(_CITY_NAMES)
_PLACE_PART_RE = re.compile(r"[,;|()\n]+| - ")


def region_for_place(place: str | None) -> str | None:
    """ISO region of a place text ("Lyon, France" -> "FR"), or None if we cannot tell.

    A country name wins, then a known city ("Bogota, CO" is Colombia), then a two-letter
    code: a US state or Canadian province ("Denver, CO"), else an ISO country code.
    """
    if not place:
        return None
    parts: list[str] = [p.strip() for p in _PLACE_PART_RE.split(place) if p.strip()]
    for part in reversed(parts):  # the country usually comes last
        region = _COUNTRY_BY_NAME.get(_fold(part))
        if region:
            return region
    for part in parts:
        region = _COUNTRY_BY_CITY.get(_fold(part))
        if region:
            return region
    for part in reversed(parts[1:]):
        if part in _NANP_SUBDIVISIONS:
            return "US"
        if len(part) == 2 and part.isupper() and part in phonenumbers.SUPPORTED_REGIONS:
            return part
    words = _fold(place).split()
    for size in (3, 2, 1):  # no separators: "Paris France", "near Dublin"
        for i in range(len(words) - size + 1):
            gram = " ".join(words[i : i + size])
            region = _COUNTRY_BY_NAME.get(gram) or _COUNTRY_BY_CITY.get(gram)
            if region:
                return region
    return None


@lru_cache(maxsize=4096)
def candidate_regions(
    place: str | None, language: str | None, default_region: str = DEFAULT_REGION
) -> tuple[str, ...]:
    """Regions to read a national number in, most likely first: the advert's own, then
    neighbours that share the advert's language, other countries of that language, and the
    remaining neighbours ("Tijuana": MX, then CO and ES before the US)."""
    home = region_for_place(place) or default_region
    neighbours = _NEIGHBOURS.get(home, ())
    same_language = _LANGUAGE_REGIONS.get((language or "").lower()[:2], ())
    near = [r for r in same_language if r in neighbours]
    ordered = [home, *near, *same_language, *neighbours]
    return tuple(dict.fromkeys(ordered))[:MAX_REGIONS]


# --- Numbers that are never real: reserved for fiction by the regulators ---

FICTITIOUS_NUMBERS: tuple[tuple[str, str], ...] = (
    # NANPA: 555-0100 to 555-0199 in every area code are reserved for fictional use.
    ("+1XXX55501XX", "NANPA fictitious 555-01XX"),
    # Ofcom, "Telephone numbers for use in TV and radio drama" (UK).
    ("+447700900XXX", "Ofcom drama: mobile 07700 900xxx"),
    ("+442079460XXX", "Ofcom drama: London 020 7946 0xxx"),
    ("+441134960XXX", "Ofcom drama: Leeds 0113 496 0xxx"),
    ("+441144960XXX", "Ofcom drama: Sheffield 0114 496 0xxx"),
    ("+441154960XXX", "Ofcom drama: Nottingham 0115 496 0xxx"),
    ("+441164960XXX", "Ofcom drama: Leicester 0116 496 0xxx"),
    ("+441174960XXX", "Ofcom drama: Bristol 0117 496 0xxx"),
    ("+441184960XXX", "Ofcom drama: Reading 0118 496 0xxx"),
    ("+441214960XXX", "Ofcom drama: Birmingham 0121 496 0xxx"),
    ("+441314960XXX", "Ofcom drama: Edinburgh 0131 496 0xxx"),
    ("+441414960XXX", "Ofcom drama: Glasgow 0141 496 0xxx"),
    ("+441514960XXX", "Ofcom drama: Liverpool 0151 496 0xxx"),
    ("+441614960XXX", "Ofcom drama: Manchester 0161 496 0xxx"),
    ("+441914980XXX", "Ofcom drama: Tyneside 0191 498 0xxx"),
    ("+442896496XXX", "Ofcom drama: Northern Ireland 028 9649 6xxx"),
    ("+442920180XXX", "Ofcom drama: Cardiff 029 2018 0xxx"),
    ("+441632960XXX", "Ofcom drama: no area 01632 960xxx"),
    ("+448081570XXX", "Ofcom drama: freephone 08081 570xxx"),
    ("+449098790XXX", "Ofcom drama: premium rate 0909 879 0xxx"),
    ("+443069990XXX", "Ofcom drama: UK-wide 03069 990xxx"),
    # ARCEP, decision 2018-0881 (plan national de numérotation): blocks for fiction.
    ("+3319900XXXX", "ARCEP fiction: 01 99 00 xx xx"),
    ("+3326191XXXX", "ARCEP fiction: 02 61 91 xx xx"),
    ("+3335301XXXX", "ARCEP fiction: 03 53 01 xx xx"),
    ("+3346571XXXX", "ARCEP fiction: 04 65 71 xx xx"),
    ("+3353649XXXX", "ARCEP fiction: 05 36 49 xx xx"),
    ("+3363998XXXX", "ARCEP fiction: 06 39 98 xx xx"),
    # Bundesnetzagentur, Mitteilung 148/2021 ("Drama Numbers", Germany).
    ("+493023125XXX", "BNetzA drama: Berlin 030 23125xxx"),
    ("+496990009XXX", "BNetzA drama: Frankfurt 069 90009xxx"),
    ("+494066969XXX", "BNetzA drama: Hamburg 040 66969xxx"),
    ("+492214710XXX", "BNetzA drama: Cologne 0221 4710xxx"),
    ("+498999998XXX", "BNetzA drama: Munich 089 99998xxx"),
    ("+4917139200XX", "BNetzA drama: mobile 0171 39200xx"),
    ("+49176040690XX", "BNetzA drama: mobile 0176 040690xx"),
)
"""E.164 patterns (X = any digit) of numbers set aside for films and fiction: they never ring,
so an advert printing one is a template or a test, not a contact."""

_FICTITIOUS_RE = re.compile(
    "|".join(re.escape(p).replace("X", r"\d") for p, _ in FICTITIOUS_NUMBERS)
)


def is_fictitious(e164: str) -> bool:
    return _FICTITIOUS_RE.fullmatch(e164) is not None


# --- Context that says a digit run is not a phone ---

_URL_OR_EMAIL_RE = re.compile(r"https?:|www\.|@|(?<![\w-])(?:[\w-]++\.)+[a-zA-Z]{2,}(?::\d+)?/")
"""Marks a whitespace-delimited word as a link or an address: a scheme, "www.", an "@", or a
host name followed by a path (tried at label starts only, possessively: linear on any word)."""
_HOST_PATH_RE = re.compile(r"\.[a-zA-Z]{2,}(?::\d+)?/")
"""Quick test for a link without a scheme anywhere in a text ("site.example/ad")."""
_WHATSAPP_RE = re.compile(
    r"(?:https?://)?(?:www\.)?(?i:wa\.me/|(?:api\.)?whatsapp\.com/send/?\?(?:[^\s&#]*&)*phone=)"
    r"\+?(\d{6,15})(?!\d)"
)
_REFERENCE_WORDS = frozenset((
    "ref", "réf", "reference", "référence", "referencia", "referência", "order", "orden",
    "commande", "pedido", "encomenda", "invoice", "facture", "factura", "fatura", "iban",
    "bic", "swift", "account", "acct", "compte", "cuenta", "conta", "card", "carte",
    "tarjeta", "cartão", "cartao", "tracking", "sku", "ticket", "id", "code", "código",
    "codigo", "zip", "postcode", "postal", "nif", "nie", "dni", "cpf", "cnpj", "siret",
    "siren", "vat", "tva", "lot", "serial", "série", "serie",
))  # fmt: skip
"""A word right before digits that makes them a reference, not a phone ("Ref 4481203")."""
_NUMBER_SIGNS = frozenset({"n", "no", "nº", "n°", "nr", "nro", "num", "number", "número"})
_WORD_PUNCTUATION = " \t\u00a0.:;,#=-()[]"
_IBAN_START_RE = re.compile(r"[A-Z]{2}\d{2}")
_CURRENCY = (
    r"[€$£¥₹₽]|(?i:r\$|us\$|eur|euros?|usd|gbp|chf|brl|reais|mxn|cop|cad|aud|pesos?|"
    r"dollars?|d[óo]lares|libras?|francs?)\b"
)
_CURRENCY_WORD_RE = re.compile(f"(?:{_CURRENCY})$")
_CURRENCY_AFTER_RE = re.compile(f"[ \u00a0]?(?:{_CURRENCY}|%)")
_AMOUNT_RE = re.compile(r"\d{1,3}(?:([.,  ])\d{3})(?:\1\d{3})*(?:[.,]\d{1,2})?")
_DATE_RE = re.compile(
    r"(?<![\d./-])(?:(\d{1,2})([./-])(\d{1,2})\2(?:\d{4}|\d{2})|\d{4}([./-])(\d{1,2})\4(\d{1,2}))"
    r"(?![\d]|[./-]\d)"
)
_GROUP_RE = re.compile(r"[0-9]+")
_DIGIT_RE = re.compile(r"[0-9]")
_GROUP_LENGTHS_RE = re.compile(r"9+")
_CONTEXT_CHARS = 40


def _is_date(match: re.Match[str]) -> bool:
    if match.group(1) is not None:
        day, month = int(match.group(1)), int(match.group(3))
        return (day <= 31 and 1 <= month <= 12) or (month <= 31 and 1 <= day <= 12)
    return 1 <= int(match.group(5)) <= 12 and 1 <= int(match.group(6)) <= 31


def _in_link_or_address(text: str, start: int, end: int) -> bool:
    """True if original ``[start, end)`` lies in a word that is a URL or an e-mail address
    (an id in a link path, "0612345678@mail.example", "wa.me/33612345678"): those digits
    belong to the url, email or WhatsApp readers, not to a written phone."""
    word_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    word_end = len(text)
    for separator in (" ", "\n"):
        found = text.find(separator, end)
        if 0 <= found < word_end:
            word_end = found
    return _URL_OR_EMAIL_RE.search(text, word_start, word_end) is not None


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _labelled_reference(text: str, start: int) -> bool:
    """True if a reference label, "#" or an IBAN's country code and check digits stand just
    before original offset ``start`` on its line ("Ref 4481203", "order #19283746",
    "Réf. n° 0612345678", "FR76 3000 6000 ...")."""
    before = text[max(0, start - _CONTEXT_CHARS) : start]
    before = before[before.rfind("\n") + 1 :].rstrip(" \t\u00a0")  # this line only
    if before.endswith("#"):
        return True
    words = [w for w in before.split() if w.strip(_WORD_PUNCTUATION)]  # "N° de commande :"
    if not words:
        return False
    label = words[-1].strip(_WORD_PUNCTUATION).lower()
    if label in _NUMBER_SIGNS and len(words) > 1:
        label = words[-2].strip(_WORD_PUNCTUATION).lower()
    return label in _REFERENCE_WORDS or _IBAN_START_RE.fullmatch(words[-1]) is not None


def _priced(text: str, start: int, end: int) -> bool:
    """True if original ``[start, end)`` is an amount: a currency or "%" right after it, or
    a currency opening digits shaped like an amount ("$ 1.500.000"). A currency before other
    digits, or closing an earlier price, says nothing: "150 € 7️⃣ 2️⃣ 3️⃣...", "70€ 910 370 086"."""
    if _CURRENCY_AFTER_RE.match(text, end):
        return True
    return _AMOUNT_RE.fullmatch(text, start, end) is not None and _currency_prefix(text, start)


def _currency_prefix(text: str, start: int) -> bool:
    """True if a currency is written just before original offset ``start`` as the prefix of
    an amount ("R$ 300", "$250", "£70"), not as the suffix of an earlier one ("150 € 7...")."""
    before = text[max(0, start - _CONTEXT_CHARS) : start]
    words = before[before.rfind("\n") + 1 :].split()
    if not words:
        return False
    currency = _CURRENCY_WORD_RE.search(words[-1])
    if currency is None:
        return False
    rest = words[-1][: currency.start()]
    if not rest and len(words) > 1:
        rest = words[-2]
    # "160.- CHF", "70€": the amount before the currency is the price, not what follows
    rest = rest.rstrip(".,-–")
    return not rest or not rest[-1].isdigit()


def _card_like(groups: list[str]) -> bool:
    """Payment-card shaped: 13-19 digits in groups of four (4-4-4-4, 4-4-4-4-3)."""
    digits = sum(map(len, groups))
    return 13 <= digits <= 19 and len(groups) >= 3 and all(len(g) == 4 for g in groups[:-1])


# --- Reading digits as a number ---


@dataclass(frozen=True, slots=True)
class Reading:
    """A valid phone number read from some digits."""

    e164: str
    country: str
    number: PhoneNumber = field(compare=False, repr=False)
    """The parsed number, kept for the (rarer, cached) format and type lookups."""


@lru_cache(maxsize=1 << 16)
def read_number(digits: str, region: str | None) -> Reading | None:
    """Read ASCII ``digits`` as a national number of ``region``, or as an international
    number (country code first) when ``region`` is None; None unless valid.

    Cached: operations print the same few numbers in thousands of adverts, and a
    phonenumbers parse plus validation costs ~25 µs.
    """
    try:
        text = digits if region else "+" + digits
        number = phonenumbers.parse(text, region, keep_raw_input=True)
        country = phonenumbers.region_code_for_number(number)
        if not country or not phonenumbers.is_valid_number_for_region(number, country):
            return None
        if region and not _is_national_prefix_present_if_required(number):
            return None
        return Reading(phonenumbers.format_number(number, PhoneNumberFormat.E164), country, number)
    except NumberParseException:
        return None
    except Exception:  # a library bug on one odd candidate must not lose the advert
        return None


@lru_cache(maxsize=1 << 14)
def _national_shape(reading: Reading) -> str:
    """The number's national format with digits as 9: "+32487861153" -> "9999 99 99 99"."""
    try:
        national = phonenumbers.format_number(reading.number, PhoneNumberFormat.NATIONAL)
    except Exception:  # defensive, as in read_number
        return ""
    return _DIGIT_RE.sub("9", national)


@lru_cache(maxsize=1 << 14)
def _is_mobile(reading: Reading) -> bool:
    return phonenumbers.number_type(reading.number) == PhoneNumberType.MOBILE


@lru_cache(maxsize=1 << 14)
def _is_fixed_line(reading: Reading) -> bool:
    return phonenumbers.number_type(reading.number) == PhoneNumberType.FIXED_LINE


class _Candidate(NamedTuple):
    """A number read from groups ``first..last`` of a segment (a tuple: made per candidate)."""

    e164: str
    country: str
    confidence: float
    first: int
    last: int


@dataclass(slots=True)
class _Segment:
    """Digit groups of one run (or of one part of it between dates), with what their
    surroundings say: a leading "+", the original text around each group."""

    deob: Deobfuscated
    spans: list[tuple[int, int]]
    """``[start, end)`` of each digit group in the normalised text."""
    groups: list[str]
    plus: int | None
    """Normalised offset of a "+" written just before the first group."""

    def original_span(self, first: int, last: int) -> tuple[int, int]:
        start = self.spans[first][0]
        if first == 0 and self.plus is not None:
            start = self.plus
        start, end = self.deob.original_span(start, self.spans[last][1])
        text = self.deob.original
        if start > 0 and text[start - 1] == "(" and ")" in text[start:end]:
            start -= 1  # "(61) 98426-9532": the area code's bracket belongs to the number
        return start, end

    def obfuscated(self, first: int, last: int) -> bool:
        return self.deob.changed(self.spans[first][0], self.spans[last][1])

    def shape(self, first: int, last: int) -> str:
        """The candidate as written, digits as 9 and "(" kept: "(99) 99999-9999"; empty when
        joining words separated the groups ("075 puis 312 puis 4451" has no format)."""
        deob = self.deob
        norm = deob.text
        if not deob.identity:
            for (_, end), (start, _) in zip(
                self.spans[first:last], self.spans[first + 1 : last + 1], strict=True
            ):
                o_start, o_end = deob.original_span(end, start)
                if norm[end:start] != deob.original[o_start:o_end]:
                    return ""
        start = self.spans[first][0]
        if start > 0 and norm[start - 1] == "(":
            start -= 1
        return _DIGIT_RE.sub("9", norm[start : self.spans[last][1]])

    def acceptable(self, first: int, last: int) -> bool:
        """The words just around the candidate do not make it a reference or a price (the
        words before the whole segment were checked once, in _phones_in_segment)."""
        start, end = self.original_span(first, last)
        text = self.deob.original
        if _priced(text, start, end):
            return False
        return first == 0 or not _labelled_reference(text, start)


def _read_groups(
    segment: _Segment, first: int, last: int, regions: tuple[str, ...]
) -> _Candidate | None:
    groups = segment.groups
    digits = "".join(groups[first : last + 1])
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS or not segment.acceptable(first, last):
        return None
    international = first == 0 and segment.plus is not None
    if international or digits.startswith("00"):
        reading = read_number(digits[2:] if digits.startswith("00") else digits, None)
        if reading is not None:
            return _Candidate(reading.e164, reading.country, CONFIDENCE_INTERNATIONAL, first, last)
        if international:
            return None
    return _read_national(segment, first, last, digits, regions)


def _read_national(
    segment: _Segment, first: int, last: int, digits: str, regions: tuple[str, ...]
) -> _Candidate | None:
    """The digits as a national number of the first region that accepts them, unless
    another candidate region explains the writing better.

    Posters move, so the digits may be valid in two countries (FR "04 87 62 44 87" and BE
    "0487 62 44 87"). When the groups as written do not fit the first reading's national
    format but match another country's format exactly (punctuation included), that country
    wins. Failing that, a mobile reading beats a fixed-line one: adverts give mobiles (calls,
    SMS, WhatsApp), rarely a landline.
    """
    first_valid: tuple[int, Reading] | None = None
    shape = segment.shape(first, last)
    for rank, region in enumerate(regions):
        reading = read_number(digits, region)
        if reading is None:
            continue
        if first_valid is None:
            if _same_groups(_national_shape(reading), shape):
                return _national(reading, rank, True, first, last)
            first_valid = (rank, reading)
            if len(shape) <= len(digits):
                break  # no grouping as written, so no other region to prefer
        elif _national_shape(reading) == shape:
            return _national(reading, rank, True, first, last)
    if first_valid is None:
        return None
    rank, reading = first_valid
    if _is_fixed_line(reading):
        for other_rank in range(rank + 1, len(regions)):
            other = read_number(digits, regions[other_rank])
            if other is not None and _is_mobile(other):
                return _national(other, other_rank, False, first, last)
    return _national(reading, rank, False, first, last)


def _same_groups(shape: str, written: str) -> bool:
    """Same digit-group lengths, whatever the punctuation: "(999) 999-9999" ~ "999 999 9999"."""
    return _GROUP_LENGTHS_RE.findall(shape) == _GROUP_LENGTHS_RE.findall(written)


def _national(reading: Reading, rank: int, grouped: bool, first: int, last: int) -> _Candidate:
    if rank == 0:
        confidence = CONFIDENCE_HOME_REGION
    elif grouped:
        confidence = CONFIDENCE_OTHER_REGION_GROUPED
    else:
        confidence = CONFIDENCE_OTHER_REGION
    return _Candidate(reading.e164, reading.country, confidence, first, last)


def _read_segment(segment: _Segment, regions: tuple[str, ...]) -> Iterator[_Candidate]:
    """The whole segment as one number, else the longest valid numbers from left to right
    (a run can hold two numbers, or a postcode and a number).

    Picking numbers out of a longer run is a guess, so those are read only as international
    or in the advert's own region; and a run that is a fictitious number as a whole (which
    phonenumbers often calls invalid) is not mined for smaller ones.
    """
    groups = segment.groups
    whole = _read_groups(segment, 0, len(groups) - 1, regions)
    if whole is not None:
        yield whole
        return
    if _fictitious_writing(segment, regions[0]):
        return
    regions = regions[:1]
    budget = MAX_SPLIT_READS
    first = 0
    while first < len(groups) and budget > 0:
        found = None
        last = first
        width = len(groups[first])
        while last + 1 < len(groups) and width + len(groups[last + 1]) <= MAX_DIGITS:
            last += 1
            width += len(groups[last])
        for end in range(last, first - 1, -1):
            if first == 0 and end == len(groups) - 1:
                continue  # the whole segment, already tried
            budget -= 1
            found = _read_groups(segment, first, end, regions)
            if found is not None or budget <= 0:
                break
        if found is None:
            first += 1
        else:
            yield found
            first = found.last + 1


def _fictitious_writing(segment: _Segment, home: str) -> bool:
    """True if the segment's digits, read without validation, fall in a fiction range."""
    digits = "".join(segment.groups)
    if len(digits) > MAX_DIGITS:
        return False
    international = segment.plus is not None or digits.startswith("00")
    text = "+" + digits.removeprefix("00") if international else digits
    try:
        number = phonenumbers.parse(text, None if international else home)
    except NumberParseException:
        return False
    return is_fictitious(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def _segments(
    deob: Deobfuscated, run_start: int, run_end: int, may_link: bool
) -> Iterator[_Segment]:
    """Digit groups of a run, cut where a date sits inside it ("12/03/2026 06 12 34 56 78")
    and without the groups that belong to a link or an address ("site.example/ad/1 06...")."""
    norm = deob.text
    spans = [m.span() for m in _GROUP_RE.finditer(norm, run_start, run_end)]
    dates = []
    if any(norm.find(c, run_start, run_end) >= 0 for c in "./-"):
        dates = [m.span() for m in _DATE_RE.finditer(norm, run_start, run_end) if _is_date(m)]
    parts: list[list[tuple[int, int]]] = [[]]
    for start, end in spans:
        if (dates and _overlaps(start, end, dates)) or (
            may_link and _in_link_or_address(deob.original, *deob.original_span(start, end))
        ):
            parts.append([])
        else:
            parts[-1].append((start, end))
    for part in parts:
        if len(part) > 1 and _currency_prefix(deob.original, deob.original_span(*part[0])[0]):
            part = part[1:]  # "1h R$ 300 2️⃣ 1️⃣ 9️⃣...": the first group is the price
        if sum(e - s for s, e in part) < MIN_DIGITS:
            continue
        groups = [norm[s:e] for s, e in part]
        yield _Segment(deob, part, groups, _plus_before(norm, part[0][0]))


def _plus_before(text: str, start: int) -> int | None:
    """Offset of a "+" written just before ``start`` ("+33", "+ 33", "(+33)"), if any."""
    i = start - 1
    if i >= 0 and text[i] == " ":
        i -= 1
    if i >= 0 and text[i] in "+\uff0b":
        return i
    return None


def _whatsapp_links(text: str) -> Iterator[Found]:
    """``wa.me/<digits>`` and ``api.whatsapp.com/send?phone=<digits>``: the digits are always
    international, without the "+"."""
    lowered = text.lower()
    if "wa.me" not in lowered and "whatsapp.com" not in lowered:
        return
    for m in _WHATSAPP_RE.finditer(text):
        reading = read_number(m.group(1), None)
        if reading is None or is_fictitious(reading.e164):
            continue
        attrs = {"country": reading.country, "via": "wa.me"}
        span = Span(m.start(), m.end())
        yield Found(KIND, reading.e164, m.group(), span, CONFIDENCE_INTERNATIONAL, attrs)


def find_phones(ad: Ad, default_region: str = DEFAULT_REGION) -> list[Found]:
    """Every phone number in the advert, in text order; a number written twice is found
    twice (two spans, one value)."""
    text = ad.text
    found = list(_whatsapp_links(text))
    regions = candidate_regions(ad.place, ad.language, default_region)
    deob = deobfuscate(text)
    may_link = (
        "@" in text or "://" in text or "www." in text or _HOST_PATH_RE.search(text) is not None
    )
    for run_start, run_end in deob.runs:
        if run_end - run_start < MIN_DIGITS:
            continue  # too short to hold a number: most runs are prices, ages, times
        for segment in _segments(deob, run_start, run_end, may_link):
            found.extend(_phones_in_segment(segment, regions))
    found.sort(key=lambda f: (f.span.start, f.span.end))
    return found


def _phones_in_segment(segment: _Segment, regions: tuple[str, ...]) -> Iterator[Found]:
    text = segment.deob.original
    start, _ = segment.original_span(0, len(segment.groups) - 1)
    if _card_like(segment.groups) or _labelled_reference(text, start):
        return  # a label before the run covers all of it, not just its first number
    for candidate in _read_segment(segment, regions):
        if is_fictitious(candidate.e164):
            continue
        start, end = segment.original_span(candidate.first, candidate.last)
        confidence = candidate.confidence
        if segment.obfuscated(candidate.first, candidate.last):
            confidence -= OBFUSCATION_PENALTY
        yield Found(
            KIND,
            candidate.e164,
            text[start:end],
            Span(start, end),
            round(confidence, 3),
            {"country": candidate.country},
        )


def find(ad: Ad) -> list[Found]:
    """The stage's finder: :func:`find_phones` with the default region."""
    return find_phones(ad)


STAGE = ExtractStage("extract.phone", 1, find)
