"""Template signatures and blocking: re-posts meet, strangers do not, hubs are set aside."""

from __future__ import annotations

import hashlib

import numpy as np

from threadline.extract import all_stages
from threadline.link.signatures import (
    NUM_PERM,
    SETTINGS,
    minhash_values,
    names_in,
    shingle_hashes,
    shingles,
    sign_doc,
    sign_docs,
    similarity,
    template_text,
    wording_key,
)
from threadline.model import Ad, Doc, Identifier, LinkSignature, Span

TEMPLATE = (
    "{name}, {age} - new in {city}\n\nSweet and friendly {name} has just arrived in {city}. "
    "Relaxing massage and pleasant company in a clean, discreet apartment. Incall only. "
    "{price} per hour. Call or text {phone}"
)
OTHER = (
    "Warehouse supervisor - Northgate Logistics\n\nNorthgate Logistics is hiring a warehouse "
    "supervisor in Leeds. Permanent contract, interviews at our office. Apply online."
)


def extracted(ad_id: str, text: str) -> Doc:
    title, _, body = text.partition("\n\n")
    doc = Doc(ad=Ad(id=ad_id, source="t", title=title, body=body, content_hash=ad_id))
    for stage in all_stages():
        doc = stage(doc)
    assert doc.ad is not None
    return doc


def signed(ad_id: str, text: str) -> LinkSignature:
    sig = sign_doc(extracted(ad_id, text))
    assert sig is not None
    return sig


def fill(name: str, age: int, city: str, price: int, phone: str) -> str:
    return TEMPLATE.format(name=name, age=age, city=city, price=f"{price} EUR", phone=phone)


def test_slots_are_masked_out_of_the_template() -> None:
    doc = extracted("a", fill("Anna", 22, "Lyon", 150, "+33 6 12 34 56 78"))
    assert doc.ad is not None
    template = template_text(doc.ad.text, doc.identifiers)
    assert "⟨phone⟩" in template
    assert "⟨place⟩" in template
    assert "lyon" not in template
    assert "33 6 12" not in template
    assert template == template.lower()


def test_reposts_of_one_template_are_similar_and_strangers_are_not() -> None:
    first = signed("a", fill("Anna", 22, "Lyon", 150, "+33 6 12 34 56 78"))
    repost = signed("b", fill("Maria", 24, "Marseille", 180, "+33 7 81 22 43 90"))
    stranger = signed("c", OTHER)
    assert similarity(first, repost) >= 0.8
    assert similarity(first, stranger) <= 0.1
    assert first.settings == SETTINGS
    assert len(first.minhash) == NUM_PERM * 4
    again = signed("a", fill("Anna", 22, "Lyon", 150, "+33 6 12 34 56 78"))
    assert again == first


def test_batch_signing_gives_the_same_records_as_one_by_one() -> None:
    docs = [
        extracted("a", fill("Anna", 22, "Lyon", 150, "+33 6 12 34 56 78")),
        Doc(),
        extracted("e", ""),
        extracted("c", OTHER),
    ]
    assert sign_docs(docs, batch=2) == [sign_doc(d) for d in docs]
    assert sign_docs(docs)[1] is None


def test_the_minhash_estimates_jaccard_similarity() -> None:
    words = [f"w{n}" for n in range(300)]
    first = set(shingle_hashes(words[:200]))
    second = set(shingle_hashes(words[100:]))
    jaccard = len(first & second) / len(first | second)
    estimate = float(np.mean(minhash_values(list(first)) == minhash_values(list(second))))
    assert abs(estimate - jaccard) < 0.12
    # a shingle's hash depends on its words in order, not on where it stands
    assert shingle_hashes(["a", "b", "c"]) == shingle_hashes(["x", "a", "b", "c"])[1:]
    assert shingle_hashes(["a", "b", "c"]) != shingle_hashes(["c", "b", "a"])
    # words are hashed with SHA-1 (first 4 bytes, little-endian): stable across processes
    digest = hashlib.sha1(b"a").digest()
    assert shingle_hashes(["a"], size=1) == [
        (int.from_bytes(digest[:4], "little") * 0x9E3779B1) & 0xFFFFFFFF
    ]


def test_short_or_empty_texts_compare_as_nothing() -> None:
    empty = signed("e", "")
    assert empty.shingles == 0
    assert empty.minhash == b""
    assert similarity(empty, empty) == 0.0
    assert shingles("two words") == {"two words"}
    assert signed("s", "Hello").shingles == 1


def test_the_wording_key_ignores_how_contacts_and_figures_are_written_but_not_the_words() -> None:
    base = "Obras na Europa - {price}\n\nGanhe {price}, pago em dinheiro. {contact}"
    one = extracted("a", base.format(price="6.000 CAD/mês", contact="WhatsApp +55 31 99492-0343"))
    two = extracted(
        "b", base.format(price="CA$6000/mês", contact="WhatsApp https://wa.me/5531973333539")
    )
    other_pay = extracted("c", base.format(price="4.000 CAD/mês", contact="+55 31 99492-0343"))
    emoji = extracted("d", "⭐ " + base.format(price="6.000 CAD/mês", contact="+55 31 99492-0343"))
    key = [wording_key(d.ad.text, d.identifiers) for d in (one, two, other_pay, emoji) if d.ad]
    assert key[0].startswith("wording=")
    assert key[0] == key[1]
    assert key[2] != key[0]
    assert key[3] != key[0]


def test_names_inside_sentences_are_masked_as_a_slot() -> None:
    text = "Sweet and friendly Anna has arrived. Call Maria on WhatsApp"
    template = " ".join(template_text(text, []).split())
    assert template == "sweet and friendly ⟨name⟩ has arrived. call ⟨name⟩ on whatsapp"
    assert names_in(text) == ["Anna", "Maria"]


def test_identifiers_under_a_masked_span_are_not_masked_twice() -> None:
    found = (Identifier("x", "url", "https://x.example/Anna", "x", Span(5, 27), 1.0, "t@1"),)
    text = "Site https://x.example/Anna now"
    assert template_text(text, found).split() == ["site", "⟨url⟩", "now"]
