"""De-obfuscation: hidden digits become ASCII digit runs, ordinary words stay words, and every
span of the normalised text maps back to the exact original characters."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract.deobfuscate import NUMBER_WORDS, Deobfuscated, deobfuscate

RUN_CHARS = re.compile(r"[0-9 \t\u00a0\u202f.\-/()\u2010-\u2015]+")


def _runs(text: str) -> list[tuple[str, str]]:
    """Each run as (normalised, original) text."""
    deob = deobfuscate(text)
    out = []
    for start, end in deob.runs:
        o_start, o_end = deob.original_span(start, end)
        out.append((deob.text[start:end], text[o_start:o_end]))
    return out


def _digits(text: str) -> list[str]:
    return ["".join(c for c in norm if c.isdigit()) for norm, _ in _runs(text)]


# --- Each trick posters use ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        # spelled digits, in the four corpus languages, any case, mixed with digit groups
        ("six one two three four five six", "6123456"),
        ("SIX ONE TWO 3", "6123"),
        ("six oh two", "602"),
        ("zéro quatre neuf zéro neuf huit neuf trois deux six", "0490989326"),
        ("cero seis uno dos tres", "06123"),
        ("seis um 98426 9532", "61984269532"),
        ("um um nove nove zero quatro nove 9664", "11990499664"),
        ("07425 nine eight zero one one four", "07425980114"),
        ("Zéro Sept cinq", "075"),
        ("meia meia dois", "662"),
        # look-alike letters inside digit runs
        ("O85 686 394I", "0856863941"),
        ("(2O6) 479-2O77", "2064792077"),
        ("8l 873l I782", "8187311782"),
        ("o74o2 6o5987", "07402605987"),
        ("O487 86 II 53", "0487861153"),
        ("728 Oo 9O 26", "728009026"),
        ("(II) 984lO-I62I", "11984101621"),
        # emoji keycaps, with and without spaces, and fullwidth / other Unicode digits
        ("9️⃣ 3️⃣ 3️⃣ 9️⃣ 2️⃣", "93392"),
        ("4️⃣8️⃣ 9️⃣6️⃣4️⃣7️⃣8️⃣ 5️⃣0️⃣0️⃣7️⃣", "48964785007"),
        ("(６１３) ６７０-１８５５", "6136701855"),
        ("٠٦١٢٣٤٥٦٧٨", "0612345678"),
        ("①②③ ❶❷", "12312"),
        # mixed separators
        ("1196..75 / 3171/8", "11967531718"),
        ("320 . 570.956 1", "3205709561"),
        ("0770 - 93 - 0291 / 7", "07709302917"),
        # joining words between digit groups
        ("call 555 then 867 then 5309", "5558675309"),
        ("921 depois 716 depois 964", "921716964"),
        ("074 followed by 156 followed by 94712", "07415694712"),
        ("077 suivi de 986 suivi de 2794", "0779862794"),
        ("076 puis 149 puis 7772", "0761497772"),
        ("724 y después 203 y después 741", "724203741"),
        ("337 luego 342 luego 3522", "3373423522"),
        ("311 y 497 y 0720", "3114970720"),
        ("119 e 675 e 31718", "11967531718"),
        ("079 and then 747 and then 00343", "07974700343"),
    ],
)
def test_hidden_digits_become_one_run(text: str, digits: str) -> None:
    assert _digits(text) == [digits]


@pytest.mark.parametrize(
    "text",
    [
        "one night only",
        "I am new in town",
        "Olivia and Isla",
        "Ela tem um sorriso lindo, nove meses aqui",  # lone Portuguese number words
        "deux ou trois jours",
        "un massage",
        "Oh, and one more thing",
        "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
        "0x71C7656EC7ab88b098defB751B7401B5f6d8976F",
        "@ivy_club17 22ans 10h30 COVID19",
        "Intel i3, L2 cache",
    ],
)
def test_ordinary_words_are_not_digits(text: str) -> None:
    deob = deobfuscate(text)
    assert deob.text == text
    assert all(c.isdigit() for norm, _ in _runs(text) for c in norm if c.isalnum())


def test_a_lone_number_word_stays_but_a_pair_converts() -> None:
    assert deobfuscate("nove").text == "nove"
    assert deobfuscate("nove oito").text == "9 8"


def test_a_single_trailing_letter_is_a_word_but_a_pair_is_digits() -> None:
    assert _digits("12 34 56 I am") == ["123456"]
    assert _digits("O477 8l 8O ll") == ["0477818011"]


# --- The map back to the original ------------------------------------------------------------


def test_runs_map_back_to_the_exact_original_characters() -> None:
    text = "Call zéro six 12 34 56 78 or 6️⃣ 7️⃣ now, ref O85 686 394I."
    assert _runs(text) == [
        ("0 6 12 34 56 78", "zéro six 12 34 56 78"),
        ("6 7", "6️⃣ 7️⃣"),
        ("085 686 3941", "O85 686 394I"),
    ]


def test_a_span_inside_an_opaque_rewrite_covers_the_whole_rewrite() -> None:
    deob = deobfuscate("x six y")
    assert deob.text == "x six y"  # a lone word is left alone
    deob = deobfuscate("x six one y")
    start = deob.text.index("1")
    assert deob.original_span(start, start + 1) == (6, 9)  # "one"


def test_untouched_text_is_the_same_object() -> None:
    text = "Price 150 EUR, call 06 12 34 56 78"
    deob = deobfuscate(text)
    assert deob.identity
    assert deob.text is text
    assert deob.original_span(3, 9) == (3, 9)
    assert not deob.changed(0, len(text))


def test_empty_text() -> None:
    deob = deobfuscate("")
    assert deob.text == ""
    assert deob.runs == ()
    assert deob.original_span(0, 0) == (0, 0)


def test_number_words_cover_four_languages() -> None:
    for word in ("zero", "cero", "zéro", "um", "nove", "neuf", "nueve", "nine", "oh", "meia"):
        assert word in NUMBER_WORDS


# --- Properties ------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "6", "07", " ", ".", "-", "/", "(", ")", "six", "zéro", "um", "nove", "O", "o", "I",
        "l", "Il", "then", "puis", "e", "y", "and", "6️⃣", "\ufe0f", "\u20e3", "０", "①", "x",
        "Olivia", "\n", "+", "ſeis", "doſ", "K",
    ]
)  # fmt: skip
_TEXTS = st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=40).map("".join))


def _check(deob: Deobfuscated, text: str) -> None:
    assert deob.original == text
    previous_end = 0
    for start, end in deob.runs:
        assert previous_end <= start < end <= len(deob.text)
        previous_end = end
        o_start, o_end = deob.original_span(start, end)
        assert 0 <= o_start <= o_end <= len(text)
        assert RUN_CHARS.fullmatch(deob.text, start, end) or any(
            c.isalpha() for c in deob.text[start:end]
        )
    for start in range(0, len(deob.text) + 1, 7):
        for end in range(start, min(len(deob.text), start + 12) + 1, 5):
            o_start, o_end = deob.original_span(start, end)
            assert 0 <= o_start <= o_end <= len(text)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_never_raises_and_spans_stay_in_bounds(text: str) -> None:
    _check(deobfuscate(text), text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghjkmnpqrstuvwxyz ,;!?'\n", max_size=200))
def test_text_without_digit_lookalikes_is_untouched(text: str) -> None:
    deob = deobfuscate(text)
    assert deob.text == text
    assert deob.runs == ()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 9999), min_size=1, max_size=8), st.sampled_from(" .-/"))
def test_plain_digit_runs_are_kept_verbatim(numbers: list[int], separator: str) -> None:
    text = "call " + separator.join(map(str, numbers)) + " now"
    deob = deobfuscate(text)
    assert deob.text == text
    ((start, end),) = deob.runs
    assert deob.original_span(start, end) == (start, end)
