"""What makes a suggestion fit a need beyond shared words (sharing.needs.fit): the instrument's
kind must be one its field uses, and the match must rest on what the need is about, not only on
how things are tested. The example of issue 37: a vehicle climate chamber once answered a
deep-sea seal."""

from __future__ import annotations

import re

import pytest

from sharing.challenges.models import ChallengeField
from sharing.needs import matching
from sharing.needs.fit import fits_field, is_generic, subject_words

SEAL = "深海密封件的低温环境模拟试验"


@pytest.fixture
def catalog(make):
    """A deep-sea centre with its pressure chamber, a car maker with its climate chamber, a
    genomics lab whose sequencer is described with deep-sea words."""
    deep = make.org("institute", slug="ndsc", name="国家深海基地管理中心")
    cars = make.org("enterprise", slug="jimo-auto", name="即墨汽车试验中心")
    genes = make.org("institute", slug="genes", name="海洋基因研究所")
    return {
        "pressure": make.instrument(
            org=deep,
            name="深海压力模拟试验舱",
            category="environmental-testing",
            specifications="深海环境模拟 压力 110 MPa，密封件与耐压壳体试验",
        ),
        "vehicle": make.instrument(
            org=cars,
            name="整车环境模拟舱",
            category="environmental-testing",
            specifications="温度 -40 至 +60 ℃ 环境模拟试验，日照模拟，转毂",
        ),
        "sequencer": make.instrument(
            org=genes,
            name="深海微生物测序仪",
            category="sequencing",
            specifications="深海沉积物 低温 微生物 测序",
        ),
    }


def test_a_vehicle_climate_chamber_does_not_answer_a_deep_sea_seal(catalog):
    found = matching.suggest(SEAL, ChallengeField.MARINE_EQUIPMENT)
    instruments = [s.id for s in found if s.kind == "instrument"]
    assert catalog["pressure"].id in instruments
    # It shares 环境, 模拟 and 试验 with the need: how a thing is tested, not what.
    assert catalog["vehicle"].id not in instruments
    # It shares 深海 and 低温, but a sequencer is not of a kind marine equipment is tested with.
    assert catalog["sequencer"].id not in instruments
    first = next(s for s in found if s.id == catalog["pressure"].id)
    assert first.reasons[0].startswith("匹配：") and "深海" in first.reasons[0]
    assert "环境" not in first.reasons[0] and "试验" not in first.reasons[0]


def test_the_same_words_in_a_field_that_uses_sequencers_find_the_sequencer(catalog):
    found = matching.suggest("深海低温微生物的测序", ChallengeField.MARINE_BIOMEDICINE)
    instruments = [s.id for s in found if s.kind == "instrument"]
    assert instruments[0] == catalog["sequencer"].id
    assert catalog["pressure"].id not in instruments  # environmental testing: not biomedicine


def test_the_rules_themselves():
    assert fits_field(ChallengeField.MARINE_EQUIPMENT, "environmental-testing")
    assert not fits_field(ChallengeField.MARINE_EQUIPMENT, "sequencing")
    assert all(fits_field(ChallengeField.OTHER, slug) for slug in ("sequencing", "nmr", "x"))
    assert is_generic("试验") and is_generic("环境模拟") and not is_generic("密封件")
    words = frozenset(["深海", "环境", "模拟", "密封"])
    assert subject_words(("环境", "深海", "装备", "模拟"), words) == ["深海"]  # 装备: the field's


def test_suggestions_name_their_reasons_in_words_and_group_by_organisation(catalog, make):
    found = matching.suggest(SEAL, ChallengeField.MARINE_EQUIPMENT)
    assert found and all(s.reasons and s.why == "；".join(s.reasons) for s in found)
    assert not any(re.search(r"\d\.\d", s.why) for s in found)  # words, never a score
    groups = matching.by_organisation(found)
    assert [g.slug for g in groups].count("ndsc") == 1
    ndsc = next(g for g in groups if g.slug == "ndsc")
    assert [s.id for s in ndsc.instruments] == [catalog["pressure"].id]
    assert ndsc.suggestion is not None and "该单位有 1 台相关仪器" in ndsc.suggestion.reasons
