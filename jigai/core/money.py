"""Money for the apps: exact yuan as Decimal with 2 places in storage, 万元 on screen (docs/programme.md,
docs/programme.md, reading 2).

Everything about reading, bounding, converting and formatting an amount is defined once, in the pure
``jigai.policy.money`` (the policy engine must not import Django or the apps, so the one definition
lives there and is re-exported here). This module adds only what the web side needs on top of it: the
API's ``Yuan`` type. No Django import here, so ``jigai.documents`` and ``jigai.imports`` may use it.
How amounts are stored exactly on both engines: ``jigai.core.money_fields``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, WithJsonSchema

from jigai.policy import money as _pure
from jigai.policy.money import *  # noqa: F403 - the one definition, re-exported for the apps

# An amount in yuan at the API: documented as the string the API also answers with ("1205000.00"), at most
# 14 digits and 2 decimals; a JSON number is accepted too. The same bounds are checked either way.
Yuan = Annotated[
    Decimal,
    Field(ge=0, le=_pure.MAX_YUAN, decimal_places=2),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,14}(\.\d{1,2})?$", "examples": ["1205000.00"]}),
]

__all__ = [*_pure.__all__, "Yuan"]
