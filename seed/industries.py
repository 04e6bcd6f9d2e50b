"""What the demo park knows about each industry: how common it is in a chemical and
manufacturing park, how big its firms are, where on the site plan it sits, which hazards
its inspections find, and which licence (安全生产许可证) it needs."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.settings import HIGH_RISK_INDUSTRIES, LICENSED_INDUSTRIES
from models.enums import HazardCategory, Industry

Ind = Industry  # short aliases keep the tables below readable


def _weights(**weights: int) -> dict[HazardCategory, int]:
    return {HazardCategory(name): weight for name, weight in weights.items()}


@dataclass(frozen=True)
class IndustryProfile:
    """One industry's place in the park."""

    share: float  # relative weight in the park's mix
    median_employees: int
    zones: str  # plot zones (A–E) the industry settles in, most likely first
    hazards_per_month: float  # hazards an average firm's inspections find per month
    major_share: float  # share of its hazards that are major (重大隐患)
    accident_rate: float  # accidents per firm over the 24 months, before diligence
    special_operator_share: float  # special operators (特种作业人员) per employee
    categories: dict[HazardCategory, int]
    places: tuple[str, ...]  # where on the premises things are found


COMMON_PLACES = ("配电房", "办公楼", "员工食堂", "门卫室", "厂区道路", "消防泵房", "空压机房")

