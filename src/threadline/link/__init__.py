"""Linking adverts into the operations behind them, in public steps (issue 5, in progress).

Built so far: :mod:`~threadline.link.signatures` (template MinHash per advert) and
:mod:`~threadline.link.blocking` (candidate pairs from LSH bands and shared identifiers, with
hub keys set aside). Scoring, clustering, ranking and the commands come next.
"""
