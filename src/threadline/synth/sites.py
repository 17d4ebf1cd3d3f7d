"""The fictitious sites adverts are captured from, and the shared hotlines that trap naive linking.

Every host is under ``.example`` or ``.test`` (RFC 2606), so no generated URL can point at a real
site. Hotlines are numbers many unrelated posters print: a job board's helpdesk, a booking
line used by independent workers and operations alike. Linking adverts on such a number alone
would merge strangers, which is exactly what the benchmark must punish.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.synth.phones import Phone


@dataclass(frozen=True, slots=True)
class Site:
    key: str
    host: str
    path: str
    """URL path pattern with ``{lang}``, ``{city}``, ``{slug}`` and ``{n}``."""

    @property
    def source(self) -> str:
        return f"synth/{self.key}"

    @property
    def is_job_board(self) -> bool:
        return self.key.startswith("jobboard")


SITES: dict[str, Site] = {
    s.key: s
    for s in (
        Site("classifieds-a", "classifieds-a.example", "{lang}/{city}/ad/{n}"),
        Site("classifieds-b", "anuncios-b.test", "anuncio/{n}-{city}"),
        Site("companions-a", "companions-a.example", "profile/{slug}-{n}"),
        Site("jobboard-a", "jobboard-a.example", "jobs/{city}/{n}"),
        Site("jobboard-b", "empleos-b.test", "oferta/{n}"),
        Site("forum-c", "forum-c.test", "t/{slug}.{n}"),
    )
}

SITES_BY_KIND: dict[str, tuple[str, ...]] = {
    "adult_services": ("companions-a", "classifieds-a", "classifieds-b"),
    "legit_job": ("jobboard-a", "jobboard-b", "classifieds-a"),
    "labour_lure": ("classifieds-a", "classifieds-b", "jobboard-b", "forum-c", "jobboard-a"),
    "sexual_lure": ("classifieds-b", "jobboard-a", "forum-c", "classifieds-a"),
}

# Hotlines go first to the countries with the most adverts, alternating their two kinds.
HOTLINE_PLAN: tuple[tuple[str, str], ...] = (
    ("jobline", "GB"),
    ("booking", "US"),
    ("jobline", "FR"),
    ("booking", "ES"),
    ("jobline", "BR"),
    ("booking", "GB"),
    ("jobline", "US"),
    ("booking", "FR"),
    ("jobline", "ES"),
    ("booking", "BR"),
    ("jobline", "MX"),
    ("booking", "PT"),
    ("jobline", "PT"),
    ("booking", "MX"),
    ("jobline", "CA"),
    ("booking", "CA"),
)


@dataclass(frozen=True, slots=True)
class Hotline:
    id: str
    kind: str
    """``jobline`` (printed in job-board adverts) or ``booking`` (in adult listings)."""
    country: str
    phone: Phone
