"""The OpenAPI 3 document of /api/v1 (GET /api/v1/openapi.json) and its reference page (GET /api/v1/docs).

The document is built from the app's url_map: every rule and method under /api/v1 is looked up
in OPERATIONS, a table of tag, summary and schemas, and the marshmallow schemas become its
components (apispec's MarshmallowPlugin). A route without an entry still appears, marked
`x-undocumented`; tests/integration/test_openapi.py fails on it, so the document cannot drift.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, Response, current_app, render_template, request, url_for
from marshmallow import Schema, fields

from ..errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests, Unauthorized, error_body
from ..security import current_principal
from ..services.permissions import require_login
from ..schemas.category_suggestions import QueueRowDump, ReviewLoad, ReviewQuery
from ..schemas.auth import Approval, Rejection, SignUp, TokenRequest, UserDump
from ..schemas.chains import ChainDetailSchema, ChainSummarySchema, GapMapSchema
from ..schemas.editions import DownloadQuery, EditionDump, EditionListQuery, EditionPageQuery, \
    EditionPublish, EditionRowDump
from ..schemas.enterprises import EnterpriseDump, EnterpriseListQuery, EnterpriseLoad
from ..schemas.import_jobs import ImportAsync, ImportJobDump, ImportJobQuery
from ..schemas.imports import ExportQuery, ImportForm
from ..schemas.items import LOAD_SCHEMAS, ItemDump, ItemListQuery
from ..schemas.matches import FeedbackLoad, MatchQuery
from ..schemas.engagements import (EngagementCreate, EngagementDump, EngagementPatch, EngagementQuery,
                                   EngagementSummaryDump)
from ..schemas.plans import PlanLoad
from ..schemas.notifications import (AccountDump, AccountPatch, MarkRead, MarkReadResult, NotificationDump,
                                     NotificationQuery)
from ..schemas.versions import PATCH_SCHEMAS
from . import api_bp, openapi_constraints as constraints, openapi_links as links
from .items import PATHS as ITEM_PATHS

__all__ = ["OPERATIONS", "Op", "api_routes", "build_spec", "spec_for", "undocumented", "reference", "sign_in_first"]

PREFIX = "/api/v1"
JSON, XLSX = "application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE, HTML, DOCUMENT = "file", "html", "document"   # response bodies that are not JSON envelopes
IF_MATCH = r'^(\*|(W/)?"?[0-9]+"?)?$'                  # what api/items.expected_version reads


@dataclass(frozen=True)
class Op:
    """One operation: `out` is a response body schema or FILE / HTML / DOCUMENT; `auth` is
    "none", "optional" (a token shows more) or "required"; `also` adds {status: (text, schema)}."""
    tag: str
    summary: str
    out: type[Schema] | str
    auth: str = "optional"
    body: type[Schema] | Schema | None = None   # JSON request body (an instance for partial=True)
    form: type[Schema] | None = None            # multipart/form-data fields besides 'file'
    query: type[Schema] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()                # beyond 401/403/404/422, which auth, path and input imply
    also: dict = field(default_factory=dict)
    etag: bool = False                          # the answer carries the item's version as its ETag
    if_match: bool = False                      # takes that version back as If-Match
    refuses: str = ""                           # when a request this document allows is still a 422 (data)
    created: str = "/data/id"                   # a 201's pointer to the new resource's id (for links)
    links_under: str = ""                       # the rule whose sub-resources take that id (default: its own)


# -- response bodies: the envelopes the routes return ------------------------------------

def _body(title: str, /, **members: fields.Field) -> type[Schema]:
    return Schema.from_dict(members, name=title)


def _one(schema) -> fields.Field:
    return fields.Nested(schema, required=True)


def _many(schema) -> fields.Field:
    return fields.List(fields.Nested(schema), required=True)


def _paging() -> dict:
    return {name: fields.Integer(required=True) for name in ("total", "page", "per_page", "pages")}


ApiToken = _body("ApiToken", id=fields.String(), name=fields.String(), created_at=fields.String(),
                 revoked=fields.Boolean(allow_none=True))
Revision = _body("Revision", at=fields.String(), actor=fields.String(), action=fields.String(),
                 changes=fields.String(metadata={"description": "JSON: the list of the fields set (a create, or an "
                                                               "older update) or {field: [old, new]} (an update)"}))
RowError = _body("RowError", row=fields.Integer(), column=fields.String(), reason=fields.String())
ImportReport = _body("ImportReport", kind=fields.String(), filename=fields.String(), mode=fields.String(),
                     rows=fields.Integer(), accepted=fields.Integer(), rejected=fields.Integer(),
                     written=fields.Integer(), applied=fields.Boolean(), warnings=fields.List(fields.String()),
                     errors=fields.List(fields.Nested(RowError), metadata={"description": "the first 1,000"}),
                     errors_total=fields.Integer(), errors_omitted=fields.Integer(), warnings_total=fields.Integer(),
                     stopped_at_row=fields.Integer(allow_none=True, metadata={
                         "description": "all_or_nothing stopped checking here after 1,000 errors"}),
                     generated_ids=fields.List(fields.Nested(_body("GeneratedId", row=fields.Integer(),
                                                                   id=fields.String())),
                                               metadata={"description": "ids given to item rows without one"}))
Health = _body("Health", status=fields.String(metadata={"enum": ["ok", "unavailable"]}),
               graph=fields.Dict(metadata={"description": "backend, agent, database, schema versions"}))
TokenIssued = _body("TokenIssuedResponse", data=_one(_body(
    "TokenIssued", token=fields.String(required=True, metadata={"description": "shown once; send it as Bearer"}),
    id=fields.String(required=True), user=fields.Nested(UserDump, required=True))))
Revoked = _body("RevokedResponse", data=_one(_body("Revoked", id=fields.String(), revoked=fields.Boolean())))
ItemPage = _body("ItemPage", data=_many(ItemDump), **_paging())
ItemResponse = _body("ItemResponse", data=_one(ItemDump))
UserResponse = _body("UserResponse", data=_one(UserDump))
EnterpriseResponse = _body("EnterpriseResponse", data=_one(EnterpriseDump))
ImportResult = _body("ImportResult", data=_one(ImportReport))
ImportJobResponse = _body("ImportJobResponse", data=_one(ImportJobDump))
RevisionList = _body("RevisionList", data=_many(Revision))
AccountResponse = _body("AccountResponse", data=_one(AccountDump))

# -- matching: suggestions, opportunities, verdicts (matchmaker/matching/service.py) --------

_GRADE = "fit grade: 3 strong, 2 good, 1 possible, 0 below (shown only when confirmed or dismissed)"
MatchFirm = _body("MatchFirm", id=fields.String(required=True), name=fields.String(),
                  name_en=fields.String(allow_none=True),
                  region=fields.String(allow_none=True, metadata={"description": "region code"}),
                  local=fields.Boolean(), tier=fields.String(allow_none=True))
MatchedItem = _body("MatchedItem", id=fields.String(required=True), name=fields.String(),
                    fit=fields.Float(metadata={"description": "probability that this item fits (0..1)"}))
MatchComponents = _body(
    "MatchComponents", fit=fields.Float(), text_lexical=fields.Float(), text_semantic=fields.Float(),
    category=fields.String(metadata={"enum": ["same", "feeds", "sibling", "chain", "none"]}),
    certifications_met=fields.List(fields.String()), certifications_missing=fields.List(fields.String()),
    capacity_cover=fields.Float(allow_none=True, metadata={"description": "share of the quantity covered (0..1)"}),
    capacity=fields.Float(), tier=fields.Float(), local=fields.Boolean(), locality_preferred=fields.Boolean(),
    feedback=fields.Float(metadata={"description": "adjustment from the leader's verdicts"}))
SupplierMatch = _body("SupplierMatch", enterprise=_one(MatchFirm), supply_items=_many(MatchedItem),
                      score=fields.Float(required=True), band=fields.Integer(metadata={"description": _GRADE}),
                      components=_one(MatchComponents), missing_certifications=fields.List(fields.String()))
OpportunityDemand = _body("OpportunityDemand", id=fields.String(required=True), name=fields.String(),
                          enterprise_id=fields.String(), enterprise_name=fields.String(allow_none=True),
                          value=fields.Float(allow_none=True), quantity=fields.Float(allow_none=True),
                          unit=fields.String(allow_none=True), deadline=fields.String(allow_none=True))
Opportunity = _body("Opportunity", demand_item=_one(OpportunityDemand),
                    supply_item=_one(_body("OpportunityOffer", id=fields.String(required=True), name=fields.String())),
                    score=fields.Float(required=True), band=fields.Integer(metadata={"description": _GRADE}),
                    components=_one(MatchComponents), missing_certifications=fields.List(fields.String()))
Verdict = _body("Verdict", id=fields.String(), demand_id=fields.String(), enterprise_id=fields.String(),
                leader_id=fields.String(), verdict=fields.String(metadata={"enum": ["confirm", "dismiss"]}),
                reason=fields.String(), by=fields.String(), at=fields.String())

_NO_CHAIN = "no chain has the id or name given"
_FIRM_REFUSED = ("the region does not resolve to a region code, a chain does not exist, or procurement figures are "
                 "sent for a firm that is not a chain leader (or the local part exceeds the total)")
_ITEM_REFUSED = ("the enterprise, category or chain does not exist or does not fit the item (supply items belong "
                 "to SMEs and other firms, demand items to leaders), or an account without an enterprise sends no "
                 "enterprise_id")
OPERATIONS: dict[str, Op] = {
    "POST /auth/token": Op("Accounts", "Get an API token for an email and password", TokenIssued, "none",
                           body=TokenRequest, status=201, errors=(401, 403, 429), links_under="/auth/tokens"),
    "GET /auth/tokens": Op("Accounts", "List your API tokens", _body("ApiTokenList", data=_many(ApiToken)),
                           "required"),
    "DELETE /auth/tokens/<token_id>": Op("Accounts", "Revoke one of your API tokens", Revoked, "required"),
    "POST /auth/signup": Op("Accounts", "Sign up; the account waits for approval (an existing e-mail address "
                            "gets the same answer and nothing is stored)",
                            UserResponse, "none", body=SignUp, status=201, links_under="/users",
                            refuses="the region does not resolve, or an 18-character id is not a valid credit code"),
    "GET /users": Op("Accounts", "List accounts waiting for approval (officials)",
                     _body("UserList", data=_many(UserDump)), "required"),
    "POST /users/<user_id>/approve": Op("Accounts", "Approve a sign-up: link a firm of the directory, or create "
                                        "the firm it describes (create_enterprise)",
                                        UserResponse, "required", body=Approval, errors=(409,),
                                        refuses="the enterprise does not exist or does not fit the account's role, "
                                                "or the sign-up gives no valid credit code or region to create it"),
    "POST /users/<user_id>/reject": Op("Accounts", "Decline a sign-up with a reason; signing in then gives it",
                                       UserResponse, "required", body=Rejection, errors=(409,),
                                       refuses="the reason is 'other' and the note is empty"),
    "GET /chains": Op("Chains", "List the key industry chains with their counts",
                      _body("ChainList", data=_many(ChainSummarySchema), count=fields.Integer(required=True))),
    "GET /chains/<chain_id>": Op("Chains", "Read a chain: segments, categories and feeds",
                                 _body("ChainResponse", data=_one(ChainDetailSchema))),
    "GET /chains/<chain_id>/gap-map": Op("Chains", "A chain's gap map: local coverage and demand value per category; rates for officials",
                                         _body("GapMapResponse", data=_one(GapMapSchema))),
    "GET /enterprises": Op("Enterprises", "List enterprises", _body("EnterprisePage", data=_many(EnterpriseDump),
                                                                    **_paging()), query=EnterpriseListQuery),
    "GET /enterprises/<enterprise_id>": Op("Enterprises", "Read an enterprise",
                                           EnterpriseResponse),
    "POST /enterprises": Op("Enterprises", "Create an enterprise (officials)",
                            EnterpriseResponse, "required",
                            body=EnterpriseLoad, status=201, errors=(409,), refuses=_FIRM_REFUSED),
    "PATCH /enterprises/<enterprise_id>": Op("Enterprises", "Change some fields of an enterprise",
                                             EnterpriseResponse, "required",
                                             body=EnterpriseLoad(partial=True), refuses=_FIRM_REFUSED),
    "GET /editions": Op("Editions", "List published editions",
                        _body("EditionList", data=_many(EditionDump), count=fields.Integer(required=True)),
                        query=EditionListQuery),
    "GET /editions/<edition_id>": Op("Editions", "Read an edition with one page of its rows",
                                     _body("EditionRows", data=_one(EditionDump), rows=_many(EditionRowDump),
                                           **_paging()), query=EditionPageQuery),
    "POST /editions": Op("Editions", "Publish an edition of a chain's supply or demand list",
                         _body("EditionResponse", data=_one(EditionDump)), "required", body=EditionPublish,
                         status=201, errors=(409,), refuses=_NO_CHAIN),
    "GET /editions/<edition_id>/download": Op("Editions", "Download an edition as CSV or XLSX", FILE,
                                              query=DownloadQuery),
    "POST /imports": Op("Imports and exports", "Import enterprises, supply or demand items from a file",
                        ImportResult, "required", form=ImportForm, query=ImportAsync,
                        errors=(413, 429), also={422: ("the file has errors: nothing was written", ImportResult),
                                             202: ("the import runs as a job: follow the Location header "
                                                   "(GET /import-jobs/{job_id}) until it is finished",
                                                   ImportJobResponse)},
                        refuses="the file is not CSV or XLSX in the interchange format, or its rows have errors"),
    "GET /import-jobs": Op("Imports and exports", "List your import jobs, newest first",
                           _body("ImportJobList", data=_many(ImportJobDump)), "required", query=ImportJobQuery),
    "GET /import-jobs/<job_id>": Op("Imports and exports", "Read an import job: its state, progress and, when "
                                    "done, its report (yours; officials and admins any)",
                                    ImportJobResponse, "required"),
    "GET /exports/<kind>": Op("Imports and exports", "Export enterprises, supply or demand items as CSV or XLSX",
                              FILE, query=ExportQuery, refuses=_NO_CHAIN),
    "GET /demand-items/<item_id>/matches": Op(
        "Matching", "Suggested suppliers of a demand item, best first, local first among equal fits",
        _body("SupplierMatchList", data=_many(SupplierMatch), total=fields.Integer(required=True)), "required",
        query=MatchQuery),
    "GET /enterprises/<enterprise_id>/opportunities": Op(
        "Matching", "Open demand items ranked for an enterprise's supply items",
        _body("OpportunityList", data=_many(Opportunity), total=fields.Integer(required=True)), "required",
        query=MatchQuery),
    "POST /demand-items/<item_id>/matches/<enterprise_id>/feedback": Op(
        "Matching", "Confirm or dismiss a suggested supplier (changes later rankings)",
        _body("VerdictResponse", data=_one(Verdict)), "required", body=FeedbackLoad, status=201),
    "GET /notifications": Op("Notifications", "List your notifications, newest first",
                             _body("NotificationPage", data=_many(NotificationDump), **_paging(),
                                   unread=fields.Integer(required=True)), "required", query=NotificationQuery),
    "POST /notifications/read": Op("Notifications", "Mark some or all of your notifications read",
                                   _body("MarkReadResponse", data=_one(MarkReadResult)), "required", body=MarkRead,
                                   refuses="neither `ids` nor `all: true` is sent"),
    "GET /account": Op("Accounts", "Read your account's settings", AccountResponse, "required"),
    "PATCH /account": Op("Accounts", "Turn your demand alerts on or off", AccountResponse, "required",
                         body=AccountPatch),
    "GET /category-suggestions": Op("Category review",
                                    "List items with proposed categories, least confident first (officials)",
                                    _body("CategorySuggestionList", data=_many(QueueRowDump),
                                          count=fields.Integer(required=True)), "required", query=ReviewQuery),
    "POST /category-suggestions/<item_kind>/<item_id>": Op(
        "Category review", "Confirm or correct an item's proposed category (officials)", ItemResponse, "required",
        body=ReviewLoad),
    "GET /health": Op("System", "Check the graph backend and the schema version", Health, "none",
                      also={503: ("the graph database is unavailable", Health)}),
    "GET /openapi.json": Op("System", "This OpenAPI document", DOCUMENT, "none"),
    "GET /docs": Op("System", "This reference as a web page", HTML, "none"),
}


def _item_operations(kind: str, path: str) -> dict[str, Op]:
    tag, noun, load = f"{kind.capitalize()} items", f"{kind} item", LOAD_SCHEMAS[kind]
    return {
        f"GET /{path}": Op(tag, f"List {noun}s", ItemPage, query=ItemListQuery, errors=(403,)),
        f"POST /{path}": Op(tag, f"Create a {noun}", ItemResponse,
                            "required", body=load, status=201, errors=(409,), etag=True, refuses=_ITEM_REFUSED),
        f"GET /{path}/<item_id>": Op(tag, f"Read a {noun}", ItemResponse, etag=True),
        f"PATCH /{path}/<item_id>": Op(tag, f"Change some fields of a {noun}",
                                       ItemResponse, "required", body=PATCH_SCHEMAS[kind](partial=True),
                                       errors=(409,), etag=True, if_match=True,
                                       refuses=_ITEM_REFUSED + ", the id differs from the path's, or If-Match and "
                                                               "version differ"),
        f"DELETE /{path}/<item_id>": Op(tag, f"End a {noun} (it stays in the history)", ItemResponse, "required",
                                        errors=(409,), etag=True, if_match=True),
        f"GET /{path}/<item_id>/history": Op(tag, f"List the changes of a {noun}", RevisionList),
    }


for _kind, _path in ITEM_PATHS.items():
    OPERATIONS.update(_item_operations(_kind, _path))

# -- docking: engagements (matchmaker/docking, docs/DOCKING.md) ----------------------------
_REFUSED = ("403 names the stages this account may choose (`allowed`; `messages` in en and zh); 409 is a stage "
            "no one may move to now, a second invitation of an active pair (`existing`, `url`), or a stale version")
EngagementResponse = _body("EngagementResponse", data=_one(EngagementDump))
OPERATIONS.update({
    "POST /engagements": Op("Engagements", "Invite a supplier for a demand item (the demand's firm, officials)",
                            EngagementResponse, "required", body=EngagementCreate, status=201, errors=(409,),
                            etag=True, refuses="the demand item, supplier or supply item does not exist or does not "
                                               "fit (a supplier is an SME or other firm, the supply item is its own)"),
    "GET /engagements": Op("Engagements", "List the engagements you take part in (officials: all), newest change "
                           "first", _body("EngagementPage", data=_many(EngagementSummaryDump),
                                          **_paging()), "required", query=EngagementQuery),
    "GET /engagements/<engagement_id>": Op("Engagements", "Read an engagement with its history", EngagementResponse,
                                           "required", etag=True),
    "PATCH /engagements/<engagement_id>": Op(
        "Engagements", "Move an engagement to a stage, or correct a contract (status contracted on a contracted "
        "engagement with a new value). " + _REFUSED, EngagementResponse, "required", body=EngagementPatch,
        errors=(409,), etag=True, if_match=True,
        refuses="a contract lacks its value, quantity or start date, an ending lacks its reason, or If-Match and "
                "version differ"),
})

# -- docking: the funnel and matchmaking rounds (matchmaker/docking/) --------------------------------
from ..schemas.rounds import (AgendaQuery, FunnelQuery, OutcomeLoad, PairDump, PairsLoad, RoundDump,  # noqa: E402
                              RoundLoad, RoundWithPairs, TallyDump)

_STAGE = _body("FunnelStage", stage=fields.String(), count=fields.Integer(), demand_value=fields.Float(),
               conversion=fields.Float(allow_none=True, metadata={"description": "share that reached the next stage"}),
               median_days=fields.Float(allow_none=True, metadata={
                   "description": "median days from entering the stage to the next change; stays not finished "
                                  "are not counted"}),
               finished_stays=fields.Integer())
_ENDED = _body("FunnelEnded", count=fields.Integer(), reasons=fields.Dict(metadata={"description": "reason: count"}))
Funnel = _body("Funnel", engagements=fields.Integer(), stages=_many(_STAGE), declined=_one(_ENDED),
               closed=_one(_ENDED), contracted_value=fields.Float(), contracted_local_value=fields.Float())
FunnelView = _body("FunnelView", scope=fields.Dict(metadata={"description": "chain, leader, and the chains an "
                                                             "official is in charge of ([] = all)"}),
                   funnel=_one(Funnel), by_chain=fields.Dict(metadata={"description": "chain id: Funnel"}),
                   by_leader=fields.Dict(metadata={"description": "leader enterprise id: Funnel"}))
RoundResponse = _body("RoundResponse", data=_one(RoundDump))
RoundView = _body("RoundView", data=_one(RoundWithPairs))
PairsAdded = _body("PairsAddedResponse", data=_one(_body(
    "PairsAdded", added=_many(PairDump), linked=_many(PairDump),
    skipped=fields.List(fields.Dict(), metadata={"description": "rows already paired in the round"}))))
Deleted = _body("DeletedResponse", data=_one(_body("Deleted", id=fields.String(), deleted=fields.Boolean())))
_ROUNDS = "Matchmaking rounds"
OPERATIONS.update({
    "GET /engagements/funnel": Op("Docking funnel", "The docking funnel of a scope: counts, demand value, "
                                  "conversion and median days per stage, endings, contracted value",
                                  _body("FunnelResponse", data=_one(FunnelView)), "required", query=FunnelQuery,
                                  refuses="no chain or leader has the id given"),
    "GET /rounds": Op(_ROUNDS, "List matchmaking rounds (officials all; a firm the rounds it takes part in)",
                      _body("RoundList", data=_many(RoundDump), count=fields.Integer(required=True)), "required"),
    "POST /rounds": Op(_ROUNDS, "Create a matchmaking round (officials)", RoundResponse, "required", body=RoundLoad,
                       status=201, refuses=_NO_CHAIN),
    "GET /rounds/<round_id>": Op(_ROUNDS, "Read a round with its pairs (a firm: its own) and tally", RoundView,
                                 "required"),
    "PATCH /rounds/<round_id>": Op(_ROUNDS, "Change a round's title, date, place or chains (officials)",
                                   RoundResponse, "required", body=RoundLoad(partial=True), errors=(409,),
                                   refuses=_NO_CHAIN),
    "DELETE /rounds/<round_id>": Op(_ROUNDS, "Delete a round and its pairs; their invitations stay (officials)",
                                    Deleted, "required", errors=(409,)),
    "GET /rounds/<round_id>/pairs": Op(_ROUNDS, "List a round's pairs by table (a firm: its own)",
                                       _body("PairList", data=_many(PairDump), count=fields.Integer(required=True)),
                                       "required"),
    "POST /rounds/<round_id>/pairs": Op(_ROUNDS, "Add pairs (by hand, ticked suggestions or a batch plan): each "
                                        "becomes an invitation, or is linked to the open one", PairsAdded,
                                        "required", body=PairsLoad, status=201, created="/data/added/0/id",
                                        refuses="a demand item, supplier or supply item does not exist or does not "
                                                "fit the round's chains"),
    "PATCH /rounds/<round_id>/pairs/<pair_id>": Op(_ROUNDS, "Record a pair's outcome and move its engagement",
                                                   _body("PairResponse", data=_one(PairDump)), "required",
                                                   body=OutcomeLoad, errors=(409,),
                                                   refuses="a signed outcome lacks the contract's value, quantity "
                                                           "or start date"),
    "DELETE /rounds/<round_id>/pairs/<pair_id>": Op(_ROUNDS, "Remove a pair; its invitation stays", Deleted,
                                                    "required"),
    "GET /rounds/<round_id>/tally": Op(_ROUNDS, "A round's figures: firms, pairs met, contracts and their value",
                                       _body("TallyResponse", data=_one(TallyDump)), "required"),
    "GET /rounds/<round_id>/agenda.xlsx": Op(_ROUNDS, "The agenda sheet as XLSX (a table per leader)", FILE,
                                             "required", query=AgendaQuery),
})
TAGS_DOCKING = {"Docking funnel": "How far invitations got, stage by stage, and what they turned into",
                _ROUNDS: "Matchmaking meetings (对接会): pairs at leaders' tables, outcomes and the tally"}

TAGS = {"Accounts": "API tokens, sign-up and approval of accounts",
        "Chains": "The key industry chains: segments, product categories and feeds",
        "Supply items": "The SMEs' supply list", "Demand items": "The chain leaders' demand list",
        "Enterprises": "Chain leaders, SMEs and other firms",
        "Editions": "Dated, unchangeable snapshots of the lists",
        "Imports and exports": "Files in the interchange format (CSV or XLSX)",
        "Matching": "Suggested suppliers, opportunities and the leaders' verdicts",
        "Notifications": "Your in-app notifications, such as alerts of new demand items that fit your supply",
        "Category review": "Categories the platform proposed for items, and the officials' review",
        "Engagements": "Docking: invitations through contract between a demand item and a supplier",
        "System": "Health and this documentation"}
TAGS.update(TAGS_DOCKING)

# -- localization rates and the batch plan (services/localization.py, docking/plans.py) ----------

_IDS = fields.List(fields.String())
RateFigure = _body(
    "RateFigure", scope=fields.String(metadata={"enum": ["chain", "leader", "segment", "category", "all"]}),
    id=fields.String(allow_none=True), name=fields.String(), name_en=fields.String(allow_none=True),
    name_zh=fields.String(), rate=fields.Float(allow_none=True, metadata={
        "description": "min(1, (local_value + contracted_value) / total); null when total is 0"}),
    potential_rate=fields.Float(allow_none=True, metadata={"description": "the rate if potential_items were contracted"}),
    target=fields.Float(allow_none=True, metadata={"description": "the chain's localization_target"}),
    total=fields.Float(metadata={"description": "T: declared annual_procurement, else the demand items' value"}),
    local_value=fields.Float(metadata={"description": "B: declared local_procurement, else items served locally"}),
    contracted_value=fields.Float(metadata={"description": "C: contracted with local suppliers on items "
                                                           "served elsewhere"}),
    potential_value=fields.Float(), declared_total=fields.Boolean(), declared_local=fields.Boolean(),
    counts=fields.Dict(metadata={"description": "local_items, engagements, potential_items"}),
    local_items=_IDS, engagements=_IDS, potential_items=_IDS)
ChainRates = _body("ChainRates", chain=fields.Nested(RateFigure, allow_none=True, metadata={
    "description": "null for a leader's account"}), leaders=_many(RateFigure), segments=_many(RateFigure),
    categories=_many(RateFigure))
PlanAssignment = _body(
    "PlanAssignment", demand_item_id=fields.String(required=True), supplier_id=fields.String(required=True),
    supply_item_id=fields.String(required=True), quantity=fields.Float(required=True),
    value=fields.Float(required=True, metadata={"description": "quantity x the demand's unit price (CNY)"}),
    fit=fields.Float(), leader_id=fields.String(), leader_name=fields.String(allow_none=True),
    demand_item_name=fields.String(allow_none=True), supplier_name=fields.String(allow_none=True),
    supply_item_name=fields.String(allow_none=True), unit=fields.String(allow_none=True),
    unit_price=fields.Float(allow_none=True))
Plan = _body("Plan", chain=fields.String(allow_none=True), assignments=_many(PlanAssignment),
             local_value=fields.Float(required=True), greedy_local_value=fields.Float(required=True),
             rate_before=fields.Float(allow_none=True), rate_after=fields.Float(allow_none=True),
             counts=fields.Dict(metadata={"description": "open_items, candidate_pairs"}))
OPERATIONS.update({
    "GET /localization": Op("Localization", "Every chain's localization rate, potential, target and parts "
                                            "(officials)",
                            _body("ChainRateList", data=_many(RateFigure), count=fields.Integer(required=True)),
                            "required"),
    "GET /chains/<chain_id>/localization": Op(
        "Localization", "A chain's rates by leader, segment and category (officials; a leader: its own)",
        _body("ChainRatesResponse", data=_one(ChainRates)), "required"),
    "POST /plans": Op("Batch plan", "The batch plan: local suppliers for open demand items, most local value "
                                 "within capacity (officials)",
                      _body("PlanResponse", data=_one(Plan)), "required", body=PlanLoad, refuses=_NO_CHAIN),
})
TAGS.update({"Localization": "Localization supporting rates (本地配套率) of chains, leaders, segments, categories",
             "Batch plan": "Local suppliers for open demand items, most local value within capacity"})

# -- rates over time and the officials' dashboard (services/rate_snapshots.py, services/dashboard.py) --

RateSnapshot = _body(
    "RateSnapshot", id=fields.String(metadata={"description": "month|scope|scope_id"}),
    month=fields.String(metadata={"description": "YYYY-MM, a month that had ended when it was taken"}),
    scope=fields.String(metadata={"enum": ["all", "chain", "leader"]}), scope_id=fields.String(),
    rate=fields.Float(allow_none=True), potential=fields.Float(allow_none=True, metadata={
        "description": "null when taken without the matching engine (serve at start)"}),
    target=fields.Float(allow_none=True), local_value=fields.Float(), contracted_value=fields.Float(),
    total=fields.Float(), taken_at=fields.String(metadata={"description": "UTC ISO 8601"}))
_SERIES = _many(RateSnapshot)
ChainRateSeries = _body(
    "ChainRateSeries", id=fields.String(), name_zh=fields.String(), name_en=fields.String(allow_none=True),
    chain=fields.Dict(allow_none=True, metadata={"description": "{id, name_zh, name_en, target, snapshots}; "
                                                               "null for a leader's account"}),
    leaders=fields.List(fields.Dict(), metadata={"description": "{id, name, name_en, snapshots} per leader "
                                                               "(a leader's account: its own only)"}))
DashboardChain = _body(
    "DashboardChain", id=fields.String(), name_zh=fields.String(), name_en=fields.String(allow_none=True),
    rate=fields.Float(allow_none=True), target=fields.Float(allow_none=True), total=fields.Float(),
    local_value=fields.Float(), contracted_value=fields.Float(),
    last_snapshot=fields.Dict(allow_none=True, metadata={"description": "{month, rate} of the latest snapshot"}),
    trend=fields.String(allow_none=True, metadata={"enum": ["up", "down", "flat", None],
                                                    "description": "today's rate against the latest snapshot's"}),
    categories=fields.Integer(), gaps=fields.Integer(), weak=fields.Integer(), covered=fields.Integer(),
    open_demand_value=fields.Float(), engagements_opened=fields.Integer(), contracts_signed=fields.Integer(),
    matches_confirmed=fields.Integer(metadata={"description": "suggested suppliers their leaders confirmed this month"}),
    contracted_value_signed=fields.Float())
Dashboard = _body("Dashboard", month=fields.String(), chains=_many(DashboardChain), totals=fields.Dict())
OPERATIONS.update({
    "GET /dashboard": Op("Localization", "Every chain at a glance: rate against target, trend, gaps, weak links, "
                                         "open demand, engagements and contracts this month (officials)",
                         _body("DashboardResponse", data=_one(Dashboard)), "required"),
    "GET /chains/<chain_id>/rates": Op(
        "Localization", "A chain's monthly rate snapshots and its leaders', oldest first (officials; a leader: "
                        "its own)", _body("ChainRateSeriesResponse", data=_one(ChainRateSeries)), "required"),
})

# -- chain resilience (services/resilience.py) -------------------------------------------------
Resilience = _body(
    "Resilience", chain=fields.Dict(),
    completeness=fields.Dict(metadata={"description": "categories, with_local_supply, index: the share of the "
                                                      "chain's categories with at least one local supplier"}),
    single_sources=fields.List(fields.Dict(), metadata={
        "description": "categories offered by exactly one firm: category, supplier, local (is that firm in the "
                       "home region), demand_value (open demand at stake)"}),
    critical_suppliers=fields.List(fields.Dict(), metadata={
        "description": "local firms whose loss would open gaps (they are a category's only local supplier): "
                       "supplier, gaps, categories, demand_value; most value at stake first (at most 20)"}),
    exposed_leaders=fields.List(fields.Dict(), metadata={
        "description": "buyers with open demand in categories whose one supplier is outside the region: leader, "
                       "exposed_value, demand_value, share, categories. Officials and admins see every row, a "
                       "firm's accounts their own, others none (at most 20)"}),
    exposure_scope=fields.String(metadata={"enum": ["all", "own", "none"]}))
OPERATIONS.update({
    "GET /chains/<chain_id>/resilience": Op(
        "Chains", "A chain's resilience: completeness, single sources, critical suppliers, exposed leaders "
                  "(the last: officials; a firm its own row)", _body("ResilienceResponse", data=_one(Resilience))),
})

# -- readiness (api/health.py) --------------------------------------------------------------
Ready = _body("Ready", status=fields.String(metadata={"enum": ["ready", "unavailable"]}))
OPERATIONS.update({
    "GET /ready": Op("System", "Readiness: the graph answers and its schema is this code's latest", Ready, "none",
                     also={503: ("the graph is unreachable or its schema is not the latest", Ready)}),
})

ERRORS = {400: ("BadRequest", "the JSON body cannot be read: nested more than 32 levels deep", "bad_request"),
          401: ("Unauthorized", "no token, or the token is unknown or revoked", Unauthorized.code),
          403: ("Forbidden", "the caller's role or enterprise may not do this", Forbidden.code),
          404: ("NotFound", "no such resource, or the caller may not see it", NotFound.code),
          409: ("Conflict", "the id is taken (the message names its owner), or the item changed after the "
                            "version sent (code stale_version: reload it and make the change again)",
                Conflict.code),
          413: ("TooLarge", "the upload exceeds the size limit", "request_entity_too_large"),
          422: ("Invalid", "the input is not valid: fields maps each field to its messages", Invalid.code),
          429: ("TooManyRequests", "too many failed sign-ins: wait and try again", TooManyRequests.code)}

INTRO = ("JSON under /api/v1. Send `Authorization: Bearer <token>`; get a token from POST /api/v1/auth/token. "
         'Responses wrap their content in {"data": ...} (a new token too); short lists add count, long ones total, '
         'page, per_page and pages. Every error has '
         'the shape {"error": {"code", "message", "fields"}}, and 503 means the graph database is unavailable.')

ERROR_SCHEMA = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message", "fields"], "properties": {
        "code": {"type": "string", "example": "invalid"}, "message": {"type": "string"},
        "fields": {"type": "object", "description": "messages per field; empty when no field is at fault",
                   "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}}}


# -- building the document ---------------------------------------------------------------

_ARG = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_TYPES = {"int": "integer", "float": "number"}


def _path_schema(converter: str) -> dict:
    """A path parameter's schema: werkzeug's default converter takes no '/' (an id holding one, even
    encoded as %2F, reaches another route or none)."""
    if converter in _TYPES:
        return {"type": _TYPES[converter]}
    return {"type": "string", "pattern": "^[^/]+$"} if converter in ("", "string") else {"type": "string"}
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def api_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(method, rule relative to /api/v1, endpoint) of every API route, sorted."""
    routes = [(method, rule.rule[len(PREFIX):], rule.endpoint) for rule in app.url_map.iter_rules()
              if rule.rule.startswith(PREFIX + "/") for method in rule.methods - {"HEAD", "OPTIONS"}]
    return sorted(routes, key=lambda r: (r[1], _METHODS.index(r[0]) if r[0] in _METHODS else len(_METHODS)))


