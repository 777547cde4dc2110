"""The composition root: the one place that builds services from settings, for the CLI, the web app
and the benchmarks. Chroma, the embedding model and the LLM client are imported here on demand, only
when a service that needs them is built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.library import Library
from ingest.pipeline import Ingestor, IngestReport, Progress, no_progress
from regstudy.answering.query import Thesaurus
from regstudy.answering.reader import ArticleReader
from regstudy.answering.retrieval import Retriever
from regstudy.answering.service import Assistant, Explainer
from regstudy.errors import UnknownDocumentError
from regstudy.kb import generations
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.kb.parallels import ParallelProvisions
from regstudy.prompts import Prompts
from regstudy.settings import Settings
from regstudy.study.citations.checker import CitationChecker
from regstudy.study.quiz.service import ItemWriter, QuizService
from regstudy.study.revisions import Revision, compare_editions


@dataclass(frozen=True)
class Services:
    """Every read-side service over one index generation, sharing its knowledge base and templates."""

    settings: Settings
    assistant: Assistant
    quizzes: QuizService
    checker: CitationChecker
    parallels: ParallelProvisions


def open_retriever(settings: Settings, kb: KnowledgeBase) -> Retriever:
    """Hybrid when the index has vectors and the model is available; lexical-only otherwise."""
    from threadpoolctl import threadpool_limits

    # Answering multiplies small matrices; idle BLAS worker threads keep spinning after each product
    # and take the cores from the ONNX runtime embedding the next question (2× slower on 2 cores).
    threadpool_limits(1, user_api="blas")
    from regstudy.kb.embeddings import load_embeddings_or_none
    from regstudy.kb.vector_store import VectorStore

    thesaurus = Thesaurus.bundled().documents
    embeddings = None if kb.model_id == "none" else load_embeddings_or_none(settings)
    if embeddings is None:
        return Retriever(kb, None, None, settings, thesaurus)
    store = VectorStore.open(kb.folder / "chroma", kb.model_id, settings)
    return Retriever(kb, embeddings, store, settings, thesaurus)


def open_reader(settings: Settings) -> ArticleReader | None:
    """The shipped reader (models/reader), shared by every assistant of the process; None when the
    settings turn it off."""
    if not settings.reader:
        return None
    return _reader(settings.reader_dir, settings.embedding_threads)


@lru_cache(maxsize=2)
def _reader(folder: Path, threads: int) -> ArticleReader:
    from regstudy.answering.reader import OnnxReader

    return OnnxReader(folder, threads)


def open_explainer(settings: Settings, prompts: Prompts) -> Explainer | None:
    if not settings.llm_base_url:
        return None
    from regstudy.answering.llm import LlmExplainer

    return LlmExplainer(settings, prompts)


def open_quiz_writer(settings: Settings, prompts: Prompts) -> ItemWriter | None:
    if not settings.llm_base_url or settings.quiz_llm_share <= 0:
        return None
    from regstudy.answering.llm import QuizWriter

    return QuizWriter(settings, prompts)


def _shared(settings: Settings, kb: KnowledgeBase | None, prompts: Prompts | None) -> tuple[KnowledgeBase, Prompts]:
    """The knowledge base and templates a service is given, or the index in service and prompts/."""
    return kb or KnowledgeBase.open(settings), prompts or Prompts(settings.prompts_dir)


def open_assistant(settings: Settings, kb: KnowledgeBase | None = None, prompts: Prompts | None = None) -> Assistant:
    """The answering service over `kb` (default: the index in service)."""
    kb, prompts = _shared(settings, kb, prompts)
    explainer = open_explainer(settings, prompts)
    return Assistant(kb, open_retriever(settings, kb), prompts, settings, explainer, open_reader(settings))


def open_quizzes(settings: Settings, kb: KnowledgeBase | None = None, prompts: Prompts | None = None) -> QuizService:
    kb, prompts = _shared(settings, kb, prompts)
    return QuizService(kb, prompts, settings, open_quiz_writer(settings, prompts))


def open_checker(
    settings: Settings, kb: KnowledgeBase | None = None, prompts: Prompts | None = None
) -> CitationChecker:
    from functools import partial

    from ingest.loaders import CHECK_MAX_PAGES, plain_text

    kb, prompts = _shared(settings, kb, prompts)
    return CitationChecker.over(kb, prompts, settings, partial(plain_text, max_pages=CHECK_MAX_PAGES))


def compare_editions_of(settings: Settings, old: str, new: str) -> Revision:
    """修订对照 of two editions, each a file (read and split as ingest does) or a document of the index
    (opened once, and only when one of them is not a file)."""
    files = {name: Path(name) for name in (old, new) if Path(name).suffix and Path(name).is_file()}
    kb = None if len(files) == len({old, new}) else KnowledgeBase.open(settings)
    sides = [_file_edition(files[name]) if name in files else _indexed_edition(kb, name) for name in (old, new)]
    return compare_editions(sides[0][1], sides[1][1], sides[0][0], sides[1][0])


def _file_edition(path: Path) -> tuple[str, list]:
    from ingest.sources import SourceFile, parse_source

    parsed = parse_source(SourceFile(path.resolve(), "", None))
    return f"{parsed.info.title}（{path.name}）", parsed.units


def _indexed_edition(kb: KnowledgeBase | None, name: str) -> tuple[str, list]:
    assert kb is not None  # opened whenever a name is not a file
    document = next((d for d in kb.documents if name == d.id or name in d.names()), None)
    if document is None:
        raise UnknownDocumentError(name, [d.title for d in kb.documents][:10])
    edition = f"（{document.edition}）" if document.edition else ""
    return f"{document.title}{edition}", kb.units_of(document.id)


def open_services(settings: Settings) -> Services:
    """All read-side services over the index in service (one knowledge base, one set of templates)."""
    assistant = open_assistant(settings)
    kb, prompts = assistant.kb, assistant.prompts
    parallels = ParallelProvisions(kb, assistant.retriever.embeddings)
    return Services(
        settings, assistant, open_quizzes(settings, kb, prompts), open_checker(settings, kb, prompts), parallels
    )


def open_library(settings: Settings) -> Library:
    return Library(settings)


def ingest(settings: Settings, paths: list[Path] | None = None, progress: Progress = no_progress) -> IngestReport:
    """Bring the index in step with the given files (default: the corpus folder)."""
    return Ingestor(settings, progress).run(paths)


def ensure_index(
    settings: Settings, progress: Progress = no_progress, announce: Callable[[], None] = lambda: None
) -> None:
    """Build the index on first run (no generation in service yet)."""
    if generations.current_generation(settings.index_dir) is None:
        announce()
        ingest(settings, None, progress)
