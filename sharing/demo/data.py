"""The demo organisations, people and instruments (invented holdings, plausible figures)."""

from __future__ import annotations

import tomllib
from pathlib import Path

DEMO_PASSWORD = "BlueValley2026"

# slug, name, name_en, kind
ORGANISATIONS = [
    (
        "operator",
        "蓝谷海洋仪器共享平台运营中心",
        "Blue Valley Instrument Sharing Operations",
        "operator",
    ),
    (
        "qnlm",
        "青岛海洋科学与技术试点国家实验室",
        "Pilot National Laboratory for Marine Science and Technology (Qingdao)",
        "institute",
    ),
    ("sdu-qd", "山东大学（青岛校区）", "Shandong University (Qingdao Campus)", "university"),
    ("ndsc", "国家深海基地管理中心", "National Deep Sea Center", "institute"),
    ("fio", "自然资源部第一海洋研究所", "First Institute of Oceanography, MNR", "institute"),
    ("smit", "山东海洋检验检测集团", "Shandong Marine Inspection and Testing Group", "institute"),
    (
        "ouc-bv",
        "中国海洋大学蓝谷研究院",
        "Ocean University of China Blue Valley Institute",
        "university",
    ),
    (
        "tju-qiot",
        "天津大学青岛海洋技术研究院",
        "Tianjin University Qingdao Institute of Ocean Technology",
        "institute",
    ),
    (
        "heu-qd",
        "哈尔滨工程大学青岛创新发展基地",
        "Harbin Engineering University Qingdao Innovation Base",
        "university",
    ),
    (
        "bv-marine-eq",
        "青岛蓝谷海工装备有限公司",
        "Blue Valley Marine Engineering Equipment Co., Ltd.",
        "enterprise",
    ),
    (
        "bv-biomed",
        "青岛蓝谷海洋生物医药有限公司",
        "Blue Valley Marine Biomedicine Co., Ltd.",
        "enterprise",
    ),
    (
        "jimo-auto",
        "即墨汽车零部件科技有限公司",
        "Jimo Automotive Components Technology Co., Ltd.",
        "enterprise",
    ),
    (
        "jimo-textile",
        "即墨新材料纺织科技有限公司",
        "Jimo Advanced Textile Technology Co., Ltd.",
        "enterprise",
    ),
    (
        "haida-aqua",
        "青岛海大水产科技有限公司",
        "Qingdao Haida Aquaculture Technology Co., Ltd.",
        "enterprise",
    ),
]

# email, name, role, organisation slug
USERS = [
    ("admin@bluevalley.example", "平台管理员 王海", "admin", "operator"),
    ("manager@qnlm.example", "刘晓明（仪器主管）", "manager", "qnlm"),
    ("manager@sdu.example", "陈静（仪器主管）", "manager", "sdu-qd"),
    ("manager@ndsc.example", "赵刚（仪器主管）", "manager", "ndsc"),
    ("manager@fio.example", "孙丽（仪器主管）", "manager", "fio"),
    ("manager@smit.example", "周强（仪器主管）", "manager", "smit"),
    ("manager@ouc.example", "吴芳（仪器主管）", "manager", "ouc-bv"),
    ("manager@tju.example", "郑伟（仪器主管）", "manager", "tju-qiot"),
    ("manager@heu.example", "冯磊（仪器主管）", "manager", "heu-qd"),
    ("researcher@sdu.example", "李娜（研究员）", "researcher", "sdu-qd"),
    ("researcher@fio.example", "张伟（副研究员）", "researcher", "fio"),
    ("researcher@qnlm.example", "杨洋（博士后）", "researcher", "qnlm"),
    ("researcher@ouc.example", "黄敏（博士生）", "researcher", "ouc-bv"),
    ("enterprise@marine-eq.example", "马超（研发部）", "enterprise", "bv-marine-eq"),
    ("enterprise@biomed.example", "何婷（质量部）", "enterprise", "bv-biomed"),
    ("enterprise@jimo-auto.example", "高峰（技术中心）", "enterprise", "jimo-auto"),
    ("enterprise@textile.example", "林雪（研发中心）", "enterprise", "jimo-textile"),
]

# The demo people who book instruments: researchers and company staff.
BOOKER_EMAILS = [
    email for email, _name, role, _org in USERS if role in ("researcher", "enterprise")
]

