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
    "five_in_place": {
        "en": "A major hazard needs all five in place (responsibility, measures, funds, deadline, "
        "contingency plan): {field} is missing.",
        "zh": "重大隐患必须做到“五到位”(责任、措施、资金、时限、预案):缺少{field}。",
    },
    "needs_other": {
        "en": "{field} needs {other} to be filled in as well.",
        "zh": "填写{field}时还必须填写{other}。",
    },
    "unknown_reference": {
        "en": "{field} {value} does not exist.",
        "zh": "{field} {value} 不存在。",
    },
    "stale_version": {
        "en": "This record was changed by {user} since you opened it; reload it to see the change.",
        "zh": "此记录在您打开后已被{user}修改,请重新加载后查看。",
    },
    "invalid": {
        "en": "{field} is not valid: {detail}",
        "zh": "{field}无效:{detail}",
    },
}


def message(code: str, language: str = "en", **params: object) -> str:
    """The message for a problem code in a language, with its parameters filled in."""
    templates = MESSAGES.get(code, MESSAGES["invalid"])
    template = templates.get(language, templates["en"])
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
