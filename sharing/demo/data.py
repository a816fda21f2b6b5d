"""The demo organisations, people and instruments (invented holdings, plausible figures)."""

from __future__ import annotations

DEMO_PASSWORD = "BlueValley2026"

# slug, name, name_en, kind
ORGANISATIONS = [
    ("operator", "蓝谷海洋仪器共享平台运营中心", "Blue Valley Instrument Sharing Operations", "operator"),
    ("qnlm", "青岛海洋科学与技术试点国家实验室", "Pilot National Laboratory for Marine Science and Technology (Qingdao)", "institute"),
    ("sdu-qd", "山东大学（青岛校区）", "Shandong University (Qingdao Campus)", "university"),
    ("ndsc", "国家深海基地管理中心", "National Deep Sea Center", "institute"),
    ("fio", "自然资源部第一海洋研究所", "First Institute of Oceanography, MNR", "institute"),
    ("smit", "山东海洋检验检测集团", "Shandong Marine Inspection and Testing Group", "institute"),
    ("ouc-bv", "中国海洋大学蓝谷研究院", "Ocean University of China Blue Valley Institute", "university"),
    ("tju-qiot", "天津大学青岛海洋技术研究院", "Tianjin University Qingdao Institute of Ocean Technology", "institute"),
    ("heu-qd", "哈尔滨工程大学青岛创新发展基地", "Harbin Engineering University Qingdao Innovation Base", "university"),
    ("bv-marine-eq", "青岛蓝谷海工装备有限公司", "Blue Valley Marine Engineering Equipment Co., Ltd.", "enterprise"),
    ("bv-biomed", "青岛蓝谷海洋生物医药有限公司", "Blue Valley Marine Biomedicine Co., Ltd.", "enterprise"),
    ("jimo-auto", "即墨汽车零部件科技有限公司", "Jimo Automotive Components Technology Co., Ltd.", "enterprise"),
    ("jimo-textile", "即墨新材料纺织科技有限公司", "Jimo Advanced Textile Technology Co., Ltd.", "enterprise"),
    ("haida-aqua", "青岛海大水产科技有限公司", "Qingdao Haida Aquaculture Technology Co., Ltd.", "enterprise"),
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

WEEKDAYS_8_20 = "weekdays"
ALWAYS = "always"
EXTENDED = "extended"  # Mon-Sat 08:00-22:00

# org, category, name, name_en, model, manufacturer, value (yuan), year, location,
# specifications, academic hourly price, academic sample price or None, approval, training, hours
INSTRUMENTS = [
    ("qnlm", "electron-microscopy", "场发射扫描电子显微镜", "Field-emission scanning electron microscope", "Sigma 500", "Carl Zeiss", 3200000, 2019, "蓝谷园区A2楼 101", "分辨率 0.8 nm @15 kV；加速电压 0.02-30 kV；放大倍数 10-1,000,000×；配能谱仪（EDS）", 400, None, True, True, WEEKDAYS_8_20),
    ("qnlm", "electron-microscopy", "透射电子显微镜", "Transmission electron microscope", "Talos F200X", "Thermo Fisher Scientific", 12500000, 2020, "蓝谷园区A2楼 103", "点分辨率 0.25 nm；STEM 分辨率 0.16 nm；200 kV X-FEG 电子枪；Super-X 能谱", 900, None, True, True, WEEKDAYS_8_20),
    ("sdu-qd", "electron-microscopy", "台式扫描电子显微镜", "Benchtop scanning electron microscope", "Phenom XL G2", "Thermo Fisher Scientific", 980000, 2021, "山大青岛校区 化学楼 B112", "分辨率 < 10 nm；放大倍数 80-200,000×；样品尺寸至 100 mm × 100 mm", 200, None, False, False, WEEKDAYS_8_20),
    ("smit", "electron-microscopy", "环境扫描电子显微镜", "Environmental scanning electron microscope", "Quattro ESEM", "Thermo Fisher Scientific", 4100000, 2022, "检测大楼 3层 305", "高真空/低真空/环境模式；分辨率 1.0 nm @30 kV；含水样品原位观察", 500, None, True, True, WEEKDAYS_8_20),
    ("qnlm", "mass-spectrometry", "高分辨液相色谱-质谱联用仪", "High-resolution LC-MS (Orbitrap)", "Orbitrap Exploris 480", "Thermo Fisher Scientific", 6800000, 2021, "蓝谷园区B1楼 205", "分辨率 480,000 FWHM @ m/z 200；质量精度 < 1 ppm；质量范围 m/z 40-8000", 800, 600, True, True, WEEKDAYS_8_20),
    ("fio", "mass-spectrometry", "电感耦合等离子体质谱仪", "Inductively coupled plasma mass spectrometer (ICP-MS)", "iCAP RQ", "Thermo Fisher Scientific", 2300000, 2018, "一所实验楼 4层 412", "检出限 ppt 级；质量范围 4-290 amu；碰撞反应池 KED 模式；海水痕量金属分析", 450, 280, True, False, WEEKDAYS_8_20),
    ("fio", "mass-spectrometry", "稳定同位素比值质谱仪", "Isotope ratio mass spectrometer", "Delta V Advantage", "Thermo Fisher Scientific", 3500000, 2017, "一所实验楼 4层 418", "δ13C、δ15N、δ18O 测定精度 ±0.1‰；配元素分析仪与 GasBench", 500, 350, True, True, WEEKDAYS_8_20),
    ("smit", "mass-spectrometry", "气相色谱-三重四极杆质谱联用仪", "GC triple quadrupole mass spectrometer", "7000E", "Agilent", 1650000, 2022, "检测大楼 2层 210", "MRM 灵敏度 < 4 fg OFN；质量范围 m/z 10-1050；农残、多环芳烃检测", 380, 260, False, False, EXTENDED),
    ("bv-biomed", "mass-spectrometry", "MALDI-TOF 质谱仪", "MALDI-TOF mass spectrometer", "rapifleX", "Bruker", 4200000, 2020, "生物医药园 C3楼 2层", "分辨率 > 40,000；10 kHz 激光；蛋白质、多肽与海洋天然产物鉴定", 600, 300, True, True, WEEKDAYS_8_20),
    ("qnlm", "chromatography", "超高效液相色谱仪", "Ultra-high performance liquid chromatograph", "ACQUITY UPLC H-Class", "Waters", 720000, 2019, "蓝谷园区B1楼 203", "耐压 15,000 psi；PDA 与 FLR 检测器；四元梯度", 150, 120, False, False, WEEKDAYS_8_20),
    ("sdu-qd", "chromatography", "离子色谱仪", "Ion chromatograph", "Dionex ICS-6000", "Thermo Fisher Scientific", 650000, 2020, "山大青岛校区 环境楼 C208", "电导与安培检测；阴阳离子同时分析；海水营养盐与卤素", 120, 100, False, False, WEEKDAYS_8_20),
    ("smit", "chromatography", "气相色谱仪", "Gas chromatograph", "8890", "Agilent", 560000, 2021, "检测大楼 2层 208", "FID/ECD 检测器；柱温箱 室温+4 ℃ 至 450 ℃；石油烃与挥发性有机物", 100, 80, False, False, EXTENDED),
    ("bv-biomed", "chromatography", "制备型液相色谱系统", "Preparative HPLC system", "AutoPurification", "Waters", 1100000, 2021, "生物医药园 C3楼 1层", "流速 至 150 mL/min；质量导向馏分收集；海洋活性物质分离纯化", 260, None, True, True, WEEKDAYS_8_20),
    ("fio", "spectroscopy", "傅里叶变换红外光谱仪", "FTIR spectrometer", "Nicolet iS50", "Thermo Fisher Scientific", 560000, 2018, "一所实验楼 3层 305", "光谱范围 7800-350 cm⁻¹；分辨率 0.09 cm⁻¹；ATR 附件", 100, 60, False, False, WEEKDAYS_8_20),
    ("ouc-bv", "spectroscopy", "激光共聚焦拉曼光谱仪", "Confocal Raman microscope", "LabRAM HR Evolution", "HORIBA", 1900000, 2019, "海大蓝谷研究院 2号楼 210", "激光 532/633/785 nm；光谱分辨率 0.3 cm⁻¹；微塑料鉴定", 300, 150, True, True, WEEKDAYS_8_20),
    ("sdu-qd", "spectroscopy", "紫外-可见-近红外分光光度计", "UV-Vis-NIR spectrophotometer", "Cary 7000", "Agilent", 850000, 2020, "山大青岛校区 化学楼 B215", "波长 175-3300 nm；积分球；透射与反射测量", 120, 50, False, False, WEEKDAYS_8_20),
    ("smit", "spectroscopy", "电感耦合等离子体发射光谱仪", "ICP optical emission spectrometer", "Avio 550 Max", "PerkinElmer", 780000, 2021, "检测大楼 2层 215", "同时型全谱直读；165-900 nm；海水与沉积物多元素", 200, 120, False, False, EXTENDED),
    ("qnlm", "x-ray", "X射线衍射仪", "X-ray diffractometer", "D8 ADVANCE", "Bruker", 1800000, 2018, "蓝谷园区A2楼 110", "Cu 靶 3 kW；LYNXEYE XE-T 探测器；2θ 范围 -110° 至 168°", 250, 150, True, True, WEEKDAYS_8_20),
    ("heu-qd", "x-ray", "工业CT扫描系统", "Industrial X-ray CT system", "Phoenix v|tome|x m", "Waygate Technologies", 6500000, 2021, "创新基地 材料楼 1层", "300 kV 微焦点；细节分辨率 < 1 μm；船用焊缝与复合材料无损检测", 900, None, True, True, WEEKDAYS_8_20),
    ("ouc-bv", "x-ray", "X射线光电子能谱仪", "X-ray photoelectron spectrometer", "ESCALAB Xi+", "Thermo Fisher Scientific", 5600000, 2019, "海大蓝谷研究院 2号楼 105", "单色化 Al Kα；能量分辨率 ≤ 0.45 eV；深度剖析", 700, 400, True, True, WEEKDAYS_8_20),
    ("qnlm", "nmr", "600 MHz 核磁共振波谱仪", "600 MHz NMR spectrometer", "AVANCE NEO 600", "Bruker", 9800000, 2020, "蓝谷园区B1楼 101", "超低温探头 CryoProbe；1H/13C/15N；海洋天然产物结构鉴定", 800, 500, True, True, ALWAYS),
    ("sdu-qd", "nmr", "400 MHz 核磁共振波谱仪", "400 MHz NMR spectrometer", "AVANCE III HD 400", "Bruker", 3200000, 2016, "山大青岛校区 化学楼 B101", "BBO 宽带探头；变温 -150 至 +150 ℃；自动进样 60 位", 300, 150, False, True, ALWAYS),
    ("qnlm", "sequencing", "高通量基因测序仪", "High-throughput sequencer", "NovaSeq 6000", "Illumina", 8900000, 2020, "蓝谷园区C1楼 301", "单次通量至 6 Tb；读长 2×250 bp；海洋微生物宏基因组", 1200, 900, True, True, ALWAYS),
    ("ouc-bv", "sequencing", "纳米孔测序仪", "Nanopore sequencer", "PromethION 24", "Oxford Nanopore", 2600000, 2022, "海大蓝谷研究院 3号楼 402", "超长读长 > 2 Mb；24 个流动槽；海洋生物基因组组装", 600, 700, True, True, ALWAYS),
    ("bv-biomed", "sequencing", "实时荧光定量PCR仪", "Real-time PCR system", "QuantStudio 5", "Thermo Fisher Scientific", 520000, 2021, "生物医药园 C3楼 3层", "96 孔；6 色荧光；HRM 分析", 80, 40, False, False, WEEKDAYS_8_20),
    ("fio", "ocean-observation", "温盐深剖面仪", "CTD profiler", "SBE 911plus", "Sea-Bird Scientific", 1600000, 2017, "一所海洋观测中心 码头仓库", "温度精度 ±0.001 ℃；电导率 ±0.0003 S/m；耐压 6800 m；24 Hz 采样", 300, None, True, True, ALWAYS),
    ("fio", "ocean-observation", "声学多普勒流速剖面仪", "Acoustic Doppler current profiler", "Workhorse Sentinel 300 kHz", "Teledyne RD Instruments", 850000, 2018, "一所海洋观测中心 码头仓库", "剖面范围 至 165 m；流速精度 ±0.5%；自容式或直读", 200, None, True, True, ALWAYS),
    ("qnlm", "ocean-observation", "海洋浮标观测系统", "Ocean buoy observation system", "BV-10 型综合浮标", "青岛海研电子", 3800000, 2021, "鳌山湾 观测站", "气象、水文、水质 18 参数；北斗与 4G 双通道实时传输", 500, None, True, True, ALWAYS),
    ("tju-qiot", "ocean-observation", "Argo 剖面浮标测试平台", "Argo float test bench", "HM2000 测试系统", "天津大学", 620000, 2020, "海洋技术研究院 1号楼 120", "压力舱 0-70 MPa；浮力调节与通信测试", 180, None, True, True, WEEKDAYS_8_20),
    ("ndsc", "underwater-vehicles", "4500 米级遥控无人潜水器", "4500 m remotely operated vehicle", "海马-4500 型", "国家深海基地", 45000000, 2019, "国家深海基地 码头", "最大工作深度 4500 m；双七功能机械手；4K 摄像与取样篮", 12000, None, True, True, ALWAYS),
    ("ndsc", "underwater-vehicles", "自主水下航行器", "Autonomous underwater vehicle", "潜龙 系列", "中国科学院沈阳自动化研究所", 18000000, 2020, "国家深海基地 装备库", "工作深度 4500 m；续航 30 h；侧扫声呐与浅地层剖面", 6000, None, True, True, ALWAYS),
    ("heu-qd", "underwater-vehicles", "水下机器人测试水池", "Underwater robot test tank", "50 m × 30 m × 10 m 综合水池", "哈尔滨工程大学", 26000000, 2021, "创新基地 水池实验室", "造波与造流；水下定位 UWB/超短基线；拖曳车 0.1-6 m/s", 1500, None, True, False, WEEKDAYS_8_20),
    ("ndsc", "acoustic-survey", "全海深多波束测深系统", "Full-ocean-depth multibeam echosounder", "EM 124", "Kongsberg", 15000000, 2020, "国家深海基地 科考船 深海一号", "工作频率 12 kHz；测深 20-11000 m；波束 512", 5000, None, True, True, ALWAYS),
    ("fio", "acoustic-survey", "侧扫声呐系统", "Side-scan sonar", "EdgeTech 4200", "EdgeTech", 1300000, 2018, "一所海洋观测中心 装备库", "双频 300/600 kHz；单侧量程 至 230 m；海底目标探测", 400, None, True, True, ALWAYS),
    ("tju-qiot", "acoustic-survey", "水听器校准系统", "Hydrophone calibration system", "HCS-200", "天津大学", 900000, 2019, "海洋技术研究院 声学消声水池", "频率 20 Hz-200 kHz；互易法与比较法；消声水池 8 m × 6 m × 5 m", 300, 200, True, True, WEEKDAYS_8_20),
    ("smit", "environmental-testing", "盐雾腐蚀试验箱", "Salt spray corrosion test chamber", "Q-FOG CRH 1100", "Q-Lab", 560000, 2020, "检测大楼 1层 108", "中性盐雾、醋酸盐雾与循环腐蚀；容积 1100 L；海工涂层评价", 60, 150, False, False, ALWAYS),
    ("smit", "environmental-testing", "高低温交变湿热试验箱", "Temperature-humidity test chamber", "SH-1500", "ESPEC", 520000, 2019, "检测大楼 1层 110", "温度 -70 至 +150 ℃；湿度 20-98% RH；容积 1500 L", 50, None, False, False, ALWAYS),
    ("jimo-auto", "environmental-testing", "整车环境模拟舱", "Vehicle climatic test chamber", "CWT-4000", "Weiss Technik", 8500000, 2022, "即墨汽车产业园 试验中心", "温度 -40 至 +60 ℃；日照模拟 1200 W/m²；转毂 200 km/h", 1500, None, True, True, WEEKDAYS_8_20),
    ("bv-marine-eq", "environmental-testing", "深海压力模拟试验舱", "Deep-sea pressure test chamber", "DPC-110", "蓝谷海工装备", 7200000, 2021, "海工装备产业园 试验厂房", "最大压力 110 MPa；内径 800 mm；压力循环与保压", 1200, None, True, True, WEEKDAYS_8_20),
    ("heu-qd", "materials-testing", "电子万能材料试验机", "Universal testing machine", "Instron 5985", "Instron", 1200000, 2019, "创新基地 材料楼 2层", "载荷 250 kN；拉伸、压缩、弯曲；-70 至 +350 ℃ 环境箱", 200, 100, False, True, WEEKDAYS_8_20),
    ("jimo-textile", "materials-testing", "纺织品综合性能测试系统", "Textile performance test system", "YG026 与 SDL Atlas 组合", "SDL Atlas", 680000, 2021, "即墨纺织产业园 检测中心", "断裂强力、撕破、耐磨、透气与抗紫外；海洋功能纺织品", 120, 80, False, False, WEEKDAYS_8_20),
    ("sdu-qd", "materials-testing", "纳米压痕仪", "Nanoindenter", "iMicro", "KLA", 1500000, 2020, "山大青岛校区 材料楼 A106", "载荷分辨率 6 nN；位移分辨率 0.04 nm；连续刚度测量", 300, 150, True, True, WEEKDAYS_8_20),
    ("heu-qd", "materials-testing", "疲劳试验机", "Fatigue testing machine", "MTS Landmark 370.25", "MTS", 1900000, 2020, "创新基地 材料楼 2层", "动态载荷 ±250 kN；频率 至 100 Hz；船体结构件疲劳", 350, None, True, True, EXTENDED),
    ("tju-qiot", "other", "海洋传感器标定系统", "Ocean sensor calibration system", "OSC-3", "天津大学", 760000, 2021, "海洋技术研究院 1号楼 118", "温度、盐度、溶解氧与浊度标定；恒温槽 ±0.001 ℃", 150, 100, False, False, WEEKDAYS_8_20),
    ("qnlm", "other", "高性能计算集群（分时）", "High-performance computing cluster (time share)", "蓝谷海洋科学超算分区", "曙光", 32000000, 2020, "蓝谷园区 超算中心", "每节点 64 核 512 GB；GPU 节点 A100；海洋数值模式与数据同化", 80, None, False, False, ALWAYS),
]

# What each category typically does, for the catalog's "functions" and "applications" fields.
CATEGORY_TEXTS = {
    "electron-microscopy": ("表面形貌与微区成分分析", "海洋材料腐蚀、微生物与矿物颗粒的微观结构研究"),
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
