"""/api/v1/rounds: matchmaking rounds (对接会), their pairs and outcomes, tally and agenda sheet."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, request

from ..docking import round_agenda, rounds
from ..docking.round_rules import headline
from ..extensions import get_graph
from ..schemas.rounds import AgendaQuery, OutcomeLoad, PairDump, PairsLoad, RoundDump, RoundLoad, RoundQuery, \
    RoundWithPairs, TallyDump
from ..security import current_principal
from . import api_bp
from .envelope import listed, one
from .parsing import load, load_args

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dump_tally(figures: dict) -> dict:
    return TallyDump().dump({**figures, "headline": {lang: headline(figures, lang) for lang in ("zh", "en")}})


@api_bp.get("/rounds")
def list_rounds():
    load_args(RoundQuery())
    return listed(RoundDump(many=True).dump(rounds.list_rounds(get_graph(), current_principal())))


@api_bp.post("/rounds")
def create_round():
    data = load(RoundLoad())
    return one(RoundDump().dump(rounds.create_round(get_graph(), current_principal(), data)), 201)


@api_bp.get("/rounds/<round_id>")
def get_round(round_id: str):
    view = rounds.get_round(get_graph(), current_principal(), round_id)
    figures = {**view["tally"], "headline": {lang: headline(view["tally"], lang) for lang in ("zh", "en")}}
    return one(RoundWithPairs().dump({**view["round"], "pairs": view["pairs"], "tally": figures}))


@api_bp.patch("/rounds/<round_id>")
def change_round(round_id: str):
    data = load(RoundLoad(partial=True))
    version = data.pop("version", None)
    saved = rounds.update_round(get_graph(), current_principal(), round_id, data, version)
    return one(RoundDump().dump(saved))


@api_bp.delete("/rounds/<round_id>")
def delete_round(round_id: str):
    version = request.args.get("version", type=int)
    rounds.delete_round(get_graph(), current_principal(), round_id, version)
    return one({"id": round_id, "deleted": True})


@api_bp.get("/rounds/<round_id>/pairs")
def list_pairs(round_id: str):
    return listed(PairDump(many=True).dump(rounds.pairs_of(get_graph(), current_principal(), round_id)))


@api_bp.post("/rounds/<round_id>/pairs")
def add_pairs(round_id: str):
    data = load(PairsLoad())
    result = rounds.add_pairs(get_graph(), current_principal(), round_id, data["pairs"])
    return one({"added": PairDump(many=True).dump(result["added"]),
                "linked": PairDump(many=True).dump(result["linked"]), "skipped": result["skipped"]}, 201)


@api_bp.patch("/rounds/<round_id>/pairs/<pair_id>")
def record_outcome(round_id: str, pair_id: str):
    data = load(OutcomeLoad())
    return one(PairDump().dump(rounds.record_outcome(get_graph(), current_principal(), round_id, pair_id, data)))


@api_bp.delete("/rounds/<round_id>/pairs/<pair_id>")
def delete_pair(round_id: str, pair_id: str):
    rounds.delete_pair(get_graph(), current_principal(), round_id, pair_id)
    return one({"id": pair_id, "deleted": True})


@api_bp.get("/rounds/<round_id>/tally")
def round_tally(round_id: str):
    return one(dump_tally(rounds.get_round(get_graph(), current_principal(), round_id)["tally"]))


@api_bp.get("/rounds/<round_id>/agenda.xlsx")
def round_agenda_xlsx(round_id: str):
    args = load_args(AgendaQuery())
    view = round_agenda.agenda(get_graph(), current_principal(), round_id)
    body = round_agenda.agenda_xlsx(view, args["lang"])
    name = f"agenda-{round_id}.xlsx"
    title = f"{view['round']['title']}.xlsx"
    return Response(body, content_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(title)}"})
