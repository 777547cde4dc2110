"""The web app — the only package that touches Gradio. One module per tab (chat, source, quiz,
check, admin); this one assembles the page and launches it."""

from __future__ import annotations

import html

import gradio as gr
from starlette.middleware import Middleware
from starlette.routing import Route

from ingest.library import Library
from regstudy.accounts import Accounts, login_required
from regstudy.composition import Services, open_library
from regstudy.errors import RegStudyError
from regstudy.records import SECTION
from regstudy.web.admin import AdminHandlers, admin_tab
from regstudy.web.assets import CSS, page_head
from regstudy.web.chat import ChatHandlers, chat_tab
from regstudy.web.check import CheckHandlers, check_tab
from regstudy.web.chinese import ChineseFirst, gradio_translations
from regstudy.web.limits import in_arrival_order
from regstudy.web.live import LiveServices
from regstudy.web.memory import browser_secret
from regstudy.web.quiz import QuizHandlers, quiz_tab
from regstudy.web.rest import ask_route
from regstudy.web.source import SourceHandlers, open_links, source_tab


def status(services: Services, about: bool = False) -> str:
    """The foot line (plain words) or the 关于 note in 管理 (model and LLM) for the index in service."""
    kb, settings = services.assistant.kb, services.settings
    articles = sum(1 for u in kb.units if u.kind != SECTION)
    dense = services.assistant.retriever.embeddings is not None
    llm = (settings.llm_model or settings.llm_base_url) if settings.llm_base_url else ""
    if not about:
        return services.assistant.prompts.render("status_foot", documents=len(kb.documents), articles=articles)
    model = kb.model_id if dense else ""
    return services.assistant.prompts.render(
        "status_about", documents=len(kb.documents), articles=articles, model=model, llm=llm
    )


def document_choices(services: Services) -> list[tuple[str, str]]:
    return [(d.shown_title, d.id) for d in services.assistant.kb.documents]


def build_app(services: Services, accounts: Accounts | None = None, library: Library | None = None) -> gr.Blocks:
    return assemble(services, accounts, library)[0]


def assemble(
    services: Services, accounts: Accounts | None = None, library: Library | None = None
) -> tuple[gr.Blocks, list[Route]]:
    """The page, and the plain REST routes served beside it (sharing its services and its gate)."""
    live = LiveServices(services)
    settings = services.settings
    accounts = accounts or Accounts(settings.users_path, {})
    chat, source = ChatHandlers(live), SourceHandlers(live)
    admin = AdminHandlers(library or open_library(settings), accounts, live.reload, services.assistant.prompts)
    documents = document_choices(services)
    first = documents[0][1] if documents else None
    with gr.Blocks(title="规章学习助手", delete_cache=(3600, 3600)) as app:  # Gradio's copies of downloads
        gr.Markdown("## 规章学习助手", elem_id="rs-title")
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="chat"):
                scope = chat_tab(app, chat, documents, browser_secret(settings.data_dir))
            with gr.Tab("原文", id="source"):
                document, text = source_tab(source, documents, first)
            with gr.Tab("测验", id="quiz"):
                quiz = QuizHandlers(live, accounts)
                organiser = quiz_tab(quiz, documents)
            with gr.Tab("引文核查", id="check"):
                check_tab(CheckHandlers(live))
            with gr.Tab("管理", id="admin", visible=False) as admin_panel:
                deletable, listed = admin_tab(admin)
                with gr.Accordion("关于", open=False):
                    about = gr.Markdown(html.escape(status(services, about=True)), elem_id="rs-about")
        foot = gr.Markdown(html.escape(status(services)), elem_id="rs-foot")
        app.load(admin.visibility, None, admin_panel, api_visibility="private")
        app.load(quiz.organiser_visibility, None, organiser, api_visibility="private")
        app.load(admin.document_ids, None, deletable, api_visibility="private")
        app.load(admin.documents_for, None, listed, api_visibility="private")
        app.load(lambda: _current(live), None, [foot, about, scope, document], api_visibility="private")
        open_links(app, source, tabs, document, text)
        answer = in_arrival_order(chat.ask_json)
        gr.api(answer, api_name="ask", queue=False)
    return app, [ask_route(answer, services.assistant.prompts)]


def _current(live: LiveServices) -> tuple:
    """The foot line, the 关于 note and the document choices of the index in service, for a page
    being opened."""
    documents = document_choices(live.services)
    foot, about = html.escape(status(live.services)), html.escape(status(live.services, about=True))
    return foot, about, gr.Dropdown(choices=documents), gr.Dropdown(choices=documents)


def bindable(server_name: str) -> str:
    """An IPv6 address in brackets: Gradio builds its own URL from the name (::1 crashed it)."""
    return f"[{server_name}]" if ":" in server_name and not server_name.startswith("[") else server_name


def launch(services: Services, library: Library | None = None) -> None:
    settings = services.settings
    accounts = Accounts.load(settings.users_path)
    try:
        login = login_required(settings.server_name, accounts)
    except RegStudyError as error:
        raise SystemExit(f"错误：{error}") from error
    services.assistant.ask("党员可以访问境外网站吗？")  # warm the tokenizer and the model before the first user
    app, routes = assemble(services, accounts, library)
    app.queue(default_concurrency_limit=4).launch(
        css=CSS,
        head=page_head(services.assistant.prompts, settings),
        server_name=bindable(settings.server_name),
        auth=accounts.verify if login else None,
        auth_message="请用管理员分配的账号登录规章学习助手。",
        max_file_size=f"{settings.upload_max_mb}mb",
        footer_links=None if settings.api_footer else [],
        i18n=gr.I18n(**gradio_translations(services.assistant.prompts)),
        app_kwargs={"middleware": [Middleware(ChineseFirst)], "routes": routes},  # ours before Gradio's
    )
