"""The words of the records: what inspectors write about hazards (隐患描述), what is done
about them (整改措施), accident reports, enforcement notes and the rest, in the wording a
park safety office (园区安监办) uses."""

from __future__ import annotations

from models.enums import HazardCategory, Industry, SignKind

Cat = HazardCategory

GENERAL_HAZARDS: dict[HazardCategory, tuple[str, ...]] = {
    Cat.fire: ("{place}灭火器压力不足，未按月检查", "{place}消防通道被货物堵塞", "{place}应急照明灯损坏",
               "{place}安全出口指示标志不亮", "{place}消火栓箱内水带缺失", "{place}防火门常开未闭合",
               "{place}违规设置电动车充电点", "{place}动火作业未配备灭火器材"),
    Cat.electrical: ("{place}配电箱未上锁且无警示标识", "{place}电缆线路私拉乱接", "{place}漏电保护器失效",
                     "{place}防爆区域使用非防爆电器", "{place}设备接地线松动", "{place}配电柜前未铺设绝缘垫",
                     "{place}临时用电未办理审批"),
    Cat.hazardous_chemicals: ("{place}危险化学品未分类分区存放", "{place}储罐液位计损坏",
                              "{place}可燃气体报警器未定期校验", "{place}未张贴危险化学品安全技术说明书",
                              "{place}装卸作业未设置静电接地", "{place}有毒气体检测仪故障",
                              "{place}危险化学品出入库台账不全"),
    Cat.special_equipment: ("{place}压力容器超期未检验", "{place}叉车未办理使用登记", "{place}起重机限位器失效",
                            "{place}安全阀超期未校验", "{place}压力表超期未检定", "{place}行车钢丝绳断丝超标",
                            "{place}特种设备安全技术档案缺失"),
    Cat.confined_space: ("{place}有限空间未设置警示标识", "{place}有限空间作业未办理审批",
                         "{place}有限空间作业无专人监护", "{place}未配备气体检测和强制通风设备",
                         "{place}有限空间台账未建立"),
    Cat.work_at_height: ("{place}高处作业平台护栏缺失", "{place}高处作业人员未系安全带", "{place}临边洞口未设防护",
                         "{place}爬梯护笼损坏", "{place}脚手架未经验收即使用"),
    Cat.dust_explosion: ("{place}积尘未及时清理", "{place}除尘器未设置泄爆装置", "{place}除尘系统未设置锁气卸灰装置",
                         "{place}粉尘作业区使用非防爆电气设备", "{place}粉尘清扫制度未落实"),
    Cat.machinery: ("{place}设备传动部位防护罩缺失", "{place}冲床光电保护装置失效", "{place}砂轮机防护罩缺失",
                    "{place}设备急停按钮失灵", "{place}设备带病运行", "{place}检修作业未执行挂牌上锁"),
    Cat.signage: ("{place}安全警示标志缺失", "{place}职业病危害告知卡未设置", "{place}安全生产宣传牌破损",
                  "{place}疏散示意图未更新", "{place}安全风险四色分布图未公示", "{place}岗位安全操作规程未上墙"),
    Cat.management: ("安全生产责任制未按年度修订", "隐患排查治理台账记录不全", "动火作业票证填写不规范",
                     "应急预案未按期组织演练", "外来施工单位未签订安全管理协议", "安全生产费用提取使用台账不完整",
                     "交接班记录缺失", "双重预防机制运行记录不全"),
    Cat.training: ("新入职员工未进行三级安全教育", "特种作业人员操作证过期", "安全培训档案不完整",
                   "班组安全活动记录缺失", "全员安全培训学时不足", "应急演练后未开展培训总结"),
    Cat.other: ("{place}地面油污未及时清理", "{place}劳动防护用品配备不足", "{place}厂区限速标志缺失",
                "{place}物料堆放超高", "{place}厂区道路破损积水", "{place}洗眼器无法正常使用"),
}

