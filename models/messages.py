"""Validation messages: one catalog, keyed by a problem code, in English and Chinese.

Validators raise :class:`pydantic_core.PydanticCustomError` with one of these codes; the
message shown to a user is looked up here by code and language, so the form, the importer
and the command line say the same thing. ``{field}`` is the field's label.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "required": {
        "en": "{field} is required.",
        "zh": "{field}为必填项。",
    },
    "blank": {
        "en": "{field} must not be blank.",
        "zh": "{field}不能为空白。",
    },
    "too_short": {
        "en": "{field} must be at least {min_length} characters.",
        "zh": "{field}至少 {min_length} 个字符。",
    },
    "username_characters": {
        "en": "{field} “{value}” may contain only letters A–Z, digits, dots, hyphens and underscores.",
        "zh": "{field}“{value}”只能包含英文字母、数字、点、连字符和下划线。",
    },
    "too_long": {
        "en": "{field} must be at most {max_length} characters.",
        "zh": "{field}最多 {max_length} 个字符。",
    },
    "not_a_number": {
        "en": "{field} must be a number, not “{value}”.",
        "zh": "{field}必须是数字,而不是“{value}”。",
    },
    "not_a_whole_number": {
        "en": "{field} must be a whole number, not “{value}”.",
        "zh": "{field}必须是整数,而不是“{value}”。",
    },
    "not_a_date": {
        "en": "{field} must be a date like 2026-05-01, not “{value}”.",
        "zh": "{field}必须是日期(如 2026-05-01),而不是“{value}”。",
    },
    "not_a_boolean": {
        "en": "{field} must be yes or no, not “{value}”.",
        "zh": "{field}必须为是或否,而不是“{value}”。",
    },
    "negative": {
        "en": "{field} must not be negative (got {value}).",
        "zh": "{field}不能为负数(填写的是 {value})。",
    },
    "out_of_range": {
        "en": "{field} must be between {min} and {max} (got {value}).",
        "zh": "{field}必须在 {min} 到 {max} 之间(填写的是 {value})。",
    },
    "not_one_of": {
        "en": "{field} must be one of {allowed}; “{value}” is not.",
        "zh": "{field}必须是以下之一:{allowed};“{value}”不在其中。",
    },
    "uscc_length": {
        "en": "{field} must be 18 characters; “{value}” has {length}.",
        "zh": "{field}必须为 18 位;“{value}”为 {length} 位。",
    },
    "uscc_characters": {
        "en": "{field} may contain only digits and the capital letters used in credit codes (no I, O, S, V, Z; "
        "no lower case); “{value}” does not.",
        "zh": "{field}只能由数字和规定的大写字母组成(不含 I、O、S、V、Z,不能小写);“{value}”不符合。",
    },
    "uscc_check_digit": {
        "en": "{field} “{value}” has a wrong check character (the 18th character should be {expected}).",
        "zh": "{field}“{value}”校验码错误(第 18 位应为 {expected})。",
    },
    "uscc_prefix": {
        "en": "{field} “{value}” is not valid: its first 8 characters must be digits.",
        "zh": "{field}“{value}”无效:前 8 位必须是数字。",
    },
    "uscc_invalid": {
        "en": "{field} “{value}” is not a valid unified social credit code.",
        "zh": "{field}“{value}”不是有效的统一社会信用代码。",
    },
    "duplicate": {
        "en": "{field} “{value}” is already used by another record.",
        "zh": "{field}“{value}”已被其他记录使用。",
    },
    "certified_exceeds_total": {
        "en": "{field} ({value}) cannot exceed the number of special operators ({total}).",
        "zh": "{field}({value})不能超过特种作业人员总数({total})。",
    },
    "outside_park": {
        "en": "{field} {value} lies outside the park (allowed {min} to {max}).",
        "zh": "{field} {value} 不在园区范围内(允许 {min} 至 {max})。",
    },
    "date_before": {
        "en": "{field} ({value}) cannot be earlier than {other} ({other_value}).",
        "zh": "{field}({value})不能早于{other}({other_value})。",
    },
    "date_after_limit": {
        "en": "{field} ({value}) can be at most {days} days after {other} ({other_value}).",
        "zh": "{field}({value})最多只能比{other}({other_value})晚 {days} 天。",
    },
    "already_ended": {
        "en": "This override has already run out: its {field} was {value}.",
        "zh": "该认定已经失效:{field}为 {value}。",
    },
    "five_in_place": {
        "en": "A major hazard needs all five in place (responsibility, measures, funds, deadline, "
        "contingency plan): {field} is missing.",
        "zh": "重大隐患必须做到“五到位”(责任、措施、资金、时限、预案):缺少{field}。",
    },
    "needs_other": {
        "en": "{field} needs {other} to be filled in as well.",
        "zh": "填写{field}时还必须填写{other}。",
    },
    "required_with": {
        "en": "{field} is required when {other} is filled in.",
        "zh": "填写了{other}时,{field}为必填项。",
    },
    "status_mismatch": {
        "en": "{field} “{value}” does not match the dates entered: with {other} filled in it should be one of: "
        "{allowed}.",
        "zh": "{field}“{value}”与所填日期不符:已填写{other},应为以下之一:{allowed}。",
    },
    "unknown_reference": {
        "en": "{field} {value} does not exist.",
        "zh": "{field} {value} 不存在。",
    },
    "has_dependents": {
        "en": "This record cannot be deleted: {count} {table} record(s) refer to it; delete or correct those first.",
        "zh": "该记录不能删除:有 {count} 条{table}记录引用它,请先删除或更正这些记录。",
    },
    "use_workflow": {
        "en": "{field} changes only through the hazard's workflow buttons (rectified, verified, reopen).",
        "zh": "{field}只能通过隐患整改流程按钮(整改完成、验收销号、重新打开)变更。",
    },
    "transition_refused": {
        "en": "A hazard that is “{value}” cannot become “{target}”: only a hazard that is “{allowed}” can.",
        "zh": "隐患当前为“{value}”,不能改为“{target}”:只有“{allowed}”的隐患可以。",
    },
    "in_the_future": {
        "en": "{field} ({value}) cannot be later than today ({today}).",
        "zh": "{field}({value})不能晚于今天({today})。",
    },
    "stale_version": {
        "en": "This record was changed by {user} since you opened it; reload it to see the change.",
        "zh": "此记录在您打开后已被{user}修改,请重新加载后查看。",
    },
    "invalid": {
        "en": "{field} is not valid: {detail}",
        "zh": "{field}无效:{detail}",
    },
    # users and rule settings (the Settings page)
    "last_admin": {
        "en": "The account {value} is the last active administrator; make another user an active administrator "
        "first.",
        "zh": "账号 {value} 是最后一名在用的系统管理员,请先将另一名用户设为在用的系统管理员。",
    },
    "session_ended": {
        "en": "Your session has ended (signed out, expired, or the account was changed by an administrator): "
        "nothing was saved. Sign in again.",
        "zh": "您的登录已失效(已退出、已过期或账号已被管理员变更),本次操作未保存。请重新登录。",
    },
    "own_account": {
        "en": "You cannot deactivate your own account; another administrator can.",
        "zh": "不能停用自己的账号,请由另一名管理员操作。",
    },
    "unknown_setting": {
        "en": "“{value}” is not a rule setting.",
        "zh": "“{value}”不是规则参数。",
    },
    "weights_sum": {
        "en": "The six component maxima must add up to 100; with {field} at {value} they add up to {total}.",
        "zh": "六个评分项满分之和必须为 100;{field}为 {value} 时合计为 {total}。",
    },
    "items_sum": {
        "en": "The items of {other} must add up to {expected}; with {field} at {value} they add up to {total}.",
        "zh": "{other}的各分项之和必须为 {expected};{field}为 {value} 时合计为 {total}。",
    },
    "whole_sum": {
        "en": "{field} ({value}) must equal the sum of its items, which is {total}.",
        "zh": "{field}({value})必须等于其各分项之和 {total}。",
    },
    "must_not_exceed": {
        "en": "{field} ({value}) must not be more than {other} ({other_value}).",
        "zh": "{field}({value})不能大于{other}({other_value})。",
    },
    "must_be_at_least": {
        "en": "{field} ({value}) must be at least {other} ({other_value}).",
        "zh": "{field}({value})不能小于{other}({other_value})。",
    },
    # the bulk import: problems with a file as a whole, its columns or one of its cells
    "file_type": {
        "en": "Only .csv and .xlsx files can be imported; “{value}” is neither.",
        "zh": "只能导入 .csv 或 .xlsx 文件;“{value}”两者都不是。",
    },
    "file_too_large": {
        "en": "The file is {size} MB; files larger than {limit} MB cannot be imported. Split it into smaller files.",
        "zh": "文件大小为 {size} MB,超过 {limit} MB 的文件不能导入,请拆分为较小的文件。",
    },
    "file_empty": {
        "en": "The file is empty: it has no header row and no data.",
        "zh": "文件是空的:没有表头,也没有数据。",
    },
    "file_no_rows": {
        "en": "The file has a header row but no data rows; nothing to import.",
        "zh": "文件只有表头,没有数据行,没有可导入的内容。",
    },
    "file_binary": {
        "en": "The file is not CSV text (it holds binary data). Save it from Excel as “CSV UTF-8” or as an .xlsx "
        "workbook.",
        "zh": "该文件不是 CSV 文本(含有二进制数据)。请在 Excel 中另存为“CSV UTF-8”或 .xlsx 工作簿。",
    },
    "xlsx_unreadable": {
        "en": "The file is not a readable .xlsx workbook. Open it in Excel and save it again as .xlsx.",
        "zh": "无法读取该 .xlsx 工作簿。请用 Excel 打开后重新另存为 .xlsx。",
    },
    "too_many_rows": {
        "en": "The file has more than {limit} data rows; split it into smaller files.",
        "zh": "文件数据行超过 {limit} 行,请拆分为较小的文件。",
    },
    "unknown_column": {
        "en": "“{value}” is not a column of the {table} table. The columns are: {allowed}.",
        "zh": "“{value}”不是{table}表的列。可用的列为:{allowed}。",
    },
    "missing_column": {
        "en": "The file has no column for {field} (“{value}”), which every {table} row needs.",
        "zh": "文件缺少{field}列(“{value}”),每条{table}记录都必须填写。",
    },
    "duplicate_column": {
        "en": "Two columns are both {field}: “{value}” and “{other_value}”. Keep one.",
        "zh": "有两列都是{field}:“{value}”和“{other_value}”,请只保留一列。",
    },
    "column_without_header": {
        "en": "Column {value} has values but no header.",
        "zh": "第 {value} 列有数据但没有表头。",
    },
    "formula": {
        "en": "Cell {cell} holds a formula ({value}); formulas are not imported. Replace it with its value.",
        "zh": "单元格 {cell} 含有公式({value}),公式不能导入,请改为填写数值本身。",
    },
    "duplicate_in_file": {
        "en": "{field} “{value}” is in the file twice: row {first} has it too.",
        "zh": "{field}“{value}”在文件中重复出现:第 {first} 行也是它。",
    },
    "id_of_another_enterprise": {
        "en": "Record {value} belongs to the enterprise with the credit code “{other_value}”, not to this row's; "
        "leave id blank to add a new record.",
        "zh": "记录 {value} 属于统一社会信用代码为“{other_value}”的企业,与本行不符;如需新增记录,请将 id 留空。",
    },
    "unknown_uscc": {
        "en": "No enterprise has the unified social credit code “{value}”; import or add the enterprise first.",
        "zh": "没有统一社会信用代码为“{value}”的企业,请先导入或新增该企业。",
    },
    # files attached to a record (issue 15): each names the file, whatever it is called on the user's disk
    "attachment_empty": {
        "en": "“{value}” is empty (0 bytes); nothing to attach.",
        "zh": "“{value}”是空文件(0 字节),无法作为附件。",
    },
    "attachment_too_large": {
        "en": "“{value}” is {size} MB; a file attached to a record can be at most {limit} MB.",
        "zh": "“{value}”大小为 {size} MB,单个附件最大为 {limit} MB。",
    },
    "attachment_type": {
        "en": "“{value}” is not a photo (JPEG, PNG, WebP or HEIC) or a PDF document, whatever its name says; only "
        "those can be attached.",
        "zh": "“{value}”不是照片(JPEG、PNG、WebP 或 HEIC)或 PDF 文档(无论其文件名如何),只能上传这几类文件。",
    },
    "attachment_unreadable": {
        "en": "“{value}” cannot be read as a {kind} file: it is damaged or incomplete. Save or export it again "
        "and attach the new file.",
        "zh": "“{value}”无法作为 {kind} 文件读取:文件已损坏或不完整。请重新保存或导出后再上传。",
    },
    "attachment_too_many_pixels": {
        "en": "“{value}” has more than {limit} megapixels; photos that large cannot be attached. Attach a smaller "
        "copy of it.",
        "zh": "“{value}”超过 {limit} 百万像素,无法上传如此大的图片,请上传缩小后的图片。",
    },
    "attachment_pdf_protected": {
        "en": "“{value}” is a password-protected PDF; save it without the password and attach it again.",
        "zh": "“{value}”是设有密码的 PDF,请取消密码保存后重新上传。",
    },
    "attachment_too_many": {
        "en": "At most {limit} files can be attached to one record at one stage: this one has {count}, and {value} "
        "more would make {total}.",
        "zh": "每条记录每个阶段最多 {limit} 个附件:该记录已有 {count} 个,再上传 {value} 个将达到 {total} 个。",
    },
    "verify_needs_photo": {
        "en": "A major hazard is verified only with a photo or document of its rectification: attach one at the "
        "stage “rectified” (after) first. The rule setting “verify_needs_photo” asks for it.",
        "zh": "重大隐患须有整改后的照片或文件方可验收销号:请先在“整改后”阶段上传附件(规则设置"
        "“重大隐患须有整改后照片方可销号”)。",
    },
    "attachment_removed": {
        "en": "This file was removed by {removed_by} on {removed_on}: {reason}",
        "zh": "该文件已于 {removed_on} 被 {removed_by} 删除:{reason}",
    },
}

# Where a problem of the bulk import is: a cell (row and column), a whole row, a column, or the file.
# ``row`` counts data rows from 1; ``column`` is the header as written in the file.
IMPORT_PLACES: dict[str, dict[str, str]] = {
    "en": {
        "cell": "row {row}, column {column}: {message}",
        "row": "row {row}: {message}",
        "column": "column {column}: {message}",
        "file": "{message}",
    },
    "zh": {
        "cell": "第 {row} 行,“{column}”列:{message}",
        "row": "第 {row} 行:{message}",
        "column": "“{column}”列:{message}",
        "file": "{message}",
    },
}


# Field labels: what a person reads instead of a column name. English labels are lower case
# (a message that starts with one is capitalised); the Chinese are the terms the park uses.
FIELD_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "id": "record",
        "__record__": "record",
        "__root__": "record",
        "version": "version",
        # enterprise
        "uscc": "unified social credit code",
        "name": "name",
        "name_en": "English name",
        "industry": "industry",
        "plot_id": "plot",
        "lat": "latitude",
        "lon": "longitude",
        "legal_rep": "legal representative",
        "safety_lead": "safety lead",
        "phone": "phone",
        "employees": "number of employees",
        "safety_org": "safety management body",
        "safety_staff_fulltime": "full-time safety staff",
        "safety_staff_parttime": "part-time safety staff",
        "principal_certified": "principal certified",
        "safety_managers_certified": "safety managers certified",
        "special_operators": "number of special operators",
        "special_operators_certified": "certified special operators",
        "standardization_grade": "standardization grade",
        "major_hazard_source": "major hazard source",
        "license_no": "license number",
        "license_expires_on": "license expiry date",
        "status": "status",
        # hazard
        "enterprise_id": "enterprise",
        "inspection_id": "inspection",
        "found_on": "date found",
        "category": "category",
        "severity": "severity",
        "description": "description",
        "responsible_person": "responsible person",
        "measures": "measures",
        "funds_yuan": "funds (yuan)",
        "deadline": "deadline",
        "contingency_plan": "contingency plan",
        "rectified_on": "date rectified",
        "verified_on": "date verified",
        "verified_by": "verified by",
        "listed_supervision": "listed for supervision",
        "publicly_exposed": "publicly exposed",
        # loan override
        "decision": "decision",
        "reason": "reason",
        "decided_by": "decided by",
        "decided_on": "decision date",
        "expires_on": "expiry date",
        # enforcement and dishonesty list
        "action": "action",
        "fine_yuan": "fine (yuan)",
        "note": "note",
        "lifted_on": "date lifted",
        "listed_on": "date listed",
        "removed_on": "date removed",
        # signs
        "kind": "kind of sign",
        "location": "location",
        "installed_on": "installation date",
        "last_checked_on": "date last checked",
        "condition": "condition",
        "safety_sign_id": "safety sign",
        "checked_on": "date checked",
        "checked_by": "checked by",
        # inspections, accidents, training
        "inspected_on": "inspection date",
        "tier": "tier",
        "inspector": "inspector",
        "notes": "notes",
        "occurred_on": "date of the accident",
        "deaths": "deaths",
        "serious_injuries": "serious injuries",
        "direct_loss_yuan": "direct loss (yuan)",
        "cause_identified": "cause identified",
        "responsibles_handled": "those responsible dealt with",
        "measures_taken": "measures taken",
        "people_educated": "people educated",
        "held_on": "training date",
        "audience": "audience",
        "attendees": "attendees",
        "hours": "hours",
        # users
        "username": "user name",
        "display_name": "display name",
        "role": "role",
        "password": "password",
        # attachments
        "files": "files",
        "stage": "stage",
    },
    "zh": {
        "id": "记录",
        "__record__": "记录",
        "__root__": "记录",
        "version": "版本",
        "uscc": "统一社会信用代码",
        "name": "名称",
        "name_en": "英文名称",
        "industry": "行业",
        "plot_id": "地块",
        "lat": "纬度",
        "lon": "经度",
        "legal_rep": "法定代表人",
        "safety_lead": "安全负责人",
        "phone": "联系电话",
        "employees": "从业人员数",
        "safety_org": "安全管理机构",
        "safety_staff_fulltime": "专职安全管理人员数",
        "safety_staff_parttime": "兼职安全管理人员数",
        "principal_certified": "主要负责人持证",
        "safety_managers_certified": "安全管理人员持证",
        "special_operators": "特种作业人员数",
        "special_operators_certified": "持证特种作业人员数",
        "standardization_grade": "安全生产标准化等级",
        "major_hazard_source": "重大危险源等级",
        "license_no": "许可证号",
        "license_expires_on": "许可证有效期至",
        "status": "状态",
        "enterprise_id": "企业",
        "inspection_id": "检查记录",
        "found_on": "发现日期",
        "category": "隐患类别",
        "severity": "隐患等级",
        "description": "隐患描述",
        "responsible_person": "整改责任人",
        "measures": "整改措施",
        "funds_yuan": "整改资金(元)",
        "deadline": "整改时限",
        "contingency_plan": "应急预案",
        "rectified_on": "整改完成日期",
        "verified_on": "验收日期",
        "verified_by": "验收人",
        "listed_supervision": "挂牌督办",
        "publicly_exposed": "公开曝光",
        "decision": "认定结果",
        "reason": "理由",
        "decided_by": "决定人",
        "decided_on": "决定日期",
        "expires_on": "有效期至",
        "action": "执法措施",
        "fine_yuan": "罚款金额(元)",
        "note": "备注",
        "lifted_on": "解除日期",
        "listed_on": "列入日期",
        "removed_on": "移出日期",
        "kind": "标志类型",
        "location": "位置",
        "installed_on": "安装日期",
        "last_checked_on": "最近检查日期",
        "condition": "状况",
        "safety_sign_id": "安全标志",
        "checked_on": "检查日期",
        "checked_by": "检查人",
        "inspected_on": "检查日期",
        "tier": "检查层级",
        "inspector": "检查人",
        "notes": "备注",
        "occurred_on": "事故发生日期",
        "deaths": "死亡人数",
        "serious_injuries": "重伤人数",
        "direct_loss_yuan": "直接经济损失(元)",
        "cause_identified": "事故原因已查清",
        "responsibles_handled": "责任人员已处理",
        "measures_taken": "整改措施已落实",
        "people_educated": "有关人员已受教育",
        "held_on": "培训日期",
        "audience": "培训对象",
        "attendees": "参训人数",
        "hours": "学时",
        "username": "用户名",
        "display_name": "显示名称",
        "role": "角色",
        "password": "密码",
        "files": "附件",
        "stage": "阶段",
    },
}
# a table, named in a message about the records that depend on a record
TABLE_NAMES: dict[str, dict[str, str]] = {
    "en": {"sign_check": "sign check", "hazard": "hazard", "enterprise": "enterprise", "safety_sign": "safety sign",
           "inspection": "inspection", "accident": "accident", "training": "training",
           "enforcement": "enforcement"},
    "zh": {"sign_check": "标志检查", "hazard": "隐患", "enterprise": "企业", "safety_sign": "安全标志",
           "inspection": "检查", "accident": "事故", "training": "培训", "enforcement": "执法"},
}

SOMEONE: dict[str, str] = {"en": "another user", "zh": "其他用户"}
"""Who saved a record, when the audit trail does not say (a ``stale_version`` problem without ``user``)."""

FIELD_LABELS_EN = FIELD_LABELS["en"]
FIELD_LABELS_ZH = FIELD_LABELS["zh"]


def field_label(field_name: str, language: str = "en") -> str:
    """The label of a field in a language; English, then the bare name, when none is known."""
    labels = FIELD_LABELS.get(language, FIELD_LABELS["en"])
    return labels.get(field_name) or FIELD_LABELS["en"].get(field_name) or field_name.replace("_", " ")


def message(code: str, language: str = "en", **params: object) -> str:
    """The message for a problem code in a language, with its parameters filled in."""
    templates = MESSAGES.get(code, MESSAGES["invalid"])
    template = templates.get(language, templates["en"])
    try:
        text = template.format(**params)
    except (KeyError, IndexError):
        text = template
    return text[:1].upper() + text[1:]
