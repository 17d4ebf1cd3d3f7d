"""Template signatures and blocking: re-posts meet, strangers do not, hubs are set aside."""

from __future__ import annotations

import pytest

from threadline.extract import all_stages
from threadline.link.blocking import band_keys, block, identifier_keys
from threadline.link.signatures import NUM_PERM, SEED, Signature, shingles, sign, template_text
from threadline.model import Ad, Doc, Identifier

TEMPLATE = (
    "{name}, {age} - new in {city}\n\nSweet and friendly {name} has just arrived in {city}. "
    "Relaxing massage and pleasant company in a clean, discreet apartment. Incall only. "
    "{price} per hour. Call or text {phone}"
)
OTHER = (
    "Warehouse supervisor - Northgate Logistics\n\nNorthgate Logistics is hiring a warehouse "
    "supervisor in Leeds. Permanent contract, interviews at our office. Apply online."
)


def extracted(ad_id: str, text: str) -> tuple[Ad, tuple[Identifier, ...]]:
    title, _, body = text.partition("\n\n")
    doc = Doc(ad=Ad(id=ad_id, source="t", title=title, body=body, content_hash=ad_id))
    for stage in all_stages():
        doc = stage(doc)
    assert doc.ad is not None
    return doc.ad, doc.identifiers


def signed(ad_id: str, text: str) -> tuple[Signature, tuple[Identifier, ...]]:
    ad, found = extracted(ad_id, text)
    return sign(ad, found), found


def fill(name: str, age: int, city: str, price: int, phone: str) -> str:
    return TEMPLATE.format(name=name, age=age, city=city, price=f"{price} EUR", phone=phone)


def test_slots_are_masked_out_of_the_template() -> None:
    ad, found = extracted("a", fill("Anna", 22, "Lyon", 150, "+33 6 12 34 56 78"))
    template = template_text(ad.text, found)
    assert "⟨phone⟩" in template
    assert "⟨place⟩" in template
    assert "lyon" not in template
    assert "33 6 12" not in template
    assert template == template.lower()


def test_reposts_of_one_template_are_similar_and_strangers_are_not() -> None:
    first, _ = signed("a", fill("Anna", 22, "Lyon", 150, "+33 6 12 34 56 78"))
    repost, _ = signed("b", fill("Anna", 24, "Marseille", 180, "+33 7 81 22 43 90"))
    stranger, _ = signed("c", OTHER)
    assert first.similarity(repost) >= 0.8
    assert first.similarity(stranger) <= 0.1
    assert first.seed == SEED
    assert first.num_perm == NUM_PERM
    assert sign(*extracted("a", fill("Anna", 22, "Lyon", 150, "+33 6 12 34 56 78"))) == first


def test_short_or_empty_texts_compare_as_nothing() -> None:
    empty, _ = signed("e", "")
    assert empty.shingles == 0
    assert empty.similarity(empty) == 0.0
    assert band_keys(empty) == []
    assert shingles("two words") == {"two words"}


def test_signatures_with_other_settings_cannot_be_compared() -> None:
    one, _ = signed("a", OTHER)
    other = Signature("b", one.hashvalues, seed=SEED + 1, shingles=one.shingles)
    with pytest.raises(ValueError, match="different settings"):
        one.similarity(other)


def test_bands_pair_reposts_and_identifiers_pair_shared_phones() -> None:
    a, _ = signed("a", fill("Anna", 22, "Lyon", 150, "+33 6 12 34 56 78"))
    b, _ = signed("b", fill("Anna", 24, "Marseille", 180, "+33 7 81 22 43 90"))
    c, found_c = signed("c", OTHER + " Call +33 7 81 22 43 90")
    _, found_b = extracted("b", fill("Anna", 24, "Marseille", 180, "+33 7 81 22 43 90"))
    keys = {
        "a": band_keys(a),
        "b": band_keys(b) + identifier_keys(found_b),
        "c": band_keys(c) + identifier_keys(found_c),
    }
    blocks = block(keys)
    assert ("a", "b") in blocks.pairs
    assert all(k.startswith("band:") for k in blocks.pairs[("a", "b")])
    assert blocks.pairs[("b", "c")] == ["phone=+33781224390"]
    assert ("a", "c") not in blocks.pairs


def test_a_key_shared_by_too_many_adverts_is_a_hub_not_a_pair_factory() -> None:
    keys = {f"ad{n:03}": ["phone=+15550100", f"own={n}"] for n in range(300)}
    keys["ad000"].append("email=x@y.example")
    keys["ad001"].append("email=x@y.example")
    blocks = block(keys, max_bucket=50)
    assert blocks.hubs == {"phone=+15550100": 300}
    assert blocks.pairs == {("ad000", "ad001"): ["email=x@y.example"]}


def test_bands_must_fit_the_signature() -> None:
    one, _ = signed("a", OTHER)
    with pytest.raises(ValueError, match="permutations"):
        band_keys(one, bands=64, rows=4)


def test_names_inside_sentences_are_masked_as_a_slot() -> None:
    template = template_text("Sweet and friendly Anna has arrived. Call Maria on WhatsApp", [])
    assert template == "sweet and friendly ⟨name⟩ has arrived. call ⟨name⟩ on whatsapp"
