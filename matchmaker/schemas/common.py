"""Validators shared by the resource schemas."""
from marshmallow import validate

from ..errors import N_

ID = validate.Regexp(r"^[^\x00-\x1f]{1,64}$", error=N_("1 to 64 characters, no control characters"))
CERTIFICATION = validate.Regexp(r"^[^@;]{1,40}(@\d{4}-\d{2}-\d{2})?$",
                                error=N_("a name, optionally with an expiry: IATF16949@2027-06-30"))
TIERS = ["none", "innovative", "srsn", "little_giant", "champion"]
