"""The signing stage: each advert's linking signature, made when the advert is scanned.

Signing is per advert and pure, so it runs in the scan beside extraction (and on Dask
workers); linking, which must see all adverts at once, then reads only these compact records.
The stage signs a whole batch at once when the runner offers one (the MinHashes are computed
as one matrix), with the same result as one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from threadline.link.signatures import sign_doc, sign_docs
from threadline.model import Doc

SIGN_NAME, SIGN_VERSION = "link.sign", 1


@dataclass(frozen=True, slots=True)
class SignStage:
    """``link.sign@1``: the advert's template MinHash, blocking keys and the facts linking
    weighs."""

    name: str = SIGN_NAME
    version: int = SIGN_VERSION
    requires: frozenset[str] = frozenset({"ad", "identifiers"})
    assigns: frozenset[str] = frozenset({"signature"})

    def __call__(self, doc: Doc) -> Doc:
        signature = sign_doc(doc)
        return doc if signature is None else replace(doc, signature=signature)

    def batch(self, docs: Sequence[Doc]) -> list[Doc]:
        signed = sign_docs(docs)
        return [
            doc if sig is None else replace(doc, signature=sig)
            for doc, sig in zip(docs, signed, strict=True)
        ]


sign_advert = SignStage()


def link_stages() -> list[SignStage]:
    """The linking stages that run per advert, after extraction."""
    return [sign_advert]
