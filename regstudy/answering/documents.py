"""The answering service's retrieval as a LangChain retriever: a question in, the articles it would
cite out, as `Document`s whose text is the article verbatim and whose metadata address it."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from regstudy.answering.answers import Answer, Citation
from regstudy.answering.service import Assistant


def citation_document(citation: Citation, confidence: str = "direct") -> Document:
    """One cited article: its quote (the stored text), where it stands, and whether the answer
    cites it as the answer (`direct`) or as possibly related (`possible`)."""
    unit = citation.unit
    metadata = {
        "id": unit.id,
        "document": unit.document,
        "doc_id": unit.doc_id,
        "article": unit.article,
        "label": unit.label,
        "chapter": unit.chapter,
        "citation": unit.citation,
        "highlights": list(citation.highlights),
        "confidence": confidence,
    }
    return Document(page_content=citation.quote, metadata=metadata, id=unit.id)


def answer_documents(answer: Answer) -> list[Document]:
    """The articles an answer cites, best first (none for a refusal)."""
    return [citation_document(c, answer.confidence) for c in answer.citations]


class ArticleRetriever(BaseRetriever):
    """`retriever.invoke("党员可以翻墙吗")` → the articles the assistant cites for it.

    The same routing, relevance decision and selection as the chat (so also 第N条 look-ups and
    refusals: a refused question retrieves nothing); `scope` restricts it to some documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Assistant
    scope: tuple[str, ...] = ()

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return answer_documents(self.assistant.draft(query, (), self.scope))
