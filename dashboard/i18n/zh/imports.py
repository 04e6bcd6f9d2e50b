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
    # problems with a file as a whole (dashboard/services/import_limits.py), listed like the others
    "imports.problem.mixed_encoding": (
        "文件第 {line} 行(第 {row} 条数据)是 {other} 编码,而前面各行是 {encoding} 编码:"
        "文件混用了两种编码,读出的文字会是乱码。请将整个文件保存为同一种编码(Excel 中选“CSV UTF-8”)后重新上传。"
    ),
    "imports.problem.xlsx_unpacked_too_large": (
        "工作簿“{file}”解压后为 {size} MB,解压后超过 {limit} MB 的工作簿不能导入。请拆分为较小的文件,或另存为 CSV。"
    ),
    "imports.problem.xlsx_packed_too_tightly": (
        "工作簿“{file}”不是普通的工作簿:其中 {part} 由 {packed} KB 解压为 {size} MB,"
        "超过压缩大小的 {limit} 倍,不能导入。请用 Excel 打开后重新保存,或另存为 CSV。"
    ),
}