MEASURES: dict[HazardCategory, tuple[str, ...]] = {
    Cat.fire: ("更换灭火器并建立月度检查记录", "清理通道，划设禁止占用标线", "维修应急照明和疏散指示，每月测试",
               "补齐消防器材，落实防火门常闭管理"),
    Cat.electrical: ("配电箱加锁并张贴警示标识", "拆除私拉线路，由持证电工重新敷设", "更换漏电保护器并每月试跳",
                     "更换为防爆型电气设备"),
    Cat.hazardous_chemicals: ("按禁忌要求分区分类存放，设置标识", "更换液位计并纳入检维修计划",
                              "委托有资质单位校验报警器", "补设静电接地报警装置"),
    Cat.special_equipment: ("委托特种设备检验机构检验", "办理使用登记并张贴登记标志", "更换限位器，试验合格后使用",
                            "送检安全阀和压力表，建立台账"),
    Cat.confined_space: ("设置有限空间警示标识，建立台账", "严格执行审批和先通风、再检测、后作业",
                         "配备气体检测仪和通风设备，落实专人监护"),
    Cat.work_at_height: ("恢复护栏，高度不低于1.2米", "开展高处作业专项培训，配发安全带", "临边洞口加设盖板和围挡"),
    Cat.dust_explosion: ("每班清扫积尘并记录", "加装泄爆片和隔爆阀", "更换为防爆电气设备"),
    Cat.machinery: ("恢复防护罩", "修复光电保护装置，班前检查", "停机检修，落实挂牌上锁制度"),
    Cat.signage: ("补设安全警示标志", "更新疏散示意图和告知卡", "更换破损宣传牌"),
    Cat.management: ("修订制度并组织学习", "完善台账，明确专人负责", "组织应急演练并评估"),
    Cat.training: ("补充开展三级安全教育", "组织复审培训，持证上岗", "完善培训档案"),
    Cat.other: ("清理现场，落实5S管理", "补充配发劳动防护用品", "修复道路，设置限速标志"),
}

# 重大事故隐患, in the words of the judgement standards (重大事故隐患判定标准), by industry.
MAJOR_HAZARDS: dict[Industry, tuple[tuple[HazardCategory, str], ...]] = {
    Industry.hazardous_chemicals: (
        (Cat.hazardous_chemicals, "涉及重点监管危险化工工艺的装置未实现自动化控制，未设置紧急停车系统"),
        (Cat.hazardous_chemicals, "构成重大危险源的危险化学品罐区未实现紧急切断功能"),
        (Cat.hazardous_chemicals, "液氨、液氯等有毒有害液化气体充装未使用万向管道充装系统"),
        (Cat.fire, "甲、乙类生产装置区内设有办公室、休息室"),
        (Cat.confined_space, "有限空间作业未执行“先通风、再检测、后作业”要求，且无监护措施"),
    ),
    Industry.fireworks: (
        (Cat.management, "工房、中转库超过核定人员和药量"),
        (Cat.fire, "在危险品生产区内违规设置生活区"),
    ),
    Industry.civil_explosives: (
        (Cat.hazardous_chemicals, "炸药库储存量超过核定储量"),
        (Cat.management, "危险工房防雷设施检测不合格仍继续生产"),
    ),
    Industry.non_coal_mining: (
        (Cat.work_at_height, "露天采场边坡存在滑坡迹象，未采取治理措施"),
        (Cat.management, "未按设计要求进行台阶式开采，形成高陡边坡"),
    ),
    Industry.metallurgy: (
        (Cat.confined_space, "煤气区域的值班室、操作室等人员聚集场所设在煤气危险区域内"),
        (Cat.special_equipment, "吊运熔融金属的起重机不符合冶金铸造起重机要求"),
    ),
    Industry.nonferrous_metals: (
        (Cat.dust_explosion, "铝粉尘除尘系统未采取泄爆、隔爆等防爆措施"),
        (Cat.special_equipment, "熔炼炉冷却水系统未设置断水报警装置"),
    ),
    Industry.construction: (
        (Cat.work_at_height, "高大模板支撑体系未经验收即投入使用"),
        (Cat.work_at_height, "深基坑未按专项施工方案施工，未进行监测"),
    ),
    Industry.warehousing_logistics: (
        (Cat.fire, "仓库内违规设置员工宿舍"),
        (Cat.hazardous_chemicals, "危险化学品与普通货物混存"),
    ),
}
GENERIC_MAJOR_HAZARDS: tuple[tuple[HazardCategory, str], ...] = (
    (Cat.dust_explosion, "粉尘爆炸危险场所设置在非框架结构的多层建筑物内"),
    (Cat.fire, "厂房内违规设置员工宿舍"),
    (Cat.fire, "消防设施大面积损坏无法正常使用"),
)
MAJOR_MEASURES = (
    "停产停用相关装置，编制专项整改方案，委托设计单位完成改造并经专家验收",
    "制定整改方案，落实专项资金和责任人，整改期间加强监测并限制作业人员数量",
    "立即撤出相关区域人员，按规范完成改造，整改完成后申请园区验收销号",
)
CONTINGENCY_PLANS = (
    "编制专项应急处置方案：划定警戒区域，现场配备应急物资，明确应急联络人24小时值守",
    "整改期间实行每日巡查，设置监测报警，发生异常立即停车并启动企业综合应急预案",
    "落实临时管控措施：限员、限量、限时作业，应急救援队伍和器材就位",
)

