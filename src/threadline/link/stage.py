"""The signing stage: each advert's linking signature, made when the advert is scanned.

Signing is per advert and pure, so it runs in the scan beside extraction (and on Dask
workers); linking, which must see all adverts at once, then reads only these compact records.
The stage signs a whole batch at once when the runner offers one (the MinHashes are computed
as one matrix), with the same result as one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from threadline.link.signatures import sign_doc, sign_docs
from threadline.model import Doc

SIGN_NAME, SIGN_VERSION = "link.sign", 1


@dataclass(frozen=True, slots=True)
class SignStage:
    """``link.sign@1``: the advert's template MinHash, writing style, picture hashes, blocking
    keys and the facts linking weighs. Pictures are hashed only when they are local files
    under ``image_root`` (nothing is ever downloaded)."""

    name: str = SIGN_NAME
    version: int = SIGN_VERSION
    requires: frozenset[str] = frozenset({"ad", "identifiers"})
    assigns: frozenset[str] = frozenset({"signature"})
    image_root: Path | None = None

    def __call__(self, doc: Doc) -> Doc:
        signature = sign_doc(doc, image_root=self.image_root)
        return doc if signature is None else replace(doc, signature=signature)

    def batch(self, docs: Sequence[Doc]) -> list[Doc]:
        signed = sign_docs(docs, image_root=self.image_root)
        return [
            doc if sig is None else replace(doc, signature=sig)
            for doc, sig in zip(docs, signed, strict=True)
        ]


sign_advert = SignStage()


def link_stages(image_root: Path | None = None) -> list[SignStage]:
    """The linking stages that run per advert, after extraction."""
    return [sign_advert if image_root is None else SignStage(image_root=image_root)]
