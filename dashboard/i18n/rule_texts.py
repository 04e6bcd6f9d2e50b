"""The sentences behind every scorecard deduction and loan rule, in English and Chinese: the rules'
part of the catalogs. Keyed by code, then by language; ``dashboard.rules.explanations`` fills them in
(its docstring describes the keys and placeholders). The tests hold both languages to the same keys
and placeholders. The names of enumeration values the sentences carry (a component, an industry, a
standardisation grade, a sign's condition) are not here: they are the catalogs' ``enum.<kind>.<value>``
(``dashboard/i18n/*/enums.py``), so each value has one name everywhere.
"""

from __future__ import annotations

Templates = dict[str, dict[str, str]]

# what a record's note means, by table (the facts layer writes the date); other notes show as they are
NOTE_LABELS: Templates = {
    "hazard": {"en": "deadline", "zh": "整改时限"},
    "accident": {"en": "occurred", "zh": "发生于"},
    "enforcement": {"en": "decided", "zh": "决定于"},
    "dishonesty_listing": {"en": "listed", "zh": "列入于"},
}

# a failing publicity board's note: its condition at D (the enumeration's name) and when it was checked
SIGN_CHECKED: Templates = {
    "latest": {"en": "last checked", "zh": "最近检查于"},  # in good condition, but checked too long ago
    "at": {"en": "checked", "zh": "检查于"},  # damaged or missing, as a check found it
    "never": {"en": "never checked", "zh": "未检查"},  # no state at D
}

DEDUCTION_REASONS: Templates = {
    "hazard_major_overdue": {
        "en": "Major hazards (重大隐患) past their rectification deadline and still open: "
        "{count} × {penalty} points.",
        "zh": "重大隐患逾期未整改 {count} 项,每项扣 {penalty} 分。",
    },
    "hazard_major_unverified": {
        "en": "Major hazards (重大隐患) not yet verified as rectified (within their deadline, or awaiting "
        "verification): {count} × {penalty} points.",
        "zh": "重大隐患尚未验收销号(未逾期或待验收){count} 项,每项扣 {penalty} 分。",
    },
    "hazard_general_overdue": {
        "en": "General hazards (一般隐患) past their rectification deadline: {count} × {penalty} points.",
        "zh": "一般隐患逾期未整改 {count} 项,每项扣 {penalty} 分。",
    },
    "hazard_general_open": {
        "en": "General hazards (一般隐患) still open within their deadline: {count} × {penalty} points.",
        "zh": "一般隐患在整改时限内尚未整改 {count} 项,每项扣 {penalty} 分。",
    },
    "accident_larger": {
        "en": "Larger-or-worse accidents (较大及以上事故) in the last {days} days: {count}; such an accident "
        "costs all {penalty} accident points.",
        "zh": "近 {days} 天内发生较大及以上生产安全事故 {count} 起,事故项 {penalty} 分全部扣除。",
    },
    "accident_general": {
        "en": "General accidents (一般事故) in the last {days} days: {count} × {penalty} points.",
        "zh": "近 {days} 天内发生一般生产安全事故 {count} 起,每起扣 {penalty} 分。",
    },
    "accident_four_not_letting_go": {
        "en": "General accidents in the last {days} days not fully handled by the four-not-letting-go "
        "principle (四不放过): {count} × {penalty} more points.",
        "zh": "近 {days} 天内的一般事故中有 {count} 起未落实“四不放过”,每起加扣 {penalty} 分。",
    },
    "staffing_unlawful.body_or_fulltime": {
        "en": "No safety management body and no full-time safety officer, though the enterprise is in a "
        "high-risk industry or has more than {threshold} employees (安全生产法 art. 24): {full_points} points.",
        "zh": "属高危行业或从业人员超过 {threshold} 人,但未设置安全生产管理机构,也未配备专职安全生产管理人员"
        "(《安全生产法》第二十四条),扣 {full_points} 分。",
    },
    "staffing_unlawful.any_staff": {
        "en": "No full- or part-time safety officer (安全生产法 art. 24; a safety body with no staff does not "
        "count): {full_points} points.",
        "zh": "未配备专职或兼职安全生产管理人员(《安全生产法》第二十四条;仅设机构而无人员不算),"
        "扣 {full_points} 分。",
    },
    "standardisation": {
        "en": "Safety standardisation (安全生产标准化) {grade}: {earned} of {max} points, "
        "{full_points} not earned.",
        "zh": "安全生产标准化{grade},得 {earned} 分(满分 {max} 分),扣 {full_points} 分。",
    },
    "licence_invalid.missing": {
        "en": "A safety production licence (安全生产许可证) is required in the {industry} industry, and none is "
        "on file: {full_points} points.",
        "zh": "{industry}行业须取得安全生产许可证,但未登记有效的许可证,扣 {full_points} 分。",
    },
    "licence_invalid.expired": {
        "en": "The safety production licence (安全生产许可证) required in the {industry} industry was valid until "
        "{expires_on} and has expired: {full_points} points.",
        "zh": "安全生产许可证有效期至 {expires_on},已过期({industry}行业须持证),扣 {full_points} 分。",
    },
    "principal_uncertified": {
        "en": "The principal (主要负责人) holds no work-safety qualification certificate: {full_points} points.",
        "zh": "主要负责人未取得安全生产知识和管理能力考核合格证明,扣 {full_points} 分。",
    },
    "safety_managers_uncertified": {
        "en": "The safety managers (安全生产管理人员) hold no work-safety qualification certificate: "
        "{full_points} points.",
        "zh": "安全生产管理人员未取得安全生产知识和管理能力考核合格证明,扣 {full_points} 分。",
    },
    "special_operators_uncertified": {
        "en": "{uncertified} of {total} special operators (特种作业人员) work without a certificate "
        "(持证上岗): {full_points} of {max} points.",
        "zh": "特种作业人员 {total} 人中有 {uncertified} 人未持证上岗,扣 {full_points} 分(该项满分 {max} 分)。",
    },
    "no_all_staff_training": {
        "en": "No all-staff safety training (全员安全培训) in the last {days} days: {full_points} points.",
        "zh": "近 {days} 天内未开展全员安全培训,扣 {full_points} 分。",
    },
    "signage_not_compliant": {
        "en": "No safety publicity board (安全生产宣传牌) in good condition and checked in the last {days} "
        "days: {full_points} points.",
        "zh": "没有状况良好且近 {days} 天内检查过的安全生产宣传牌,扣 {full_points} 分。",
    },
    "severe_enforcement": {
        "en": "Suspension, closure, prosecution or fine decided in the last {days} days ({count}): "
        "{full_points} points, however many.",
        "zh": "近 {days} 天内受到停产整顿、关闭、移送司法或罚款处理 {count} 次,扣 {full_points} 分(不论次数)。",
    },
    "rectification_order": {
        "en": "Rectification orders (责令限期整改) in the last {days} days ({count}): {full_points} points, "
        "however many.",
        "zh": "近 {days} 天内被责令限期整改 {count} 次,扣 {full_points} 分(不论次数)。",
    },
    "no_self_inspection": {
        "en": "No enterprise self-inspection (企业全面自查) recorded in the last {days} days: "
        "{full_points} points.",
        "zh": "近 {days} 天内没有企业全面自查记录,扣 {full_points} 分。",
    },
}

