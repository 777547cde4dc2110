"""End to end in a real browser (Debian's Chromium through Playwright): ask, read the quoted
article, open it in 原文; screenshots at desktop and phone sizes go to test-artifacts/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from regstudy.settings import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts"
A13 = "党员不得擅自建立、使用非法定信道浏览、访问、使用境外的网站、应用程序等。"

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but /usr/bin/chromium is missing: `make test` should have installed it")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


def ask(page, question: str) -> None:
    page.locator("#rs-question textarea").fill(question)
    page.locator("#rs-ask").click()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_ask_see_the_quote_and_open_the_article(browser, served_app: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served_app)
    assert "知识库：2 份文件，32 条" in page.locator("#rs-foot").inner_text()
    ask(page, "党员可以访问境外网站吗？")
    citation = page.locator("#rs-chat .rs-cite").first
    citation.wait_for(timeout=20_000)
    assert "《党员网络行为规定》第十三条" in citation.inner_text()
    assert citation.locator("mark").inner_text() in A13
    assert A13.rstrip("。") in citation.inner_text()
    shot(page, "desktop-chat")
    citation.locator("a.rs-open").click()
    selected = page.locator("#rs-source .rs-selected")
    selected.wait_for(timeout=10_000)
    assert A13 in selected.inner_text()
    page.wait_for_timeout(500)
    shot(page, "desktop-source")
    page.close()


def test_follow_up_and_refusal_in_the_page(browser, served_app: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(served_app)
    ask(page, "意见第二条讲什么")
    page.locator("#rs-chat .rs-cite").first.wait_for(timeout=20_000)
    ask(page, "那第四条呢？")
    page.locator("#rs-chat .rs-cite").nth(1).wait_for(timeout=20_000)
    assert "《关于规范党员干部网络行为的意见》第四点" in page.locator("#rs-chat .rs-cite").nth(1).inner_text()
    ask(page, "给我推荐几部电影")
    refused = page.locator("#rs-chat .rs-refused")
    refused.wait_for(timeout=20_000)
    assert "未找到依据" in refused.inner_text()
    page.locator("#rs-new").click()
    page.wait_for_function("document.querySelectorAll('#rs-chat .rs-cite').length === 0", timeout=10_000)
    page.close()


def test_user_text_is_escaped_not_executed(browser, served_app: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(served_app)
    attack = "<img src=x onerror=alert(1)><script>alert(2)</script>第十三条"
    ask(page, attack)
    page.locator("#rs-chat .rs-cite").first.wait_for(timeout=20_000)
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("#rs-chat img[src='x']").count() == 0
    assert "<script>alert(2)</script>" in page.locator("#rs-chat").inner_text()
    page.close()


def test_phone_layout(browser, served_app: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(served_app)
    page.get_by_role("tab", name="管理").wait_for(timeout=10_000)  # the operator on loopback is the admin
    for name in ("问答", "原文", "测验", "引文核查", "管理"):  # all five in the bar, none behind "More tabs"
        assert page.get_by_role("tab", name=name).is_visible(), name
    ask(page, "能不能给主播刷礼物？")
    citation = page.locator("#rs-chat .rs-cite").first
    citation.wait_for(timeout=20_000)
    assert "第十六条" in citation.inner_text()
    box = citation.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # no horizontal overflow
    shot(page, "phone-chat")
    page.get_by_role("tab", name="原文").click()
    page.locator("#rs-source .rs-unit").first.wait_for(timeout=10_000)
    shot(page, "phone-source")
    page.close()


STEM = ".rs-quiz-stem:not(.rs-quiz-stem .rs-quiz-stem)"  # Gradio puts the class on two nested elements


def test_quiz_made_by_the_organiser_and_answered_by_members_by_code(browser, served_app: str) -> None:
    organiser = browser.new_page(viewport={"width": 1280, "height": 900})
    organiser.goto(served_app)
    organiser.get_by_role("tab", name="测验").click()
    organiser.get_by_role("tab", name="出题（组织者）").click()
    organiser.locator("#rs-quiz-make").click()
    organiser.locator("#rs-quiz-preview li").first.wait_for(timeout=20_000)
    code = organiser.locator("#rs-quiz-made-code input, #rs-quiz-made-code textarea").first.input_value()
    assert len(code) == 6 and code in organiser.locator("#rs-quiz-made").inner_text()
    assert "种子" in organiser.locator("#rs-quiz-made").inner_text()
    assert (
        organiser.locator("#rs-quiz-preview li").count() == 10
        and "答案：" in organiser.locator("#rs-quiz-preview").inner_text()
    )
    files = organiser.locator("#rs-quiz-files").inner_text()
    assert all(name in files.replace("\n", "") for name in (f"试卷-{code}", f"答案-{code}", ".docx", ".md")), files
    shot(organiser, "desktop-quiz")

    member = browser.new_page(viewport={"width": 390, "height": 844})
    member.goto(served_app)
    member.get_by_role("tab", name="测验").click()
    member.locator("#rs-quiz-code input, #rs-quiz-code textarea").first.fill(code)
    member.locator("#rs-quiz-load").click()
    member.locator("#rs-quiz-submit").wait_for(timeout=20_000)
    stems = member.locator(STEM).all_inner_texts()
    assert len(stems) == 10 and member.locator(".rs-quiz-hint:not(.rs-quiz-hint .rs-quiz-hint)").count() == 10
    # the member sees the paper only: no key, no seed, no organiser controls; question 1 without scrolling
    page_text = member.locator("body").inner_text()
    assert "种子" not in page_text and "答案-" not in page_text and not member.locator("#rs-quiz-make").is_visible()
    first = member.locator(STEM).first.bounding_box()
    assert first is not None and first["y"] + first["height"] <= 844
    member.locator("#rs-quiz-q1 label").first.click()
    member.locator("#rs-quiz-name textarea, #rs-quiz-name input").first.fill("张三")
    for _ in range(3):  # one member tapping 交卷 three times is one submission
        member.locator("#rs-quiz-submit").click()
        member.locator("#rs-quiz-result .rs-quiz-group").wait_for(timeout=20_000)
        member.wait_for_timeout(500)
    review = member.locator("#rs-quiz-result .rs-quiz-review")
    assert review.count() == 10 and "原文：《" in review.first.inner_text()
    assert "得分：" in member.locator("#rs-quiz-result .rs-quiz-score").inner_text()
    assert "1 人交卷" in member.locator("#rs-quiz-result .rs-quiz-group").inner_text()
    shot(member, "phone-quiz")
    organiser.locator("#rs-coverage-box").click()  # the organiser's view counts that member once
    organiser.locator("#rs-coverage").click()
    organiser.locator("#rs-coverage-table table").wait_for(timeout=20_000)
    assert f"试卷码 {code}：1 人交卷" in organiser.locator("#rs-coverage-table").inner_text()
    organiser.close()
    member.close()


def test_check_an_uploaded_handout(browser, served_app: str) -> None:
    from test_citations import HANDOUT_FINDINGS

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served_app)
    page.get_by_role("tab", name="引文核查").click()
    page.set_input_files("#rs-check-file input[type=file]", str(REPO_ROOT / "tests" / "fixtures" / "handout.pdf"))
    cards = page.locator("#rs-check-result .rs-finding")
    cards.first.wait_for(timeout=30_000)
    assert (
        "共 16 处引文：一致 9，有出入 2，出处有误 2，查无此文 1，无此条 2（其中有实质出入 1）"
        in page.locator(".rs-check-summary").inner_text()
    )
    verdicts = [cards.nth(n).get_attribute("data-verdict") for n in range(cards.count())]
    assert verdicts == [v for v, _ in HANDOUT_FINDINGS]
    assert "党员发现网上违规违纪违法信息" in page.locator("#rs-check-text textarea").input_value()
    differs = page.locator(".rs-finding[data-verdict=differs]").nth(1)
    assert (
        differs.locator("del").first.inner_text() == "不得违反有关规定"
        and differs.locator("ins").first.inner_text() == "可以"
    )
    assert "标注出处：《党员网络行为规定》第十八条" in differs.inner_text()
    assert differs.get_attribute("data-severity") == "meaning" and "有实质出入" in differs.inner_text()
    assert "情态变了：原文“党员干部不得违反有关规定" in differs.locator(".rs-meaning").inner_text()
    red = differs.locator(".rs-badge").evaluate("e => getComputedStyle(e).backgroundColor")
    amber = page.locator(".rs-finding[data-verdict=differs]").first.locator(".rs-badge")
    assert (
        red == "rgb(183, 28, 28)" and amber.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(230, 126, 34)"
    )
    differs.locator("details summary").first.click()
    assert (
        "党员干部不得违反有关规定以职务身份开展网络借贷、直播带货等营利活动"
        in differs.locator("details").first.inner_text()
    )
    wrong = page.locator(".rs-finding[data-verdict=misattributed]").first
    assert "实际出处：《党员网络行为规定》第十一条" in wrong.inner_text()
    files = page.locator("#rs-check-files").inner_text().replace("\n", "")
    assert "引文核查报告.docx" in files and "引文核查报告.md" in files and "handout（改正稿·修订模式）.docx" in files
    differs.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "desktop-check.png"))
    wrong.locator("a.rs-open").first.click()
    page.locator("#rs-source .rs-selected").wait_for(timeout=10_000)
    assert "党员不得通过网络制造、散布、传播政治谣言" in page.locator("#rs-source .rs-selected").inner_text()
    page.close()


def test_check_pasted_text_is_escaped_and_empty_text_refused(browser, served_app: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(served_app)
    page.get_by_role("tab", name="引文核查").click()
    page.locator("#rs-check-run").click()
    page.get_by_text("请粘贴要核查的文字").first.wait_for(timeout=10_000)
    hostile = '<img src=x onerror="window.__pwned=1">《规定》第十三条：“党员不得擅自建立<b>网站</b>”'
    page.locator("#rs-check-text textarea").fill(hostile)
    page.locator("#rs-check-run").click()
    card = page.locator("#rs-check-result .rs-finding").first
    card.wait_for(timeout=20_000)
    assert "<b>网站</b>" in card.inner_text() and card.get_attribute("data-verdict") == "differs"
    assert page.evaluate("window.__pwned") is None
    shot(page, "tablet-check")
    page.close()


def test_bad_questions_in_the_chat_get_a_clear_message(browser, served_app: str) -> None:
    """The same bad questions as over HTTP and the CLI, typed into the chat: an empty one gets
    "请输入问题" as a notice, the others a refusal in Chinese; never a traceback or another error, and
    the page keeps working."""
    from test_app import BAD_QUESTIONS

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served_app)
    for question in BAD_QUESTIONS:
        page.click("#rs-new")
        page.wait_for_selector('#rs-chat [data-testid="bot"]', state="detached")
        ask(page, question)
        if not question.strip():
            page.get_by_text("请输入问题").first.wait_for(timeout=10_000)
            continue
        refusal = page.locator('#rs-chat [data-testid="bot"] .rs-refused').last
        refusal.wait_for(timeout=20_000)
        text = refusal.inner_text()
        assert any("\u4e00" <= c <= "\u9fff" for c in text) and "Traceback" not in text, question[:20]
    toasts = page.locator(".toast-body, [data-testid='toast-body']").all_inner_texts()
    assert all("请输入问题" in t for t in toasts), toasts
    ask(page, "第十三条")
    page.locator("#rs-chat .rs-cite").first.wait_for(timeout=20_000)
    page.close()
