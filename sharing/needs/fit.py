"""What makes a suggestion fit a need beyond shared words: the kind of instrument its field
uses, and a match on what the need is about rather than on how things are tested.

Two rules, each one a person can check:
- An instrument's category must be one the need's field works with (`FIELD_CATEGORIES`):
  a sequencer does not answer a deep-sea seal, whatever words they share.
- A suggestion must share with the need at least one word of its subject: a word of the need's
  own text (not of its field, which the query adds) that is not one of `GENERIC_WORDS`, or a
  synonym of an instrument the need names. A vehicle climate chamber shares with "深海密封件的
  低温环境模拟试验" only 环境, 模拟 and 试验, words that say how a thing is tested, not what:
  it is left out, where the deep-sea pressure chamber (深海) stays.

Pure: no Flask, no database.
"""

from __future__ import annotations

from sharing.challenges.models import ChallengeField

# A need's field in the words the catalog and the institutes use for it.
FIELD_WORDS = {
    ChallengeField.MARINE_EQUIPMENT: "海洋装备 水下 深海 装备",
    ChallengeField.MARINE_BIOMEDICINE: "海洋生物医药 生物医药 药物",
    ChallengeField.FISHERIES: "水产 渔业 养殖",
    ChallengeField.MARINE_INFORMATION: "海洋信息 观测 数据",
    ChallengeField.NEW_MATERIALS: "新材料 材料",
    ChallengeField.ENVIRONMENT_ENERGY: "环境 能源",
    ChallengeField.OTHER: "",
}
FIELD_NAMES = {
    ChallengeField.MARINE_EQUIPMENT: "海洋装备",
    ChallengeField.MARINE_BIOMEDICINE: "海洋生物医药",
    ChallengeField.FISHERIES: "水产渔业",
    ChallengeField.MARINE_INFORMATION: "海洋信息",
    ChallengeField.NEW_MATERIALS: "新材料",
    ChallengeField.ENVIRONMENT_ENERGY: "环境与能源",
    ChallengeField.OTHER: "其他",
}

_ANALYSIS = ("mass-spectrometry", "chromatography", "spectroscopy", "nmr")
_AT_SEA = ("ocean-observation", "acoustic-survey", "underwater-vehicles", "research-vessels")
_STRUCTURE = ("electron-microscopy", "x-ray")
_TESTING = ("environmental-testing", "materials-testing")
# The instrument categories (slugs) each field's needs are answered with; "other" (computing,
# calibration) serves every field, and a need of the field "other" takes any category.
FIELD_CATEGORIES: dict[ChallengeField, frozenset[str]] = {
    ChallengeField.MARINE_EQUIPMENT: frozenset((*_AT_SEA, *_TESTING, *_STRUCTURE, "other")),
    ChallengeField.MARINE_BIOMEDICINE: frozenset((*_ANALYSIS, *_STRUCTURE, "sequencing", "other")),
    ChallengeField.FISHERIES: frozenset(
        (*_ANALYSIS, "sequencing", "electron-microscopy", "ocean-observation", "research-vessels")
    )
    | {"other"},
    ChallengeField.MARINE_INFORMATION: frozenset((*_AT_SEA, "other")),
    ChallengeField.NEW_MATERIALS: frozenset((*_STRUCTURE, *_TESTING, *_ANALYSIS, "other")),
    ChallengeField.ENVIRONMENT_ENERGY: frozenset(
        (*_ANALYSIS, *_AT_SEA, *_TESTING, *_STRUCTURE, "other")
    ),
}

# Words that say how a thing is worked on (tested, analysed, simulated), or that every need of a
# marine platform says: alone they make no match of kind.
_GENERIC = """
    试验 测试 检测 检验 分析 评价 评估 测定 测量 表征 模拟 环境 性能 数据 方法 方案 技术
    验证 认证 样品 样机 设备 仪器 系统 平台 装置 装备 海洋 服务 能力 质量 标准 研究 应用
    优化 设计 提升 选型 替代 国产 国产化 产品 工艺 可靠 可靠性 适应 适应性 寿命 失效 试验箱
    长期 快速 在线 综合 精度 参数 结构 处理 评定 考核 鉴定 条件
    test testing tests analysis measurement environmental system data marine ocean equipment
    instrument performance evaluation method
"""
GENERIC_WORDS = frozenset(_GENERIC.split())


def fits_field(field: ChallengeField, category: str) -> bool:
    """Whether an instrument of `category` (a slug) serves needs of `field`."""
    allowed = FIELD_CATEGORIES.get(field)
    return allowed is None or category in allowed


def is_generic(word: str) -> bool:
    """A generic word, or one made of two (环境模拟, 测试分析)."""
    if word in GENERIC_WORDS:
        return True
    return any(
        word[:cut] in GENERIC_WORDS and word[cut:] in GENERIC_WORDS for cut in range(1, len(word))
    )


def subject_words(matched: tuple[str, ...], need_words: frozenset[str]) -> list[str]:
    """The matched words that say what the need is about: its own, none of them generic."""
    return [word for word in matched if word in need_words and not is_generic(word)]
