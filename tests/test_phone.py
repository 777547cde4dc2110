"""A member on a phone (Chromium at 390×844, touch): the conversation survives Back, Forward and a
reload and 新对话 clears it; the address names the tab and the article; every tab and every error
toast speaks Chinese whatever the browser's language; text and touch targets are phone-sized; a
member's mistake is one INFO line in the app's log, never a traceback. Screenshots go to
test-artifacts/phone-*.png."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import APP_LOGS, serve
from fake_openai import Behaviour, FakeOpenAI
from test_browser import ARTIFACTS, CHROMIUM, ask

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
A13_ID = "guiding/a13"
# Words of Gradio's own interface, in English, that must never reach a member (the walk also fails
# on any other Latin word outside the knowledge base's own text).
UI_WORDS = {
    "Error", "Warning", "Info", "Close", "Copy", "Copied", "Clear", "Submit", "Upload", "Drop", "File", "Here",
    "Click", "Loading", "Textbox", "Chatbot", "chatbot", "conversation", "message", "More", "tabs", "Use", "API",
    "Gradio", "Built", "Settings", "Download", "Remove", "Select", "Search", "options", "queue", "processing",
    "Invalid", "type", "Only", "allowed", "this", "file",
}  # fmt: skip
# Latin letters that are names, not words: file extensions (.docx), file sizes (46.3 KB) and the
# documents' identifiers in 管理's table (the admin types them, in letters).
NAMES = {"txt", "md", "pdf", "docx", "doc", "KB", "MB", "guiding", "yijian"}
ENGLISH = """() => {
  const words = new Set();
  const add = (text) => { for (const w of (text || '').match(/[A-Za-z]{2,}/g) || []) words.add(w); };
  const shown = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !parent.closest('script, style') && shown(parent)) add(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) add(el.getAttribute(name));
  return [...words];
}"""

if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed", allow_module_level=True)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


CHAT_SHOWN = "document.querySelector('button[role=tab][aria-selected=true]').dataset.tabId === 'chat'"


def cited(page) -> int:
    return page.locator("#rs-chat .rs-cite").count()


def selected_tab(page) -> str:
    return page.locator('button[role="tab"][aria-selected="true"]').get_attribute("data-tab-id")


def test_the_conversation_survives_back_forward_and_reload_and_new_conversation_clears_it(
    browser, served_app: str
) -> None:
    page = browser.new_page(**PHONE)
    page.goto(served_app)
    ask(page, "在网上能不能私自用翻墙软件看境外网站")
    page.locator("#rs-chat .rs-cite").first.wait_for(timeout=20_000)
    before = cited(page)
    page.locator("#rs-chat a.rs-open").first.click()
    page.locator("#rs-source .rs-selected").wait_for(timeout=10_000)
    assert selected_tab(page) == "source" and "article=guiding%2Fa13" in page.url and "tab=source" in page.url
    page.wait_for_function(  # the article is scrolled into sight
        "(() => { const r = document.querySelector('#rs-source .rs-selected').getBoundingClientRect();"
        " return r.top >= 0 && r.top < innerHeight; })()",
        timeout=5_000,
    )
    shot(page, "phone-source-article")

    page.go_back()
    page.wait_for_function(CHAT_SHOWN)
    assert page.url.rstrip("/") == served_app.rstrip("/") and cited(page) == before
    assert "翻墙软件" in page.locator("#rs-chat").inner_text()
    page.go_forward()
    page.locator("#rs-source .rs-selected").wait_for(timeout=10_000)
    assert "党员不得擅自建立、使用非法定信道" in page.locator("#rs-source .rs-selected").inner_text()
    page.go_back()
    page.wait_for_function(CHAT_SHOWN)

    page.reload()
    page.locator("#rs-chat .rs-cite").nth(before - 1).wait_for(timeout=20_000)
    assert cited(page) == before and "翻墙软件" in page.locator("#rs-chat").inner_text()
    ask(page, "那第十四条呢？")  # the follow-up still knows which document the conversation is about
    page.locator("#rs-chat .rs-cite").nth(before).wait_for(timeout=20_000)
    assert "《党员网络行为规定》第十四条" in page.locator("#rs-chat .rs-cite").nth(before).inner_text()

    page.locator("#rs-new").click()
    page.wait_for_function("document.querySelectorAll('#rs-chat .rs-cite').length === 0", timeout=10_000)
    page.reload()
    page.locator("#rs-question textarea").wait_for()
    page.wait_for_timeout(1500)  # time for a kept conversation, were there one, to come back
    assert cited(page) == 0 and "翻墙软件" not in page.locator("#rs-chat").inner_text()
    page.close()


def test_an_article_address_can_be_shared(browser, served_app: str) -> None:
    page = browser.new_page(**PHONE)
    page.goto(f"{served_app}?tab=source&article={A13_ID.replace('/', '%2F')}")
    page.locator("#rs-source .rs-selected").wait_for(timeout=20_000)
    assert selected_tab(page) == "source" and "非法定信道" in page.locator("#rs-source .rs-selected").inner_text()
    page.get_by_role("tab", name="测验").click()
    assert "tab=quiz" in page.url
    page.get_by_role("tab", name="出题（组织者）").click()  # a tab inside a tab has no address of its own
    assert page.url.endswith("?tab=quiz")
    page.go_back()
    page.wait_for_function("document.querySelector('button[role=tab][aria-selected=true]').dataset.tabId === 'source'")

    # an article of the second document, with the dropdown on the first: shown and marked
    page.goto(f"{served_app}?tab=source&article=yijian%2Fa3")
    page.locator('#rs-source [data-unit="yijian/a3"]').wait_for(timeout=20_000)
    page.wait_for_timeout(1000)  # a change event, were one to fire, would re-render without the mark
    assert page.locator('#rs-source [data-unit="yijian/a3"].rs-selected').count() == 1

    # a link to an article no longer in the knowledge base: 原文 with a notice, not an error
    page.goto(f"{served_app}?tab=source&article=guiding%2Fa99")
    page.get_by_text("链接中的条文已不在知识库中").wait_for(timeout=20_000)
    assert selected_tab(page) == "source"
    page.close()


def test_following_the_same_citation_again_updates_the_address(browser, served_app: str) -> None:
    page = browser.new_page(**PHONE)
    page.goto(served_app)
    ask(page, "在网上能不能私自用翻墙软件看境外网站")
    page.locator("#rs-chat a.rs-open").first.click()
    page.locator("#rs-source .rs-selected").wait_for(timeout=10_000)
    page.get_by_role("tab", name="问答").click()
    assert "article=" not in page.url
    page.locator("#rs-chat a.rs-open").first.click()
    page.wait_for_function("location.search.includes('article=guiding%2Fa13')", timeout=10_000)
    page.close()


def test_an_answer_being_written_is_followed_from_its_question(browser, corpus_settings, tmp_path: Path) -> None:
    """With an LLM writing slowly, the question just asked comes to the top of the screen at once and
    the answer is seen growing under it, not only when it is complete."""
    article = "党员不得擅自建立、使用非法定信道浏览、访问、使用境外的网站、应用程序等。"
    reply = "不可以。" + "党员上网也要守纪律，" * 25 + f"依据《党员网络行为规定》第十三条，“{article}”"
    shutil.copytree(corpus_settings.data_dir, tmp_path / "data")
    with FakeOpenAI(Behaviour(reply=lambda _m: reply, chunk_delay=0.03)) as model:
        app = serve(tmp_path / "data", REGSTUDY_LLM_BASE_URL=model.base_url, REGSTUDY_LLM_MODEL="qwen2.5")
        url = next(app)
        try:
            page = browser.new_page(**PHONE)
            page.goto(url)
            ask(page, "党员可以访问境外网站吗？")
            page.locator("#rs-chat .rs-cite").first.wait_for(timeout=30_000)
            ask(page, "能不能用翻墙软件？")
            page.wait_for_function(
                "(() => { const rows = document.querySelectorAll('#rs-chat .user-row');"
                " if (rows.length < 2) return false; const top = rows[1].getBoundingClientRect().top;"
                " return top > -5 && top < 200; })()",
                timeout=10_000,
            )
            bot = "#rs-chat .bot-row, #rs-chat .message-row.bot-row"
            page.wait_for_function(  # the first words arrive (a busy machine drafts more slowly)
                f"(() => {{ const rows = document.querySelectorAll({bot!r});"
                " return rows.length && rows[rows.length - 1].innerText.includes('不可以'); })()",
                timeout=10_000,
            )
            last = page.locator(bot).last.inner_text()
            assert "不可以" in last and article[-8:] not in last  # shown while still being written
            page.locator("#rs-chat .rs-cite").nth(1).wait_for(timeout=30_000)
            page.close()
        finally:
            app.close()


def test_the_chat_is_phone_sized_and_a_new_answer_opens_at_its_start(browser, served_app: str) -> None:
    page = browser.new_page(**PHONE)
    page.goto(served_app)
    for question in ("党员在网上不能做哪些事？", "党员发现网上有人造谣怎么办？"):
        ask(page, question)
        page.locator("#rs-chat .rs-cite").first.wait_for(timeout=20_000)
        page.wait_for_timeout(600)
    last = page.locator('#rs-chat [data-testid="user"]').last.bounding_box()
    assert last is not None and 0 <= last["y"] < 300, last  # the new answer is read from its start
    shot(page, "phone-chat-long-answer")
    inner_scroll = page.evaluate(
        """() => [...document.querySelectorAll('#rs-chat, #rs-chat *')].filter(e =>
             ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)
             && e.scrollHeight > e.clientHeight + 2).length"""
    )
    assert inner_scroll == 0  # the chat grows and the page scrolls, not a box inside it
    assert page.evaluate("document.documentElement.scrollHeight") > 844
    font = page.locator("#rs-chat .rs-cite blockquote").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font >= 16
    small = page.evaluate(
        """() => [...document.querySelectorAll('button, [role=tab], a.rs-open, textarea')].filter(e => {
             const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < 44; })
           .map(e => (e.getAttribute('aria-label') || e.innerText || e.tagName).slice(0, 20))"""
    )
    assert small == [], small
    viewport = page.locator('meta[name="viewport"]').get_attribute("content")
    assert "interactive-widget=resizes-content" in viewport  # the page shrinks above the keyboard
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.locator("#rs-question textarea").focus()  # the question box stays reachable at the foot
    box = page.locator("#rs-question textarea").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844
    assert "知识库：2 份文件，32 条" in page.locator("#rs-foot").inner_text()
    assert "向量模型" not in page.locator("body").inner_text()
    page.close()


def while_checking(page) -> set[str]:
    """The English words seen while a long check runs (Gradio's progress text over the result)."""
    handout = "《党员网络行为规定》第十八条：“党员干部可以以职务身份开设网络账号。”联系实际，逐条对照。\n" * 600
    page.locator("#rs-check-text textarea").fill(handout)
    page.locator("#rs-check-run").click()
    seen, progress = set(), ""
    while page.locator("#rs-check-result .rs-check-summary").count() == 0:
        seen.update(page.evaluate(ENGLISH))
        progress += page.evaluate("[...document.querySelectorAll('.wrap')].map((e) => e.textContent).join(' ')")
        page.wait_for_timeout(30)
    assert "处理中" in progress, progress[:200]  # the progress text was seen, in Chinese
    return seen


def walk(page, served_app: str, during_a_check: bool = True) -> set[str]:
    """Every tab and every error toast a member or the admin can meet; the English words seen (also
    while a long check runs, if `during_a_check`)."""
    seen: set[str] = set()

    def look(wait_for_toast: bool = False) -> None:
        if wait_for_toast:
            page.locator(".toast-body").last.wait_for(timeout=10_000)
            page.wait_for_timeout(300)
        seen.update(page.evaluate(ENGLISH))

    page.goto(served_app)
    page.locator("#rs-question textarea").wait_for()
    page.wait_for_timeout(1000)
    look()
    ask(page, "")
    look(wait_for_toast=True)
    shot(page, "phone-error-toast")
    ask(page, "能不能给主播刷礼物？")
    page.locator("#rs-chat .rs-cite").first.wait_for(timeout=20_000)
    look()
    page.get_by_role("tab", name="原文").click()
    page.locator("#rs-jump textarea, #rs-jump input").first.fill("第九十九条")
    page.locator("#rs-jump textarea, #rs-jump input").first.press("Enter")
    look(wait_for_toast=True)
    page.get_by_role("tab", name="测验").click()
    page.locator("#rs-quiz-code input, #rs-quiz-code textarea").first.fill("999999")
    page.locator("#rs-quiz-load").click()
    look(wait_for_toast=True)
    page.get_by_role("tab", name="出题（组织者）").click()
    look()
    page.get_by_role("tab", name="引文核查").click()
    page.locator("#rs-check-run").click()
    page.get_by_text("请粘贴要核查的文字").first.wait_for(timeout=10_000)
    look()
    page.locator('#rs-check-file input[type="file"]').set_input_files(
        files=[{"name": "讲稿.doc", "mimeType": "application/msword", "buffer": b"not a docx"}]
    )
    page.get_by_text("“讲稿.doc”不是这几种之一").wait_for(timeout=10_000)
    look()
    if during_a_check:
        seen.update(while_checking(page))
    page.get_by_role("tab", name="管理").click()
    page.locator("#rs-admin-publish").click()
    look(wait_for_toast=True)
    return seen


@pytest.mark.parametrize("language", ["en-US", "zh-CN"])
def test_every_tab_and_error_toast_speaks_chinese(browser, served_app: str, language: str) -> None:
    page = browser.new_page(**PHONE, locale=language)
    seen = walk(page, served_app, during_a_check=language == "en-US")  # the progress text is the same in both
    assert not seen & UI_WORDS, sorted(seen & UI_WORDS)
    assert not seen - NAMES, sorted(seen - NAMES)
    page.close()


def test_a_members_mistake_is_one_info_line_not_a_traceback(browser, served_app: str, tmp_path: Path) -> None:
    log = APP_LOGS[served_app]
    start = log.stat().st_size
    page = browser.new_page(**PHONE)
    page.goto(served_app)
    ask(page, "")
    page.get_by_text("请输入问题").first.wait_for(timeout=10_000)
    fake = tmp_path / "通知.pdf"
    fake.write_bytes(bytes(range(256)) * 16)  # neither a PDF nor text
    page.get_by_role("tab", name="管理").click()
    page.set_input_files("#rs-admin-file input[type=file]", str(fake))
    page.locator("#rs-admin-preview .rs-admin-refused").wait_for(timeout=20_000)
    page.wait_for_timeout(500)
    page.close()
    written = log.read_bytes()[start:].decode("utf-8", errors="replace")
    assert "Traceback" not in written, written
    mistakes = [line for line in written.splitlines() if " INFO " in line]
    assert len(mistakes) == 2, written
    assert "请输入问题" in mistakes[0] and "通知.pdf" in mistakes[1]
