"""The signing stage: each advert's linking signature, made when the advert is scanned.

Signing is per advert and pure, so it runs in the scan beside extraction (and on Dask
workers); linking, which must see all adverts at once, then reads only these compact records.
"""

from __future__ import annotations

from dataclasses import replace

from threadline.link.signatures import sign_doc
from threadline.model import Doc
from threadline.pipeline import FunctionStage, stage

SIGN_NAME, SIGN_VERSION = "link.sign", 1


@stage(SIGN_NAME, SIGN_VERSION, requires=("ad", "identifiers"), assigns=("signature",))
def sign_advert(doc: Doc) -> Doc:
    """The advert's template MinHash, blocking keys and the facts linking weighs."""
    signature = sign_doc(doc)
    return doc if signature is None else replace(doc, signature=signature)


def link_stages() -> list[FunctionStage]:
    """The linking stages that run per advert, after extraction."""
    return [sign_advert]
