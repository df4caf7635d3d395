"""The web application of ``toolkit ui`` (Starlette, Jinja2 templates): the pages, the forms that start the
steps of ``work.py`` on the ``jobs.py`` threads, the state the page polls while a step runs, and downloads
by id. Every request has passed ``security.Guard`` first."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import __version__
from ..core.config import Options
from ..core.errors import SourceError, ToolkitError
from ..core.i18n import LANGUAGES, Message, T
from ..sources import LOCAL, Source, resolve
from ..sources.xlsx import check_workbook_file
from . import signing as sign_step
from . import views, work
from .jobs import Jobs
from .security import TOO_LARGE, Keys, TooLarge, same
from .texts import words
from .workspace import Workspace

HERE = Path(__file__).parent
CHUNK = 1 << 16
FILE_FIELDS = ("signer_key", "signature", "org_key", "seal")  # the Sign form's files, in the form's order


@dataclasses.dataclass
class Config:
    """How the server was started: the output folder, the language asked for (None: the browser's), the
    secrets, and the largest upload."""

    output: Path
    keys: Keys
    lang: str | None = None
    limit: int = 30 * 1024 * 1024
    today: dt.date | None = None


def create_app(config: Config) -> Starlette:
    """The application: routes, templates, static files, the server's workspace and steps."""
    # Long: the routes are closures over this app's workspace, jobs and templates; each route is short.
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    space = Workspace(config.output)
    jobs = Jobs()

    def lang_of(request: Request) -> str:
        if config.lang:
            return config.lang
        for part in request.headers.get("accept-language", "").split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in LANGUAGES:
                return code
        return "vi"

    def options(request: Request, force: bool = False) -> Options:
        return Options(output=config.output, force=force, lang=lang_of(request), today=config.today)

    def page(request: Request, name: str, code: int = 200, **context: Any) -> Response:
        lang = lang_of(request)
        context.update(
            _=words(lang),
            lang=lang,
            csrf=config.keys.csrf,
            source=space.source,
            file_id=space.file_id,
            upload=space.chosen_upload(),
            view=views,
            version=__version__,
            here=request.url.path,
        )
        return templates.TemplateResponse(request, name, context, status_code=code)

    async def form(request: Request, files: int = 1) -> Any:
        data = await request.form(max_files=files, max_fields=20)
        if not same(str(data.get("csrf", "")), config.keys.csrf):
            raise HTTPException(403, "CSRF")
        return data

    def back(path: str) -> Response:
        return RedirectResponse(path, status_code=303)

    async def home(request: Request) -> Response:
        return page(request, "home.html", recent=space.recent(), error=None)

    async def choose(request: Request) -> Response:
        data = await form(request)
        upload = data.get("workbook")
        spec = str(data.get("spec") or "").strip()
        try:
            if isinstance(upload, UploadFile) and upload.filename:
                path = space.upload_path(upload.filename)
                try:
                    with path.open("xb") as handle:
                        while chunk := await upload.read(CHUNK):
                            handle.write(chunk)
                    source = _checked_upload(path, upload.filename)
                finally:
                    space.uploaded(path)
            elif spec:
                source = resolve(spec)
                if source.kind == LOCAL:
                    uploaded = space.entry(spec)
                    if uploaded is not None and uploaded.get("upload"):  # an upload chosen again: its own name
                        source = Source(LOCAL, spec, str(uploaded["label"]))
                    if not os.path.lexists(source.value):
                        raise SourceError(
                            T(
                                'Không thấy "{spec}": ô này nhận đường dẫn của một Google Sheet '
                                "(https://docs.google.com/spreadsheets/d/…) hoặc đường dẫn tới một sổ theo dõi có "
                                'trên máy này. Sổ để ở nơi khác thì hãy tải tệp lên ở ô "Tệp trên máy".',
                                spec=spec,
                            )
                        )
                    try:
                        check_workbook_file(Path(source.value))
                    except ToolkitError as exc:
                        raise named_as(exc, Path(source.value), source.label) from None
            else:
                return page(request, "home.html", 400, recent=space.recent(), error=words(lang_of(request))("none"))
            space.remember(source.link, source.label, upload=space.is_upload(source))
        except ToolkitError as exc:
            return page(request, "home.html", 400, recent=space.recent(), error=exc.text(lang_of(request)))
        space.source = source
        space.prune_uploads()
        for name in ("check", "documents", "send", "sign"):
            jobs.forget(name)
        jobs.start("check", work.checked(source, options(request)))
        return back("/check")

    def _checked_upload(path: Path, filename: str) -> Any:
        name = Path(filename.replace("\\", "/")).name
        try:
            check_workbook_file(path)
        except ToolkitError as exc:
            path.unlink(missing_ok=True)
            raise named_as(exc, path, name) from None
        return Source(LOCAL, str(path), name)

    def needs_source(request: Request) -> Response | None:
        return None if space.source is not None else back("/")

    async def check_page(request: Request) -> Response:
        return needs_source(request) or page(request, "check.html", job=jobs.get("check"), view=views)

    async def check_again(request: Request) -> Response:
        await form(request)
        if space.source is None:
            return back("/")
        jobs.start("check", work.checked(space.source, options(request)))
        return back("/check")

    async def documents_page(request: Request) -> Response:
        job, signing = jobs.get("documents"), jobs.get("sign")
        return needs_source(request) or page(
            request, "documents.html", job=job, view=views, space=space, signing=signing, keys=sign_step.configured()
        )

    async def documents_start(request: Request) -> Response:
        data = await form(request)
        if space.source is None:
            return back("/")
        pictures = space.folder / "pages" if data.get("pictures") else None
        jobs.forget("sign")
        jobs.start("documents", work.documents(space.source, options(request, bool(data.get("force"))), pictures))
        return back("/documents")

    async def sign_start(request: Request) -> Response:
        data = await form(request, files=4)
        kind = str(data.get("kind") or "")
        done = jobs.get("documents")
        if space.source is None or done is None or done.running or not done.live.get("documents"):
            return back("/documents")
        pdf = next((d.pdf for d in views.docs(done.live["documents"].result) if d.kind == kind), None)
        if pdf is None:
            raise HTTPException(400)
        roles = {}
        for role, key, password, image in (
            (sign_step.SIGNER, "signer_key", "signer_password", "signature"),
            (sign_step.ORGANISATION, "org_key", "org_password", "seal"),
        ):
            roles[role] = sign_step.Role(
                key=await _uploaded(data.get(key)),
                secret=str(data.get(password) or ""),
                image=await _uploaded(data.get(image)),
            )
        picked = {
            f: item.filename for f in FILE_FIELDS if isinstance(item := data.get(f), UploadFile) and item.filename
        }
        from ..signing.sign import workbook_names  # (the signing library only once the page signs)

        names = workbook_names(done.live["documents"].campaign.settings)
        step = sign_step.sign(pdf, kind, roles, space.folder / "pages", under=space.output, names=names, picked=picked)
        jobs.start("sign", step)
        return back(f"/documents#doc-{kind}")

    async def send_page(request: Request) -> Response:
        if space.source is None:
            return back("/")
        context = views.send_context(jobs, space, options(request))
        return page(request, "send.html", job=jobs.get("send"), view=views, **context)

    async def send_start(request: Request) -> Response:
        data = await form(request)
        if space.source is None:
            return back("/")
        which = work.BOTH if data.get("which") == "both" else (str(data.get("which") or "report"),)
        if not set(which) <= set(work.BOTH):
            raise HTTPException(400)
        step = work.send(space.source, options(request), which, bool(data.get("resend")))
        jobs.start("send", step)
        return back("/send")

    async def rollup_page(request: Request) -> Response:
        status = request.query_params.get("status", "")
        job = jobs.get("rollup")
        return page(request, "rollup.html", job=job, view=views, recent=space.recent("rollup"), status=status)

    async def rollup_start(request: Request) -> Response:
        data = await form(request)
        spec = str(data.get("spec") or "").strip()
        if not spec:
            return back("/rollup")
        try:
            space.remember(spec, spec, "rollup")
        except ToolkitError as exc:
            error = exc.text(lang_of(request))
            return page(request, "rollup.html", 400, job=None, view=views, recent=[], status="", error=error)
        jobs.start("rollup", work.roll_up(spec, options(request, bool(data.get("force"))), bool(data.get("pdf"))))
        return back("/rollup")

    async def job_state(request: Request) -> Response:
        name = request.path_params["name"]
        job = jobs.get(name)
        if job is None:
            raise HTTPException(404)
        status = request.query_params.get("status", "")
        response = page(request, "_progress.html", job=job, view=views, status=status)
        response.headers["x-job-state"] = job.state
        return response

    async def download(request: Request) -> Response:
        path = space.file(request.path_params["ident"])
        if path is None:
            raise HTTPException(404)
        inline = path.suffix == ".png"
        return FileResponse(path, filename=None if inline else path.name, content_disposition_type="attachment")

    routes = [
        Route("/", home),
        Route("/choose", choose, methods=["POST"]),
        Route("/check", check_page),
        Route("/check", check_again, methods=["POST"]),
        Route("/documents", documents_page),
        Route("/documents", documents_start, methods=["POST"]),
        Route("/sign", sign_start, methods=["POST"]),
        Route("/send", send_page),
        Route("/send", send_start, methods=["POST"]),
        Route("/rollup", rollup_page),
        Route("/rollup", rollup_start, methods=["POST"]),
        Route("/job/{name}", job_state),
        Route("/file/{ident}", download),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]

    async def too_large(request: Request, exc: Exception | None = None) -> Response:
        """An upload past the limit, refused on the choose page as the other refusals are."""
        error = words(lang_of(request))("too_large", limit=config.limit // (1024 * 1024))
        return page(request, "home.html", 413, recent=space.recent(), error=error)

    class Refused:
        """The request the guard cut off (``TOO_LARGE`` in its scope) answered by ``too_large``; every other
        request goes to the routes."""

        def __init__(self, app: Any) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope.get(TOO_LARGE):
                await (await too_large(Request(scope, receive)))(scope, receive, send)
                return
            await self.app(scope, receive, send)

    app = Starlette(routes=routes, exception_handlers={TooLarge: too_large}, middleware=[Middleware(Refused)])
    app.state.space, app.state.jobs = space, jobs
    return app


def named_as(error: ToolkitError, path: Path, name: str) -> ToolkitError:
    """``error`` about the file at ``path`` naming it ``name`` instead: an upload as the clerk named it
    (``bao-cao.docx``), never the copy kept here (``output/.ui/uploads/…/bao-cao.docx.xlsx``)."""
    if str(path) == name:
        return error
    fields = tuple((k, name if str(v) in (str(path), path.name) else v) for k, v in error.msg.fields)
    return SourceError(Message(error.msg.template, fields), detail=error.detail)


async def _uploaded(item: Any) -> bytes | None:
    """The bytes of an uploaded file field (None when no file was picked); the guard has bounded the size."""
    if not isinstance(item, UploadFile) or not item.filename:
        return None
    data = await item.read()
    return data or None
