"""Linking adverts into the operations behind them, in public steps (issue 5).

Each step usable alone (method and figures in ``docs/linking.md``):

- :mod:`~threadline.link.signatures`: :func:`sign_doc` / :func:`sign_docs` make the compact
  per-advert record (:class:`~threadline.model.LinkSignature`: template MinHash with slots
  masked, identifier, wording and picture keys, writing style, picture hashes);
- :mod:`~threadline.link.sharing`: every shared key judged evidence or a shared line (hub), by
  how the adverts sharing it spread in time (:class:`Sharing`, :class:`KeyVerdict`);
- :mod:`~threadline.link.scoring`: candidate pairs and scored links with their evidence
  (:func:`score_signatures` for one pair, :func:`link_signatures` for a whole set);
- :mod:`~threadline.link.pictures`: near copies of a picture made one key;
- :mod:`~threadline.link.clusters`: operations from the strong links, glued groups split;
- :mod:`~threadline.link.ranking`, :mod:`~threadline.link.judgements`: the triage order, and
  analysts' judgements as a run applies them;
- :mod:`~threadline.link.blocking`: identifier keys (business service lines apart);
- :mod:`~threadline.link.images`, :mod:`~threadline.link.style`: PDQ picture hashes and the
  writing-style vector.

Over the store: :mod:`threadline.linking` (full and incremental runs).
"""

from threadline.link.clusters import operations
from threadline.link.scoring import (
    LINK_THRESHOLD,
    Linked,
    link_docs,
    link_signatures,
    score_signatures,
)
from threadline.link.sharing import KeyVerdict, Sharing
from threadline.link.signatures import sign_doc, sign_docs, similarity

__all__ = [
    "LINK_THRESHOLD",
    "KeyVerdict",
    "Linked",
    "Sharing",
    "link_docs",
    "link_signatures",
    "operations",
    "score_signatures",
    "sign_doc",
    "sign_docs",
    "similarity",
]
