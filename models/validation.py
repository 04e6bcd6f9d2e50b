"""The shared validation vocabulary: field problems, the error that carries them, and
reusable checks (USCC, park bounds). Forms, the importer and the command line all
validate through the Create/Update models, which use these.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from models.messages import FIELD_LABELS_EN, FIELD_LABELS_ZH, SOMEONE, TABLE_NAMES, field_label, message

M = TypeVar("M", bound=BaseModel)

__all__ = [
    "FIELD_LABELS_EN", "FIELD_LABELS_ZH", "FieldProblem", "ParkBounds", "RecordInvalid", "check_uscc", "label",
    "problem", "problems_from", "saved_by", "several", "validate",
]


def label(field_name: str, language: str = "en") -> str:
    """A readable label for a field name in a language (the catalog in models.messages holds them)."""
    return field_label(field_name, language)


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field: which field, what kind of problem, the details."""

    field: str
    code: str
    params: Mapping[str, Any] = dc_field(default_factory=dict)

    def text(self, language: str = "en", field_label: str | None = None) -> str:
        params = {k: _show(v) for k, v in self.params.items() if k != "field"}
        if self.code == "transition_refused":
            # a hazard's status by the one name the pages give it (the catalogs' enum.hazard_status.*)
            from dashboard.i18n import CATALOGS

            names = CATALOGS.get(language, CATALOGS["en"])
            separator = "、" if language == "zh" else " or "
            for key in ("value", "target", "allowed"):
                params[key] = separator.join(names.get(f"enum.hazard_status.{v.strip()}", v.strip())
                                             for v in str(params[key]).split(","))
        if isinstance(params.get("table"), str):
            params["table"] = TABLE_NAMES.get(language, TABLE_NAMES["en"]).get(params["table"], params["table"])
        if isinstance(params.get("other"), str):
            # ``other`` names a second field: show its label in the same language.
            params["other"] = label(params["other"], language)
        if self.code == "stale_version":
            params["user"] = saved_by(self, language)
        return message(self.code, language, field=field_label or label(self.field, language), **params)


def saved_by(found: FieldProblem, language: str = "en") -> str:
    """Who saved the newer version a ``stale_version`` problem is about: the name the audit trail gives,
    else "another user" in ``language``."""
    user = found.params.get("user")
    return str(user) if user else SOMEONE.get(language, SOMEONE["en"])


def _show(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int | float) or value is None:
        return value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


class RecordInvalid(ValueError):
    """A record was refused; ``problems`` names every field and what is wrong with it."""

    def __init__(self, problems: Iterable[FieldProblem]):
        self.problems = list(problems)
        super().__init__(" ".join(f"{p.field}: {p.text()}" for p in self.problems))

    @property
    def fields(self) -> set[str]:
        return {p.field for p in self.problems}

    def messages(self, language: str = "en") -> list[str]:
        return [p.text(language) for p in self.problems]


_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_short": "blank",
    "string_too_long": "too_long",
    "int_parsing": "not_a_whole_number",
    "int_from_float": "not_a_whole_number",
    "int_type": "not_a_whole_number",
    "float_parsing": "not_a_number",
    "float_type": "not_a_number",
    "decimal_parsing": "not_a_number",
    "date_parsing": "not_a_date",
    "date_from_datetime_parsing": "not_a_date",
    "date_type": "not_a_date",
    "date_from_datetime_inexact": "not_a_date",
    "bool_parsing": "not_a_boolean",
    "bool_type": "not_a_boolean",
    "enum": "not_one_of",
    "literal_error": "not_one_of",
    "greater_than_equal": "negative",
    "greater_than": "negative",
    "less_than_equal": "out_of_range",
}


