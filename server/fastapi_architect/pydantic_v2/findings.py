"""The finding type every Pydantic V2 surface consumes (diagnostics, quick fixes, CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi_architect.textedit import TextPosition

VALIDATOR_CODE = "PYD001"
ROOT_VALIDATOR_CODE = "PYD002"
CONFIG_CODE = "PYD010"
FIELD_CODE = "PYD011"
OPTIONAL_DEFAULT_CODE = "PYD012"
MOVED_NAME_CODE = "PYD013"
METHOD_CODE = "PYD014"
CONSTRAINED_CODE = "PYD015"
GENERIC_CODE = "PYD016"
ROOT_MODEL_CODE = "PYD017"
TYPE_ADAPTER_CODE = "PYD018"
ERROR_WRAPPER_CODE = "PYD019"
JSON_ENCODERS_CODE = "PYD020"
CUSTOM_TYPE_CODE = "PYD021"
GENERIC_ALIAS_CODE = "PYD022"
SCHEMA_FUNCTION_CODE = "PYD023"
PENDING_REBUILD_CODE = "PYD024"
UNANNOTATED_CODE = "PYD025"
URL_BUILD_CODE = "PYD026"
CALLED_TYPE_CODE = "PYD027"
UNION_MODE_CODE = "PYD030"
STR_COERCION_CODE = "PYD031"
MODEL_INPUT_CODE = "PYD032"
SERIALIZE_AS_ANY_CODE = "PYD033"
PLAIN_GENERIC_CODE = "PYD034"
CALLABLE_REF_CODE = "PYD035"
INIT_SUBCLASS_CODE = "PYD036"

CODES: dict[str, str] = {
    VALIDATOR_CODE: "`@validator` → `@field_validator`",
    ROOT_VALIDATOR_CODE: "`@root_validator` → `@model_validator`",
    CONFIG_CODE: "`class Config` → `model_config = ConfigDict(...)`",
    FIELD_CODE: "`Field(...)` arguments renamed or removed in V2",
    OPTIONAL_DEFAULT_CODE: "`Optional` / `Any` field without a default → `= None`",
    MOVED_NAME_CODE: "names moved or removed in V2 (`BaseSettings`, `validate_arguments`, ...)",
    METHOD_CODE: "model methods renamed in V2 (`.dict()` → `.model_dump()`, `__fields__`, ...)",
    CONSTRAINED_CODE: "`constr` / `conint` / `confloat` / `conlist` → `Annotated[...]`",
    GENERIC_CODE: "`GenericModel` → `BaseModel` + `Generic[...]`",
    ROOT_MODEL_CODE: "`__root__` models → `RootModel` (and `.__root__` → `.root`)",
    TYPE_ADAPTER_CODE: "`parse_obj_as` / `parse_raw_as` / `schema_of` ... → `TypeAdapter(T)`",
    ERROR_WRAPPER_CODE: "`ErrorWrapper` errors → `ValidationError.from_exception_data`",
    JSON_ENCODERS_CODE: "`json_encoders` in the config (reported: what V2 changes about it)",
    CUSTOM_TYPE_CODE: "custom types' `__get_validators__` → `__get_pydantic_core_schema__`",
    GENERIC_ALIAS_CODE: "type aliases taking type variables from `Model[T]` (reported)",
    SCHEMA_FUNCTION_CODE: "`pydantic.schema` functions → `pydantic.json_schema` (V1's shape kept)",
    PENDING_REBUILD_CODE: "string forward references V2 cannot resolve → `model_rebuild(...)`",
    UNANNOTATED_CODE: "un-annotated model attributes → V1's inferred type or `ClassVar`",
    URL_BUILD_CODE: "V1 URL types' `.build(...)` → V1's builder from `pydantic.v1.networks`",
    CALLED_TYPE_CODE: 'V1 types called to build values (`EmailStr("a@b.c")` → the string)',
    UNION_MODE_CODE: 'unions V2 resolves differently → `Field(union_mode="left_to_right")`',
    STR_COERCION_CODE: "numbers given to `str` fields → `coerce_numbers_to_str=True`",
    MODEL_INPUT_CODE: "unions of sibling models given their base's instance → `dict(value)`",
    SERIALIZE_AS_ANY_CODE: "fields holding subclass instances → `SerializeAsAny[...]`",
    PLAIN_GENERIC_CODE: "`Model[int]` of a plain `BaseModel` + `Generic` (V1 ignored it) → `Model`",
    CALLABLE_REF_CODE: "names inside `Callable[...]` V2 cannot resolve → `Any`",
    INIT_SUBCLASS_CODE: "`__init_subclass__` reading fields → `__pydantic_init_subclass__`",
}
"""The registry of every code the engine reports, with what it converts."""


@dataclass(frozen=True)
class Finding:
    """One V1 construct: where it is, whether it converts, and how to ask for the fix.

    ``key`` names it by its qualified name (``Model.check_a``, ``Outer.Inner.check``,
    ``Model.Config``, ``Model.x:Field``; a second definition with the same name gets ``#2``).
    It survives edits elsewhere in the file, so a fix can be recomputed from the text alone.
    """

    code: str
    message: str
    start: TextPosition
    end: TextPosition
    fixable: bool
    key: str
    title: str
    fixed_in: tuple[str, str] | None = None
    """``(path, key)``: the finding of another file whose fix resolves this one (PYD024)."""
