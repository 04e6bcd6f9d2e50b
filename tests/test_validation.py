"""The shared validation layer, without a database: every bad value is refused with a
message that names the field and says what is wrong, in English and in Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel
from stdnum.cn import uscc as stdnum_uscc

from models import (
    AccidentCreate,
    AppUserCreate,
    DishonestyListingCreate,
    EnforcementCreate,
    EnterpriseCreate,
    EnterpriseUpdate,
    HazardCreate,
    HazardUpdate,
    InspectionCreate,
    LoanOverrideCreate,
    RecordInvalid,
    SafetySignCreate,
    SignCheckCreate,
    TrainingCreate,
    validate,
)
from models.hazard import FIVE_IN_PLACE
from models.messages import FIELD_LABELS_EN, FIELD_LABELS_ZH, MESSAGES
from models.validation import FieldProblem, label
from tests.records import (
    USCC_A,
    USCC_B,
    USCC_C,
    enforcement_data,
    enterprise_data,
    general_hazard_data,
    loan_override_data,
    major_hazard_data,
    with_check_character,
)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
NEW_USER = {"username": "chen.staff", "display_name": "陈静", "role": "staff", "password": "long-enough-1"}
HAN = re.compile(r"[\u4e00-\u9fff]")


def refused(model: type[BaseModel], data: dict[str, Any]) -> RecordInvalid:
    with pytest.raises(RecordInvalid) as caught:
        validate(model, data)
    return caught.value


@dataclass(frozen=True)
class Bad:
    """One bad input: what is submitted, and the field, code and English words expected back."""

    id: str
    model: type[BaseModel]
    data: dict[str, Any]
    field: str
    code: str
    words: tuple[str, ...]


BAD_INPUTS = [
    # 统一社会信用代码
    Bad("uscc wrong check character", EnterpriseCreate, enterprise_data(uscc=USCC_A[:17] + "X"),
        "uscc", "uscc_check_digit", ("unified social credit code", "wrong check character", "should be L")),
    Bad("uscc of 17 characters", EnterpriseCreate, enterprise_data(uscc=USCC_A[:17]),
        "uscc", "uscc_length", ("unified social credit code", "must be 18 characters", "has 17")),
    Bad("uscc of 19 characters", EnterpriseCreate, enterprise_data(uscc=USCC_A + "1"),
        "uscc", "uscc_length", ("must be 18 characters", "has 19")),
    Bad("uscc in lower case", EnterpriseCreate, enterprise_data(uscc=USCC_B.lower()),
        "uscc", "uscc_characters", ("unified social credit code", "no lower case")),
    Bad("uscc with letters in the first 8", EnterpriseCreate,
        enterprise_data(uscc=with_check_character("9133A100MA2B3C4D5")),
        "uscc", "uscc_prefix", ("first 8 characters must be digits",)),
    Bad("uscc blank", EnterpriseCreate, enterprise_data(uscc="  "),
        "uscc", "required", ("unified social credit code is required",)),
    Bad("uscc missing", EnterpriseCreate, {k: v for k, v in enterprise_data().items() if k != "uscc"},
        "uscc", "required", ("unified social credit code is required",)),
    # enumerations
    Bad("unknown industry", EnterpriseCreate, enterprise_data(industry="mining"),
        "industry", "not_one_of", ("industry must be one of", "hazardous_chemicals", "“mining” is not")),
    Bad("unknown enterprise status", EnterpriseCreate, enterprise_data(status="bankrupt"),
        "status", "not_one_of", ("status must be one of", "operating", "“bankrupt”")),
    Bad("unknown standardization grade", EnterpriseCreate, enterprise_data(standardization_grade="level4"),
        "standardization_grade", "not_one_of", ("standardization grade must be one of", "level1")),
    Bad("unknown major hazard source grade", EnterpriseCreate, enterprise_data(major_hazard_source="grade5"),
        "major_hazard_source", "not_one_of", ("major hazard source must be one of", "grade4")),
    Bad("enum value in the wrong case", EnterpriseCreate, enterprise_data(industry="Machinery"),
        "industry", "not_one_of", ("industry must be one of",)),
    # counts
    Bad("negative employees", EnterpriseCreate, enterprise_data(employees=-1),
        "employees", "negative", ("number of employees must not be negative", "-1")),
    Bad("negative full-time safety staff", EnterpriseCreate, enterprise_data(safety_staff_fulltime=-2),
        "safety_staff_fulltime", "negative", ("full-time safety staff must not be negative",)),
    Bad("negative part-time safety staff", EnterpriseCreate, enterprise_data(safety_staff_parttime=-1),
        "safety_staff_parttime", "negative", ("part-time safety staff must not be negative",)),
    Bad("negative special operators", EnterpriseCreate,
        enterprise_data(special_operators=-1, special_operators_certified=0),
        "special_operators", "negative", ("number of special operators must not be negative",)),
    Bad("negative certified special operators", EnterpriseCreate, enterprise_data(special_operators_certified=-1),
        "special_operators_certified", "negative", ("certified special operators must not be negative",)),
    Bad("certified special operators above the total", EnterpriseCreate,
        enterprise_data(special_operators=5, special_operators_certified=6),
        "special_operators_certified", "certified_exceeds_total",
        ("certified special operators (6) cannot exceed the number of special operators (5)",)),
    Bad("employees as words", EnterpriseCreate, enterprise_data(employees="about forty"),
        "employees", "not_a_whole_number", ("number of employees must be a whole number", "“about forty”")),
    Bad("employees as a fraction", EnterpriseCreate, enterprise_data(employees="12.5"),
        "employees", "not_a_whole_number", ("must be a whole number", "“12.5”")),
    Bad("latitude as words", EnterpriseCreate, enterprise_data(lat="north"),
        "lat", "not_a_number", ("latitude must be a number", "“north”")),
    # dates and licences
    Bad("licence expiry not a date", EnterpriseCreate, enterprise_data(license_expires_on="2026-13-01"),
        "license_expires_on", "not_a_date", ("license expiry date must be a date like", "“2026-13-01”")),
    Bad("licence expiry without licence number", EnterpriseCreate, enterprise_data(license_no=" "),
        "license_expires_on", "needs_other", ("license expiry date needs license number",)),
    Bad("blank name", EnterpriseCreate, enterprise_data(name="   "),
        "name", "required", ("name is required",)),
    Bad("update without a version", EnterpriseUpdate, enterprise_data(),
        "version", "required", ("version is required",)),
    # hazards: enumerations
    Bad("unknown hazard category", HazardCreate, general_hazard_data(category="flood"),
        "category", "not_one_of", ("category must be one of", "fire", "“flood” is not")),
    Bad("unknown hazard severity", HazardCreate, general_hazard_data(severity="critical"),
        "severity", "not_one_of", ("severity must be one of general, major", "“critical”")),
    Bad("unknown hazard status", HazardCreate, general_hazard_data(status="closed"),
        "status", "not_one_of", ("status must be one of", "rectifying", "“closed”")),
    # hazards: what a general hazard needs
    Bad("general hazard without responsible person", HazardCreate, general_hazard_data(responsible_person=" "),
        "responsible_person", "required", ("responsible person is required",)),
    Bad("general hazard without deadline", HazardCreate, general_hazard_data(deadline=None),
        "deadline", "required", ("deadline is required",)),
    # hazards: date order
    Bad("deadline before found", HazardCreate, general_hazard_data(deadline="2026-03-01"),
        "deadline", "date_before", ("deadline (2026-03-01) cannot be earlier than date found (2026-03-02)",)),
    Bad("rectified before found", HazardCreate,
        general_hazard_data(status="rectified", rectified_on="2026-02-28"),
        "rectified_on", "date_before", ("date rectified (2026-02-28) cannot be earlier than date found",)),
    Bad("verified before rectified", HazardCreate,
        major_hazard_data(status="verified", rectified_on="2026-03-20", verified_on="2026-03-19", verified_by="陈工"),
        "verified_on", "date_before",
        ("date verified (2026-03-19) cannot be earlier than date rectified (2026-03-20)",)),
    Bad("verified without rectified", HazardCreate,
        general_hazard_data(status="verified", verified_on="2026-03-19", verified_by="陈工"),
        "verified_on", "needs_other", ("date verified needs date rectified",)),
    Bad("verified without who verified", HazardCreate,
        major_hazard_data(status="verified", rectified_on="2026-03-20", verified_on="2026-03-21"),
        "verified_by", "required_with", ("verified by is required when date verified is filled in",)),
    Bad("found on not a date", HazardCreate, general_hazard_data(found_on="2026-13-01"),
        "found_on", "not_a_date", ("date found must be a date like 2026-05-01", "“2026-13-01”")),
    Bad("found on in words", HazardCreate, general_hazard_data(found_on="last Tuesday"),
        "found_on", "not_a_date", ("date found must be a date",)),
    Bad("negative funds", HazardCreate, major_hazard_data(funds_yuan=-100),
        "funds_yuan", "negative", ("funds (yuan) must not be negative",)),
    Bad("funds in words", HazardCreate, major_hazard_data(funds_yuan="plenty"),
        "funds_yuan", "not_a_number", ("funds (yuan) must be a number", "“plenty”")),
    # hazards: status against dates
    Bad("verified status without verified date", HazardCreate, general_hazard_data(status="verified"),
        "verified_on", "required", ("date verified is required",)),
    Bad("rectified status without rectified date", HazardCreate, general_hazard_data(status="rectified"),
        "rectified_on", "required", ("date rectified is required",)),
    Bad("open status with a rectified date", HazardCreate,
        general_hazard_data(status="open", rectified_on="2026-03-10"),
        "status", "status_mismatch",
        ("status “open” does not match the dates", "date rectified", "rectified, verified")),
    Bad("rectifying status with a rectified date", HazardCreate,
        general_hazard_data(status="rectifying", rectified_on="2026-03-10"),
        "status", "status_mismatch", ("status “rectifying” does not match the dates",)),
    Bad("rectified status with a verified date", HazardCreate,
        general_hazard_data(status="rectified", rectified_on="2026-03-10", verified_on="2026-03-11",
                            verified_by="陈工"),
        "status", "status_mismatch", ("status “rectified” does not match the dates", "date verified")),
    Bad("open status with a verifier", HazardCreate, general_hazard_data(status="open", verified_by="陈工"),
        "verified_by", "needs_other", ("verified by needs date verified",)),
    # loan overrides
    Bad("loan override expiring before the decision", LoanOverrideCreate,
        loan_override_data(decided_on="2026-01-01", expires_on="2025-12-31"),
        "expires_on", "date_before", ("expiry date (2025-12-31) cannot be earlier than decision date",)),
    Bad("loan override without a reason", LoanOverrideCreate, loan_override_data(reason="  "),
        "reason", "required", ("reason is required",)),
    Bad("unknown loan decision", LoanOverrideCreate, loan_override_data(decision="maybe"),
        "decision", "not_one_of", ("decision must be one of eligible, ineligible", "“maybe”")),
    # enforcement
    Bad("fine without an amount", EnforcementCreate, enforcement_data(fine_yuan=None),
        "fine_yuan", "required", ("fine (yuan) is required",)),
    Bad("negative fine", EnforcementCreate, enforcement_data(fine_yuan=-1),
        "fine_yuan", "negative", ("fine (yuan) must not be negative",)),
    Bad("enforcement lifted before decided", EnforcementCreate,
        enforcement_data(action="suspension", fine_yuan=None, lifted_on="2026-02-09"),
        "lifted_on", "date_before", ("date lifted (2026-02-09) cannot be earlier than decision date (2026-02-10)",)),
    Bad("unknown enforcement action", EnforcementCreate, enforcement_data(action="warning"),
        "action", "not_one_of", ("action must be one of", "rectification_order", "“warning”")),
    # users
    Bad("short password", AppUserCreate, {**NEW_USER, "password": "short"},
        "password", "too_short", ("password must be at least 8 characters",)),
    Bad("user name with a space", AppUserCreate, {**NEW_USER, "username": "chen jing"},
        "username", "username_characters", ("user name “chen jing” may contain only letters",)),
    Bad("unknown role", AppUserCreate, {**NEW_USER, "role": "boss"},
        "role", "not_one_of", ("role must be one of admin, committee, finance, staff", "“boss”")),
]


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[b.id for b in BAD_INPUTS])
def test_bad_input_is_refused_with_a_message_naming_the_field(bad: Bad) -> None:
    error = refused(bad.model, bad.data)
    assert [(p.field, p.code) for p in error.problems] == [(bad.field, bad.code)]
    (english,) = error.messages()
    for words in bad.words:
        assert words.lower() in english.lower(), english
    assert english[0].isupper() and english.endswith("."), english
    assert label(bad.field) in english.lower()
    if "_" in bad.field:
        assert bad.field not in english, english  # a label, not the column name


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[b.id for b in BAD_INPUTS])
def test_bad_input_has_a_chinese_message_with_the_chinese_field_name(bad: Bad) -> None:
    error = refused(bad.model, bad.data)
    (chinese,) = error.messages("zh")
    assert HAN.search(chinese), chinese
    assert FIELD_LABELS_ZH[bad.field] in chinese, chinese
    assert chinese != error.messages("en")[0]


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_uscc_with_a_letter_credit_codes_never_use_is_refused(letter: str) -> None:
    code = USCC_B[:9] + letter + USCC_B[10:]
    error = refused(EnterpriseCreate, enterprise_data(uscc=code))
    assert [(p.field, p.code) for p in error.problems] == [("uscc", "uscc_characters")]
    assert "no I, O, S, V, Z" in error.messages()[0]
    assert code in error.messages()[0]


@pytest.mark.parametrize("missing", FIVE_IN_PLACE)
def test_major_hazard_missing_one_of_the_five_in_place_names_it(missing: str) -> None:
    error = refused(HazardCreate, {**major_hazard_data(), missing: None})
    assert [(p.field, p.code) for p in error.problems] == [(missing, "five_in_place")]
    (english,) = error.messages()
    assert "major hazard needs all five in place" in english
    assert f"{label(missing)} is missing" in english
    assert f"缺少{FIELD_LABELS_ZH[missing]}" in error.messages("zh")[0]


def test_major_hazard_missing_its_contingency_plan_says_so() -> None:
    error = refused(HazardCreate, major_hazard_data(contingency_plan=""))
    assert error.fields == {"contingency_plan"}
    assert error.messages() == [
        "A major hazard needs all five in place (responsibility, measures, funds, deadline, contingency plan): "
        "contingency plan is missing."
    ]
    assert error.messages("zh") == ["重大隐患必须做到“五到位”(责任、措施、资金、时限、预案):缺少应急预案。"]


def test_major_hazard_with_nothing_in_place_names_all_five_missing_fields() -> None:
    error = refused(HazardCreate, {**major_hazard_data(), **dict.fromkeys(FIVE_IN_PLACE)})
    assert [p.field for p in error.problems] == list(FIVE_IN_PLACE)
    assert {p.code for p in error.problems} == {"five_in_place"}
    assert len(error.messages()) == 5


def test_general_hazard_without_person_or_deadline_names_both() -> None:
    error = refused(HazardCreate, general_hazard_data(responsible_person=None, deadline=None))
    assert [(p.field, p.code) for p in error.problems] == [
        ("responsible_person", "required"), ("deadline", "required")]


def test_general_hazard_needs_only_person_and_deadline() -> None:
    hazard = validate(HazardCreate, general_hazard_data())
    assert hazard.measures is None and hazard.funds_yuan is None and hazard.contingency_plan is None
    assert hazard.listed_supervision is False


def test_major_hazard_saved_as_not_listed_comes_back_listed_for_supervision() -> None:
    hazard = validate(HazardCreate, major_hazard_data(listed_supervision=False))
    assert hazard.listed_supervision is True
    unsaid = major_hazard_data()
    unsaid.pop("listed_supervision", None)
    assert validate(HazardCreate, unsaid).listed_supervision is True


def test_dates_on_the_same_day_are_in_order() -> None:
    hazard = validate(HazardCreate, general_hazard_data(
        found_on="2026-03-02", deadline="2026-03-02", status="verified",
        rectified_on="2026-03-02", verified_on="2026-03-02", verified_by="陈工"))
    assert hazard.found_on == hazard.deadline == hazard.rectified_on == hazard.verified_on == date(2026, 3, 2)


def test_a_fully_closed_major_hazard_is_valid() -> None:
    hazard = validate(HazardUpdate, major_hazard_data(
        status="verified", rectified_on="2026-04-20", verified_on="2026-04-25", verified_by="陈工", version=3))
    assert hazard.status == "verified" and hazard.version == 3


def test_loan_override_may_expire_exactly_180_days_after_the_decision() -> None:
    override = validate(LoanOverrideCreate, loan_override_data(decided_on="2026-01-01", expires_on="2026-06-30"))
    assert override.expires_on - override.decided_on == timedelta(days=180)


def test_enforcement_other_than_a_fine_needs_no_amount() -> None:
    record = validate(EnforcementCreate, enforcement_data(action="rectification_order", fine_yuan=None))
    assert record.fine_yuan is None


def test_a_valid_enterprise_is_accepted_and_tidied() -> None:
    enterprise = validate(EnterpriseCreate, enterprise_data(
        uscc=f"  {USCC_C} ", name="  临江精细化工有限公司 ", name_en="", license_no="X-1", employees="120"))
    assert enterprise.uscc == USCC_C
    assert enterprise.name == "临江精细化工有限公司"
    assert enterprise.name_en is None
    assert enterprise.employees == 120
    assert enterprise.industry == "hazardous_chemicals"


def test_certified_special_operators_may_equal_the_total() -> None:
    enterprise = validate(EnterpriseCreate, enterprise_data(special_operators=7, special_operators_certified=7))
    assert enterprise.special_operators_certified == 7


def test_several_bad_fields_are_all_reported() -> None:
    error = refused(EnterpriseCreate, enterprise_data(uscc=USCC_A[:17], employees=-5, industry="mining"))
    assert error.fields == {"uscc", "employees", "industry"}
    assert len(error.messages()) == 3 and len(error.messages("zh")) == 3


def test_validate_accepts_a_model_as_well_as_a_dict() -> None:
    first = validate(EnterpriseCreate, enterprise_data())
    assert validate(EnterpriseCreate, first) == first


def test_the_error_text_names_each_field() -> None:
    error = refused(EnterpriseCreate, enterprise_data(employees=-1, phone=""))
    assert str(error) == "phone: Phone is required. employees: Number of employees must not be negative (got -1)."


def test_a_problem_for_a_field_without_a_label_still_reads() -> None:
    assert FieldProblem("fax_number", "required").text() == "Fax number is required."
    assert FieldProblem("fax_number", "required").text("zh") == "Fax number为必填项。"


# --- the catalog is complete ---

CREATE_MODELS: list[type[BaseModel]] = [
    EnterpriseCreate, EnterpriseUpdate, HazardCreate, HazardUpdate, LoanOverrideCreate, EnforcementCreate,
    DishonestyListingCreate, SafetySignCreate, SignCheckCreate, InspectionCreate, AccidentCreate, TrainingCreate,
    AppUserCreate,
]


@pytest.mark.parametrize("model", CREATE_MODELS, ids=[m.__name__ for m in CREATE_MODELS])
def test_every_field_a_person_fills_in_has_an_english_and_a_chinese_label(model: type[BaseModel]) -> None:
    for name in model.model_fields:
        assert name in FIELD_LABELS_EN, f"{model.__name__}.{name}"
        assert HAN.search(FIELD_LABELS_ZH.get(name, "")), f"{model.__name__}.{name}"


def test_every_message_exists_in_english_and_chinese() -> None:
    for code, templates in MESSAGES.items():
        assert set(templates) == {"en", "zh"}, code
        assert HAN.search(templates["zh"]), code


# --- properties ---

prefixes = st.tuples(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
).map("".join)


@given(first17=prefixes)
def test_any_code_with_its_computed_check_character_is_accepted(first17: str) -> None:
    code = first17 + stdnum_uscc.calc_check_digit(first17)
    assert validate(EnterpriseCreate, enterprise_data(uscc=code)).uscc == code


@given(first17=prefixes, data=st.data())
def test_any_other_check_character_is_refused_and_the_right_one_is_named(first17: str, data: st.DataObject) -> None:
    right = stdnum_uscc.calc_check_digit(first17)
    wrong = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != right]))
    error = refused(EnterpriseCreate, enterprise_data(uscc=first17 + wrong))
    assert [(p.field, p.code) for p in error.problems] == [("uscc", "uscc_check_digit")]
    assert f"should be {right}" in error.messages()[0]


@given(first17=prefixes.filter(lambda p: any(c.isalpha() for c in p)))
def test_any_valid_code_written_in_lower_case_is_refused(first17: str) -> None:
    code = (first17 + stdnum_uscc.calc_check_digit(first17)).lower()
    error = refused(EnterpriseCreate, enterprise_data(uscc=code))
    assert error.problems[0].code == "uscc_characters"


@given(length=st.integers(min_value=1, max_value=40).filter(lambda n: n != 18))
def test_any_code_that_is_not_18_characters_is_refused_with_its_length(length: int) -> None:
    code = ("9" * 40)[:length]
    error = refused(EnterpriseCreate, enterprise_data(uscc=code))
    assert error.problems[0].code == "uscc_length"
    assert f"has {length}." in error.messages()[0]


@given(total=st.integers(min_value=0, max_value=10_000), certified=st.integers(min_value=0, max_value=10_000))
def test_certified_special_operators_are_accepted_exactly_when_within_the_total(total: int, certified: int) -> None:
    data = enterprise_data(special_operators=total, special_operators_certified=certified)
    if certified <= total:
        assert validate(EnterpriseCreate, data).special_operators_certified == certified
    else:
        assert refused(EnterpriseCreate, data).fields == {"special_operators_certified"}


@given(count=st.integers(max_value=-1))
def test_any_negative_employee_count_is_refused(count: int) -> None:
    assert [(p.field, p.code) for p in refused(EnterpriseCreate, enterprise_data(employees=count)).problems] == [
        ("employees", "negative")]


@given(rectified_after=st.integers(min_value=0, max_value=60), verified_after=st.integers(min_value=-30, max_value=30))
def test_a_verification_is_accepted_exactly_when_not_before_the_rectification(
    rectified_after: int, verified_after: int
) -> None:
    found = date(2026, 3, 2)
    rectified = found + timedelta(days=rectified_after)
    verified = rectified + timedelta(days=verified_after)
    data = major_hazard_data(found_on=found, status="verified", rectified_on=rectified, verified_on=verified,
                             verified_by="陈工")
    if verified_after >= 0:
        assert validate(HazardCreate, data).verified_on == verified
    else:
        assert [(p.field, p.code) for p in refused(HazardCreate, data).problems] == [("verified_on", "date_before")]


def test_the_codes_these_tests_start_from_are_valid() -> None:
    assert stdnum_uscc.is_valid(USCC_A) and stdnum_uscc.is_valid(USCC_B) and stdnum_uscc.is_valid(USCC_C)