INSPECTION_NOTES: dict[str, tuple[str, ...]] = {
    "self": ("月度安全生产全面自查", "节前安全大检查", "班组交叉检查", "季节性安全检查（防汛、防雷）",
             "安全生产月自查", "冬季防火防冻自查"),
    "industry": ("{department}行业安全专项检查", "{department}“打非治违”专项行动检查",
                 "{department}安全生产治本攻坚专项检查", "{department}节前安全检查"),
    "park": ("园区安全生产综合督查（{half}）", "园区安委会综合督查暨隐患排查“回头看”",
             "园区安全生产大检查（{half}）"),
}
NO_INSPECTION_SOURCES = ("员工隐患随手拍上报", "企业日常巡查发现", "举报核查发现")

ACCIDENT_KINDS: dict[Industry, tuple[tuple[str, str], ...]] = {
    # (事故类型, 经过): the story names the place and does not prejudge the outcome
    Industry.hazardous_chemicals: (("灼烫", "精馏车间检修人员拆卸管道法兰时残液喷出"),
                                   ("中毒和窒息", "合成车间作业人员未办理审批进入反应釜清理"),
                                   ("火灾", "甲类仓库外动火作业引燃周边可燃物"),
                                   ("机械伤害", "包装工段清理搅拌设备时设备误启动")),
    Industry.fireworks: (("火药爆炸", "药物混合工房混药时摩擦起火引发燃爆"),
                         ("火灾", "中转库成品转运时引火线被引燃")),
    Industry.civil_explosives: (("火药爆炸", "装药工房设备故障引发燃爆"), ("机械伤害", "装箱工段作业人员被设备夹挤")),
    Industry.non_coal_mining: (("坍塌", "采场边坡局部垮塌"), ("车辆伤害", "排土场矿用自卸车倒车时撞到作业人员"),
                               ("物体打击", "破碎车间上方落石击中作业人员")),
    Industry.metallurgy: (("灼烫", "炼钢车间转炉出钢时钢水喷溅"), ("起重伤害", "铸造车间行车吊物坠落"),
                          ("中毒和窒息", "煤气柜区检修人员在未检测的情况下进入管道作业")),
    Industry.nonferrous_metals: (("灼烫", "熔铸车间铝液喷溅"), ("机械伤害", "轧制线作业人员被轧机卷入"),
                                 ("起重伤害", "成品仓库吊具脱钩致吊物坠落")),
    Industry.construction: (("高处坠落", "在建厂房工地作业人员在钢结构屋面作业时踩空坠落"),
                            ("物体打击", "脚手架上材料坠落击中下方人员"), ("坍塌", "深基坑边坡局部坍塌")),
    Industry.road_transport: (("车辆伤害", "停车场货车倒车时撞到引车人员"), ("车辆伤害", "装卸区车辆未熄火溜车")),
    Industry.building_materials: (("机械伤害", "粉磨车间清理皮带输送机时作业人员被卷入"),
                                  ("高处坠落", "检修人员检修料仓时坠落"), ("物体打击", "回转窑窑体耐火砖脱落")),
    Industry.machinery: (("机械伤害", "冲压车间操作工清理模具时设备误启动"), ("起重伤害", "装配车间行车吊物坠落"),
                         ("触电", "维修电工检修设备时未断电")),
    Industry.light_industry: (("机械伤害", "包装车间作业人员被包装机卷入"), ("火灾", "原料仓库电气线路短路起火")),
    Industry.textiles: (("机械伤害", "纺纱车间清理梳棉机时作业人员被卷入"), ("火灾", "棉花仓库电气故障起火")),
    Industry.warehousing_logistics: (("车辆伤害", "分拣中心叉车撞到作业人员"), ("物体打击", "高架库货架上货物坠落")),
    Industry.commerce_trade: (("物体打击", "商品仓库搬运时货物倒塌"), ("触电", "营业厅员工私接电线")),
    Industry.other: (("中毒和窒息", "污水处理池清淤作业未通风检测"), ("灼烫", "锅炉房检修时蒸汽泄漏")),
}
LARGER_ACCIDENT = ("中毒和窒息", "外包单位人员进入污水收集池作业，未进行气体检测，先后三人中毒窒息")