def undocumented(app: Flask) -> list[str]:
    return [f"{m} {r}" for m, r, _ in api_routes(app) if f"{m} {r}" not in OPERATIONS]


def spec_for(app: Flask) -> dict:
    """The document, built once per app."""
    if "openapi" not in app.extensions:
        app.extensions["openapi"] = build_spec(app)
    return app.extensions["openapi"]


def sign_in_first() -> None:
    """An anonymous call of an operation documented as needing a token is a 401 before its input is
    read (else a bad body would answer 422 and tell an anonymous caller what the operation takes)."""
    if "auth_required" not in current_app.extensions:
        current_app.extensions["auth_required"] = {
            endpoint for method, rule, endpoint in api_routes(current_app)
            if getattr(OPERATIONS.get(f"{method} {rule}"), "auth", None) == "required"}
    if request.endpoint in current_app.extensions["auth_required"]:
        require_login(current_principal())


def _schema_name(schema) -> str:
    name = resolve_schema_cls(schema).__name__.removesuffix("Schema")
    return name.removesuffix("Load").removesuffix("Patch") + "Patch" if getattr(schema, "partial", False) else name


def build_spec(app: Flask) -> dict:
    plugin = MarshmallowPlugin(schema_name_resolver=_schema_name)
    spec = APISpec("Chain matchmaking API", "1.0", "3.0.3", plugins=[plugin], info={"description": INTRO},
                   tags=[{"name": name, "description": text} for name, text in TAGS.items()])
    plugin.converter.add_attribute_function(constraints.exclusive_range)
    plugin.converter.add_attribute_function(constraints.record_rule)
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "description":
                                                    "a token from POST /api/v1/auth/token"})
    spec.components.schema("Error", ERROR_SCHEMA)
    for status, (name, text, code) in ERRORS.items():
        spec.components.response(name, {"description": text, "content": {JSON: {
            "schema": {"$ref": "#/components/schemas/Error"}, "example": error_body(code, text)}}})
    paths: dict[str, dict] = {}
    for method, rule, endpoint in api_routes(app):
        op = OPERATIONS.get(f"{method} {rule}")
        if op is None:
            app.logger.warning("OpenAPI: %s %s has no entry in OPERATIONS", method, PREFIX + rule)
        operation = _operation(plugin.converter, rule, op) if op else {
            "summary": "Not described yet", "x-undocumented": True,
            "responses": {"default": {"description": "not described yet"}}}
        path = PREFIX + _ARG.sub(r"{\2}", rule)
        paths.setdefault(path, {})[method.lower()] = {"operationId": endpoint.split(".")[-1], **operation}
    links.add_links(paths, {f"{m} {r}": (e.split(".")[-1], OPERATIONS.get(f"{m} {r}")) for m, r, e in api_routes(app)})
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return constraints.state_text_rules(spec.to_dict())


