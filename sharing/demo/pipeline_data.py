"""The district's story in records: companies of its industries, their needs, the institutes'
experts and results transferred. Figures of the current year equal the published ones."""

# What the district reported for this year, and the records that stand for last year.
THIS_YEAR = {
    "companies_visited": 189,
    "revisits": 17,
    "needs": 234,
    "own_needs": 12,  # written by the demo companies' own people
    "claimed": 56,
    "in_talks": 35,
    "contracted": 14,
    "closed": 9,
    "transfers": 192,
    "transfer_amount": 250_000_000,
    "alliance_joined": 15,
}
LAST_YEAR = {
    "companies_visited": 117,
    "revisits": 9,
    "needs": 148,
    "own_needs": 6,
    "claimed": 31,
    "in_talks": 19,
    "contracted": 8,
    "closed": 6,
    "transfers": 127,
    "transfer_amount": 161_400_000,
}
ALLIANCE_BEFORE = 48  # members who joined before this year: 48 + 15 = 63

# Brand names of district companies (字号) with their pinyin.
BRANDS = [
    ("海纳", "haina"),
    ("蓝鲸", "lanjing"),
    ("深蓝", "shenlan"),
    ("瀚海", "hanhai"),
    ("澜图", "lantu"),
    ("海卓", "haizhuo"),
    ("中科海", "zhongkehai"),
    ("鲲鹏", "kunpeng"),
    ("海川", "haichuan"),
    ("浩洋", "haoyang"),
    ("明月", "mingyue"),
    ("海诺", "hainuo"),
    ("蔚蓝", "weilan"),
    ("海晟", "haisheng"),
    ("泓海", "honghai"),
    ("崂海", "laohai"),
    ("鳌山", "aoshan"),
    ("琅琊", "langya"),
    ("海汇", "haihui"),
    ("恒海", "henghai"),
    ("海思源", "haisiyuan"),
    ("盛海", "shenghai"),
    ("海博", "haibo"),
    ("远洋", "yuanyang"),
    ("海润", "hairun"),
    ("海拓", "haituo"),
    ("聚海", "juhai"),
    ("海宸", "haichen"),
    ("博海", "bohai"),
    ("海创", "haichuang"),
    ("鼎海", "dinghai"),
    ("海科", "haike"),
    ("东方海", "dongfanghai"),
    ("海益", "haiyi"),
    ("新海", "xinhai"),
    ("海辰", "haichen2"),
    ("亿海", "yihai"),
    ("海翼", "haiyi2"),
    ("汇洋", "huiyang"),
    ("海之源", "haizhiyuan"),
]
# Industry: field, Chinese, English, slug part.
INDUSTRIES = [
    ("marine-equipment", "海洋装备", "Marine Equipment", "equip"),
    ("marine-biomedicine", "海洋生物科技", "Marine Biotech", "bio"),
    ("fisheries-aquaculture", "水产科技", "Aquaculture Technology", "aqua"),
    ("marine-information", "海洋信息技术", "Ocean Information Technology", "info"),
    ("new-materials", "新材料科技", "New Materials", "mat"),
]
SERVICE_BODIES = [
    ("bv-ip-centre", "青岛蓝谷知识产权运营中心", "Blue Valley IP Operation Centre"),
    ("bv-tech-transfer", "蓝谷海洋技术转移中心", "Blue Valley Marine Technology Transfer Centre"),
    ("bv-fund", "青岛蓝谷海洋产业投资基金", "Blue Valley Marine Industry Fund"),
    ("qd-law-marine", "青岛海事知识产权律师事务所", "Qingdao Maritime IP Law Firm"),
    ("bv-incubator", "蓝谷海洋科技企业孵化器", "Blue Valley Marine Technology Incubator"),
    ("qd-standards", "青岛海洋标准化服务中心", "Qingdao Marine Standardisation Service Centre"),
    ("bv-finance", "蓝谷科技金融服务中心", "Blue Valley Technology Finance Service Centre"),
    (
        "qd-testing-alliance",
        "青岛海洋检测认证服务联盟",
        "Qingdao Marine Testing and Certification Service",
    ),
    ("bv-talent", "蓝谷海洋人才服务中心", "Blue Valley Marine Talent Service Centre"),
]