# appended when a component's floor of 0 cut a deduction short
CAPPED: dict[str, str] = {
    "en": " Only {points} points count: the {component} score cannot fall below 0.",
    "zh": "{component}项得分最低为 0 分,本项实扣 {points} 分。",
}

LOAN_REASONS: Templates = {
    "L1": {
        "en": "Not signage-compliant: no safety publicity board (安全生产宣传牌) in good condition and checked "
        "in the last {days} days.",
        "zh": "安全生产宣传牌不达标:没有状况良好且近 {days} 天内检查过的宣传牌。",
    },
    "L2": {
        "en": "Major hazards (重大隐患) not yet verified as rectified: {count}, of which {overdue} past the "
        "deadline.",
        "zh": "有 {count} 项重大隐患尚未整改验收销号,其中 {overdue} 项已逾期。",
    },
    "L3": {
        "en": "Hazards (隐患) overdue by more than {days} days: {count}.",
        "zh": "有 {count} 项隐患逾期超过 {days} 天仍未整改。",
    },
    "L4.fatal": {
        "en": "Accidents with deaths in the last {death_days} days: {fatal}.",
        "zh": "近 {death_days} 天内发生亡人事故 {fatal} 起。",
    },
    "L4.larger": {
        "en": "Larger-or-worse accidents (较大及以上事故) in the last {larger_days} days: {larger}.",
        "zh": "近 {larger_days} 天内发生较大及以上事故 {larger} 起。",
    },
    "L5": {
        "en": "Accidents in the last {days} days not fully handled by the four-not-letting-go principle "
        "(四不放过): {count}.",
        "zh": "近 {days} 天内有 {count} 起事故未落实“四不放过”。",
    },
    "L6.suspension": {
        "en": "A suspension for rectification (停产整顿) is in force ({suspensions}).",
        "zh": "停产整顿处理尚未解除({suspensions} 项)。",
    },
    "L6.closure": {
        "en": "A closure (关闭) has been decided ({closures}).",
        "zh": "已被依法责令关闭({closures} 项)。",
    },
    "L6.prosecution": {
        "en": "Prosecutions (移送司法) in the last {prosecution_days} days: {prosecutions}.",
        "zh": "近 {prosecution_days} 天内被移送司法 {prosecutions} 次。",
    },
    "L7": {
        "en": "On the list of seriously dishonest entities in work safety (安全生产严重失信主体名单): "
        "{count} listing{s} in force.",
        "zh": "被列入安全生产严重失信主体名单(失信名单),有效列入 {count} 次。",
    },
    "L8.missing": {
        "en": "A safety production licence (安全生产许可证) is required in the {industry} industry, and none is "
        "on file.",
        "zh": "{industry}行业须取得安全生产许可证,但未登记有效的许可证。",
    },
    "L8.expired": {
        "en": "The safety production licence (安全生产许可证) required in the {industry} industry was valid until "
        "{expires_on} and has expired.",
        "zh": "安全生产许可证有效期至 {expires_on},已过期({industry}行业须持证)。",
    },
    "L9": {
        "en": "Scorecard grade D: the score {score} is below {c_min}.",
        "zh": "评分卡等级为 D:得分 {score},低于 {c_min} 分。",
    },
    "C1": {
        "en": "Scorecard grade C: the score {score} is below {b_min}.",
        "zh": "评分卡等级为 C:得分 {score},低于 {b_min} 分。",
    },
    "C2": {
        "en": "Hazards (隐患) overdue by 1 to {days} days: {count}.",
        "zh": "有 {count} 项隐患逾期 1 至 {days} 天未整改。",
    },
    "C3": {
        "en": "Fines or rectification orders (罚款、责令限期整改) in the last {days} days: {count}.",
        "zh": "近 {days} 天内受到罚款或责令限期整改 {count} 次。",
    },
    "C4": {
        "en": "The safety production licence (安全生产许可证) expires on {expires_on}, in {days_left} days.",
        "zh": "安全生产许可证将于 {expires_on} 到期(还剩 {days_left} 天)。",
    },
}