def _operation(converter, rule: str, op: Op) -> dict:
    params = [{"name": name, "in": "path", "required": True, "schema": _path_schema(conv)}
              for conv, name in _ARG.findall(rule)]
    if op.query:
        params += converter.schema2parameters(op.query, location="query")
    if op.if_match:
        params.append({"name": "If-Match", "in": "header", "required": False,
                       "schema": {"type": "string", "pattern": IF_MATCH},
                       "description": 'the ETag of the item as read, e.g. "3" (or send `version` in the '
                                      "body); a stale one is a 409 and nothing changes. Without either, the "
                                      "change is made on the version current when it arrives"})
    operation = {"tags": [op.tag], "summary": op.summary, "parameters": params,
                 "responses": _responses(converter, op, bool(_ARG.search(rule)))}
    if op.auth != "none":
        operation["security"] = [{"bearerAuth": []}] if op.auth == "required" else [{}, {"bearerAuth": []}]
    if op.body is not None:
        operation["requestBody"] = {"required": True, "content": {JSON: {
            "schema": converter.resolve_nested_schema(op.body)}}}
    if op.form is not None:
        form = converter.schema2jsonschema(op.form)
        form["properties"].pop("csrf_token", None)   # only the web page's form sends it
        form["properties"]["file"] = {"type": "string", "format": "binary", "description": "CSV or XLSX"}
        form["required"] = sorted({*form.get("required", []), "file"})
        operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": form}}}
    return operation


