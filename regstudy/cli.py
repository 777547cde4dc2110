"""Command line: `python -m regstudy …` and `python app.py`: parse the arguments, call the services.

Errors from the core are translated here, once: a Chinese message on stderr and an exit code
(0 ok, 1 some input failed, 2 could not run).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from regstudy.errors import RegStudyError
from regstudy.settings import Settings, load_settings

EXIT_OK, EXIT_PARTIAL, EXIT_ERROR = 0, 1, 2


def progress_bars(description: str, total: int) -> Callable[[int], None]:
    from tqdm import tqdm

    if total < 50:
        return lambda _n: None
    bar = tqdm(total=total, desc=description, unit="个", file=sys.stderr, leave=False)

    def advance(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return advance


def run_command(action: Callable[[], int]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        return action()
    except RegStudyError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断，正在服务的索引未受影响。", file=sys.stderr)
        return EXIT_ERROR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m regstudy", description="规章学习助手")
    commands = parser.add_subparsers(dest="command", required=True)
    articles = commands.add_parser("articles", help="列出知识库中的全部单元（条文、要点、其他部分）")
    articles.add_argument("--json", action="store_true", help="输出 JSON 数组")
    articles.add_argument("--doc", help="只列出某个文件（文件 id）")
    commands.add_parser("fetch-model", help="获取并校验默认向量模型（bge-small-zh-v1.5），并校验随附的阅读模型")
    ask = commands.add_parser("ask", help="提问：引用条文原文作答")
    ask.add_argument("question", nargs="?", help="问题")
    ask.add_argument("--file", type=Path, help="每行一个问题；每行输出一个 JSON 对象")
    ask.add_argument("--json", action="store_true", help="输出 JSON")
    ask.add_argument("--doc", action="append", default=[], help="只在某个文件中查找（文件 id 或名称，可重复）")
    evaluate = commands.add_parser("eval", help="用问题集评测：hit@1、hit@3、MRR、拒答准确率、引文准确率、延迟")
    evaluate.add_argument("file", type=Path, help="问题集（JSONL，格式见 eval/README.md）")
    evaluate.add_argument("--json", action="store_true", help="输出 JSON")
    _quiz_parser(commands)
    check = commands.add_parser("check", help="核查引文：引文是否与所标的条文原文一致")
    check.add_argument("text", nargs="?", help="要核查的文字")
    check.add_argument("--file", type=Path, help="要核查的文件（.txt、.md、.docx、.pdf）")
    check.add_argument("--json", action="store_true", help="输出 JSON 数组（按在文中出现的顺序）")
    check.add_argument("--export", type=Path, help="把核查报告（Markdown、DOCX）写入这个文件夹")
    check.add_argument("--fix", type=Path, metavar="OUT.docx", help="写出改正后的讲稿（Word 修订模式，每处带批注）")
    compare = commands.add_parser("compare", help="修订对照：比较同一规章的两个版本（新增、删除、修改、移动的条文）")
    compare.add_argument("old", help="旧版：文件路径，或知识库中的文件 id")
    compare.add_argument("new", help="新版：文件路径，或知识库中的文件 id")
    compare.add_argument("--json", action="store_true", help="输出 JSON（counts 与逐条 rows）")
    compare.add_argument("--docx", type=Path, metavar="OUT.docx", help="把对照表写成 Word 文件")
    compare.add_argument("--all", action="store_true", help="对照表也列出未改动的条文")
    user = commands.add_parser(
        "user", help="管理登录用户：add 名字 --role admin|member（密码从终端或标准输入读取）；remove 名字"
    )
    user.add_argument("action", choices=["add", "remove"])
    user.add_argument("name")
    user.add_argument("--role", default="member", choices=["admin", "member"])
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.command == "user":
        return run_command(lambda: _user(settings, args))
    if args.command == "check":
        if (args.text is None) == (args.file is None):
            parser.error("请给出要核查的文字，或用 --file 指定文件（二者选一）")
        return run_command(lambda: _check(settings, args))
    if args.command == "quiz":
        return run_command(lambda: _quiz(settings, args))
    if args.command == "compare":
        return run_command(lambda: _compare(settings, args))
    if args.command == "articles":
        return run_command(lambda: _articles(settings, args.json, args.doc))
    if args.command == "ask":
        if (args.question is None) == (args.file is None):
            parser.error("请给出一个问题，或用 --file 指定问题文件（二者选一）")
        return run_command(lambda: _ask(settings, args))
    if args.command == "eval":
        return run_command(lambda: _eval(settings, args.file, args.json))
    return run_command(lambda: _fetch_model(settings))


def _quiz_parser(commands: argparse._SubParsersAction) -> None:
    quiz = commands.add_parser("quiz", help="出一套测验题（单选、多选、判断、填空），每题附出处原文")
    quiz.add_argument("--n", type=int, default=20, help="题目数量（默认 20）")
    quiz.add_argument(
        "--types", default="single,multiple,judge,blank", help="题型，逗号分隔：single,multiple,judge,blank"
    )
    quiz.add_argument(
        "--scope", action="append", default=[], help="范围：文件、章或条，如 规定、规定第三章、意见第2-4条（可重复）"
    )
    quiz.add_argument("--seed", type=int, help="随机种子：同一种子出同一套题（默认随机，并在标准错误输出中给出）")
    quiz.add_argument("--json", action="store_true", help="输出 JSON 数组")
    quiz.add_argument("--export", type=Path, help="把试卷和答案（Markdown、DOCX）写入这个文件夹")


def _quiz(settings: Settings, args: argparse.Namespace) -> int:
    from regstudy.composition import open_quizzes
    from regstudy.study.docx import write_markdown_and_docx

    service = open_quizzes(settings)
    paper = service.paper(args.n, args.types.split(","), args.scope, args.seed)
    print(f"种子：{paper.spec.seed}（用 --seed {paper.spec.seed} 可重出这套题）", file=sys.stderr)
    if len(paper.items) < args.n:
        print(f"注意：范围内只能出 {len(paper.items)} 道不重复的题。", file=sys.stderr)
    texts = service.exports(paper, service.book.keep(paper))
    if args.export:
        for name, text in texts.items():
            write_markdown_and_docx(args.export, name, text)
    if args.json:
        print(json.dumps([item.to_json() for item in paper.items], ensure_ascii=False, indent=1))
    else:
        print(texts["paper"] + "\n\n" + texts["key"])
    return EXIT_OK


def _check(settings: Settings, args: argparse.Namespace) -> int:
    from regstudy.composition import open_checker
    from regstudy.study.docx import write_markdown_and_docx

    checker = open_checker(settings)
    text, findings = checker.check_file(args.file) if args.file is not None else (args.text, checker.check(args.text))
    report = checker.report(findings, args.file.name if args.file else "命令行输入的文字")
    if args.export:
        write_markdown_and_docx(args.export, "report", report)
    if args.fix:
        outcome = checker.corrected(findings, text, args.file)
        args.fix.write_bytes(outcome.data)
        print(f"改正稿已写入 {args.fix}：修订 {outcome.revised} 处，仅批注 {outcome.commented} 处。", file=sys.stderr)
    print(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1) if args.json else report)
    return EXIT_OK


def _compare(settings: Settings, args: argparse.Namespace) -> int:
    from regstudy.composition import compare_editions_of
    from regstudy.prompts import Prompts
    from regstudy.study.docx import markdown_to_docx
    from regstudy.study.revision_report import revision_markdown

    revision = compare_editions_of(settings, args.old, args.new)
    markdown = revision_markdown(revision, Prompts(settings.prompts_dir), args.all)
    if args.docx:
        args.docx.write_bytes(markdown_to_docx(markdown))
    if args.json:
        print(
            json.dumps({"counts": revision.counts(), "rows": [r.to_json() for r in revision.rows]}, ensure_ascii=False)
        )
    else:
        print(markdown)
    return EXIT_OK


def _user(settings: Settings, args: argparse.Namespace) -> int:
    import getpass

    from regstudy.accounts import Accounts

    accounts = Accounts.load(settings.users_path)
    if args.action == "remove":
        accounts.remove(args.name)
    else:
        password = getpass.getpass("密码：") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
        accounts.add(args.name, args.role, password)
    print(f"已更新用户文件 {settings.users_path}（{len(accounts.accounts)} 个用户）")
    return EXIT_OK


def _articles(settings: Settings, as_json: bool, doc_id: str | None) -> int:
    from regstudy.kb.knowledge_base import KnowledgeBase

    kb = KnowledgeBase.open(settings)
    units = kb.units_of(doc_id) if doc_id else kb.units
    if as_json:
        print(json.dumps([u.to_listing() for u in units], ensure_ascii=False, indent=1))
    else:
        for unit in units:
            print(f"[{unit.id}] 《{unit.document}》{unit.label}  {unit.chapter}\n{unit.text}\n")
    return EXIT_OK


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    from regstudy.composition import open_assistant

    assistant = open_assistant(settings)
    scope = assistant.scope_of(args.doc)
    questions = [args.question] if args.file is None else _read_questions(args.file)
    for question in questions:
        answer = assistant.ask(question, scope=scope)
        if args.json or args.file is not None:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            print(answer.answer + (f"\n\n{answer.notice}" if answer.notice else ""))
    return EXIT_OK


def _read_questions(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise RegStudyError(f"无法读取问题文件 {path}：{error}") from error
    return [line.strip() for line in lines if line.strip()]


def _eval(settings: Settings, path: Path, as_json: bool) -> int:
    from dataclasses import asdict

    from regstudy.answering.evaluation import evaluate, load_cases
    from regstudy.composition import open_assistant
    from regstudy.prompts import Prompts

    if not path.is_file():
        raise RegStudyError(f"问题集文件不存在：{path}")
    report = evaluate(open_assistant(settings), load_cases(path))
    if as_json:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=1))
    else:
        print(Prompts(settings.prompts_dir).render("eval_report", file=path.name, **asdict(report)))
    return EXIT_OK


def serve_main() -> int:
    """`python app.py`: build the index on first run (with progress), then serve the web app."""
    return run_command(lambda: _serve(load_settings()))


def _log_app_events() -> None:
    """The serving app's own log lines (a member's mistake at INFO, faults with their traceback) go to
    stderr with their time; libraries stay at WARNING."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s：%(message)s"))
    for name in ("regstudy", "ingest"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        logger.propagate = False


def _serve(settings: Settings) -> int:
    import os

    _log_app_events()

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline intranet: no phoning home
    # Gradio's queue summarises its last 10,000 events in a pandas DataFrame after every event (for a
    # monitoring page we do not serve): 60 ms of CPU per answer. Summarise rarely, over few events.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "100000")
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "200")
    from regstudy.composition import ensure_index, open_library, open_services
    from regstudy.web.app import launch

    library = open_library(settings)
    for notice in library.reconcile():  # an interrupted publish, a corrupt manifest, files out of step
        print(f"注意：{notice}", file=sys.stderr, flush=True)
    ensure_index(settings, progress_bars, lambda: print("首次运行：正在建立知识库索引……", file=sys.stderr, flush=True))
    launch(open_services(settings), library)
    return EXIT_OK


def _fetch_model(settings: Settings) -> int:
    from regstudy.answering.reader import verify
    from regstudy.kb.model_fetch import ensure_model

    print(f"向量模型已就绪：{ensure_model(settings.model_dir)}")
    if settings.reader:
        verify(settings.reader_dir)
        print(f"阅读模型已校验：{settings.reader_dir}")
    return EXIT_OK
