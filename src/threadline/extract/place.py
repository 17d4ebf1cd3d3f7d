"""Places named in an advert: cities (GeoNames, over 15,000 people) and countries.

Where an advert says it is, or where it sends people, links adverts of one operation (an
itinerary) and is an indicator in itself (a destination abroad). The gazetteer ships in
``data/places``: GeoNames' ``cities15000`` with selected alternate names ("Londres", "Lisboa")
and country names in English, Spanish, French and Portuguese from CLDR; the scripts beside
the files rebuild them. Nothing is fetched at run time.

Matching is one pass over the capitalised words of the text: a word that can start a name is
extended word by word through a dictionary of accent-folded names, and the longest name wins.
A name must be written capitalised ("Nice", "NICE", never "nice"). Names that are also common
words or given names ("Reading", "Victoria", "Santos"), and towns under ``SMALL_CITY`` people,
need a cue: a preposition before them ("in Reading", "à Nice", "em Santos"), their country
after them ("Nice, France"), or being the advert's own city (``ad.place``). A name written as
a person's ("Soy Carolina", "Alba (24)") is not a place.

A name shared by several places goes to the one in the advert's own country, else to a country
under its English name, else to a big city of that exact name, else to the most populous (see
``_rank``). Values are
``"Lyon, FR"`` for a city and ``"FR"`` for a country.
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Span

KIND = "place"
DATA_DIR = Path(__file__).parent / "data" / "places"
MAX_NAME_WORDS = 6
SMALL_CITY = 100_000
"""Towns smaller than this are found only with a cue: their names are mostly words or surnames
elsewhere ("Northwood", "Alba"), and adverts name the big city they work in."""
BIG_CITY = 100_000
"""A city this big, written under its own main name, wins over a country of the same name in
another language ("Granada" is Grenada in Spanish)."""
HOME_RATIO = 50
"""A homonym in the advert's own country wins unless the other is this many times bigger
("London" in a US advert is still London, GB)."""


def _fold_table() -> dict[int, str]:
    """Lower-case Latin letters without their diacritics, for one ``str.translate``."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != char:
            table[code] = base
    for char, base in {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d"}.items():
        table[ord(char)] = base
    for char, base in {"ı": "i", "ð": "d", "þ": "th", "’": "'"}.items():
        table[ord(char)] = base
    return table


FOLD = _fold_table()
WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Accent- and case-insensitive form: ``"Genève"`` -> ``"geneve"``."""
    lower = text.lower()
    return lower if lower.isascii() else lower.translate(FOLD)


def name_key(name: str) -> str:
    """Dictionary key of a name: folded words joined by one space (``"saint etienne"``)."""
    return " ".join(WORD.findall(fold(name)))


def _upper_class() -> str:
    """A regex class of the upper-case Latin letters (``re`` has no ``\\p{Lu}``)."""
    return "".join(re.escape(chr(c)) for c in range(0x41, 0x250) if chr(c).isupper())


# A capitalised word that is not the inside of a handle, an address, a URL or a longer word.
# (The look-behind comes after the first letter: tried at capitals only, it is twice as fast.)
CAPITALISED = re.compile(rf"[{_upper_class()}](?<![\w@/#.\-$].)\w*")
# The next word of a multi-word name: "New York", "Saint-Étienne", "Côte d'Ivoire", "St. Louis".
NEXT_WORD = re.compile(r"[ \t\-'’.]{1,2}(\w+)")
PREVIOUS_WORD = re.compile(r"(\w+)[\s'’]+$")
# After a name, these make it part of an address or a handle: "Paris.com", "Lyon@", "Nice_22".
GLUED_AFTER = re.compile(r"[@_]|\.\w|-\w")
COUNTRY_AFTER = re.compile(r"\s*[,(]\s*([^\W\d_][\w .'’-]{1,40})")
# A person's name, not a place: "Alba (24)", "Carolina, 22,", "Tara 21 ans" (on one line).
AGE_AFTER = re.compile(
    r"[ \t]*(?:\([ \t]*\d|,[ \t]*\d{2}(?=[ \t]*(?:[,)\-–—|]|$))|\d{2}[ \t]*(?:ans|años|anos|yo)\b)",
    re.MULTILINE,
)
# Words that introduce a person, just before a name: "Soy Carolina", "Ask for Victoria".
# Matched as endings of the folded text before the name (one C call, no regex search).
_PERSON_INTROS = """
    soy sou je_suis i'm i_am me_llamo je_m'appelle chamo-me my_name_is meu_nome_e ask_for
    demandez pregunta_por pergunte_por presenta presentamos apresenta apresentamos present
    introducing con avec com with
"""
PERSON_BEFORE = tuple(
    f"{sep}{intro.replace('_', ' ')}"
    for intro in (*_PERSON_INTROS.split(), "presenta a", "presentamos a", "sou a", "sou o")
    for sep in (" ", "\n", "\t")
)
COMPANY_AFTER = re.compile(
    rf"(?:[ \t]+[{_upper_class()}][\w.]*){{0,3}}?[ \t]+(?:&|ME\b|S\.A\.|S\.L\.|(?i:e filhos|et fils"
    r"|y asociados|ltda|ltd|llc|inc|plc|sas|sarl|gmbh|lda|unipessoal|group|grupo|groupe"
    r"|holdings|partners)\b)"
)

# Words before an ambiguous name that say a place follows ("in Reading", "à Nice", "em Santos").
_CUE_LIST = """
    in at near from to visiting around outside based arrived arriving moving
    a au aux en em no na nos nas dans pres vers depuis desde para hacia cerca perto chez sur
"""
CUES = frozenset(_CUE_LIST.split())


@dataclass(frozen=True, slots=True)
class Place:
    geonameid: int
    name: str
    country: str
    lat: float | None
    lon: float | None
    population: int
    is_country: bool

    @property
    def value(self) -> str:
        return self.country if self.is_country else f"{self.name}, {self.country}"


@dataclass(frozen=True, slots=True)
class Gazetteer:
    names: dict[str, tuple[Place, ...]]
    """Folded name key -> every place of that name, the default reading first."""
    prefixes: frozenset[str]
    """Every leading run of words of a name ("new", "new york"), to stop extending early."""
    capitals_only: frozenset[str]
    """Keys of names written in capitals only (USA, UK): "Usa" in Spanish is a verb."""


def _read_word_list() -> tuple[frozenset[str], frozenset[str]]:
    ambiguous: set[str] = set()
    never: set[str] = set()
    for line in (DATA_DIR / "ambiguous.txt").read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word.startswith("!"):
            never.add(name_key(word[1:]))
        elif word:
            ambiguous.add(name_key(word))
    return frozenset(ambiguous), frozenset(never)


AMBIGUOUS, NEVER = _read_word_list()


def _rank(place: Place, main_name: bool) -> tuple[int, int]:
    """Order of the readings of a shared name, best first: a country under its English name
    ("Armenia", not the Colombian city), then a big city under its own name ("Granada", not
    Grenada in Spanish), then a country in another language, then the most populous."""
    if place.is_country:
        return (0 if main_name else 2, 0)
    if main_name and place.population >= BIG_CITY:
        return (1, -place.population)
    return (3, -place.population)


@functools.cache
def gazetteer() -> Gazetteer:
    """Build the name index once, on first use (a few tenths of a second)."""
    index: dict[str, dict[int, tuple[tuple[int, int], Place]]] = {}
    capitals: dict[str, bool] = {}

    def add(name: str, place: Place, main_name: bool) -> None:
        key = name_key(name)
        if not key or key.count(" ") >= MAX_NAME_WORDS:
            return
        rank = _rank(place, main_name)
        entries = index.setdefault(key, {})
        if place.geonameid not in entries or rank < entries[place.geonameid][0]:
            entries[place.geonameid] = (rank, place)
        capitals[key] = capitals.get(key, True) and name.isupper()

    for line in (DATA_DIR / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        code, geonameid, language, name = line.split("\t")
        add(name, Place(int(geonameid), code, code, None, None, 0, True), language == "en")
    with gzip.open(DATA_DIR / "cities.tsv.gz", "rt", encoding="utf-8") as rows:
        for line in rows:
            if line.startswith("#"):
                continue
            gid, name, country, lat, lon, people, alternates = line.rstrip("\n").split("\t")
            city = Place(int(gid), name, country, float(lat), float(lon), int(people), False)
            add(name, city, True)
            for alternate in alternates.split("|") if alternates else ():
                add(alternate, city, False)
    names: dict[str, tuple[Place, ...]] = {}
    prefixes: set[str] = set()
    for key, entries in index.items():
        names[key] = tuple(place for _, place in sorted(entries.values(), key=lambda e: e[0]))
        words = key.split(" ")
        prefixes.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    caps = frozenset(key for key, upper in capitals.items() if upper)
    return Gazetteer(names, frozenset(prefixes), caps)


@functools.lru_cache(maxsize=4096)
def resolve_place_field(place: str | None) -> tuple[str | None, int | None]:
    """Country code and city geonameid of a place field ("Lyon, France", "Austin, TX, United
    States"), each None when unknown. Place fields repeat, hence the cache."""
    if not place:
        return None, None
    names = gazetteer().names
    parts = [key for key in (name_key(part) for part in place.split(",")) if key]
    country = None
    for part in reversed(parts):
        country = next((p.country for p in names.get(part, ()) if p.is_country), None)
        if country is not None:
            break
    city = None
    if parts:
        candidates = [p for p in names.get(parts[0], ()) if not p.is_country]
        if candidates:
            city = _choose(tuple(candidates), country)
            country = country or city.country
    return country, city.geonameid if city is not None else None


def country_of(place: str | None) -> str | None:
    """ISO code of the country of a free-text place field, if it can be told."""
    return resolve_place_field(place)[0]


def _choose(places: tuple[Place, ...], home: str | None) -> Place:
    best = places[0]
    if home is None or best.country == home:
        return best
    for place in places:
        if place.country == home and place.population * HOME_RATIO >= best.population:
            return place
    return best


def _cue_before(text: str, start: int) -> bool:
    before = PREVIOUS_WORD.search(text, max(0, start - 20), start)
    return before is not None and fold(before.group(1)) in CUES


def _country_after(text: str, end: int, places: tuple[Place, ...], gaz: Gazetteer) -> bool:
    after = COUNTRY_AFTER.match(text, end)
    if after is None:
        return False
    words = name_key(after.group(1)).split(" ")
    countries = {p.country for p in places}
    for n in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        named = gaz.names.get(" ".join(words[:n]), ())
        if any(p.is_country and p.country in countries for p in named):
            return True
    return False


def _reads_as_person(text: str, start: int, end: int) -> bool:
    if AGE_AFTER.match(text, end) or COMPANY_AFTER.match(text, end):
        return True
    before = " " + fold(text[max(0, start - 16) : start]).rstrip()
    return before.endswith(PERSON_BEFORE)


def _longest_name(text: str, key: str, end: int, gaz: Gazetteer) -> tuple[int, str] | None:
    """End offset and key of the longest name that starts with the word ``key`` (folded,
    ending at ``end``), if any."""
    best = (end, key) if key in gaz.names else None
    for _ in range(MAX_NAME_WORDS - 1):
        following = NEXT_WORD.match(text, end)
        if following is None:
            break
        longer = f"{key} {fold(following.group(1))}"
        if longer not in gaz.prefixes:
            break
        key, end = longer, following.end()
        if key in gaz.names:
            best = (end, key)
    return best


def _accept(
    text: str, start: int, end: int, key: str, gaz: Gazetteer, home: tuple[str | None, int | None]
) -> Place | None:
    """The place a matched name stands for here, or None if it reads as something else."""
    if key in NEVER or GLUED_AFTER.match(text, end):
        return None
    places = gaz.names[key]
    if key in gaz.capitals_only:
        if not text[start:end].isupper():
            return None
        places = tuple(p for p in places if p.is_country) or places
    place = _choose(places, home[0])
    if place.geonameid == home[1]:
        return place
    if _reads_as_person(text, start, end):
        return None
    small = not place.is_country and place.population < SMALL_CITY
    if (key in AMBIGUOUS or small) and not (
        _cue_before(text, start) or _country_after(text, end, places, gaz)
    ):
        return None
    return place


@functools.lru_cache(maxsize=8192)
def _attrs(place: Place) -> Mapping[str, str]:
    """A place's attributes, formatted once per place and shared read-only."""
    attrs = {"country": place.country, "geonameid": str(place.geonameid)}
    if place.lat is not None and place.lon is not None:
        attrs["lat"] = f"{place.lat:.5f}"
        attrs["lon"] = f"{place.lon:.5f}"
    return MappingProxyType(attrs)


def _found(text: str, start: int, end: int, key: str, place: Place) -> Found:
    sure = place.is_country or place.population >= BIG_CITY
    confidence = 0.9 if sure and key not in AMBIGUOUS else 0.75
    return Found(KIND, place.value, text[start:end], Span(start, end), confidence, _attrs(place))


def find_places(text: str, place_field: str | None = None) -> list[Found]:
    """Every place named in ``text``; ``place_field`` (the advert's own place) settles names
    shared by several places and vouches for its own city's name."""
    return list(_find_places(text, place_field))


# The price finder reads an advert's places too (to tell which dollar "$" is): the last few
# adverts' places are kept, so the pipeline works them out once. The results are immutable.
@functools.lru_cache(maxsize=64)
def _find_places(text: str, place_field: str | None) -> tuple[Found, ...]:
    gaz = gazetteer()
    try:
        home = resolve_place_field(place_field)
    except Exception:  # an odd place field must not cost the advert its places
        home = (None, None)
    found: list[Found] = []
    covered = 0
    prefixes = gaz.prefixes
    for match in CAPITALISED.finditer(text):
        # Most capitalised words start no name: reject them before any function call.
        word = match.group().lower()
        if word not in prefixes:
            if word.isascii():
                continue
            word = word.translate(FOLD)
            if word not in prefixes:
                continue
        start = match.start()
        if start < covered:
            continue
        try:
            hit = _longest_name(text, word, match.end(), gaz)
            if hit is None:
                continue
            end, key = hit
            place = _accept(text, start, end, key, gaz, home)
        except Exception:  # one odd candidate must not cost the advert its other places
            continue
        if place is not None:
            covered = end
            found.append(_found(text, start, end, key, place))
    return tuple(found)


def find(ad: Ad) -> list[Found]:
    """Places named in the advert's text, read in the light of its own place field."""
    return find_places(ad.text, ad.place)


STAGE = ExtractStage("extract.place", 1, find)
