"""Names and numbers: enterprise names in Chinese and English, personal names, mobile
numbers, unified social credit codes (统一社会信用代码) and licence numbers.

Enterprise names follow the registered pattern 行政区划 + 字号 + 行业 + 组织形式
(e.g. 青岚宏达化工有限公司, "Qinglan Hongda Chemical Co., Ltd."); the trade names (字号)
combine two characters from a list of about eighty, so twenty thousand names rarely repeat.
"""

from __future__ import annotations

import random
from datetime import date

from stdnum.cn import uscc as stdnum_uscc

from models.enums import Industry
from seed.geography import ParkSite
from seed.industries import LICENCE_CODES

# 字号 characters with their pinyin, as firms spell them in English names.
TRADE_CHARACTERS: tuple[tuple[str, str], ...] = (
    ("宏", "hong"), ("鑫", "xin"), ("华", "hua"), ("盛", "sheng"), ("泰", "tai"), ("恒", "heng"), ("瑞", "rui"),
    ("丰", "feng"), ("昌", "chang"), ("达", "da"), ("兴", "xing"), ("隆", "long"), ("源", "yuan"), ("祥", "xiang"),
    ("鼎", "ding"), ("嘉", "jia"), ("金", "jin"), ("中", "zhong"), ("新", "xin"), ("天", "tian"), ("永", "yong"),
    ("正", "zheng"), ("德", "de"), ("东", "dong"), ("润", "run"), ("凯", "kai"), ("博", "bo"), ("宇", "yu"),
    ("海", "hai"), ("联", "lian"), ("创", "chuang"), ("信", "xin"), ("和", "he"), ("安", "an"), ("康", "kang"),
    ("富", "fu"), ("明", "ming"), ("光", "guang"), ("远", "yuan"), ("通", "tong"), ("利", "li"), ("成", "cheng"),
    ("誉", "yu"), ("晟", "sheng"), ("骏", "jun"), ("立", "li"), ("汇", "hui"), ("亿", "yi"), ("腾", "teng"),
    ("辉", "hui"), ("佳", "jia"), ("力", "li"), ("诚", "cheng"), ("峰", "feng"), ("锦", "jin"), ("荣", "rong"),
    ("发", "fa"), ("益", "yi"), ("万", "wan"), ("协", "xie"), ("众", "zhong"), ("森", "sen"), ("友", "you"),
    ("科", "ke"), ("启", "qi"), ("航", "hang"), ("卓", "zhuo"), ("越", "yue"), ("景", "jing"), ("聚", "ju"),
    ("宝", "bao"), ("星", "xing"), ("龙", "long"), ("蓝", "lan"), ("绿", "lv"), ("弘", "hong"), ("翔", "xiang"),
    ("晶", "jing"), ("川", "chuan"), ("岳", "yue"), ("拓", "tuo"), ("阳", "yang"), ("皓", "hao"), ("铭", "ming"),
)

# 行业表述: how a firm of each industry describes its business, in Chinese and in English.
INDUSTRY_WORDS: dict[Industry, tuple[tuple[str, str], ...]] = {
    Industry.hazardous_chemicals: (("化工", "Chemical"), ("精细化工", "Fine Chemical"), ("石化", "Petrochemical"),
                                   ("化学", "Chemical"), ("新材料", "New Materials"),
                                   ("医药化工", "Pharmaceutical Chemical"), ("氟化工", "Fluorochemical"),
                                   ("化学品", "Chemicals")),
    Industry.fireworks: (("烟花爆竹", "Fireworks"), ("烟花", "Fireworks"), ("花炮", "Firecracker")),
    Industry.civil_explosives: (("民爆器材", "Civil Explosives"), ("民用爆破器材", "Blasting Materials"),
                                ("化工爆破", "Blasting Chemical")),
    Industry.non_coal_mining: (("矿业", "Mining"), ("石灰石开采", "Limestone Quarrying"), ("砂石", "Sand and Gravel")),
    Industry.metallurgy: (("钢铁", "Iron and Steel"), ("特钢", "Special Steel"), ("冶金", "Metallurgical"),
                          ("铸造", "Foundry"), ("金属制品", "Metal Products")),
    Industry.nonferrous_metals: (("铝业", "Aluminium"), ("铜业", "Copper"), ("有色金属", "Nonferrous Metals"),
                                 ("锌业", "Zinc"), ("再生资源", "Renewable Resources")),
    Industry.construction: (("建设工程", "Construction Engineering"), ("建筑安装工程", "Building Installation"),
                            ("建工集团", "Construction Group"), ("钢结构工程", "Steel Structure Engineering")),
    Industry.road_transport: (("运输", "Transportation"), ("汽车运输", "Motor Transport"),
                              ("危险货物运输", "Dangerous Goods Transport"), ("货运", "Freight")),
    Industry.building_materials: (("建材", "Building Materials"), ("水泥", "Cement"),
                                  ("新型墙材", "New Wall Materials"), ("玻璃", "Glass"), ("陶瓷", "Ceramics"),
                                  ("混凝土", "Concrete"), ("石材", "Stone")),
    Industry.machinery: (("机械制造", "Machinery Manufacturing"), ("重工", "Heavy Industry"),
                         ("机电设备", "Electromechanical Equipment"), ("装备制造", "Equipment Manufacturing"),
                         ("汽车零部件", "Auto Parts"), ("精密机械", "Precision Machinery"), ("阀门", "Valve")),
    Industry.light_industry: (("食品", "Food"), ("包装", "Packaging"), ("塑业", "Plastics"), ("纸业", "Paper"),
                              ("家具", "Furniture"), ("电子科技", "Electronic Technology"), ("木业", "Wood Industry")),
    Industry.textiles: (("纺织", "Textile"), ("服饰", "Apparel"), ("印染", "Printing and Dyeing"),
                        ("棉纺", "Cotton Spinning"), ("针织", "Knitting")),
    Industry.warehousing_logistics: (("物流", "Logistics"), ("仓储", "Warehousing"),
                                     ("供应链管理", "Supply Chain Management"), ("冷链物流", "Cold Chain Logistics")),
    Industry.commerce_trade: (("商贸", "Trading"), ("贸易", "Trading"), ("五金建材商贸", "Hardware Trading"),
                              ("农资", "Agricultural Supplies")),
    Industry.other: (("环保科技", "Environmental Technology"), ("热电", "Thermal Power"), ("水务", "Water"),
                     ("检测技术", "Testing Technology"), ("能源", "Energy")),
}

_SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
    "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
    "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
    "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
    "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万",
)
_GIVEN_NAMES = (
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀兰", "霞", "平", "刚", "桂英", "建华", "建国", "建军", "志强", "志明", "海燕", "海波", "国庆", "国华",
    "文", "斌", "辉", "鹏", "浩", "宇", "红", "玲", "丹", "萍", "华", "俊", "峰", "飞", "鑫", "晓东", "晓燕",
    "春梅", "雪梅", "永刚", "德明", "卫东", "学军", "宏伟", "亮", "波", "林", "振华", "小兵", "文华", "金凤",
    "运华", "世杰", "光明", "长青", "新民", "爱民", "少华", "立新", "庆华", "玉兰", "凤英", "建平", "卫国",
)
_MOBILE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "177",
                    "180", "181", "182", "186", "187", "188", "189", "191", "199")

# The USCC alphabet (no I, O, S, V, Z); the organisation code's check weights (GB 11714-1997).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN_NAMES)


def mobile_number(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def enterprise_names(industry: Industry, site: ParkSite, rng: random.Random) -> tuple[str, str]:
    """A registered-looking Chinese name and its English rendering."""
    first, second = rng.sample(TRADE_CHARACTERS, 2)
    trade, trade_en = first[0] + second[0], (first[1] + second[1]).capitalize()
    words, words_en = rng.choice(INDUSTRY_WORDS[industry])
    form, form_en = ("股份有限公司", "Co., Ltd.") if rng.random() < 0.1 else ("有限公司", "Co., Ltd.")
    style = rng.random()
    if style < 0.55:
        return f"{site.short}{trade}{words}{form}", f"{site.short_en} {trade_en} {words_en} {form_en}"
    if style < 0.8:
        return f"{site.province}{trade}{words}{form}", f"{site.province_en} {trade_en} {words_en} {form_en}"
    return f"{trade}{words}（{site.province}）{form}", f"{trade_en} {words_en} ({site.province_en}) {form_en}"


def organization_code(rng: random.Random) -> str:
    """A nine-character organisation code with its own check character (GB 11714)."""
    if rng.random() < 0.75:  # issued since 2015: MA + seven characters
        body = "MA" + "".join(rng.choice(_USCC_ALPHABET) for _ in range(6))
    else:  # an older, all-digit code
        body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def uscc(region_code: str, rng: random.Random, taken: set[str]) -> str:
    """A valid, unused 统一社会信用代码: 9 (市场监管) 1 (企业), the county, an organisation code, the check."""
    while True:
        first17 = "91" + region_code + organization_code(rng)
        code = first17 + stdnum_uscc.calc_check_digit(first17)
        if code not in taken:
            taken.add(code)
            return code


def licence_number(industry: Industry, site: ParkSite, issued: date, rng: random.Random) -> str:
    """An 安全生产许可证 number in the issuing province's pattern, e.g. （赣）WH安许证字〔2024〕0123号."""
    kind, serial = LICENCE_CODES[industry]
    number = serial.format(n=rng.randint(1, 999))
    return f"（{site.licence_province}）{kind}安许证字〔{issued.year}〕{number}号"