# Per field: subjects and the problems companies bring about them.
NEED_SUBJECTS = {
    "marine-equipment": [
        "深海耐压壳体",
        "水下机器人推进器",
        "海洋浮标",
        "水下湿插拔连接器",
        "船用甲板机械",
        "海底观测网接驳盒",
        "深海液压系统",
        "水下照明与摄像模块",
        "拖曳式声呐缆",
        "波浪能发电装置",
    ],
    "marine-biomedicine": [
        "海参多糖",
        "褐藻寡糖",
        "鱼皮胶原蛋白肽",
        "海洋微生物代谢产物",
        "壳聚糖敷料",
        "鲨鱼软骨硫酸软骨素",
        "海藻酸钠医用材料",
        "牡蛎肽",
        "海洋来源抗肿瘤先导化合物",
        "虾青素",
    ],
    "fisheries-aquaculture": [
        "工厂化循环水养殖",
        "深远海养殖网箱",
        "对虾育苗",
        "海参池塘养殖",
        "鲍鱼筏式养殖",
        "大菱鲆苗种",
        "水产饲料",
        "养殖尾水",
        "扇贝采苗",
        "海水鱼疫苗",
    ],
    "marine-information": [
        "海洋环境在线监测数据",
        "多波束测深数据",
        "海洋浮标组网通信",
        "近岸海域遥感影像",
        "船舶AIS轨迹",
        "海洋牧场视频监控",
        "水下声学通信",
        "海洋气象预报",
        "海底地形三维建模",
        "港口设备物联网",
    ],
    "new-materials": [
        "海洋防腐涂层",
        "船用钛合金",
        "深海浮力材料",
        "海工混凝土",
        "海洋防污涂料",
        "耐海水橡胶密封件",
        "碳纤维复合材料壳体",
        "海水淡化膜",
        "海洋生物基塑料",
        "高强耐蚀钢",
    ],
}
NEED_PROBLEMS = {
    "marine-equipment": [
        "的轻量化设计与强度验证",
        "的密封失效分析",
        "的国产化替代选型",
        "的疲劳寿命测试方案",
        "的压力舱试验与认证",
        "的故障诊断与可靠性提升",
        "的减振降噪优化",
        "的长期海试数据分析",
        "的样机检测与标定",
        "的材料选型与腐蚀评估",
    ],
    "marine-biomedicine": [
        "的提取纯化工艺放大",
        "的结构表征与质量标准",
        "的活性评价与作用机理",
        "的稳定性研究",
        "的杂质与重金属检测",
        "的制剂工艺开发",
        "的分子量分布测定",
        "的功效评价与申报资料",
    ],
    "fisheries-aquaculture": [
        "的关键工艺优化",
        "的检测方法建立",
        "的标准化与质量控制",
        "的智能化改造",
        "的数据监测与分析",
        "的降本增效方案",
        "的产业化技术支持",
        "的技术升级方案",
        "的风险评估",
        "的示范推广",
    ],
    "marine-information": [
        "的融合处理与可视化",
        "的异常检测算法",
        "的低功耗传输方案",
        "的智能识别模型",
        "的质量控制与标准化",
        "的平台架构设计",
        "的实时分析与预警",
        "的精度评估",
    ],
    "new-materials": [
        "的耐盐雾性能评价",
        "的微观结构表征",
        "的配方优化与中试",
        "的失效分析",
        "的力学性能测试",
        "的服役寿命预测",
        "的成分检测",
        "的环保替代方案",
    ],
}
NEED_DETAILS = {
    "marine-equipment": "企业已有样机，需要院所协助开展材料断口分析、压力舱试验和疲劳测试，形成可用于认证的数据。",
    "marine-biomedicine": "企业已完成小试，需要核磁、液质联用等手段做结构表征，并协助建立质量标准与活性评价方法。",
    "fisheries-aquaculture": "养殖基地近两年损失较大，希望与院所合作开展病原测序鉴定、水质监测和养殖工艺优化。",
    "marine-information": "企业积累了大量观测数据，需要院所在数据处理算法、模型和海上验证方面提供支持。",
    "new-materials": "企业计划替代进口产品，需要院所做电镜、X射线衍射和盐雾试验等表征，确定配方与工艺。",
}
CLOSE_REASONS = [
    "企业已自行解决",
    "项目预算取消",
    "需求合并到其他项目",
    "企业战略调整，暂缓实施",
]
VISIT_NOTES = [
    "走访研发部，了解企业在研项目与检测需求",
    "与企业技术负责人座谈，梳理技术难题",
    "陪同院所专家现场调研生产线",
    "回访上次需求的对接进展",
]
MEETING_NOTES = [
    "第一次对接：明确技术指标与试验方案",
    "院所专家赴企业现场调研",
    "双方确认合作方式与经费预算",
]

TRANSFER_SUBJECTS = [
    "一种海洋防污涂层的制备方法",
    "一种水下机器人用推进装置",
    "一种海参多糖的提取方法",
    "一种深海浮力材料及其制备方法",
    "一种海洋环境在线监测系统",
    "一种对虾病害快速检测试剂盒",
    "一种褐藻寡糖的酶解制备工艺",
    "一种船用钛合金焊接工艺",
    "一种海底观测网接驳装置",
    "一种水产养殖尾水处理系统",
    "一种海洋微生物发酵工艺",
    "一种多波束测深数据处理方法",
    "一种鱼皮胶原蛋白肽的制备方法",
    "一种耐海水橡胶密封件",
    "一种海水淡化复合膜",
    "一种海洋浮标能源管理装置",
    "一种壳聚糖止血敷料",
    "一种深远海养殖网箱结构",
]
TRANSFER_KINDS = ["patent_transfer", "licence", "joint_development", "technical_service"]


# What each institute works on, for matching (their descriptions stay as they are).
FIELDS_OF_WORK = {
    "qnlm": "深海科学 海洋观测 深海装备 海洋药物 海洋微生物 高端仪器共享",
    "sdu-qd": "材料科学 电镜表征 海洋药物 天然产物 化学分析 核磁共振",
    "ndsc": "深海装备 载人潜水器 水下机器人 深海作业 压力试验",
    "fio": "海洋地质 海底地形 多波束测深 海洋生态 环境监测 海洋测绘",
    "smit": "检验检测 水产品检测 食品安全 防腐涂层 盐雾试验 质量标准",
    "ouc-bv": "海洋多糖 糖工程 水产养殖 病害防控 海洋生物技术 测序",
    "tju-qiot": "海洋信息 水下通信 海洋传感器 浮标 数据处理",
    "heu-qd": "船舶与海洋工程 推进 减振降噪 复合材料 力学测试",
}
# Which institutes take up needs of each field, most often first.
ANSWERERS = {
    "marine-equipment": ["ndsc", "heu-qd", "qnlm"],
    "marine-biomedicine": ["ouc-bv", "sdu-qd", "qnlm"],
    "fisheries-aquaculture": ["ouc-bv", "smit", "fio"],
    "marine-information": ["tju-qiot", "fio", "qnlm"],
    "new-materials": ["sdu-qd", "smit", "heu-qd"],
}