PROFILES: dict[Industry, IndustryProfile] = {
    Ind.hazardous_chemicals: IndustryProfile(
        share=26, median_employees=180, zones="AB", hazards_per_month=2.0, major_share=0.02, accident_rate=0.04,
        special_operator_share=0.12,
        categories=_weights(hazardous_chemicals=25, fire=14, electrical=10, special_equipment=10,
                            confined_space=8, work_at_height=5, machinery=3, signage=6, management=10,
                            training=5, dust_explosion=1, other=3),
        places=("储罐区", "合成车间", "精馏车间", "甲类仓库", "装卸站台", "中控室", "循环水站", "危废暂存间",
                "反应釜区", "污水处理站"),
    ),
    Ind.fireworks: IndustryProfile(
        share=2, median_employees=80, zones="A", hazards_per_month=1.5, major_share=0.02, accident_rate=0.06,
        special_operator_share=0.15,
        categories=_weights(hazardous_chemicals=10, fire=20, electrical=12, management=15, signage=8,
                            training=8, special_equipment=3, other=5),
        places=("药物混合工房", "装药工房", "成品仓库", "引火线工房", "晾晒场", "中转库"),
    ),
    Ind.civil_explosives: IndustryProfile(
        share=1, median_employees=150, zones="A", hazards_per_month=1.5, major_share=0.02, accident_rate=0.04,
        special_operator_share=0.12,
        categories=_weights(hazardous_chemicals=12, fire=18, electrical=12, management=15, signage=8,
                            training=8, special_equipment=5, other=4),
        places=("乳化炸药生产线", "雷管装配工房", "炸药总库", "硝酸铵仓库", "装卸站台"),
    ),
    Ind.non_coal_mining: IndustryProfile(
        share=1, median_employees=120, zones="D", hazards_per_month=1.5, major_share=0.015, accident_rate=0.06,
        special_operator_share=0.15,
        categories=_weights(machinery=15, electrical=12, work_at_height=10, special_equipment=10,
                            hazardous_chemicals=5, management=15, training=10, signage=8, other=15),
        places=("采场边坡", "破碎车间", "筛分车间", "排土场", "炸药库", "输送皮带廊"),
    ),
    Ind.metallurgy: IndustryProfile(
        share=6, median_employees=500, zones="D", hazards_per_month=1.8, major_share=0.012, accident_rate=0.05,
        special_operator_share=0.15,
        categories=_weights(special_equipment=15, electrical=12, fire=8, machinery=12, work_at_height=8,
                            dust_explosion=5, confined_space=6, hazardous_chemicals=4, signage=5,
                            management=10, training=5, other=3),
        places=("炼钢车间", "轧钢车间", "煤气柜区", "铸造车间", "行车通道", "原料堆场"),
    ),
    Ind.nonferrous_metals: IndustryProfile(
        share=6, median_employees=350, zones="D", hazards_per_month=1.5, major_share=0.01, accident_rate=0.04,
        special_operator_share=0.12,
        categories=_weights(special_equipment=14, electrical=12, fire=8, machinery=12, work_at_height=6,
                            dust_explosion=9, confined_space=5, hazardous_chemicals=5, signage=5,
                            management=10, training=5, other=3),
        places=("熔铸车间", "电解车间", "铝灰处理间", "抛光车间", "阳极氧化线", "成品仓库"),
    ),
    Ind.construction: IndustryProfile(
        share=3, median_employees=200, zones="E", hazards_per_month=1.8, major_share=0.012, accident_rate=0.07,
        special_operator_share=0.15,
        categories=_weights(work_at_height=25, machinery=10, electrical=15, special_equipment=15, fire=8,
                            confined_space=4, management=10, training=6, signage=5, other=5),
        places=("在建厂房工地", "塔吊作业区", "深基坑", "脚手架", "钢筋加工棚", "临时用电区"),
    ),
    Ind.road_transport: IndustryProfile(
        share=4, median_employees=80, zones="E", hazards_per_month=0.8, major_share=0.005, accident_rate=0.07,
        special_operator_share=0.05,
        categories=_weights(special_equipment=5, fire=10, hazardous_chemicals=10, management=25,
                            training=15, electrical=5, signage=5, other=15),
        places=("停车场", "车辆维修间", "危货车辆专用停车区", "调度室", "洗车台"),
    ),
    Ind.building_materials: IndustryProfile(
        share=12, median_employees=120, zones="D", hazards_per_month=1.2, major_share=0.006, accident_rate=0.04,
        special_operator_share=0.1,
        categories=_weights(machinery=15, electrical=12, special_equipment=12, work_at_height=10,
                            dust_explosion=3, fire=8, confined_space=6, signage=6, management=10,
                            training=6, other=3),
        places=("回转窑", "粉磨车间", "原料堆棚", "搅拌楼", "成品库", "包装车间"),
    ),
    Ind.machinery: IndustryProfile(
        share=18, median_employees=150, zones="C", hazards_per_month=1.2, major_share=0.004, accident_rate=0.035,
        special_operator_share=0.1,
        categories=_weights(machinery=25, electrical=15, special_equipment=15, fire=10, work_at_height=5,
                            dust_explosion=4, signage=7, management=10, training=6, other=3),
        places=("机加工车间", "焊接车间", "装配车间", "喷涂房", "冲压车间", "热处理车间", "成品仓库"),
    ),
    Ind.light_industry: IndustryProfile(
        share=12, median_employees=200, zones="C", hazards_per_month=1.0, major_share=0.004, accident_rate=0.025,
        special_operator_share=0.05,
        categories=_weights(fire=18, electrical=15, machinery=15, dust_explosion=8, special_equipment=8,
                            signage=7, management=10, training=7, confined_space=3, other=4),
        places=("生产车间", "包装车间", "原料仓库", "成品仓库", "锅炉房", "木工车间"),
    ),
    Ind.textiles: IndustryProfile(
        share=8, median_employees=300, zones="C", hazards_per_month=1.0, major_share=0.003, accident_rate=0.02,
        special_operator_share=0.03,
        categories=_weights(fire=25, electrical=18, machinery=12, dust_explosion=5, special_equipment=6,
                            signage=8, management=10, training=8, other=4),
        places=("纺纱车间", "织布车间", "印染车间", "定型车间", "棉花仓库", "成品仓库"),
    ),
    Ind.warehousing_logistics: IndustryProfile(
        share=10, median_employees=60, zones="E", hazards_per_month=1.0, major_share=0.004, accident_rate=0.025,
        special_operator_share=0.08,
        categories=_weights(fire=25, electrical=12, special_equipment=15, hazardous_chemicals=5, signage=8,
                            management=12, training=8, work_at_height=5, other=5),
        places=("1号仓库", "2号仓库", "高架库", "分拣中心", "装卸平台", "叉车充电区"),
    ),
    Ind.commerce_trade: IndustryProfile(
        share=7, median_employees=25, zones="E", hazards_per_month=0.5, major_share=0.002, accident_rate=0.008,
        special_operator_share=0.01,
        categories=_weights(fire=35, electrical=20, signage=12, management=15, training=10, other=8),
        places=("营业厅", "商品仓库", "展示厅", "办公区"),
    ),
    Ind.other: IndustryProfile(
        share=4, median_employees=60, zones="BC", hazards_per_month=0.8, major_share=0.004, accident_rate=0.025,
        special_operator_share=0.06,
        categories=_weights(fire=18, electrical=18, special_equipment=10, confined_space=8, management=15,
                            training=10, signage=10, machinery=6, other=5),
        places=("污水处理池", "汽机房", "锅炉房", "检测实验室", "泵房", "加药间"),
    ),
}

