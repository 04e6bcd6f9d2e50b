"""The enumerations of the data contract (DESIGN.md section 3), stored as these lower-case strings."""

from __future__ import annotations

from enum import StrEnum


class Industry(StrEnum):
    hazardous_chemicals = "hazardous_chemicals"
    fireworks = "fireworks"
    civil_explosives = "civil_explosives"
    non_coal_mining = "non_coal_mining"
    metallurgy = "metallurgy"
    nonferrous_metals = "nonferrous_metals"
    construction = "construction"
    road_transport = "road_transport"
    building_materials = "building_materials"
    machinery = "machinery"
    light_industry = "light_industry"
    textiles = "textiles"
    warehousing_logistics = "warehousing_logistics"
    commerce_trade = "commerce_trade"
    other = "other"


class StandardizationGrade(StrEnum):
    """安全生产标准化等级."""

    level1 = "level1"
    level2 = "level2"
    level3 = "level3"
    none = "none"


class MajorHazardSource(StrEnum):
    """重大危险源等级; grade1 is the most severe."""

    none = "none"
    grade1 = "grade1"
    grade2 = "grade2"
    grade3 = "grade3"
    grade4 = "grade4"


class EnterpriseStatus(StrEnum):
    operating = "operating"
    suspended = "suspended"
    closed = "closed"


class SignKind(StrEnum):
    publicity_board = "publicity_board"  # 安全生产宣传牌
    warning_sign = "warning_sign"
    evacuation_map = "evacuation_map"
    other = "other"


class SignCondition(StrEnum):
    good = "good"
    damaged = "damaged"
    missing = "missing"


class InspectionTier(StrEnum):
    """企业全面自查、行业专项检查、园区综合督查."""

    self = "self"
    industry = "industry"
    park = "park"


class HazardCategory(StrEnum):
    fire = "fire"
    electrical = "electrical"
    hazardous_chemicals = "hazardous_chemicals"
    special_equipment = "special_equipment"
    confined_space = "confined_space"
    work_at_height = "work_at_height"
    dust_explosion = "dust_explosion"
    machinery = "machinery"
    signage = "signage"
    management = "management"
    training = "training"
    other = "other"


class HazardSeverity(StrEnum):
    general = "general"  # 一般隐患
    major = "major"  # 重大隐患


class HazardStatus(StrEnum):
    open = "open"
    rectifying = "rectifying"
    rectified = "rectified"
    verified = "verified"


class AccidentLevel(StrEnum):
    """生产安全事故报告和调查处理条例 art. 3, from least to most severe."""

    general = "general"
    larger = "larger"
    major = "major"
    especially_major = "especially_major"


class TrainingAudience(StrEnum):
    principal = "principal"
    safety_manager = "safety_manager"
    special_operator = "special_operator"
    all_staff = "all_staff"


class EnforcementAction(StrEnum):
    """The "four without exception" (四个一律) and the rectification order."""

    rectification_order = "rectification_order"
    suspension = "suspension"
    closure = "closure"
    fine = "fine"
    prosecution = "prosecution"


class LoanDecision(StrEnum):
    eligible = "eligible"
    ineligible = "ineligible"


class Role(StrEnum):
    admin = "admin"
    committee = "committee"
    finance = "finance"
    staff = "staff"



class AttachmentStage(StrEnum):
    """When a file attached to a record was taken: a hazard's 整改前 and 整改后 photos, or another record's
    evidence (models/attachment.py)."""

    found = "found"  # 整改前
    rectified = "rectified"  # 整改后
    evidence = "evidence"  # 佐证材料: a board as seen, a signed sheet, a report, a decision
