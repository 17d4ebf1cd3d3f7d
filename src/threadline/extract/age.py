"""Ages stated in an advert: "22 ans", "24 years old", "24yo", "tengo 23 años", "Sophie, 24,".

A stated age links adverts of one person across sites, and an age under 18 is one of the
strongest youth indicators there is, so ages from 12 up are kept (an advert never states an age
under 12 for the person it offers; such numbers are something else). Every two-digit number is
a candidate, read in its context, most certain reading first:

1. an age unit after it: "22 ans", "24 years old", "24yo", "24 y/o", "19yrs", "23 años";
2. an age cue before it: "age 24", "edad: 24", "I'm 24", "tengo 23";
3. a name before it, as adverts introduce people: "Sophie, 24,", "Carla (22)", "✨ Olivia 21".

A number that is a duration ("depuis 10 ans", "5 años de experiencia"), a limit ("mayores de 18
años", "over 18") or part of a range ("18-25 ans"), or that reads as a time, a date, a price or
a phone fragment ("24/7", "24h", "24€", "06 12 34"), is not an age. Values are the age in
years, ``"22"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Span

KIND = "age"
YOUNGEST = 12
OLDEST = 80
ATTRS: Mapping[str, str] = MappingProxyType({"unit": "years"})


def _words(text: str) -> list[str]:
    """A vocabulary written as text, one word (``_`` joining multi-word phrases) at a time."""
    return [word.replace("_", " ") for word in text.split()]


# Two digits, not part of a longer number. (The look-behind sits after the first digit so the
# scan jumps from digit to digit; at the start it would be tried at every character.)
TWO_DIGITS = re.compile(r"\d(?<!\d\d)\d(?!\d)")
# Glued before the number, these make it part of an amount, a time, a handle or a code.
GLUED_BEFORE = frozenset("0123456789.,:/$€£#+-_@*")

UNIT_AFTER = re.compile(
    r"""\s?-?\s?(?:
        years?[\s-]*old | yrs?[\s-]*old | y\.\s?o\.? | y/o | yo | yrs? | ans | años?
        (?:\s+reci[eé]n\s+cumplidos)? | a[nñ]itos | anos (?:\s+de\s+idade)? | aninhos
    )(?![\w/])""",
    re.IGNORECASE | re.VERBOSE,
)
CUE_BEFORE = re.compile(
    r"\b(?:age|aged|âge|edad|idade|i['’]?m|i\s+am|tengo|tenho|j['’]ai)\s*[:=]?\s*$",
    re.IGNORECASE,
)
# What may follow a bare age after a cue or a name; anything else (a unit of time, money,
# distance, a slash, a decimal) makes the number something else.
BARE_END = re.compile(
    r"""(?=\s*\)|\s*,(?!\d)|\s+[-–—|•·/]|\s*$|\s*[.!;](?!\d)|\s+(?:and|y|et|e|&)\s
        |\s+(?i:en|in|à|a|em|no|na|au)\s+[A-ZÀ-Ý]|\s+(?:ans|años|anos)\b)""",
    re.MULTILINE | re.VERBOSE,
)
_NAME = r"[A-ZÀ-ÖØ-Ý](?:[a-zß-öø-ÿ]+|[A-ZÀ-ÖØ-Ý]+)"
# "Sophie, 24", "I'm Eva, 22", "Carla (22)".
NAME_COMMA_BEFORE = re.compile(rf"(?<![\w'’])({_NAME})(?:,\s*|\s*\(\s*)$")
# "✨ Olivia 21", "NOVEDAD ✨ Laura 23 en Barcelona": a name opening a line or a segment.
NAME_OPENING_BEFORE = re.compile(rf"(?:^|[^\w\s,'’]\s?)({_NAME})\s$", re.MULTILINE)
# "Calle Mayor, 24", "Rue de la Paix, 24": the word before the "name" makes it a street.
WORD_BEFORE = re.compile(r"(\w+)\.?[ \t]+$")
STREET_WORDS = frozenset(
    _words(
        """
    calle c rue rua r avenida avda av avenue ave street st road rd plaza pza praça praca paseo
    travessa tv carrer boulevard bd blvd camino estrada largo alameda ronda via place allée
    allee chemin impasse quai cours lane drive way de del la las los el da do das dos du des
    of the
    """
    )
)
# A duration, a limit or the end of a range just before the number: not this person's age.
# Matched as word endings of the lower-cased text before the number (``str.endswith`` with a
# tuple is one C call; a regex search over the window cost more than all the rest together).
NOT_AN_AGE_BEFORE = tuple(
    " " + words
    for words in _words(
        """
    depuis pendant durant durante hace há ha for since over under above below plus_de moins_de
    más_de mas_de menos_de mais_de more_than less_than at_least au_moins al_menos pelo_menos
    minimum mínimo min max máximo maximum mayor_de mayores_de menor_de menores_de maior_de
    maiores_de majeur_de majeurs_de majeure_de majeures_de mineur_de mineurs_de the_age_of
    il_y_a entre between
    """
    )
) + tuple("+>≥<≤")
# "18-25 ans", "de 18 a 30 años", "18 to 25 years old": the second number ends a range.
RANGE_BEFORE = re.compile(r"\d\s*(?:-|–|à|a|y|et|e|to|and|ou|or|o)\s*$", re.IGNORECASE)
NOT_AN_AGE_AFTER = re.compile(
    r"""\s*(?:d['’]\s*exp|de\s+exp|of\s+exp|experience|ago|atrás|de\s+antig|de\s+garant
        |de\s+contrat|de\s+carrera|de\s+carreira|de\s+métier|de\s+servicio|de\s+serviço
        |in\s+business|en\s+el\s+sector|dans\s+le|no\s+ramo|et\s+plus|y\s+más|e\s+mais
        |or\s+older|and\s+(?:over|older|up)|ou\s+plus|o\s+más|ou\s+mais|\+)""",
    re.IGNORECASE | re.VERBOSE,
)
# Capitalised words that are followed by a number but are not names.
NOT_A_NAME = frozenset(
    _words(
        """
    january february march april may june july august september october november december
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre janvier février fevrier mars avril mai juin juillet août aout septembre octobre
    novembre décembre decembre janeiro fevereiro março marco maio junho julho setembro outubro
    novembro dezembro monday tuesday wednesday thursday friday saturday sunday lunes martes
    miércoles miercoles jueves viernes sábado sabado domingo lundi mardi mercredi jeudi
    vendredi samedi dimanche segunda terça terca quarta quinta sexta calle rue rua avenida
    avenue av street st road rd plaza praça praca piso planta apt apto room suite habitación
    habitacion quarto chambre hotel tel phone whatsapp telegram precio price prix preço preco
    tarifa tarifas rate rates hora horas hours heure heures page size talla taille tamanho cup
    code zip cp ref total no nº num number número numero zona zone km kg cm top level nivel
    niveau year years año años ans anos part parte partie step paso étape version edition
    studio estudio lote bloco bloque portal puerta porta escalera andar box linea línea line
    bus ruta route exit salida saida gate terminal dia día jour day
    """
    )
)


def _found(text: str, start: int, end: int, number: int, confidence: float) -> Found:
    return Found(KIND, str(number), text[start:end], Span(start, end), confidence, ATTRS)


def _named_age(text: str, start: int) -> bool:
    """Whether the bare number at ``start`` follows a name the way adverts introduce people."""
    window = max(0, start - 30)
    named = NAME_COMMA_BEFORE.search(text, window, start) or NAME_OPENING_BEFORE.search(
        text, window, start
    )
    if named is None or named.group(1).lower() in NOT_A_NAME:
        return False
    # "Calle Mayor, 24", "Rue de la Paix, 24": a street name and its number.
    street = WORD_BEFORE.search(text, max(0, named.start(1) - 20), named.start(1))
    return street is None or street.group(1).lower() not in STREET_WORDS


def _limit_or_range_before(text: str, start: int) -> bool:
    before = " " + text[max(0, start - 24) : start].lower().rstrip()
    return (
        before.endswith(NOT_AN_AGE_BEFORE)
        or RANGE_BEFORE.search(before, len(before) - 8) is not None
    )


def _read(text: str, start: int, end: int) -> Found | None:
    """The age the two digits at ``start`` state, if they state one. (The cheapest tests that
    turn most numbers away come first: phone groups, prices and times never reach the rest.)"""
    if start > 0 and text[start - 1] in GLUED_BEFORE:
        return None
    number = int(text[start:end])
    if not YOUNGEST <= number <= OLDEST:
        return None
    unit = UNIT_AFTER.match(text, end)
    if unit is not None:
        if NOT_AN_AGE_AFTER.match(text, unit.end()) or _limit_or_range_before(text, start):
            return None
        return _found(text, start, unit.end(), number, 0.9)
    if not BARE_END.match(text, end) or NOT_AN_AGE_AFTER.match(text, end):
        return None
    if _limit_or_range_before(text, start):
        return None
    cue = CUE_BEFORE.search(text, max(0, start - 16), start)
    if cue is not None:
        return _found(text, cue.start(), end, number, 0.85)
    if _named_age(text, start):
        # The span is the number alone: the name is context, not the age.
        return _found(text, start, end, number, 0.7)
    return None


def find_ages(text: str) -> list[Found]:
    """Every stated age in ``text``, each with its exact span."""
    found: list[Found] = []
    for match in TWO_DIGITS.finditer(text):
        try:
            age = _read(text, match.start(), match.end())
        except Exception:  # one odd candidate must not cost the advert its other ages
            continue
        if age is not None:
            found.append(age)
    return found


def find(ad: Ad) -> list[Found]:
    """Stated ages in the advert's text."""
    return find_ages(ad.text)


STAGE = ExtractStage("extract.age", 1, find)
