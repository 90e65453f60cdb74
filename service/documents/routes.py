"""`/api/v1/documents`: the archived evidence, its metadata and its original bytes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlmodel import Session

from scrapers.records import DocumentKind, Mechanism
from service.config import Settings, get_settings
from service.db import get_session
from service.disposition import content_disposition
from service.errors import NotFound
from service.models import Document, Recommendation
from service.pagination import Page, RowId, decode_cursor, encode_cursor
from service.public_urls import public_document_url
from service.store import RawStore

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

EXTENSIONS = {"application/pdf": "pdf", "text/html": "html", "application/json": "json",
              "text/plain": "txt",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


class DocumentOut(BaseModel):
    id: int
    mechanism: str
    kind: str
    symbol: str | None
    title: str | None
    state: str | None
    url: str | None
    language: str
    published_on: date | None
    sha256: str
    content_type: str
    size: int
    fetched_at: datetime
    parser: str | None
    parser_version: str | None
    is_sample: bool
    reference: str | None
    version: str | None
    outcome: str | None
    vote: str | None
    cites: list[str]
    parse_problems: list[str] = Field(description="Parts the parser could not read (paragraph and "
                                      "first words); everything else was imported")
    recommendations: int
    download_url: str


def _out(doc: Document, n: int) -> DocumentOut:
    # Rows imported from disk before URLs were made public may still hold a server path.
    url = public_document_url(doc.url, symbol=doc.symbol, language=doc.language, mechanism=doc.mechanism)
    return DocumentOut(**doc.model_dump(exclude={"review_id", "url"}), url=url, recommendations=n,
                       download_url=f"/api/v1/documents/{doc.id}/raw")


@router.get("", response_model=Page[DocumentOut], summary="List documents")
def list_documents(session: Annotated[Session, Depends(get_session)],
                   state: Annotated[str | None, Query(max_length=3)] = None,
                   mechanism: Mechanism | None = None, kind: DocumentKind | None = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 50,
                   cursor: Annotated[str | None, Query(max_length=200)] = None) -> Page[DocumentOut]:
    conds = []
    if state:
        conds.append(Document.state == state.upper())
    if mechanism:
        conds.append(Document.mechanism == mechanism)
    if kind:
        conds.append(Document.kind == kind)
    total = session.execute(select(func.count()).select_from(Document).where(*conds)).scalar_one()
    stmt = select(Document).where(*conds)
    if cursor:
        stmt = stmt.where(Document.id > decode_cursor(cursor, 1, (int,))[0])
    docs = list(session.execute(stmt.order_by(Document.id).limit(limit + 1)).scalars())
    nxt = encode_cursor([docs[limit - 1].id]) if len(docs) > limit else None
    docs = docs[:limit]
    counts = dict(session.execute(
        select(Recommendation.source_document_id, func.count())
        .where(Recommendation.source_document_id.in_([d.id for d in docs]))
        .group_by(Recommendation.source_document_id)).all()) if docs else {}
    return Page(items=[_out(d, counts.get(d.id, 0)) for d in docs], total=total, next=nxt)


@router.get("/{document_id}", response_model=DocumentOut, summary="Document metadata")
def get_document(document_id: RowId, session: Annotated[Session, Depends(get_session)]) -> DocumentOut:
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(f"document {document_id} does not exist")
    n = session.execute(select(func.count()).select_from(Recommendation)
                        .where(Recommendation.source_document_id == doc.id)).scalar_one()
    return _out(doc, n)


@router.get("/{document_id}/raw", summary="The archived bytes, exactly as fetched",
            response_class=Response)
def download_document(document_id: RowId, session: Annotated[Session, Depends(get_session)],
                      settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(f"document {document_id} does not exist")
    store = RawStore(settings.raw_dir)
    if not store.exists(doc.sha256):
        raise NotFound(f"the bytes of document {document_id} are not in this server's raw store")
    name = (doc.symbol or f"document-{doc.id}").replace("/", "_")
    ext = EXTENSIONS.get(doc.content_type, "bin")
    return Response(store.get(doc.sha256), media_type=doc.content_type, headers={
        "Content-Disposition": content_disposition(f"{name}.{ext}"),
        "X-Content-SHA256": doc.sha256})
