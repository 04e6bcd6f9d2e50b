"""Facts to start the pure rule tests from: a well-run enterprise that loses no point.

A test changes the one or two facts it is about; everything else stays exemplary, so the
outcome it asserts comes from those facts alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dashboard.rules.facts import EnterpriseFacts
from dashboard.settings import RuleSettings
from models.enums import Industry, MajorHazardSource, StandardizationGrade

AS_OF = date(2026, 3, 1)
RULES = RuleSettings()


def exemplary_facts(**changes: Any) -> EnterpriseFacts:
    """A machinery firm with 50 employees at AS_OF: full marks, grade A, eligible, blue."""
    values: dict[str, Any] = {
        "enterprise_id": 7,
        "uscc": "91110000600037341L",
        "name": "临江精密机械有限公司",
        "industry": Industry.machinery,
        "employees": 50,
        "safety_org": True,
        "safety_staff_fulltime": 1,
        "safety_staff_parttime": 0,
        "principal_certified": True,
        "safety_managers_certified": True,
        "special_operators": 0,
        "special_operators_certified": 0,
        "standardization_grade": StandardizationGrade.level1,
        "major_hazard_source": MajorHazardSource.none,
        "license_expires_on": None,
        "all_staff_trained": True,
        "signage_compliant": True,
        "self_inspected": True,
    }
    values.update(changes)
    return EnterpriseFacts(**values)
