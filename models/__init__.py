"""SQLModel tables of the data contract (DESIGN.md section 3) and their Create/Update models."""

from models import base  # noqa: F401  (sets the naming convention first)
from models.accident import FOUR_NOT_LETTING_GO, Accident, AccidentCreate
from models.attachment import Attachment, AttachmentBlob, AttachmentCopy, AttachmentStage
from models.enforcement import (
    DishonestyListing,
    DishonestyListingCreate,
    Enforcement,
    EnforcementCreate,
)
from models.enterprise import Enterprise, EnterpriseCreate, EnterpriseUpdate
from models.enums import (
    AccidentLevel,
    EnforcementAction,
    EnterpriseStatus,
    HazardCategory,
    HazardSeverity,
    HazardStatus,
    Industry,
    InspectionTier,
    LoanDecision,
    MajorHazardSource,
    Role,
    SignCondition,
    SignKind,
    StandardizationGrade,
    TrainingAudience,
)
from models.hazard import FIVE_IN_PLACE, Hazard, HazardCreate, HazardUpdate
from models.inspection import Inspection, InspectionCreate
from models.loan import LoanOverride, LoanOverrideCreate
from models.park import Park, Plot
from models.settings_store import RuleSetting
from models.signage import SafetySign, SafetySignCreate, SignCheck, SignCheckCreate
from models.system import DataRevision
from models.training import Training, TrainingCreate
from models.user import AppSession, AppUser, AppUserCreate, AuditLog, KnownDevice, SignInThrottle
from models.validation import FieldProblem, ParkBounds, RecordInvalid, validate

CONTRACT_TABLES = (
    "park", "plot", "enterprise", "safety_sign", "sign_check", "inspection", "hazard", "accident",
    "training", "enforcement", "dishonesty_listing", "loan_override", "app_user", "audit_log",
)

__all__ = [
    "CONTRACT_TABLES", "FIVE_IN_PLACE", "FOUR_NOT_LETTING_GO",
    "Accident", "AccidentCreate", "AccidentLevel", "AppSession", "AppUser", "AppUserCreate", "Attachment",
    "AttachmentBlob", "AttachmentCopy", "AttachmentStage", "AuditLog", "DataRevision",
    "DishonestyListing", "DishonestyListingCreate", "Enforcement", "EnforcementAction", "EnforcementCreate",
    "Enterprise", "EnterpriseCreate", "EnterpriseStatus", "EnterpriseUpdate", "FieldProblem", "Hazard",
    "HazardCategory", "HazardCreate", "HazardSeverity", "HazardStatus", "HazardUpdate", "Industry",
    "Inspection", "InspectionCreate", "InspectionTier", "KnownDevice", "LoanDecision", "LoanOverride",
    "LoanOverrideCreate",
    "MajorHazardSource", "Park", "ParkBounds", "Plot", "RecordInvalid", "Role", "RuleSetting", "SafetySign",
    "SafetySignCreate", "SignCheck", "SignCheckCreate", "SignCondition", "SignInThrottle", "SignKind",
    "StandardizationGrade",
    "Training", "TrainingAudience", "TrainingCreate", "validate",
]
