"""Reading a catalog query: folding, phrases of the synonym table, abbreviations, plurals."""

from sharing.instruments.search import fold, read_query, search_columns, synonym_index


def test_fold_ignores_case_width_spaces_and_hyphens():
    assert fold("LC-MS") == fold("lc ms") == fold("ＬＣＭＳ") == "lcms"
    assert fold("液相色谱-质谱") == "液相色谱质谱"


def test_a_phrase_of_the_table_is_one_word_of_the_query():
    words = read_query("mass spectrometry 海洋").words
    assert len(words) == 2
    assert "质谱" in words[0].terms
    assert words[1].terms == {"海洋"}


def test_short_abbreviations_are_looked_up_but_not_searched_as_text():
    (rov,) = read_query("ROV").words
    assert "rov" not in rov.terms
    assert "遥控无人潜水器" in rov.terms
    assert rov.model_word == "rov"
    (xrd_long,) = read_query("X射线衍射").words
    assert "x射线衍射" in xrd_long.terms and xrd_long.model_word is None


def test_unknown_words_are_themselves_and_english_plurals_also_singular():
    (word,) = read_query("Gliders").words
    assert word.terms == {"glider"}  # "gliders" contains it: one LIKE finds both
    (word,) = read_query("D8").words
    assert word.terms == {"d8"}


def test_every_group_has_a_term_that_can_be_searched():
    assert all(terms for terms in synonym_index().values())


def test_search_columns_fold_the_record():
    name, text = search_columns("X射线衍射仪", "X-ray diffractometer", "D8 ADVANCE", "Bruker", "")
    assert name == "x射线衍射仪xraydiffractometer"
    assert "d8advance" in text and "bruker" in text