def _responses(converter, op: Op, has_path_args: bool) -> dict:
    responses = {str(op.status): _success(converter, op)}
    implied = {400: bool(op.body), 401: op.auth != "none", 403: op.auth == "required", 404: has_path_args,
               422: bool(op.body or op.form or op.query or op.if_match)}
    for status in sorted({s for s, applies in implied.items() if applies} | set(op.errors)):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    if op.refuses:   # a well-formed request that names data which does not fit (an unknown chain ...)
        responses["422"] = {"description": f"{ERRORS[422][1]}; also when {op.refuses}", "content": {JSON: {
            "schema": {"$ref": "#/components/schemas/Error"}}}}
    for status, (text, body) in op.also.items():
        schema = converter.resolve_nested_schema(body)
        if str(status) in responses:   # the route answers this status with either body
            schema = {"oneOf": [schema, {"$ref": "#/components/schemas/Error"}]}
            text = f"{text}; or {ERRORS[status][1]}"
        responses[str(status)] = {"description": text, "content": {JSON: {"schema": schema}}}
    return responses


def _success(converter, op: Op) -> dict:
    text = "Created" if op.status == 201 else "OK"
    if op.out == FILE:
        binary = {"schema": {"type": "string", "format": "binary"}}
        disposition = {"schema": {"type": "string"}, "description": "attachment; filename*=UTF-8''<name>"}
        return {"description": "the file, as an attachment", "content": {"text/csv": binary, XLSX: binary},
                "headers": {"Content-Disposition": disposition}}
    if op.out == HTML:
        return {"description": text, "content": {"text/html": {"schema": {"type": "string"}}}}
    if op.out == DOCUMENT:
        return {"description": text, "content": {JSON: {"schema": {"type": "object"}}}}
    success = {"description": text, "content": {JSON: {"schema": converter.resolve_nested_schema(op.out)}}}
    if op.etag:
        success["headers"] = {"ETag": {"schema": {"type": "string"},
                                       "description": 'the item\'s version, e.g. "3": send it back as If-Match'}}
    return success


