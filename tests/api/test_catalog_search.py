"""Catalog search against the demo catalog: the names people type find the right instrument."""

import pytest

from sharing.demo.data import INSTRUMENTS, ORGANISATIONS
from sharing.extensions import db
from sharing.instruments.services import create_instrument
from sharing.orgs.services import create_organisation
from sharing.util.pinyin import pinyin_key

# What researchers type, and a name that must be among the first three answers.
REAL_QUERIES = {
    "电镜": "电子显微镜",
    "扫描电镜": "扫描电子显微镜",
    "SEM": "扫描电子显微镜",
    "透射电镜": "透射电子显微镜",
    "TEM": "透射电子显微镜",
    "electron microscope": "电子显微镜",
    "XRD": "X射线衍射仪",
    "X-ray diffraction": "X射线衍射仪",
    "ROV": "遥控无人潜水器",
    "remotely operated vehicle": "遥控无人潜水器",
    "AUV": "自主水下航行器",
    "液质": "液相色谱-质谱联用仪",
    "LC-MS": "液相色谱-质谱联用仪",
    "lcms": "液相色谱-质谱联用仪",
    "Orbitrap": "液相色谱-质谱联用仪",
    "mass spectrometry": "质谱",
    "质谱": "质谱",
    "气质": "质谱联用仪",
    "GC-MS": "气相色谱-三重四极杆质谱联用仪",
    "ICP-MS": "电感耦合等离子体质谱仪",
    "ICP-OES": "电感耦合等离子体发射光谱仪",
    "同位素": "稳定同位素比值质谱仪",
    "核磁": "核磁共振波谱仪",
    "NMR": "核磁共振波谱仪",
    "测序": "测序仪",
    "sequencer": "测序仪",
    "qPCR": "实时荧光定量PCR仪",
    "荧光定量": "实时荧光定量PCR仪",
    "CTD": "温盐深剖面仪",
    "ADCP": "声学多普勒流速剖面仪",
    "多波束": "多波束测深系统",
    "multibeam": "多波束测深系统",
    "EM 124": "多波束测深系统",
    "声呐": "侧扫声呐系统",
    "红外": "傅里叶变换红外光谱仪",
    "FTIR": "傅里叶变换红外光谱仪",
    "拉曼": "拉曼光谱仪",
    "XPS": "X射线光电子能谱仪",
    "紫外": "紫外-可见-近红外分光光度计",
    "HPLC": "液相色谱",
    "离子色谱": "离子色谱仪",
    "工业CT": "工业CT扫描系统",
    "盐雾": "盐雾腐蚀试验箱",
    "拉力机": "电子万能材料试验机",
    "超算": "高性能计算集群",
    "HPC": "高性能计算集群",
    "压力舱": "深海压力模拟试验舱",
    "水听器": "水听器校准系统",
    "纳米压痕": "纳米压痕仪",
    "microscopes": "显微镜",
}


@pytest.fixture
def demo_catalog(app, make):
    """The demo's organisations and instruments, as `seed-demo` writes them."""
    organisations = {
        slug: create_organisation(slug, name, kind, name_en)
        for slug, name, name_en, kind, *_rest in ORGANISATIONS
    }
    admin = make.admin()
    for row in INSTRUMENTS:
        org, category, name, name_en, model, manufacturer = row[:6]
        create_instrument(
            admin,
            {
                "organisation": organisations[org].slug,
                "category": category,
                "name": name,
                "name_en": name_en,
                "model": model,
                "manufacturer": manufacturer,
                "specifications": row[9],
            },
        )
    db.session.commit()


def first_three(client, query: str) -> list[str]:
    response = client.get("/api/v1/instruments", query_string={"q": query, "per_page": 3})
    assert response.status_code == 200, response.json
    return [item["name"] for item in response.json["items"]]


def test_real_queries_find_the_instrument_in_the_first_three(client, demo_catalog):
    misses = {}
    for query, expected in REAL_QUERIES.items():
        names = first_three(client, query)
        if not any(expected in name for name in names):
            misses[query] = names
    assert misses == {}


def test_every_answer_to_an_abbreviation_is_that_kind(client, demo_catalog):
    assert len(first_three(client, "SEM")) == 3
    assert all("扫描电子显微镜" in name for name in first_three(client, "SEM"))
    assert all("扫描电子显微镜" in name for name in first_three(client, "扫描电镜"))
    # "rov" is inside other words ("provider"): the abbreviation finds the ROV alone.
    response = client.get("/api/v1/instruments", query_string={"q": "ROV"})
    assert [item["name"] for item in response.json["items"]] == ["4500 米级遥控无人潜水器"]