HIGH_RISK: frozenset[Industry] = frozenset(Industry(i) for i in HIGH_RISK_INDUSTRIES)
LICENSED: frozenset[Industry] = frozenset(Industry(i) for i in LICENSED_INDUSTRIES)

# 安全生产许可证 number patterns: （省）XX安许证字〔年〕编号
LICENCE_CODES: dict[Industry, tuple[str, str]] = {
    Ind.hazardous_chemicals: ("WH", "{n:04d}"),
    Ind.fireworks: ("YH", "{n:04d}"),
    Ind.civil_explosives: ("MB", "{n:03d}"),
    Ind.non_coal_mining: ("FM", "M{n:04d}"),
    Ind.construction: ("JZ", "{n:06d}"),
}

# The industry department (行业主管部门) that runs its special inspections (行业专项检查).
INDUSTRY_DEPARTMENTS: dict[Industry, tuple[str, ...]] = {
    Ind.hazardous_chemicals: ("县应急管理局危化股", "县消防救援大队"),
    Ind.fireworks: ("县应急管理局危化股", "县公安局治安大队"),
    Ind.civil_explosives: ("县工信局民爆办", "县公安局治安大队"),
    Ind.non_coal_mining: ("县应急管理局非煤矿山股", "县自然资源局"),
    Ind.metallurgy: ("县应急管理局工贸股", "县市场监管局特种设备股"),
    Ind.nonferrous_metals: ("县应急管理局工贸股", "县市场监管局特种设备股"),
    Ind.construction: ("县住建局质安站",),
    Ind.road_transport: ("县交通运输局运管股",),
    Ind.building_materials: ("县应急管理局工贸股", "县市场监管局特种设备股"),
    Ind.machinery: ("县应急管理局工贸股", "县市场监管局特种设备股"),
    Ind.light_industry: ("县应急管理局工贸股", "县消防救援大队"),
    Ind.textiles: ("县应急管理局工贸股", "县消防救援大队"),
    Ind.warehousing_logistics: ("县商务局", "县消防救援大队", "县市场监管局特种设备股"),
    Ind.commerce_trade: ("县商务局", "县消防救援大队"),
    Ind.other: ("县应急管理局工贸股", "县生态环境局"),
}

# How likely a firm of the industry is to run a major hazard source (重大危险源), by grade.
MAJOR_HAZARD_SOURCE_ODDS: dict[Industry, tuple[float, float, float, float]] = {
    # probability of grade1, grade2, grade3, grade4 (the rest: none)
    Ind.hazardous_chemicals: (0.05, 0.10, 0.15, 0.15),
    Ind.fireworks: (0.0, 0.05, 0.15, 0.20),
    Ind.civil_explosives: (0.0, 0.10, 0.20, 0.20),
    Ind.metallurgy: (0.0, 0.03, 0.07, 0.10),
    Ind.nonferrous_metals: (0.0, 0.0, 0.05, 0.10),
    Ind.warehousing_logistics: (0.0, 0.0, 0.02, 0.04),
    Ind.other: (0.0, 0.0, 0.02, 0.04),
}