# -- the reference page: the same document, arranged for reading -------------------------

def reference(spec: dict) -> dict:
    """Operations grouped by tag, and each component schema's fields, for templates/api_docs.html."""
    groups = {tag["name"]: {**tag, "operations": []} for tag in spec.get("tags", [])}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            tag = op.get("tags", ["Other"])[0]
            groups.setdefault(tag, {"name": tag, "operations": []})["operations"].append(
                _entry(spec, path, method, op))
    return {"groups": [g for g in groups.values() if g["operations"]],
            "schemas": {name: _fields(spec, s) for name, s in spec["components"]["schemas"].items()}}


def _entry(spec: dict, path: str, method: str, op: dict) -> dict:
    media, content = next(iter(op.get("requestBody", {}).get("content", {}).items()), (None, {}))
    return {"id": op.get("operationId"), "method": method.upper(), "path": path, "summary": op["summary"],
            "auth": _auth(op.get("security")), "media": media, "body": _fields(spec, content.get("schema")),
            "parameters": [{**_describe(p["schema"]), "name": p["name"], "in": p["in"],
                            "required": p.get("required", False)} for p in op.get("parameters", [])],
            "responses": [_response(spec, status, r) for status, r in op["responses"].items()]}


def _auth(security: list | None) -> str:
    return "none" if not security else "optional" if {} in security else "required"


