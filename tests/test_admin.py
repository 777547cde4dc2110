"""Knowledge-base management and access control: preview → publish → delete on a copy of the corpus
(the index in service changes only when an ingest completes), bad uploads refused with the index
untouched, users and roles, the 管理 handlers closed to members, and, in a real browser against an
app that requires login, a member who never sees 管理 and an admin who publishes a regulation that
the chat then answers from."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import gradio as gr
import pytest
from conftest import FIXTURES, make_settings, serve
from playwright.sync_api import expect
from test_browser import ARTIFACTS, ask

from ingest.library import Library, UploadError
from ingest.pipeline import Ingestor
from regstudy.accounts import AccountError, Accounts, login_required
from regstudy.composition import open_assistant
from regstudy.errors import CorruptDocumentError, EncryptedDocumentError, UnsupportedFormatError
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.prompts import Prompts
from regstudy.web.admin import AdminHandlers

TRAINING = FIXTURES / "党员教育培训示例办法.txt"


@pytest.fixture
def library(tmp_path: Path, corpus_copy: Path) -> Library:
    settings = make_settings(tmp_path, corpus_dir=corpus_copy, embedding_model="none", upload_max_mb=1)
    assert Ingestor(settings).run().ok
    return Library(settings)


def in_service(library: Library) -> tuple[str, str, list[str]]:
    settings = library.settings
    files = sorted(p.name for p in settings.corpus_dir.iterdir())
    return (settings.index_dir / "CURRENT").read_text(), settings.manifest_path.read_text(), files


def test_preview_publish_and_delete(library: Library) -> None:
    before = in_service(library)
    preview = library.preview(TRAINING)
    assert (preview.articles, preview.chapters, preview.ocr) == (4, ("第一章 总则", "第二章 组织实施"), False)
    assert preview.title == "党员教育培训示例办法" and preview.sample[1].text.startswith("党员每年参加集中培训")
    assert in_service(library) == before  # a preview changes nothing in service
    report = library.publish(preview.token, "training", "党员教育培训示例办法", ["培训办法", ""])
    assert report.ok and not report.up_to_date
    kb = KnowledgeBase.open(library.settings)
    assert kb.document("training").aliases == ("培训办法",) and len(kb.units_of("training")) == 5
    answer = open_assistant(library.settings).ask("培训办法第二条")
    assert answer.citations[0].unit.id == "training/a2"
    library.delete("training")
    assert KnowledgeBase.open(library.settings).document("training") is None
    assert in_service(library)[1:] == before[1:]  # manifest and files as they were


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", UnsupportedFormatError),
        ("archive.docx", None, UnsupportedFormatError),  # a zip that is not a Word file
        ("big.txt", "第一条 党员应当学习。\n".encode() * 80_000, UploadError),  # over 1 MB
        ("encrypted-党员网络行为规定.pdf", FIXTURES / "encrypted-党员网络行为规定.pdf", EncryptedDocumentError),
        ("truncated-党员网络行为规定.pdf", FIXTURES / "truncated-党员网络行为规定.pdf", CorruptDocumentError),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(library: Library, tmp_path: Path, name, content, error) -> None:
    import zipfile

    upload = tmp_path / name
    if content is None:
        with zipfile.ZipFile(upload, "w") as archive:
            archive.writestr("hello.txt", "你好")
    elif isinstance(content, Path):
        shutil.copyfile(content, upload)
    else:
        upload.write_bytes(content)
    before = in_service(library)
    with pytest.raises(error) as raised:
        library.preview(upload)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(raised.value))  # a message in Chinese
    assert in_service(library) == before
    assert not list(library.staging.glob("*/*"))  # nothing staged is left behind


@pytest.mark.slow
def test_a_scanned_upload_is_read_with_ocr_and_flagged_before_publishing(library: Library) -> None:
    before = in_service(library)
    preview = library.preview(FIXTURES / "scanned-党员网络行为规定.pdf")
    assert preview.ocr and preview.articles == 26 and any("OCR" in w for w in preview.warnings)
    # Same title as a document in service: it would replace it, under its id and short names.
    assert (preview.replaces, preview.doc_id) == ("党员网络行为规定", "guiding") and "规定" in preview.aliases
    assert in_service(library) == before


def test_publish_needs_a_live_preview_and_a_title(library: Library) -> None:
    with pytest.raises(UploadError, match="预览已失效"):
        library.publish("../../etc", "x", "标题", [])
    preview = library.preview(TRAINING)
    with pytest.raises(UploadError, match="标题"):
        library.publish(preview.token, "training", "  ", [])


def test_accounts_roles_and_exposure(tmp_path: Path) -> None:
    accounts = Accounts.load(tmp_path / "users.json")
    assert login_required("127.0.0.1", accounts) is False
    with pytest.raises(AccountError, match="必须先配置用户"):
        login_required("0.0.0.0", accounts)
    accounts.add("zhang", "admin", "correct horse")
    accounts.add("li", "member", "battery staple")
    with pytest.raises(AccountError):
        accounts.add("wang", "member", "short")
    again = Accounts.load(tmp_path / "users.json")
    assert again.verify("zhang", "correct horse") and not again.verify("zhang", "battery staple")
    assert not again.verify("nobody", "correct horse")
    assert (again.role("zhang"), again.role("li"), again.role(None)) == ("admin", "member", "admin")
    assert "correct horse" not in (tmp_path / "users.json").read_text()
    assert login_required("0.0.0.0", again) is True


def test_admin_handlers_refuse_members(library: Library, tmp_path: Path) -> None:
    accounts = Accounts.load(tmp_path / "users.json")
    accounts.add("zhang", "admin", "correct horse")
    accounts.add("li", "member", "battery staple")
    handlers = AdminHandlers(library, accounts, lambda: None, Prompts(library.settings.prompts_dir))
    member, admin = gr.Request(username="li"), gr.Request(username="zhang")
    assert handlers.visibility(member).visible is False and handlers.visibility(admin).visible is True
    for call in (lambda: handlers.preview(str(TRAINING), member), lambda: handlers.reingest(member)):
        with pytest.raises(gr.Error, match="需要管理员权限"):
            call()
    assert "条文/要点：4 条" in handlers.preview(str(TRAINING), admin)[0]


@pytest.fixture(scope="module")
def login_root(corpus_settings, tmp_path_factory) -> Path:
    """Data, corpus and users of an app that requires login: admin zhang, member li."""
    root = tmp_path_factory.mktemp("login-app")
    shutil.copytree(corpus_settings.data_dir, root / "data")
    shutil.copytree(corpus_settings.corpus_dir, root / "corpus")
    accounts = Accounts.load(root / "users.json")
    accounts.add("zhang", "admin", "correct horse")
    accounts.add("li", "member", "battery staple")
    return root


@pytest.fixture(scope="module")
def login_app(login_root: Path):
    env = {
        "REGSTUDY_CORPUS_DIR": str(login_root / "corpus"),
        "REGSTUDY_USERS_FILE": str(login_root / "users.json"),
        "REGSTUDY_UPLOAD_MAX_MB": "1",
    }
    yield from serve(login_root / "data", **env)


def login(chromium, url: str, name: str, password: str):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.locator("input[type=text], input[name=username]").first.fill(name)
    page.locator("input[type=password]").first.fill(password)
    page.locator("button[type=submit], button:has-text('Login'), button:has-text('登录')").first.click()
    page.get_by_role("tab", name="问答").wait_for(timeout=20_000)
    return page


def test_the_rest_api_asks_for_the_same_login(login_app: str) -> None:
    import httpx

    question = {"question": "党员可以访问境外网站吗？"}
    refused = httpx.post(login_app + "api/ask", json=question, timeout=30)
    assert refused.status_code == 401 and "请先登录" in refused.json()["error"]
    forged = httpx.post(login_app + "api/ask", json=question, cookies={"access-token-x": "forged"}, timeout=30)
    assert forged.status_code == 401
    with httpx.Client(base_url=login_app, timeout=30) as member:
        assert member.post("login", data={"username": "li", "password": "battery staple"}).status_code == 200
        answered = member.post("api/ask", json=question)
    assert answered.status_code == 200 and answered.json()["citations"][0]["article"] == 13


def test_member_never_sees_admin_and_admin_publishes(browser, login_app: str) -> None:
    member = login(browser, login_app, "li", "battery staple")
    member.wait_for_timeout(1500)
    assert member.get_by_role("tab", name="管理").count() == 0
    member.close()
    admin = login(browser, login_app, "zhang", "correct horse")
    admin.get_by_role("tab", name="管理").click()
    admin.set_input_files("#rs-admin-file input[type=file]", str(TRAINING))
    admin.get_by_text("条文/要点：4 条").wait_for(timeout=30_000)
    admin.locator("#rs-admin-id input, #rs-admin-id textarea").first.fill("training")
    admin.locator("#rs-admin-aliases input, #rs-admin-aliases textarea").first.fill("培训办法")
    admin.locator("#rs-admin-publish").click()
    admin.get_by_text("已发布新索引").wait_for(timeout=120_000)
    assert "training" in admin.locator("#rs-admin-documents table").inner_text()
    admin.screenshot(path=str(ARTIFACTS / "desktop-admin.png"), full_page=True)
    admin.get_by_role("tab", name="问答").click()
    ask(admin, "党员每年参加集中培训多少学时？")
    citation = admin.locator("#rs-chat .rs-cite").first
    citation.wait_for(timeout=20_000)
    assert "《党员教育培训示例办法》第二条" in citation.inner_text()
    admin.close()


def bad_files(folder: Path) -> dict[str, Path]:
    """Uploads that must be refused, each named as if it were fine."""
    from PIL import Image

    folder.mkdir()
    files = {name: folder / name for name in ("照片.txt", "加密.pdf", "损坏.pdf", "空白扫描件.pdf", "超大.txt")}
    files["照片.txt"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    shutil.copyfile(FIXTURES / "encrypted-党员网络行为规定.pdf", files["加密.pdf"])
    shutil.copyfile(FIXTURES / "truncated-党员网络行为规定.pdf", files["损坏.pdf"])
    Image.new("RGB", (1240, 1754), "white").save(files["空白扫描件.pdf"])  # a scanned page with nothing on it
    files["超大.txt"].write_bytes("第一条 党员应当学习。\n".encode() * 80_000)  # 2.6 MB, over the 1 MB limit
    return files


EXPECTED = {
    "照片.txt": "不支持的文件类型",
    "加密.pdf": "文件已加密",
    "损坏.pdf": "文件已损坏",
    "空白扫描件.pdf": "没有可识别的文字",
    "超大.txt": "文件超过上传上限 1 MB，没有上传",  # stopped in the page, before Gradio's English message
}


def test_bad_uploads_in_the_browser_change_nothing(browser, login_app: str, login_root: Path, tmp_path) -> None:
    """Each bad file gets a Chinese message; an earlier preview is dropped so it cannot be published by
    mistake; the index in service, the manifest and the corpus files stay as they were."""
    served = lambda: ((login_root / "data/index/CURRENT").read_text(), sorted(os.listdir(login_root / "corpus")),  # noqa: E731
                      (login_root / "corpus/manifest.toml").read_text())  # fmt: skip
    before = served()
    admin = login(browser, login_app, "zhang", "correct horse")
    admin.get_by_role("tab", name="管理").click()
    table = admin.locator("#rs-admin-documents table").inner_text()
    for name, path in bad_files(tmp_path / "bad").items():
        upload(admin, TRAINING)
        admin.get_by_text("条文/要点：4 条").wait_for(timeout=30_000)
        upload(admin, path)
        admin.get_by_text(EXPECTED[name]).first.wait_for(timeout=60_000)
        # the earlier preview is cleared by the same event that shows the message: wait for it, not race it
        expect(admin.locator("#rs-admin-preview")).not_to_contain_text("条文/要点", timeout=10_000)
        admin.locator("#rs-admin-publish").click()
        admin.get_by_text("请先上传文件").first.wait_for(timeout=10_000)
        assert served() == before and admin.locator("#rs-admin-documents table").inner_text() == table, name
    admin.screenshot(path=str(ARTIFACTS / "desktop-admin-bad-upload.png"), full_page=True)
    admin.close()


def upload(page, path: Path) -> None:
    clear = page.locator("#rs-admin-file button[aria-label='Clear'], #rs-admin-file button[aria-label='清除']")
    if clear.count():
        clear.first.click()
    page.set_input_files("#rs-admin-file input[type=file]", str(path))


def test_logins_are_throttled_timing_safe_and_follow_the_users_file(tmp_path: Path, monkeypatch) -> None:
    import regstudy.accounts as accounts_module

    accounts = Accounts.load(tmp_path / "users.json")
    accounts.add("zhang", "admin", "correct horse")
    accounts.add("li", "member", "battery staple")
    calls = []
    real_digest = accounts_module._digest
    monkeypatch.setattr(accounts_module, "_digest", lambda p, s: calls.append(s) or real_digest(p, s))
    assert not accounts.verify("nobody", "correct horse") and len(calls) == 1  # scrypt runs for unknown names too
    clock = [1000.0]
    monkeypatch.setattr(accounts_module.time, "monotonic", lambda: clock[0])
    for _ in range(5):
        assert not accounts.verify("zhang", "wrong password")
    assert not accounts.verify("zhang", "correct horse")  # locked: even the right password waits
    clock[0] += 31
    assert accounts.verify("zhang", "correct horse")  # the lock lapses; success clears the count
    other = Accounts.load(tmp_path / "users.json")  # `regstudy user …` in another process
    other.remove("li")
    other.remove("zhang")
    other.add("zhang", "member", "new password!")
    assert not accounts.verify("li", "battery staple")  # removed: effective on the next request
    assert accounts.role("zhang") == "member" and not accounts.verify("zhang", "correct horse")


def test_stale_previews_and_exports_are_removed(library: Library) -> None:
    """An unpublished preview is dropped after a day, an export folder after an hour (they used to stay)."""
    import os
    import time

    from regstudy.web.exports import MAX_AGE_S, export_folder

    stale = library.preview(TRAINING)
    old = time.time() - 2 * 24 * 3600
    os.utime(library.staging / stale.token, (old, old))
    fresh = library.preview(TRAINING)
    assert not (library.staging / stale.token).exists() and (library.staging / fresh.token).exists()
    first = export_folder("check")
    os.utime(first, (time.time() - MAX_AGE_S - 60,) * 2)
    second = export_folder("check")
    assert not first.exists() and second.is_dir()
