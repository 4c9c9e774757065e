"""The ingest page: a form for uploading files and pasting an article, given with the server's
write token, and the page saying what the ingest did (see web.ingest for the pipeline run).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..errors import StoreBusy, StorylensError
from ..model import Draft
from .deps import ConfigDep, ServerConfig, body_limit, token_accepted
from .form import StreamedForm, read_streamed
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


async def _read_form(
    request: Request, config: ServerConfig
) -> tuple[dict[str, str], list[Upload]]:
    """The form's text fields (stripped) and its uploaded files, each part up to the body
    limit. A multipart form is read as it streams in and no further than a wrong token (the
    form sends it first): then only the fields that came before it are returned."""
    limit = body_limit(config)
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        return await _read_plain_form(request, limit), []

    def wrong_token(form: StreamedForm) -> bool:
        token = next((p for p in form.parts if p.name == "token" and p.filename is None), None)
        return token is not None and token.done and not token_accepted(
            config, token.text().strip()
        )

    form = await read_streamed(content_type, request.stream(), limit, wrong_token)
    whole = [p for p in form.parts if p.done]
    fields = {p.name: p.text().strip() for p in whole if p.filename is None and p.name in _FIELDS}
    uploads = [Upload(p.filename, bytes(p.data)) for p in whole if p.name == "files" and p.filename]
    return fields, uploads


async def _read_plain_form(request: Request, limit: int) -> dict[str, str]:
    """The text fields (stripped) of a form that is not multipart (it has no files)."""
    form = await request.form(max_files=0, max_fields=100, max_part_size=limit)
    try:
        return {key: value.strip() for key in _FIELDS if isinstance(value := form.get(key), str)}
    finally:
        await form.close()


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
    fields, uploads = await _read_form(request, config)
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
    except StoreBusy:
        raise  # the site's 503 page, with Retry-After (web.boundary)
    except StorylensError as error:
        return error_page(request, 500, "Ingest failed", str(error))
    return render(
        request, "ingest_result.html.j2", {"nav": "ingest", "summary": summary, "stories": stories}
    )
