"""Matchmaking rounds (round, pairs, outcome, tally) and the docking funnel's query."""
from marshmallow import RAISE, Schema, fields, validate

from ..docking.round_rules import OUTCOMES
from ..errors import N_
from .common import ID

_TEXT = validate.Length(min=1, max=200)
_CHAIN = validate.Regexp(r"^[a-z0-9][a-z0-9_.-]{0,31}$", error=N_("no chain has this id"))


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class RoundLoad(_Strict):
    title = fields.String(required=True, validate=_TEXT)
    date = fields.Date(required=True, metadata={"description": "YYYY-MM-DD"})
    place = fields.String(load_default="", validate=validate.Length(max=200))
    chains = fields.List(fields.String(validate=_CHAIN), required=True, validate=validate.Length(min=1, max=17),
                         metadata={"description": "chain ids, e.g. [\"nev\"]"})
    version = fields.Integer(load_only=True, metadata={"description": "with PATCH: the version you read"})


class PairRow(_Strict):
    demand_item_id = fields.String(required=True, validate=ID)
    supplier_id = fields.String(required=True, validate=ID)
    supply_item_id = fields.String(load_default=None, allow_none=True, validate=ID)
    # A batch plan's assignments are posted as they are: their planned quantity and value are accepted
    # (and checked) but not stored on the pair; the contract's come with the outcome 'signed'.
    quantity = fields.Float(load_only=True, allow_none=True, allow_nan=False,
                            metadata={"description": "a plan's quantity (not stored)"})
    value = fields.Float(load_only=True, allow_none=True, allow_nan=False,
                         metadata={"description": "a plan's value (not stored)"})


class PairsLoad(_Strict):
    pairs = fields.List(fields.Nested(PairRow), required=True, validate=validate.Length(min=1, max=500),
                        metadata={"description": "by hand, ticked suggestions, or a batch plan's assignments"})


class OutcomeLoad(_Strict):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES),
                            metadata={"enum": list(OUTCOMES)})
    value = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                         metadata={"description": "signed: the contract's annual value (CNY)"})
    quantity = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                            metadata={"description": "signed: the contract's annual quantity"})
    start_date = fields.Date(load_default=None, allow_none=True, metadata={"description": "signed: YYYY-MM-DD"})
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class RoundQuery(_Strict):
    lang = fields.String(load_only=True)


class AgendaQuery(_Strict):
    lang = fields.String(load_default="zh", validate=validate.OneOf(("zh", "en")),
                         metadata={"description": "language of the column headers"})


class FunnelQuery(_Strict):
    chain = fields.String(load_default=None, validate=_CHAIN)
    leader = fields.String(load_default=None, validate=ID, metadata={"description": "a leader enterprise id"})
    lang = fields.String(load_only=True)


class RoundDump(Schema):
    id = fields.String()
    title = fields.String()
    date = fields.String()
    place = fields.String()
    chains = fields.List(fields.String())
    status = fields.String(metadata={"enum": ["planned", "held"]})
    created_by = fields.String()
    created_at = fields.String()
    version = fields.Integer()


class PairDump(Schema):
    id = fields.String()
    round_id = fields.String()
    engagement_id = fields.String()
    demand_id = fields.String()
    supplier_id = fields.String()
    supply_item_id = fields.String(allow_none=True)
    leader_id = fields.String()
    table_no = fields.Integer()
    outcome = fields.String(allow_none=True, metadata={"enum": [*OUTCOMES, None]})
    value = fields.Float(allow_none=True)
    note = fields.String()
    updated_at = fields.String()
    leader_name = fields.String(allow_none=True)
    supplier_name = fields.String(allow_none=True)
    supplier_local = fields.Boolean()
    demand_name = fields.String(allow_none=True)
    supply_item_name = fields.String(allow_none=True)
    engagement_status = fields.String(allow_none=True)


class TallyDump(Schema):
    pairs = fields.Integer()
    firms = fields.Integer(metadata={"description": "distinct leaders and suppliers with a pair"})
    leaders = fields.Integer()
    suppliers = fields.Integer()
    met = fields.Integer(metadata={"description": "pairs that met (met, follow-up or signed)"})
    follow_up = fields.Integer()
    no_fit = fields.Integer()
    pending = fields.Integer(metadata={"description": "pairs without an outcome yet"})
    signed = fields.Integer()
    signed_firms = fields.Integer()
    value = fields.Float(metadata={"description": "annual value of the contracts signed (CNY)"})
    local_value = fields.Float(metadata={"description": "of which with local suppliers"})
    headline = fields.Dict(metadata={"description": "{zh, en}: e.g. '29家企业签约10.81亿元'"})


class RoundWithPairs(RoundDump):
    pairs = fields.List(fields.Nested(PairDump), metadata={"description": "a firm's accounts see their own pairs"})
    tally = fields.Nested(TallyDump, metadata={"description": "of every pair of the round"})