def problems_from(error: ValidationError) -> list[FieldProblem]:
    """Translate pydantic's errors into catalog codes, one per field."""
    problems: list[FieldProblem] = []
    for item in error.errors(include_url=False):
        loc = item.get("loc") or ("__root__",)
        field_name = str(loc[0])
        kind = item["type"]
        ctx = dict(item.get("ctx") or {})
        value = item.get("input")
        params: dict[str, Any] = {"value": value if not isinstance(value, Mapping) else ""}
        if kind == "several":
            problems.extend(ctx["problems"])
            continue
        if value is None and kind.endswith(("_type", "_parsing")) and kind not in _known_codes():
            code = "required"
        elif kind in _PYDANTIC_CODES:
            code = _PYDANTIC_CODES[kind]
            if code == "not_one_of":
                # pydantic says "'a', 'b' or 'c'"; the catalog wants a plain, language-neutral list.
                params["allowed"] = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
            if code == "too_long":
                params["max_length"] = ctx.get("max_length")
            if kind == "string_too_short" and int(ctx.get("min_length") or 0) > 1:
                code = "too_short"
                params["min_length"] = ctx["min_length"]
            if kind in ("greater_than_equal", "greater_than") and ctx.get("ge", ctx.get("gt", 0)) != 0:
                code = "out_of_range"
                params.update(min=ctx.get("ge", ctx.get("gt")), max="∞")
            if code == "out_of_range" and "le" in ctx:
                params.update(min=params.get("min", 0), max=ctx["le"])
        elif kind in _known_codes():
            code = kind
            field_name = str(ctx.pop("field", field_name))
            params.update(ctx)
        else:
            code = "invalid"
            params["detail"] = item.get("msg", "")
        problems.append(FieldProblem(field_name, code, params))
    return problems


def _known_codes() -> set[str]:
    from models.messages import MESSAGES

    return set(MESSAGES)


def problem(code: str, field_name: str, **params: Any) -> PydanticCustomError:
    """An error for a validator to raise; the catalog supplies the words."""
    return PydanticCustomError(code, FieldProblem(field_name, code, params).text(),
                               {"field": field_name, **params})


def several(found: Iterable[FieldProblem]) -> PydanticCustomError:
    """One error for a validator that found problems with several fields at once."""
    found = list(found)
    return PydanticCustomError("several", " ".join(p.text() for p in found), {"problems": found})


def validate(model: type[M], data: Mapping[str, Any] | BaseModel) -> M:
    """Validate ``data`` into ``model``, raising :class:`RecordInvalid` on any problem."""
    try:
        if isinstance(data, BaseModel):
            data = data.model_dump()
        # A cell or box left empty means "not given", whatever the field's type.
        cleaned = {k: None if isinstance(v, str) and not v.strip() else v for k, v in data.items()}
        return model.model_validate(cleaned)
    except ValidationError as error:
        raise RecordInvalid(problems_from(error)) from None


def check_uscc(value: Any, field_name: str = "uscc") -> str:
    """统一社会信用代码: 18 characters, the allowed alphabet, a valid check character."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise problem("required", field_name)
    if not isinstance(value, str):
        raise problem("uscc_invalid", field_name, value=value)
    code = value.strip()
    if len(code) != 18:
        raise problem("uscc_length", field_name, value=code, length=len(code))
    if code != code.upper() or any(ch not in stdnum_uscc._alphabet for ch in code):
        raise problem("uscc_characters", field_name, value=code)
    if not code[:8].isdigit():
        raise problem("uscc_prefix", field_name, value=code)
    try:
        return str(stdnum_uscc.validate(code))
    except InvalidChecksum:
        expected = stdnum_uscc.calc_check_digit(code[:17])
        raise problem("uscc_check_digit", field_name, value=code, expected=expected) from None
    except (InvalidFormat, InvalidComponent, InvalidLength):
        raise problem("uscc_invalid", field_name, value=code) from None


@dataclass(frozen=True)
class ParkBounds:
    """The park's bounding box in degrees, from its boundary polygon."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    @classmethod
    def from_geojson(cls, boundary_geojson: str) -> ParkBounds:
        geometry = json.loads(boundary_geojson)
        if geometry.get("type") == "Feature":
            geometry = geometry["geometry"]
        ring = geometry["coordinates"][0]
        lons = [float(p[0]) for p in ring]
        lats = [float(p[1]) for p in ring]
        return cls(min(lats), max(lats), min(lons), max(lons))

    def problems(self, lat: float | None, lon: float | None) -> list[FieldProblem]:
        found: list[FieldProblem] = []
        if lat is not None and not self.min_lat <= lat <= self.max_lat:
            found.append(FieldProblem("lat", "outside_park", {"value": lat, "min": self.min_lat, "max": self.max_lat}))
        if lon is not None and not self.min_lon <= lon <= self.max_lon:
            found.append(FieldProblem("lon", "outside_park", {"value": lon, "min": self.min_lon, "max": self.max_lon}))
        return found
