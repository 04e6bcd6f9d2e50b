"""Enterprise main responsibility (企业主体责任): safety staffing and the safety production licence.

Lawful staffing follows 安全生产法 art. 24 (DESIGN.md 4.4): an enterprise in a high-risk
industry, or with more than ``staffing_employee_threshold`` employees, needs a safety
management body (安全生产管理机构) or at least one full-time safety officer (专职安全生产管理人员);
any other enterprise needs at least one full- or part-time safety officer — a body with no
staff counted does not suffice. The industries that need a safety production licence
(安全生产许可证) are listed in the settings.
"""

from __future__ import annotations

from datetime import date, timedelta

from dashboard.rules.facts import EnterpriseFacts
from dashboard.settings import RuleSettings
from models.enums import Industry


def needs_body_or_fulltime(industry: Industry, employees: int, rules: RuleSettings) -> bool:
    """True when the stricter requirement applies: a high-risk industry or more than the employee threshold."""
    return industry in rules.high_risk_industries or employees > rules.staffing_employee_threshold


def lawful_staffing(facts: EnterpriseFacts, rules: RuleSettings) -> bool:
    """Whether the enterprise's safety staffing meets 安全生产法 art. 24 (DESIGN.md 4.4)."""
    if needs_body_or_fulltime(facts.industry, facts.employees, rules):
        return facts.safety_org or facts.safety_staff_fulltime >= 1
    return facts.safety_staff_fulltime + facts.safety_staff_parttime >= 1


def licence_required(industry: Industry, rules: RuleSettings) -> bool:
    """Whether the industry needs a safety production licence (安全生产许可证)."""
    return industry in rules.licensed_industries


def licence_valid(facts: EnterpriseFacts, rules: RuleSettings, as_of: date) -> bool:
    """No licence is required, or the licence is valid at D (license_expires_on >= D)."""
    if not licence_required(facts.industry, rules):
        return True
    return facts.license_expires_on is not None and facts.license_expires_on >= as_of


def licence_expires_soon(facts: EnterpriseFacts, rules: RuleSettings, as_of: date) -> bool:
    """A required licence expires within the warning window: D <= license_expires_on <= D + N days."""
    expires = facts.license_expires_on
    if not licence_required(facts.industry, rules) or expires is None:
        return False
    return as_of <= expires <= as_of + timedelta(days=rules.loan_licence_expiry_warning_days)
