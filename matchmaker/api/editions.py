"""/api/v1/editions: list, read (paged rows), publish, download. No PATCH or DELETE: editions never change."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response

from ..extensions import get_graph
from ..schemas.editions import DownloadQuery, EditionDump, EditionListQuery, EditionPageQuery, \
    EditionPublish, EditionRowDump
from ..security import current_principal
from ..services import editions as edition_service
from . import api_bp
from .envelope import listed, one, paged
from .parsing import load, load_args


@api_bp.get("/editions")
def list_editions():
    args = load_args(EditionListQuery())
    editions = edition_service.list_editions(get_graph(), args.get("chain"), args.get("kind"))
    return listed(EditionDump(many=True).dump(editions))


@api_bp.get("/editions/<edition_id>")
def get_edition(edition_id: str):
    args = load_args(EditionPageQuery())
    edition, page = edition_service.edition_page(get_graph(), edition_id, args["page"], args["per_page"])
    return paged(EditionDump().dump(edition), page.total, page.page, page.per_page,
                 rows=EditionRowDump(many=True).dump(page.items))


@api_bp.post("/editions")
def publish_edition():
    data = load(EditionPublish())
    edition = edition_service.publish(get_graph(), current_principal(), data["chain"], data["kind"],
                                      data.get("period"))
    return one(EditionDump().dump(edition), 201)


@api_bp.get("/editions/<edition_id>/download")
def download_edition(edition_id: str):
    args = load_args(DownloadQuery())
    file = edition_service.download(get_graph(), edition_id, args["format"])
    # Browsers show the Chinese title (RFC 5987 filename*); older clients get the ASCII id.
    disposition = f"attachment; filename=\"{file.filename}\"; filename*=UTF-8''{quote(file.title)}"
    return Response(file.body, content_type=file.content_type, headers={"Content-Disposition": disposition})