WEEKDAYS_8_20 = "weekdays"
ALWAYS = "always"
EXTENDED = "extended"  # Mon-Sat 08:00-22:00

# The instruments are a table of their own (instruments.toml): each row in the order of
# INSTRUMENT_COLUMNS, the sample price None where the instrument takes no samples.
INSTRUMENT_COLUMNS = (
    "organisation",
    "category",
    "name",
    "name_en",
    "model",
    "manufacturer",
    "value",
    "year",
    "location",
    "specifications",
    "hourly_price",
    "sample_price",
    "requires_approval",
    "requires_training",
    "hours",
)
INSTRUMENTS = [
    tuple(row.get(column) for column in INSTRUMENT_COLUMNS)
    for row in tomllib.loads((Path(__file__).parent / "instruments.toml").read_text("utf-8"))[
        "instrument"
    ]
]

# What each category typically does, for the catalog's "functions" and "applications" fields.
CATEGORY_TEXTS = {
    "electron-microscopy": (
        "表面形貌与微区成分分析",
        "海洋材料腐蚀、微生物与矿物颗粒的微观结构研究",
    ),
    "mass-spectrometry": ("定性定量分析与结构鉴定", "海洋天然产物、痕量污染物、同位素示踪"),
    "chromatography": ("复杂样品的分离与定量", "海水营养盐、药物中间体、石油烃检测"),
    "spectroscopy": ("分子与元素的光谱表征", "微塑料鉴定、功能材料表征、水质监测"),
    "x-ray": ("晶体结构、内部缺陷与表面化学分析", "船用材料、复合材料与催化剂研究"),
    "nmr": ("分子结构解析与定量", "海洋天然产物结构鉴定、代谢组学"),
    "sequencing": ("核酸序列测定", "海洋微生物组、水产育种、病原检测"),
    "ocean-observation": ("海洋水文与环境要素观测", "近海与深海观测、海洋环境评价"),
    "underwater-vehicles": ("水下作业、观测与取样", "深海资源勘查、海底工程检测"),
    "acoustic-survey": ("水下地形、目标与声学特性测量", "海底地形测绘、管线巡检、声学设备校准"),
    "environmental-testing": ("环境适应性与可靠性试验", "海工装备、汽车零部件、涂层耐候性评价"),
    "materials-testing": ("力学性能测试", "船舶结构、海洋功能纺织品、新材料研发"),
    "other": ("专用测试与计算服务", "海洋传感器研制、海洋数值模拟"),
}

# company slug, title, field, budget (yuan), days to deadline, state, description
CHALLENGES = [
    (
        "bv-marine-eq",
        "全海深耐压电子舱轻量化设计",
        "marine-equipment",
        1_200_000,
        45,
        "open",
        "## 背景\n\n现有钛合金电子舱重 38 kg，需在 **110 MPa** 下长期工作。\n\n## 目标\n\n- 减重 30% 以上\n- 通过 1000 次压力循环试验",
    ),
    (
        "bv-marine-eq",
        "水下机器人湿插拔连接器国产化",
        "marine-equipment",
        800_000,
        30,
        "open",
        "需要 4000 米级湿插拔连接器，插拔寿命不低于 500 次，可在深海压力试验舱中验证。",
    ),
    (
        "bv-biomed",
        "海洋来源抗菌肽的规模化制备工艺",
        "marine-biomedicine",
        1_500_000,
        60,
        "open",
        "寻求从实验室克级到中试公斤级的发酵与纯化工艺，纯度 ≥ 95%。",
    ),
    (
        "haida-aqua",
        "对虾养殖水体病原快速检测方法",
        "fisheries-aquaculture",
        300_000,
        20,
        "open",
        "现场 30 分钟内检出 WSSV、AHPND 等主要病原，成本每样品低于 20 元。",
    ),
    (
        "jimo-textile",
        "海洋功能纺织品抗紫外与抗盐雾评价方法",
        "new-materials",
        200_000,
        15,
        "awarded",
        "建立面向海上作业服的抗紫外、耐盐雾综合评价方法与标准草案。",
    ),
    (
        "jimo-auto",
        "汽车零部件沿海高湿环境腐蚀寿命预测",
        "new-materials",
        600_000,
        10,
        "completed",
        "利用盐雾与湿热试验数据建立腐蚀寿命预测模型，覆盖 5 类典型零部件。",
    ),
]
