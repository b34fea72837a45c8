"""ICU's sort keys through ``ctypes`` (``lms.collation``) are PyICU's, byte for byte."""

import icu
import pytest

from lms import collation
from lms.collation import by_name

NAMES = [
    "Ірина", "Юлія", "Ґанна", "іван", "Šaško", "Zeno", "Õie", "Ülle", "Aadu", "Åsa", "Ødegaard",
    "Ärni", "Мария", "Ёлка", "", "O'Brien", "van der Berg", "李小龙", "x" * 400, "Ñandú", "Çelik",
]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "et", "uk", "ru", "fi", "xx"])
def test_sort_keys_are_pyicus(language):
    ours = collation._create(language)
    assert isinstance(ours, collation.IcuCollator)  # the libraries beside PyICU were found
    theirs = icu.Collator.createInstance(icu.Locale(language))
    for name in NAMES:
        assert ours.getSortKey(name) == theirs.getSortKey(name), name


def test_names_sort_in_the_readers_order():
    assert by_name(["Zeno", "Õie", "Šaško", "Ülle"], str, "et") == ["Šaško", "Zeno", "Õie", "Ülle"]
    assert by_name(["Юлія", "Ірина", "Ґанна"], str, "uk") == ["Ґанна", "Ірина", "Юлія"]
