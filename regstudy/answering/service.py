"""The answering service. Routes a question — injection guard, direct addressing, document facts,
hybrid search — picks the citations, and renders an extractive answer; with an LLM configured, the
LLM writes the explanation while the quotes still come from the store."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Protocol

from regstudy.answering import conversation, meta
from regstudy.answering.answers import Answer, Citation
from regstudy.answering.conclusion import Concluder
from regstudy.answering.guard import is_injection
from regstudy.answering.highlight import answering_sentences
from regstudy.answering.query import Thesaurus, asks_old_edition
from regstudy.answering.reader import ArticleReader, reading_for
from regstudy.answering.relevance import DIRECT, NONE, POSSIBLE, Read, RelevanceModel, select
from regstudy.answering.rendering import Renderer, document_view, missing_view
from regstudy.answering.retrieval import Hit, Retriever
from regstudy.answering.suggestions import suggested_questions
from regstudy.answering.unstated import unstated
from regstudy.errors import UnknownDocumentError
from regstudy.kb import addressing
from regstudy.kb.editions import SUPERSEDED
from regstudy.kb.knowledge_base import KnowledgeBase
from regstudy.prompts import Prompts
from regstudy.records import POINT, Unit
from regstudy.settings import Settings
from regstudy.text import normalize

MAX_QUESTION = 1000  # characters
UNSTATED_READ = 3  # the closest articles, where a fact the question asks for would be stated
MAX_LISTED = 5  # documents one answer lists; a big knowledge base gets the first few and a count

log = logging.getLogger(__name__)


class Explainer(Protocol):
    """Writes an explanation for a drafted answer (an LLM): text as it streams, then the final Answer."""

    def explain(self, draft: Answer) -> Iterator[str | Answer]: ...


class Assistant:
    """Answers questions about one knowledge base. Built by `regstudy.composition.open_assistant`."""

    def __init__(
        self,
        kb: KnowledgeBase,
        retriever: Retriever,
        prompts: Prompts,
        settings: Settings,
        explainer: Explainer | None = None,
        reader: ArticleReader | None = None,
    ) -> None:
        self.kb = kb
        self.retriever = retriever
        self.prompts = prompts
        self.render = Renderer(prompts)
        self.settings = settings
        self.explainer = explainer
        self.reader = reader
        self.thesaurus = Thesaurus.bundled()
        self.relevance = RelevanceModel.bundled(dense=retriever.embeddings is not None)
        self.concluder = Concluder(prompts, kb.lexical.idf, retriever.word_vectors)

    def ask(self, question: str, history: Sequence[Answer] = (), scope: Sequence[str] = ()) -> Answer:
        """The complete answer (the LLM, when configured, is consumed to the end)."""
        *_, answer = self.stream(question, history, scope)
        assert isinstance(answer, Answer)  # stream() always ends with the Answer
        return answer

    def stream(
        self, question: str, history: Sequence[Answer] = (), scope: Sequence[str] = ()
    ) -> Iterator[str | Answer]:
        """Text as it is produced (LLM mode), then the final `Answer`. Without an LLM: just the Answer."""
        draft = self.draft(question, history, scope)
        # a `possible` answer is explained too: the chat heads it as possibly related either way
        if self.explainer is None or draft.refused or draft.route not in ("search", "follow_up"):
            yield draft
            return
        yield from self.explainer.explain(draft)

    def draft(self, question: str, history: Sequence[Answer] = (), scope: Sequence[str] = ()) -> Answer:
        """The extractive answer: what every route produces before any LLM is involved."""
        text = normalize(question)
        scope = tuple(scope)
        if not text:
            return self._refuse(question, "empty", self.render.refusal("refusal_empty"), scope)
        if len(text) > MAX_QUESTION:  # a pasted document is not a question; the 引文核查 tab takes those
            refusal = self.render.refusal("refusal_too_long", length=len(text), limit=MAX_QUESTION)
            return self._refuse(question[:MAX_QUESTION], "too_long", refusal, scope)
        if is_injection(text):
            return self._refuse(question, "injection", self.render.refusal("refusal_injection"), scope)
        focus = conversation.focus_of(history)
        references = addressing.parse_references(text, self._documents(scope))
        if references:
            return self._lookup(question, text, references, focus, scope)
        intent = meta.meta_intent(text)
        if intent:
            return self._meta(question, text, intent, focus, scope)
        return self._search(question, text, focus, scope)

    def candidates(self, question: str, k: int | None = None, scope: Sequence[str] = ()) -> list[Hit]:
        """The search hits for a question ranked by the relevance model, before the tier decision
        (to measure recall, and to mine the reader's training negatives)."""
        text = normalize(question)
        return self.relevance.rank(self._retrieve(text, text, tuple(scope), k), self.reading(text))

    def reading(self, question: str) -> Read | None:
        """The reader's pass over a few candidates for this question (None without a reader)."""
        return reading_for(self.reader, question)

    def pool(self, question: str, k: int | None = None) -> list[Hit]:
        """The unranked candidates with their evidence (to fit the relevance model)."""
        text = normalize(question)
        return self._retrieve(text, text, (), k)

    def scope_of(self, names: Sequence[str]) -> tuple[str, ...]:
        """Document ids for ids, titles or aliases a user wrote; UnknownDocumentError otherwise."""
        ids = []
        for name in names:
            doc = next((d for d in self.kb.documents if name in (d.id, *d.names())), None)
            if doc is None:
                raise UnknownDocumentError(name, [d.title for d in self.kb.documents])
            ids.append(doc.id)
        return tuple(dict.fromkeys(ids))

    def locate(self, text: str, doc_id: str) -> Unit | None:
        """The unit `第十三条`, `13` or `第三章` names within a document (for jumping in the 原文 view)."""
        return addressing.locate(normalize(text), doc_id, self.kb.documents, self.kb.units_of)

    def _lookup(
        self,
        question: str,
        text: str,
        references: list[addressing.Reference],
        focus: conversation.Focus,
        scope: tuple[str, ...],
    ) -> Answer:
        found: list[Unit] = []
        missing: list[addressing.Missing] = []
        for reference in references:
            units, absent = self._resolve(reference, focus, scope)
            found += [u for u in units if u not in found]
            missing += absent
        shown_missing = {"missing": [missing_view(m) for m in missing[:MAX_LISTED]], "more": len(missing) - MAX_LISTED}
        if not found:
            body = self.render.refusal("refusal_nonexistent", **shown_missing)
            return self._refuse(question, "nonexistent", body, scope)
        found, hidden = addressing.first_documents(found, MAX_LISTED)
        citations = [self._cite(u, text) for u in found]
        chapter = len(references) == 1 and references[0].kind == "chapter"
        heading = f"{found[0].citation.split('》')[0]}》{found[0].chapter}（共{len(found)}条）：" if chapter else ""
        body = self.render.quotes(citations, [], mode="lookup", heading=heading)
        if hidden:
            body += "\n\n" + self.render.refusal(
                "notice_more_documents", hidden=hidden, requested=references[0].label, example=found[0].citation
            )
        if missing:
            body += "\n\n" + self.render.refusal("notice_partial_missing", **shown_missing)
        route = "chapter" if any(r.kind == "chapter" for r in references) else "lookup"
        return Answer(question, body, False, tuple(citations), route=route, scope=scope)

    def _resolve(
        self, reference: addressing.Reference, focus: conversation.Focus, scope: tuple[str, ...]
    ) -> tuple[list[Unit], list[addressing.Missing]]:
        """Units for one reference: in its named document, else the conversation's, else any
        document in scope that has it. Missing only when no candidate document has it."""
        if reference.doc_id:
            candidates = [reference.doc_id]
        else:
            in_focus = [d for d in focus.doc_ids if addressing.resolve(reference, self.kb.units_of(d))]
            current = [d.id for d in self._documents(scope) if d.status != SUPERSEDED]
            if reference.point:  # 第三点: a document numbered by points, even after talk of another
                in_focus = [d for d in in_focus if self._numbers_points(d)]
                current = [d for d in current if self._numbers_points(d)] or current
            candidates = in_focus[:1] or current
        found = [u for d in candidates for u in addressing.resolve(reference, self.kb.units_of(d))]
        if found:
            return found, []
        documents = [info for d in candidates if (info := self.kb.document(d)) is not None]
        return [], [addressing.missing(info, self.kb.units_of(info.id), reference) for info in documents]

    def _meta(self, question: str, text: str, intent: str, focus: conversation.Focus, scope: tuple[str, ...]) -> Answer:
        named = list(dict.fromkeys(d for _, _, d in addressing.document_mentions(text, self._documents(scope))))
        doc_ids = named or list(focus.doc_ids[:1]) or [d.id for d in self._documents(scope)]
        if intent == "count":
            return self._count(question, doc_ids, scope)
        views, citations, missing = [], [], []
        for doc_id in doc_ids:
            info = self.kb.document(doc_id)
            if info is None:  # a document the index no longer has (the conversation began before a reload)
                continue
            evidence = meta.find_evidence(intent, self.kb.units_of(doc_id))
            if not evidence or meta.undated(intent, evidence, text):
                missing.append(info.title)
                continue
            views.append({"title": info.title, "evidence": meta.grouped(evidence)})
            for e in evidence:
                citations.append(Citation(e.unit, e.line, (e.line,)))
        asked = meta.ASKED[intent]
        if not citations:
            titles = missing if named or focus.doc_ids else [d.title for d in self._documents(scope)]
            body = self.render.refusal("refusal_meta_missing", titles=titles, asked=asked)
            return replace(self._refuse(question, "meta", body, scope), unstated="日期" if intent == "date" else None)
        missing = missing if named else []
        body = self.prompts.render("meta_answer", asked=asked, documents=views, missing=missing)
        return Answer(question, body, False, tuple(citations), route="meta", scope=scope)

    def _count(self, question: str, doc_ids: list[str], scope: tuple[str, ...]) -> Answer:
        """How many chapters and articles (or points) each document has, citing its last one."""
        views, citations = [], []
        for doc_id in doc_ids:
            info, shape = self.kb.document(doc_id), meta.structure(self.kb.units_of(doc_id))
            if info is None or not shape.numbered:
                continue
            views.append(meta.count_view(info.title, shape))
            citations.append(self._cite(shape.numbered[-1], ""))
        if not views:  # documents without numbered articles
            body = self.render.refusal("refusal_meta_missing", titles=[], asked="篇幅")
            return self._refuse(question, "meta", body, scope)
        body = self.prompts.render("meta_count", documents=views)
        return Answer(question, body, False, tuple(citations), route="meta", scope=scope)

    def _search(self, question: str, text: str, focus: conversation.Focus, scope: tuple[str, ...]) -> Answer:
        follow_up = bool(focus.units) and conversation.refers_back(text)
        query = f"{focus.question} {text}" if follow_up else text
        expanded = f"{query} {self._concepts(query)}"
        ranked = self.relevance.rank(self._retrieve(query, text, scope), self.reading(query))
        pinned = [focus.units[0]] if follow_up and conversation.names_article(text) else []
        ranked = [h for h in ranked if h.unit not in pinned]
        tier = DIRECT if pinned else self.relevance.tier(ranked)
        if tier == NONE:
            return self._out_of_scope(question, ranked, scope)
        # a question asking for a fact (an amount, a time limit…) that none of the closest articles
        # states is not answered by them, however close they are
        missing = None if pinned else unstated(text, [h.unit for h in ranked[:UNSTATED_READ]])
        tier = POSSIBLE if missing else tier
        cited, related = select(ranked, tier, self.settings.max_citations - len(pinned), self.settings.max_related)
        # an article is highlighted where it answers: cited as the answer, or read as answering
        citations = [self._cite(u, expanded) for u in pinned] + [
            self._cite(h.unit, expanded, h.score, marked=tier == DIRECT or h.reader > 0) for h in cited
        ]
        related_citations = [Citation(h.unit, h.unit.text, (), h.score) for h in related]  # listed, not quoted
        # a conclusion only where the first citation is the answer, never for possibly related articles
        units = [h.unit for h in (*cited, *related)]
        conclusion = self.concluder.conclude(text, units) if tier == DIRECT and not pinned else None
        mode = "possible" if tier == POSSIBLE else "search"
        shown = missing.missing if missing else ""
        body = self.render.quotes(citations, related_citations, mode, conclusion=conclusion, unstated=shown)
        return Answer(question, body, False, tuple(citations), tuple(related_citations), "follow_up" if follow_up
                      else "search", scope=scope, confidence=tier, conclusion=conclusion,
                      unstated=missing.kind if missing else None)  # fmt: skip

    def _out_of_scope(self, question: str, ranked: list[Hit], scope: tuple[str, ...]) -> Answer:
        """A refusal that says what the knowledge base covers and what it can answer nearby."""
        views, total = self._document_views(scope), len(self._documents(scope))
        suggestions = suggested_questions(ranked, self.prompts)
        body = self.render.refusal(
            "refusal_out_of_scope", documents=views, more=total - len(views), suggestions=suggestions
        )
        return self._refuse(question, "out_of_scope", body, scope)

    def _cite(self, unit: Unit, query: str, score: float = 0.0, marked: bool = True) -> Citation:
        lexical = self.kb.lexical
        sentences = answering_sentences(unit.text, query, lexical.document_frequency, len(lexical.ids))
        return Citation(unit, unit.text, sentences if marked else (), score)

    def _retrieve(self, query: str, text: str, scope: tuple[str, ...], k: int | None = None) -> list[Hit]:
        """Candidates for the query (the question, or with its predecessor for a follow-up), within
        the scope or the one document the question names; old editions only when it asks for them."""
        doc_ids, old = scope or self._named_scope(text), asks_old_edition(text)
        if old and doc_ids:  # the document named is the edition in force; its older ones were asked for
            titles = {d.title for d in self.kb.documents if d.id in doc_ids}
            doc_ids = tuple(d.id for d in self.kb.documents if d.title in titles)
        return self.retriever.search(query, self._concepts(query), doc_ids or None, k, old_editions=old)

    def _numbers_points(self, doc_id: str) -> bool:
        return any(u.kind == POINT for u in self.kb.units_of(doc_id))

    def _concepts(self, text: str) -> str:
        return " ".join(self.thesaurus.expansions(text))

    def _named_scope(self, text: str) -> tuple[str, ...]:
        """A document named by its full title (or in 《》) restricts the search to it."""
        named = {d for s, e, d in addressing.document_mentions(text, self.kb.documents) if e - s > 4}
        return tuple(named) if len(named) == 1 else ()

    def _documents(self, scope: tuple[str, ...]) -> list:
        return [d for d in self.kb.documents if not scope or d.id in scope]

    def _document_views(self, scope: tuple[str, ...]) -> list[dict]:
        return [document_view(d, self.kb.units_of(d.id)) for d in self._documents(scope)[:MAX_LISTED]]

    def _refuse(self, question: str, route: str, body: str, scope: tuple[str, ...]) -> Answer:
        return Answer(question, body, True, route=route, scope=scope, confidence=NONE)