def _resolve(spec: dict, ref: str) -> dict:
    node = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _fields(spec: dict, schema: dict | None) -> list[dict]:
    schema = _resolve(spec, schema["$ref"]) if schema and "$ref" in schema else (schema or {})
    required = set(schema.get("required", []))
    return [{**_describe(s), "name": name, "required": name in required}
            for name, s in schema.get("properties", {}).items()]


def _describe(s: dict) -> dict:
    """Type text, the component it names (for a link) and constraints as (label, value) pairs."""
    if "$ref" in s:
        name = s["$ref"].rsplit("/", 1)[-1]
        return {"type": name, "ref": name, "notes": []}
    if s.get("type") == "array":
        inner = _describe(s.get("items", {}))
        return {**inner, "type": f"{inner['type']}[]"}
    notes = [("one of", ", ".join(map(str, s["enum"])))] if "enum" in s else []
    for label, low, high in (("range", "minimum", "maximum"), ("length", "minLength", "maxLength")):
        if low in s or high in s:
            notes.append((label, _bounds(s.get(low), s.get(high))))
    notes += [(label, str(s[key])) for key, label in (("pattern", "pattern"), ("description", "note")) if key in s]
    if "default" in s:
        notes.append(("default", json.dumps(s["default"], ensure_ascii=False)))
    if s.get("nullable"):
        notes.append(("may be null", ""))
    kind = s.get("type", "object") + (f" ({s['format']})" if "format" in s else "")
    return {"type": kind, "ref": None, "notes": notes}


