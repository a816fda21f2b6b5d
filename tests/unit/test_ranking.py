"""Words of Chinese text (jieba), synonym concepts and BM25 ranking, without Flask or a database."""

from sharing.needs.ranking import Ranker, readable, tokenize


def test_chinese_text_becomes_words_without_stop_words():
    words = tokenize("我们需要对深海耐压壳体做断口分析")
    assert {"深海", "耐压", "壳体", "断口", "分析"} <= set(words)
    assert not {"我们", "需要", "的"} & set(words)


def test_names_people_use_meet_in_one_concept():
    need = set(tokenize("扫描电镜观察断口"))
    catalog = set(tokenize("场发射扫描电子显微镜 FE-SEM"))
    shared = {token for token in need & catalog if token.startswith("≈")}
    assert shared
    assert set(tokenize("LC-MS 检测")) & set(tokenize("液质联用仪"))


def test_bm25_ranks_the_document_that_shares_rare_words_first():
    ranker = Ranker(
        [
            ("nmr", tokenize("核磁共振波谱仪 结构解析 多糖")),
            ("sem", tokenize("扫描电子显微镜 断口 形貌")),
            ("xrd", tokenize("X射线衍射仪 物相 分析")),
        ]
    )
    hits = ranker.rank(tokenize("海参多糖的结构解析"), limit=3)
    assert [hit.key for hit in hits] == ["nmr"]
    assert "多糖" in hits[0].matched


def test_nothing_in_common_ranks_nothing():
    ranker = Ranker([("a", tokenize("声呐")), ("b", [])])
    assert ranker.rank(tokenize("多糖"), limit=5) == []
    assert Ranker([]).rank(["多糖"]) == []


def test_reasons_use_whole_words():
    matched = ("水下", "下机", "机器", "机器人", "海试")
    assert readable(matched, "水下机器人的海试") == ["水下", "机器人", "海试"]
    assert readable(("声呐",), "多糖") == []
