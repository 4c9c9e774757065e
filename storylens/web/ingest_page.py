"""The ingest page: a form for uploading files and pasting an article, given with the server's
write token, and the page saying what the ingest did (see web.ingest for the pipeline run).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..errors import StorylensError
from ..model import Draft
from .deps import ConfigDep, body_limit, token_accepted
from .ingest import Upload, ingest_page_inputs
from .render import error_page, render

router = APIRouter(include_in_schema=False)

# The form's text fields.
_FIELDS = ("token", "text", "title", "outlet", "date", "url")


def _ingest_form(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    return render(request, "ingest.html.j2", {"nav": "ingest", "form": {}, **context}, status)


def _read_only(request: Request) -> HTMLResponse:
    return error_page(
        request,
        403,
        "Read-only server",
        "This server is read-only: ingesting needs a server started with --write-token "
        "(or STORYLENS_WRITE_TOKEN).",
    )


async def _read_form(request: Request, limit: int) -> tuple[dict[str, str], list[Upload]]:
    """The form's text fields (stripped) and its uploaded files, each part up to ``limit``
    bytes."""
    form = await request.form(max_files=1000, max_fields=100, max_part_size=limit)
    try:
        fields = {
            key: value.strip()
            for key in _FIELDS
            if isinstance(value := form.get(key), str)
        }
        uploads = [
            Upload(item.filename or "upload", await item.read())
            for item in form.getlist("files")
            if isinstance(item, UploadFile) and item.filename
        ]
    finally:
        await form.close()
    return fields, uploads


def _pasted(fields: dict[str, str]) -> Draft | None:
    """The article pasted in the form, if any text was."""
    text = fields.get("text", "")
    if not text:
        return None
    return Draft(
        source=f"pasted:{fields.get('title') or text[:40]}",
        kind="text",
        raw=text,
        text=text,
        title=fields.get("title") or None,
        outlet=fields.get("outlet") or None,
        url=fields.get("url") or None,
        published=fields.get("date") or None,
    )


@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request, config: ConfigDep) -> HTMLResponse:
    if config.write_token is None:
        return _read_only(request)
    return _ingest_form(request)


@router.post("/ingest", response_class=HTMLResponse)
async def ingest_submit(request: Request, config: ConfigDep) -> Response:
    if config.write_token is None:
        return _read_only(request)
    fields, uploads = await _read_form(request, body_limit(config))
    kept = {k: v for k, v in fields.items() if k != "token"}
    if not token_accepted(config, fields.get("token", "")):
        return _ingest_form(request, 401, form=kept, error="The write token is missing or wrong.")
    uploads = [u for u in uploads if u.data]
    draft = _pasted(fields)
    if not uploads and draft is None:
        return _ingest_form(
            request, 400, form=kept, error="Choose files to upload or paste an article's text."
        )
    try:
        summary, stories = await run_in_threadpool(ingest_page_inputs, config, uploads, draft)
    except StorylensError as error:
        return error_page(request, 500, "Ingest failed", str(error))
    return render(
        request, "ingest_result.html.j2", {"nav": "ingest", "summary": summary, "stories": stories}
    )