def _bounds(low, high) -> str:
    low, high = (None if v is None else str(int(v)) if float(v).is_integer() else str(v) for v in (low, high))
    return f"{low}–{high}" if low and high else f"≥ {low}" if low else f"≤ {high}"


def _response(spec: dict, status: str, response: dict) -> dict:
    response = _resolve(spec, response["$ref"]) if "$ref" in response else response
    refs, media = [], []
    for kind, content in response.get("content", {}).items():
        schema = content.get("schema", {})
        names = [s["$ref"].rsplit("/", 1)[-1] for s in schema.get("oneOf", [schema]) if "$ref" in s]
        refs += names
        if not names:
            media.append(kind)
    return {"status": status, "description": response["description"], "refs": refs, "media": media}


# -- routes -------------------------------------------------------------------------------

@api_bp.get("/openapi.json")
def openapi_document():
    return Response(json.dumps(spec_for(current_app), ensure_ascii=False), mimetype=JSON)


@api_bp.get("/docs")
def api_docs():
    return render_template("api_docs.html", ref=reference(spec_for(current_app)),
                           token_url=url_for("api.issue_token", _external=True),
                           example_url=url_for("api.supply_list_items", chain="nev", per_page=5, _external=True),
                           spec_url=url_for("api.openapi_document"))