_FOUR_NOT_LETTING_GO_EN = (
    "identify the cause, deal with those responsible, take corrective measures and educate the people "
    "involved, and record each step."
)
_FOUR_NOT_LETTING_GO_ZH = "查清事故原因、处理责任人员、落实整改措施、教育相关人员,并逐项登记。"

LOAN_REMEDIES: Templates = {
    "L1": {
        "en": "Put up a safety publicity board (安全生产宣传牌), or repair one, and record a check that finds "
        "it in good condition.",
        "zh": "设置或修复安全生产宣传牌,并登记一次状况良好的检查。",
    },
    "L1@records": {
        "en": "Repair or replace publicity board{rs} {records}, or put up a new one, and record a check that "
        "finds a board in good condition.",
        "zh": "修复或更换宣传牌 {records},或新设一块,并登记一次状况良好的检查。",
    },
    "L2": {
        "en": "Rectify the {count} major hazard{s} and have each rectification verified (验收销号).",
        "zh": "完成 {count} 项重大隐患的整改,并逐项验收销号。",
    },
    "L2@records": {
        "en": "Rectify major hazard{rs} {records} and have each rectification verified (验收销号).",
        "zh": "完成重大隐患 {records} 的整改,并逐项验收销号。",
    },
    "L3": {
        "en": "Rectify the {count} hazard{s} overdue by more than {days} days.",
        "zh": "整改逾期超过 {days} 天的 {count} 项隐患。",
    },
    "L3@records": {
        "en": "Rectify hazard{rs} {records}, overdue by more than {days} days.",
        "zh": "整改逾期超过 {days} 天的隐患 {records}。",
    },
    "L4.fatal": {
        "en": "This clears with time, once no accident with deaths falls within the last {death_days} days.",
        "zh": "随时间解除:近 {death_days} 天内不再有亡人事故即可。",
    },
    "L4.fatal@records": {
        "en": "This clears with time, {death_days} days after accident{rs} {records}.",
        "zh": "随时间解除:事故 {records} 满 {death_days} 天后即可。",
    },
    "L4.larger": {
        "en": "This clears with time, once no larger-or-worse accident falls within the last {larger_days} "
        "days.",
        "zh": "随时间解除:近 {larger_days} 天内不再有较大及以上事故即可。",
    },
    "L4.larger@records": {
        "en": "This clears with time, {larger_days} days after accident{rs} {records}.",
        "zh": "随时间解除:事故 {records} 满 {larger_days} 天后即可。",
    },
    "L5": {
        "en": "Complete the four-not-letting-go handling (四不放过) of the {count} accident{s}: "
        + _FOUR_NOT_LETTING_GO_EN,
        "zh": "对 {count} 起事故落实“四不放过”:" + _FOUR_NOT_LETTING_GO_ZH,
    },
    "L5@records": {
        "en": "Complete the four-not-letting-go handling (四不放过) of accident{rs} {records}: "
        + _FOUR_NOT_LETTING_GO_EN,
        "zh": "对事故 {records} 落实“四不放过”:" + _FOUR_NOT_LETTING_GO_ZH,
    },
    "L6.suspension": {
        "en": "Complete the rectification and have the suspension (停产整顿) lifted, with its lifting date "
        "recorded.",
        "zh": "完成停产整顿并经验收解除处理,登记解除日期。",
    },
    "L6.suspension@records": {
        "en": "Complete the rectification and have suspension{rs} {records} lifted, with the lifting date "
        "recorded.",
        "zh": "完成停产整顿并解除处理 {records},登记解除日期。",
    },
    "L6.closure": {
        "en": "A closure keeps the enterprise ineligible even once lifted; only a reasoned override by the "
        "finance liaison can change the decision.",
        "zh": "被责令关闭的企业即使解除关闭也不予信贷支持,只能由金融联络员录入有理由的人工认定。",
    },
    "L6.prosecution": {
        "en": "This clears with time, {prosecution_days} days after the prosecution decision.",
        "zh": "随时间解除:移送司法决定作出满 {prosecution_days} 天后即可。",
    },
    "L6.prosecution@records": {
        "en": "This clears with time, {prosecution_days} days after prosecution decision{rs} {records}.",
        "zh": "随时间解除:移送司法决定 {records} 作出满 {prosecution_days} 天后即可。",
    },
    "L7": {
        "en": "Complete credit repair (信用修复) and apply for removal from the list; a listing lapses "
        "{years} years after it was made.",
        "zh": "完成信用修复并申请移出失信名单;列入满 {years} 年后自动失效。",
    },
    "L7@records": {
        "en": "Complete credit repair (信用修复) and apply for removal of listing{rs} {records}; a listing "
        "lapses {years} years after it was made.",
        "zh": "完成信用修复并申请移出失信名单 {records};列入满 {years} 年后自动失效。",
    },
    "L8.missing": {
        "en": "Obtain the safety production licence (安全生产许可证) and record its expiry date.",
        "zh": "取得安全生产许可证并登记有效期。",
    },
    "L8.expired": {
        "en": "Renew the safety production licence (valid until {expires_on}) and record the new expiry date.",
        "zh": "办理安全生产许可证延续(原有效期至 {expires_on}),并登记新的有效期。",
    },
    "L9": {
        "en": "Raise the score to at least {c_min} (grade C); the most points are lost on {losses}.",
        "zh": "将得分提高到 {c_min} 分以上(C 级);失分最多的是{losses}。",
    },
    "C1": {
        "en": "Raise the score to at least {b_min} (grade B); the most points are lost on {losses}.",
        "zh": "将得分提高到 {b_min} 分以上(B 级);失分最多的是{losses}。",
    },
    "C2": {
        "en": "Rectify the {count} overdue hazard{s} before any is more than {days} days overdue, which would "
        "make the enterprise ineligible.",
        "zh": "尽快整改 {count} 项逾期隐患,逾期超过 {days} 天将不予信贷支持。",
    },
    "C2@records": {
        "en": "Rectify overdue hazard{rs} {records} before any is more than {days} days overdue, which would "
        "make the enterprise ineligible.",
        "zh": "尽快整改逾期隐患 {records},逾期超过 {days} 天将不予信贷支持。",
    },
    "C3": {
        "en": "Carry out what was ordered; this clears {days} days after the decision.",
        "zh": "落实处罚和整改要求;处理决定作出满 {days} 天后解除。",
    },
    "C3@records": {
        "en": "Carry out what was ordered; this clears {days} days after decision{rs} {records}.",
        "zh": "落实处罚和整改要求;处理决定 {records} 作出满 {days} 天后解除。",
    },
    "C4": {
        "en": "Renew the safety production licence before it expires on {expires_on} and record the new "
        "expiry date.",
        "zh": "在 {expires_on} 到期前办理安全生产许可证延续,并登记新的有效期。",
    },
}