ACCIDENT_ENFORCEMENT_REASONS = {
    "fine": "对生产安全事故发生负有责任，依据《安全生产法》第一百一十四条处罚",
    "suspension": "发生生产安全事故，责令停产整顿",
    "prosecution": "发生生产安全事故，相关责任人涉嫌重大责任事故罪",
}
ENFORCEMENT_REASONS: dict[str, tuple[str, ...]] = {
    "rectification_order": ("隐患未按期整改", "动火作业管理不规范", "安全警示标志缺失", "未落实全员安全培训",
                            "危险化学品储存不规范", "有限空间作业管理不到位"),
    "fine": ("未按规定对从业人员进行安全生产教育和培训", "未如实记录安全生产教育和培训情况",
             "特种作业人员未持证上岗", "未采取措施消除事故隐患", "未建立事故隐患排查治理制度"),
    "suspension": ("重大事故隐患未按期整改", "发生生产安全事故，责令停产整顿", "拒不执行安全监管指令"),
    "closure": ("经停产整顿仍不具备安全生产条件", "非法违法生产且拒不整改"),
    "prosecution": ("发生生产安全事故，相关责任人涉嫌重大责任事故罪", "明知存在重大事故隐患仍冒险组织作业"),
}
ENFORCEMENT_DOCUMENTS = {
    "rectification_order": "责令限期整改指令书 园安监责改〔{year}〕{n}号",
    "fine": "行政处罚决定书 县应急罚〔{year}〕{n}号",
    "suspension": "责令停产停业整顿指令书 县应急停〔{year}〕{n}号",
    "closure": "关闭取缔决定 县政发〔{year}〕{n}号",
    "prosecution": "案件移送书 县应急移〔{year}〕{n}号",
}
DISHONESTY_REASONS = (
    "发生较大生产安全事故，对事故负有责任",
    "拒不执行安全监管指令，经停产整顿仍未达到要求",
    "重大事故隐患挂牌督办后逾期未整改",
)
OVERRIDE_REASONS = {
    "eligible": (
        "经园区现场核实整改已到位，同意阶段性支持，到期复核",
        "扩建项目已纳入园区重点项目，安全设施“三同时”落实到位，同意支持",
        "企业已签订安全生产承诺书并落实专项整改资金，同意续贷，到期复核",
    ),
    "ineligible": (
        "园区安委会通报近期动火作业管理混乱，暂缓信贷支持，待专项检查后复核",
        "合作银行反馈企业存在涉安全生产行政处罚未履行，暂缓支持",
        "群众举报核查中，结果出来前暂不支持",
    ),
}
AWAITING_VERIFICATION_OVERRIDE = "重大隐患已整改完毕，待园区组织验收销号；经现场核实同意临时支持，到期复核"

SIGN_LOCATIONS: dict[SignKind, tuple[str, ...]] = {
    SignKind.publicity_board: ("厂区大门东侧", "办公楼入口", "主要生产车间门口", "厂区主干道旁", "员工通道"),
    SignKind.warning_sign: ("配电房", "危险品仓库", "储罐区入口", "行车作业区", "有限空间入口", "高温区域",
                            "噪声区域", "叉车通道", "压力容器旁"),
    SignKind.evacuation_map: ("办公楼一层大厅", "生产车间入口", "员工宿舍楼", "仓库入口", "研发楼"),
    SignKind.other: ("职业病危害告知卡（车间）", "安全风险四色分布图", "岗位安全操作规程牌", "应急救援联络牌"),
}

PARK_STAFF = ("张伟", "刘洋", "陈静", "周国华", "黄志强", "吴海燕", "孙磊", "徐建军")
