"""Linking adverts into the operations behind them, in public steps (issue 5, in progress).

Built so far, each usable alone:

- :mod:`~threadline.link.signatures`: a template MinHash per advert, slots masked;
- :mod:`~threadline.link.blocking`: candidate pairs from LSH bands and shared identifiers,
  with hub keys (shared by too many adverts) set aside;
- :mod:`~threadline.link.scoring`: scored links with their evidence, and operations as
  connected components of the strong links; ``threadline link FILE`` runs all three.

Not yet: masking of personal names, image hashes, writing style, community detection inside
large components, ranking, judgements, incremental linking, the store and its commands.
"""
