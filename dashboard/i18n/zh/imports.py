"""Messages of the imports panel of the records page."""

MESSAGES: dict[str, str] = {
    "imports.title": "批量导入与导出",
    "imports.intro": (
        "上传一个表的 CSV(UTF-8 或 GBK 编码)或 XLSX 文件,不超过 10 MB。表头使用示例文件中的列名(英文或中文均可);"
        "企业的各类记录通过统一社会信用代码(uscc 列)指明所属企业。系统先检查整个文件,只有全部行都有效才会写入;"
        "已存在的统一社会信用代码将更新对应企业。"
    ),
    "imports.table": "数据表",
    "imports.table.enterprise": "企业",
    "imports.table.safety_sign": "安全标志",
    "imports.table.inspection": "检查记录",
    "imports.table.hazard": "隐患",
    "imports.table.accident": "事故",
    "imports.table.training": "培训",
    "imports.table.enforcement": "执法",
    "imports.samples": "示例文件",
    "imports.sample_csv": "示例 CSV",
    "imports.sample_xlsx": "示例 XLSX(中文表头)",
    "imports.export": "导出现有记录",
    "imports.export_csv": "导出 CSV",
    "imports.export_xlsx": "导出 XLSX",
    "imports.file": "要导入的文件",
    "imports.file_help": "所选数据表的 .csv 或 .xlsx 文件,第一行为列名。",
    "imports.refused": "文件不能导入:共发现 {problems} 个问题,涉及 {rows} 行。未写入任何数据,请修改文件后重新上传。",
    "imports.problem_row": "行",
    "imports.ready": "文件有效:共 {rows} 行,其中新增 {create} 条、更新 {update} 条、无变化 {unchanged} 条。",
    "imports.preview_caption": "前 {shown} 行(共 {rows} 行)及导入时对每行的处理。",
    "imports.encoding": "按 {encoding} 编码读取。",
    "imports.action": "处理",
    "imports.action.create": "新增",
    "imports.action.update": "更新",
    "imports.action.unchanged": "无变化",
    "imports.confirm": "导入 {rows} 行",
    "imports.done": "已将 {file} 导入{table}:新增 {create} 条,更新 {update} 条,无变化 {unchanged} 条。",
    "imports.changed_meanwhile": "预览之后数据已被修改,请重新核对预览。",
    "imports.denied": "您的角色无权导入记录。",
    "imports.yes": "是",
    "imports.no": "否",
}
