"""The catalog's name order is the names' pinyin, not their character codes (api.md)."""

from sharing.util.pinyin import pinyin_key


def test_pinyin_key_reads_names_as_a_dictionary_orders_them():
    assert pinyin_key("扫描电镜") == "sao3 miao2 dian4 jing4"
    assert pinyin_key("阿贝折射仪") < pinyin_key("扫描电镜") < pinyin_key("质谱仪")


def test_sort_by_name_follows_pinyin(client, make):
    org = make.org()
    names = ["质谱仪", "扫描电镜", "阿贝折射仪", "核磁共振波谱仪"]
    for name in names:
        make.instrument(org=org, name=name)
    listed = client.get(f"/api/v1/instruments?sort=name&organisation={org.slug}&per_page=50")
    assert listed.status_code == 200
    got = [item["name"] for item in listed.json["items"]]
    # By character code 扫 (U+626B) < 核 (U+6838) < 质 < 阿 (U+963F); by pinyin a, he, sao, zhi.
    assert got == ["阿贝折射仪", "核磁共振波谱仪", "扫描电镜", "质谱仪"]
