"""`/api/v1/documents`: the archived evidence, its metadata and its original bytes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlmodel import Session

from scrapers.records import DocumentKind, Mechanism
from service.config import Settings, get_settings
from service.db import get_session
from service.disposition import content_disposition
from service.documents import repository as repo
from service.documents.schemas import DocumentOut
from service.errors import NotFound
from service.models import Document
from service.pagination import Page, RowId, decode_cursor, encode_cursor
from service.public_urls import public_document_url
from service.store import RawStore

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

EXTENSIONS = {"application/pdf": "pdf", "text/html": "html", "application/json": "json",
              "text/plain": "txt",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


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
    after = decode_cursor(cursor, 1, (int,))[0] if cursor else None
    docs, total = repo.page(session, state=state, mechanism=mechanism, kind=kind, limit=limit, after_id=after)
    nxt = encode_cursor([docs[limit - 1].id]) if len(docs) > limit else None
    docs = docs[:limit]
    counts = repo.recommendation_counts(session, [d.id for d in docs])
    return Page(items=[_out(d, counts.get(d.id, 0)) for d in docs], total=total, next=nxt)


@router.get("/{document_id}", response_model=DocumentOut, summary="Document metadata")
def get_document(document_id: RowId, session: Annotated[Session, Depends(get_session)]) -> DocumentOut:
    doc = repo.get(session, document_id)
    if doc is None:
        raise NotFound(f"document {document_id} does not exist")
    return _out(doc, repo.recommendation_counts(session, [doc.id]).get(doc.id, 0))


@router.get("/{document_id}/raw", summary="The archived bytes, exactly as fetched",
            response_class=Response)
def download_document(document_id: RowId, session: Annotated[Session, Depends(get_session)],
                      settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    doc = repo.get(session, document_id)
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