def test_names_rank_above_specifications(client, demo_catalog):
    # "能谱" is in the FE-SEM's specifications (EDS) and in the XPS's name.
    names = first_three(client, "能谱")
    assert names[0] == "X射线光电子能谱仪"
    assert "场发射扫描电子显微镜" in names


def test_sort_by_name_price_and_newest(client, demo_catalog):
    by_name = client.get("/api/v1/instruments", query_string={"q": "质谱", "sort": "name"}).json
    names = [item["name"] for item in by_name["items"]]
    assert names == sorted(names, key=pinyin_key)  # by pinyin (api.md)
    newest = client.get("/api/v1/instruments", query_string={"sort": "newest", "per_page": 1}).json
    assert newest["items"][0]["name"] == INSTRUMENTS[-1][2]
    bad = client.get("/api/v1/instruments", query_string={"sort": "cheapest"})
    assert bad.status_code == 400
    assert "sort" in bad.json["error"]["fields"]


def test_the_catalog_page_finds_by_synonym_and_offers_the_sorts(client, demo_catalog):
    page = client.get("/instruments", query_string={"q": "ROV"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "4500 米级遥控无人潜水器" in text
    assert 'name="sort"' in text


def test_a_count_comes_with_every_page_even_past_the_end(client, demo_catalog):
    everything = client.get("/api/v1/instruments", query_string={"q": "质谱", "per_page": 2}).json
    assert everything["total"] > 2
    past = client.get(
        "/api/v1/instruments", query_string={"q": "质谱", "per_page": 2, "page": 99}
    ).json
    assert past["items"] == []
    assert past["total"] == everything["total"]
    unfiltered = client.get("/api/v1/instruments", query_string={"per_page": 1}).json
    assert unfiltered["total"] == len(INSTRUMENTS)


def catalog_plan(query: str) -> str:
    """PostgreSQL's plan for the words of a query alone, with scans of the whole table
    forbidden: a condition no index can answer then still shows as a sequential scan. (With
    the catalog's other filters the planner may read a small test table through any index.)"""
    from sqlalchemy import and_, select

    from sharing.instruments.catalog import _word_matches
    from sharing.instruments.models import Instrument
    from sharing.instruments.search import read_query

    words = read_query(query).words
    statement = select(Instrument.id).where(and_(*(_word_matches(w, True) for w in words)))
    compiled = statement.compile(dialect=db.engine.dialect)
    connection = db.session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    cursor = connection.connection.dbapi_connection.cursor()
    cursor.execute("EXPLAIN " + str(compiled), compiled.params)
    return "\n".join(row[0] for row in cursor.fetchall())


# The indexes are PostgreSQL's (migration 0015); SQLite scans its catalog.
@pytest.mark.postgresql_only
@pytest.mark.parametrize(
    "query", ["电镜", "液质", "XRD", "ROV", "EM", "扫描电子显微镜", "orbitrap"]
)
def test_every_word_is_answered_by_an_index(app, demo_catalog, query):
    plan = catalog_plan(query)
    assert "Seq Scan on instruments" not in plan, plan
    if query in {"电镜", "液质", "XRD", "ROV", "EM"}:  # two characters, or an abbreviation
        assert "ix_instruments_search_pairs" in plan, plan


@pytest.mark.postgresql_only
def test_the_pairs_function_lists_chinese_pairs_of_the_text_and_every_pair_of_the_model(app):
    pairs = db.session.scalar(db.text("SELECT instrument_search_pairs('扫描电镜sem', 'EM 124')"))
    assert sorted(pairs) == sorted(["扫描", "描电", "电镜", "镜s", "em", "m ", " 1", "12", "24"])


def test_sort_by_price_uses_the_viewers_hourly_rate_and_puts_the_unpriced_last(
    client, make, token_for
):
    from decimal import Decimal

    def rate(category, price):
        return {"category": category, "unit": "hour", "price": Decimal(price)}

    cheap = make.instrument(
        name="价测甲", rates=[rate("academic", "100"), rate("enterprise", "900")]
    )
    dear = make.instrument(
        name="价测乙", rates=[rate("academic", "300"), rate("enterprise", "200")]
    )
    unpriced = make.instrument(name="价测丙", rates=[rate("internal", "50")])
    company = token_for(make.user("enterprise"))

    def order(headers=None):
        found = client.get(
            "/api/v1/instruments", query_string={"q": "价测", "sort": "price"}, headers=headers
        ).json["items"]
        return [item["id"] for item in found]

    assert order() == [cheap.id, dear.id, unpriced.id]  # academic rates for the public
    assert order(company) == [dear.id, cheap.id, unpriced.id]  # the company's own rates
