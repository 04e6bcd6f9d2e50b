"""简体中文消息."""

MESSAGES: dict[str, str] = {
    "app.title": "园区安全生产监管看板",
    "app.language": "语言",
    "app.as_of": "统计日期",
    "app.as_of_help": "各页面均显示园区截至该日结束时的情况。",
    "page.risk_map": "风险地图",
    "page.heatmaps": "热力分析",
    "page.scorecards": "企业评分卡",
    "page.loans": "信贷资格",
    "page.overview": "总览",
    "table.enterprise": "企业",
    "table.plot": "地块",
    "table.safety_sign": "安全标志",
    "table.sign_check": "标志检查",
    "table.inspection": "检查记录",
    "table.hazard": "隐患",
    "table.accident": "事故",
    "table.training": "培训",
    "table.enforcement": "执法处罚",
    "table.dishonesty_listing": "失信名单",
    "table.loan_override": "信贷人工认定",
}
