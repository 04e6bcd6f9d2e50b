"""风险地图页面的文字。"""

MESSAGES: dict[str, str] = {
    "risk_map.no_park": "尚未建立园区。运行 `park-safety seed` 生成演示园区。",
    "risk_map.caption": "截至{date}的园区安全风险四色分布。地块按其内企业的最高风险颜色着色;"
                        "筛选条件作用于企业点位和隐患热力。",
    "risk_map.filter_industry": "行业",
    "risk_map.filter_colour": "风险颜色",
    "risk_map.filter_loan": "信贷状态",
    "risk_map.filter_loan_help": "按生效状态筛选:有效的人工调整优先于系统计算结果。",
    "risk_map.all": "全部",
    "risk_map.layer_plots": "地块风险着色",
    "risk_map.layer_enterprises": "企业点位",
    "risk_map.layer_hazard_heat": "隐患热力",
    "risk_map.layer_boundary": "园区边界",
    "risk_map.legend_empty_plot": "无企业地块",
    "risk_map.legend_heat": "隐患热力(按严重程度加权)",
    "risk_map.alt": "园区平面图:地块按风险颜色着色,企业以点位表示,叠加未销号隐患热力",
    "risk_map.shown": "显示 {shown} / {total} 家企业,未销号隐患 {hazards} 项。热力按隐患严重程度加权:"
                      "重大隐患每项计 {major},一般隐患每项计 {general};点位大小随从业人数增加。",
    "risk_map.how_to": "鼠标悬停在地块或企业上查看详情;点击企业可打开其评分卡。",
    "risk_map.scorecard_heading": "打开企业评分卡",
    "risk_map.pick": "企业(按评分从低到高)",
    "risk_map.pick_placeholder": "输入企业名称搜索",
    "risk_map.open_scorecard": "打开评分卡",
    "risk_map.scorecards_missing": "企业评分卡页面暂不可用。",
    "risk_map.tip_score": "评分 {score} · 等级 {grade}",
    "risk_map.tip_colour": "风险颜色:",
    "risk_map.tip_open": "未销号隐患 {count} 项",
    "risk_map.tip_plot": "地块 {code}",
    "risk_map.tip_plot_enterprises": "企业 {count} 家",
    "risk_map.no_enterprises": "无企业",
}
