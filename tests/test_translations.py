"""Every interface message is translated into Estonian and Ukrainian; the catalogs are current."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ROOT / "lms" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog(language: str):
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=language)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages in the code right now, extracted afresh."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "N_", "-o", str(pot), "lms"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with open(pot, "rb") as handle:
        return {message.id if isinstance(message.id, str) else message.id[0]
                for message in read_po(handle) if message.id}  # fmt: skip


@pytest.mark.parametrize("language", ["et", "uk"])
def test_catalog_has_every_message_of_the_code(extracted, language):
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(language) if m.id}
    missing = sorted(extracted - known)
    assert not missing, f"run `make extract-messages` and translate: {missing[:5]}"


@pytest.mark.parametrize("language", ["et", "uk"])
def test_every_message_is_translated(language):
    problems = []
    for message in _catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        source = message.id if isinstance(message.id, str) else message.id[-1]
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {source!r}")
        elif any(set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(source)) for s in strings):
            problems.append(f"placeholders differ: {source!r}")
    assert not problems, f"{language}: " + "; ".join(problems[:10])


def test_pages_are_served_in_the_chosen_language(client):
    client.post("/language", data={"language": "et", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="et">' in page
    translated = _catalog("et").get("Log in to Tugi").string
    assert translated and translated != "Log in to Tugi" and translated in page


# The Ukrainian catalog addresses the reader politely with a capital letter (Ви, Вас, Ваш...), as
# nearly all of its messages do; a lower-case form beside them reads as a slip.
LOWER_CASE_YOU = re.compile(r"(?<![\w’'])(ви|вас|вам|вами|ваш\w*)(?!\w)")


def test_ukrainian_addresses_the_reader_with_a_capital_letter():
    slips = []
    for message in _catalog("uk"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        slips += [s for s in strings if s and LOWER_CASE_YOU.search(s)]
    assert not slips, "write Ви, Вас, Вам, Ваш…: " + "; ".join(slips[:5])


# docs/glossary.md, the words a catalog must not use: each pattern names the word to write instead.
AVOIDED = {
    "et": {
        r"(?i)õppetun[dn]": "õppetükk (tund is also an hour)",
        r"(?i)(?<!lõpetamine )(?<!lõpetamine on )\bohus\b": "lõpetamine ohus (of completing)",
        r"(?i)põhitoiming": "põhitegevused, as in the lessons",
        r"(?i)sertifikaat": "tunnistus",
    },
    "uk": {
        r"(?<=\w)'(?=\w)": "the apostrophe ’ (U+2019)",
        r"(?i)супервізован": "практика під супервізією",
        r"(?i)під загрозою": "ризик не завершити (the risk is to completing)",
        r"\((-?ла|-?а)\)|/шановн|шановна/": "a wording that needs no gender (a label, a passive)",
        r"(?i)свідоцтв": "сертифікат",
    },
}


@pytest.mark.parametrize("language", sorted(AVOIDED))
def test_catalog_keeps_to_the_glossary(language):
    slips = []
    for message in _catalog(language):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for pattern, instead in AVOIDED[language].items():
            slips += [f"{s!r}: write {instead}" for s in strings if s and re.search(pattern, s)]
    assert not slips, "; ".join(slips[:5])
