"""简体中文消息."""

MESSAGES: dict[str, str] = {
    "app.title": "园区安全生产监管看板",
    "app.language": "语言",
    "page.overview": "总览",
    "overview.records": "数据库记录",
    "overview.no_park": "尚未建立园区数据。请运行 `park-safety seed` 生成演示园区。",
    "overview.target": "年度事故控制目标:{target} 起",
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
