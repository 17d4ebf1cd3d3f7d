"""Countries and cities the synthetic posters live in and travel through.

Each city carries the name an advert would write (``local``, in the advert's language), the
English exonym the site puts in its ``place`` field, and, for the NANP and Brazil/Mexico where
the area code says where a phone belongs, the local area code. Travel groups keep itineraries
plausible: an operation moves between cities of countries that share a language and a border
or a flight route, not at random across the map.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class City:
    local: str
    english: str
    area: str
    """Geographic area code (national, without trunk prefix). Fixed lines always carry it;
    mobiles carry it only where the numbering plan does (NANP, Brazil, Mexico)."""


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    """ISO 3166 alpha-2, also the phonenumbers region."""
    english: str
    language: str
    currency: str
    cities: tuple[City, ...]
    weight: float
    """Share of the country's language's posters who live here."""


def _cities(*rows: tuple[str, ...]) -> tuple[City, ...]:
    return tuple(City(*row) for row in rows)


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        "United States",
        "en",
        "USD",
        _cities(
            ("New York", "New York, NY", "212"),
            ("Los Angeles", "Los Angeles, CA", "213"),
            ("Chicago", "Chicago, IL", "312"),
            ("Houston", "Houston, TX", "713"),
            ("Phoenix", "Phoenix, AZ", "602"),
            ("Philadelphia", "Philadelphia, PA", "215"),
            ("San Antonio", "San Antonio, TX", "210"),
            ("San Diego", "San Diego, CA", "619"),
            ("Dallas", "Dallas, TX", "214"),
            ("Miami", "Miami, FL", "305"),
            ("Atlanta", "Atlanta, GA", "404"),
            ("Las Vegas", "Las Vegas, NV", "702"),
            ("Seattle", "Seattle, WA", "206"),
            ("Denver", "Denver, CO", "303"),
            ("Boston", "Boston, MA", "617"),
            ("Orlando", "Orlando, FL", "407"),
        ),
        0.45,
    ),
    Country(
        "GB",
        "United Kingdom",
        "en",
        "GBP",
        _cities(
            ("London", "London", "20"),
            ("Manchester", "Manchester", "161"),
            ("Birmingham", "Birmingham", "121"),
            ("Leeds", "Leeds", "113"),
            ("Glasgow", "Glasgow", "141"),
            ("Liverpool", "Liverpool", "151"),
            ("Bristol", "Bristol", "117"),
            ("Edinburgh", "Edinburgh", "131"),
            ("Newcastle", "Newcastle upon Tyne", "191"),
            ("Sheffield", "Sheffield", "114"),
            ("Nottingham", "Nottingham", "115"),
            ("Cardiff", "Cardiff", "29"),
        ),
        0.35,
    ),
    Country(
        "CA",
        "Canada",
        "en",
        "CAD",
        _cities(
            ("Toronto", "Toronto, ON", "416"),
            ("Vancouver", "Vancouver, BC", "604"),
            ("Calgary", "Calgary, AB", "403"),
            ("Ottawa", "Ottawa, ON", "613"),
            ("Edmonton", "Edmonton, AB", "780"),
            ("Winnipeg", "Winnipeg, MB", "204"),
            ("Hamilton", "Hamilton, ON", "905"),
        ),
        0.12,
    ),
    Country(
        "IE",
        "Ireland",
        "en",
        "EUR",
        _cities(
            ("Dublin", "Dublin", "1"),
            ("Cork", "Cork", "21"),
            ("Galway", "Galway", "91"),
            ("Limerick", "Limerick", "61"),
        ),
        0.08,
    ),
    Country(
        "ES",
        "Spain",
        "es",
        "EUR",
        _cities(
            ("Madrid", "Madrid", "91"),
            ("Barcelona", "Barcelona", "93"),
            ("Valencia", "Valencia", "96"),
            ("Sevilla", "Seville", "954"),
            ("Zaragoza", "Zaragoza", "976"),
            ("Málaga", "Malaga", "952"),
            ("Bilbao", "Bilbao", "944"),
            ("Alicante", "Alicante", "965"),
            ("Murcia", "Murcia", "968"),
            ("Palma", "Palma de Mallorca", "971"),
            ("Granada", "Granada", "958"),
            ("Valladolid", "Valladolid", "983"),
        ),
        0.5,
    ),
    Country(
        "MX",
        "Mexico",
        "es",
        "MXN",
        _cities(
            ("Ciudad de México", "Mexico City", "55"),
            ("Guadalajara", "Guadalajara", "33"),
            ("Monterrey", "Monterrey", "81"),
            ("Puebla", "Puebla", "222"),
            ("Tijuana", "Tijuana", "664"),
            ("Cancún", "Cancun", "998"),
            ("Mérida", "Merida", "999"),
            ("León", "Leon", "477"),
            ("Querétaro", "Queretaro", "442"),
        ),
        0.3,
    ),
    Country(
        "CO",
        "Colombia",
        "es",
        "COP",
        _cities(
            ("Bogotá", "Bogota", "601"),
            ("Medellín", "Medellin", "604"),
            ("Cali", "Cali", "602"),
            ("Barranquilla", "Barranquilla", "605"),
            ("Cartagena", "Cartagena", "605"),
        ),
        0.2,
    ),
    Country(
        "FR",
        "France",
        "fr",
        "EUR",
        _cities(
            ("Paris", "Paris", "1"),
            ("Lyon", "Lyon", "4"),
            ("Marseille", "Marseille", "4"),
            ("Toulouse", "Toulouse", "5"),
            ("Nice", "Nice", "4"),
            ("Nantes", "Nantes", "2"),
            ("Strasbourg", "Strasbourg", "3"),
            ("Montpellier", "Montpellier", "4"),
            ("Bordeaux", "Bordeaux", "5"),
            ("Lille", "Lille", "3"),
            ("Rennes", "Rennes", "2"),
            ("Grenoble", "Grenoble", "4"),
        ),
        0.6,
    ),
    Country(
        "BE",
        "Belgium",
        "fr",
        "EUR",
        _cities(
            ("Bruxelles", "Brussels", "2"),
            ("Liège", "Liege", "4"),
            ("Charleroi", "Charleroi", "71"),
            ("Namur", "Namur", "81"),
        ),
        0.15,
    ),
    Country(
        "CH",
        "Switzerland",
        "fr",
        "CHF",
        _cities(
            ("Genève", "Geneva", "22"),
            ("Lausanne", "Lausanne", "21"),
            ("Neuchâtel", "Neuchatel", "32"),
            ("Fribourg", "Fribourg", "26"),
        ),
        0.1,
    ),
    Country(
        "CA-fr",
        "Canada",
        "fr",
        "CAD",
        _cities(
            ("Montréal", "Montreal, QC", "514"),
            ("Québec", "Quebec City, QC", "418"),
            ("Gatineau", "Gatineau, QC", "819"),
            ("Laval", "Laval, QC", "450"),
        ),
        0.15,
    ),
    Country(
        "PT",
        "Portugal",
        "pt",
        "EUR",
        _cities(
            ("Lisboa", "Lisbon", "21"),
            ("Porto", "Porto", "22"),
            ("Braga", "Braga", "253"),
            ("Coimbra", "Coimbra", "239"),
            ("Faro", "Faro", "289"),
            ("Funchal", "Funchal", "291"),
            ("Aveiro", "Aveiro", "234"),
            ("Setúbal", "Setubal", "265"),
        ),
        0.45,
    ),
    Country(
        "BR",
        "Brazil",
        "pt",
        "BRL",
        _cities(
            ("São Paulo", "Sao Paulo", "11"),
            ("Rio de Janeiro", "Rio de Janeiro", "21"),
            ("Belo Horizonte", "Belo Horizonte", "31"),
            ("Brasília", "Brasilia", "61"),
            ("Salvador", "Salvador", "71"),
            ("Curitiba", "Curitiba", "41"),
            ("Recife", "Recife", "81"),
            ("Porto Alegre", "Porto Alegre", "51"),
            ("Fortaleza", "Fortaleza", "85"),
            ("Florianópolis", "Florianopolis", "48"),
        ),
        0.55,
    ),
)

BY_CODE: dict[str, Country] = {c.code: c for c in COUNTRIES}

LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "pt")
LANGUAGE_WEIGHTS: tuple[float, ...] = (0.4, 0.25, 0.2, 0.15)

TRAVEL_GROUPS: dict[str, tuple[str, ...]] = {
    # Countries an operation based in the key country may also work in.
    "US": ("US", "CA"),
    "CA": ("CA", "US"),
    "GB": ("GB", "IE"),
    "IE": ("IE", "GB"),
    "ES": ("ES",),
    "MX": ("MX",),
    "CO": ("CO", "MX"),
    "FR": ("FR", "BE", "CH"),
    "BE": ("BE", "FR"),
    "CH": ("CH", "FR"),
    "CA-fr": ("CA-fr",),
    "PT": ("PT",),
    "BR": ("BR",),
}


def phone_region(country: Country) -> str:
    """The phonenumbers region of a country entry (French-speaking Canada is still CA)."""
    return country.code.split("-", 1)[0]


def countries_for(language: str) -> tuple[Country, ...]:
    return tuple(c for c in COUNTRIES if c.language == language)


def place_name(city: City, country: Country) -> str:
    return f"{city.english}, {country.english}"
