"""The LLM side, as LangChain (LCEL) chains: an optional model behind any OpenAI-compatible chat
endpoint writes the explanation (and, if asked, quiz items). Quotes are still rendered from the store;
anything the model puts in quotation marks that is not verbatim in a cited article is removed. If the
endpoint fails or is too slow, the extractive answer is returned with a notice."""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import openai
from langchain_core.documents import Document
from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import JsonOutputParser, StrOutputParser
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnableParallel, RunnablePassthrough
from pydantic import SecretStr

from regstudy.answering.answers import Answer
from regstudy.answering.conclusion import reply_contradicts
from regstudy.answering.documents import answer_documents
from regstudy.answering.unstated import missing_of
from regstudy.errors import RegStudyError
from regstudy.prompts import Prompts
from regstudy.quotes import QuoteGuard
from regstudy.settings import Settings
from regstudy.text import ARTICLE_MENTION

log = logging.getLogger(__name__)


class LlmTimeoutError(RegStudyError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"超过 {seconds:g} 秒未完成")


class PromptLeakError(RegStudyError):
    """The model started to repeat its instructions (an injection got through): its text is withheld."""


LEAK_WINDOW = 12  # characters of the system prompt that, repeated, count as a leak


def _windows(text: str) -> set[str]:
    flat = re.sub(r"\s+", "", text)
    return {flat[i : i + LEAK_WINDOW] for i in range(len(flat) - LEAK_WINDOW + 1)}


def _secret(system: str, given: str) -> set[str]:
    """What of the system prompt must never come back: its wording, minus the example citations
    it contains and anything also in the articles and question the model was given."""
    stripped = re.sub(rf"《[^》]*》|{ARTICLE_MENTION.pattern}", "\x00", system)
    return {w for w in _windows(stripped) if "\x00" not in w} - _windows(given)


def chat_model(settings: Settings, streaming: bool, temperature: float) -> BaseChatModel:
    """The configured OpenAI-compatible chat endpoint (no retries: a slow model falls back at once)."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        api_key=SecretStr(settings.llm_api_key),
        model=settings.llm_model or "default",
        temperature=temperature,
        timeout=settings.llm_timeout,
        max_retries=0,
        streaming=streaming,
    )


def explanation_messages(
    prompts: Prompts, question: str, documents: list[Document], conclusion: str = "", unstated: str = ""
) -> list[BaseMessage]:
    """The system prompt and the question with the articles to explain from (and the conclusion the
    system drew from them, which the reply must agree with; or what they do not state)."""
    articles = [{"citation": d.metadata["citation"], "text": d.page_content} for d in documents]
    user = prompts.render("llm/user", question=question, articles=articles, conclusion=conclusion, unstated=unstated)
    return [SystemMessage(prompts.render("llm/system")), HumanMessage(user)]


def text_chain(model: BaseChatModel) -> Runnable[list[BaseMessage], str]:
    """LCEL: messages → model → text (streamed chunk by chunk)."""
    return model | StrOutputParser()


def explanation_chain(prompts: Prompts, model: BaseChatModel) -> Runnable[dict[str, Any], str]:
    """LCEL: {question, documents} → messages → model → text."""
    to_messages: RunnableLambda[dict[str, Any], list[BaseMessage]] = RunnableLambda(
        lambda x: explanation_messages(prompts, x["question"], x["documents"])
    )
    return to_messages | text_chain(model)


def rag_chain(retriever: BaseRetriever, prompts: Prompts, model: BaseChatModel) -> Runnable[str, str]:
    """LCEL over the article retriever: a question → its cited articles → the model's explanation."""
    gather = RunnableParallel(question=RunnablePassthrough(), documents=retriever)
    return gather | explanation_chain(prompts, model)


class LlmExplainer:
    """Streams an LLM explanation for a drafted (extractive) answer, from the articles it cites."""

    def __init__(self, settings: Settings, prompts: Prompts) -> None:
        self.settings = settings
        self.prompts = prompts
        self.chain = text_chain(chat_model(settings, True, settings.llm_temperature))

    def explain(self, draft: Answer) -> Iterator[str | Answer]:
        """Yield explanation text as it arrives (quotes vetted), then the final Answer."""
        guard = QuoteGuard([c.unit.text for c in draft.citations])
        parts: list[str] = []
        try:
            for piece in self._stream(draft, guard):
                parts.append(piece)
                yield piece
        except PromptLeakError:
            log.warning("LLM output repeated its instructions; withheld")
            yield dataclasses.replace(draft, notice=self.prompts.render("notice_llm_withheld"))
            return
        except (openai.OpenAIError, httpx.HTTPError, LlmTimeoutError) as error:
            log.warning("LLM unavailable: %s", error)
            notice = self.prompts.render("notice_llm_unavailable", reason=_reason(error))
            yield dataclasses.replace(draft, notice=notice)
            return
        explanation = flag_uncited_articles("".join(parts).strip(), draft)
        if draft.conclusion and reply_contradicts(explanation, draft.conclusion):
            log.warning("LLM reply contradicts the conclusion drawn from the article; withheld")
            yield dataclasses.replace(draft, notice=self.prompts.render("notice_llm_withheld"))
            return
        body = self.prompts.render(
            "answer_llm", explanation=explanation, quotes=draft.answer, removed=len(guard.removed)
        )
        yield dataclasses.replace(draft, answer=body, llm=True, explanation=explanation)

    def _stream(self, draft: Answer, guard: QuoteGuard) -> Iterator[str]:
        deadline = time.monotonic() + self.settings.llm_timeout
        conclusion = draft.conclusion.text if draft.conclusion else ""
        missing = missing_of(draft.unstated)
        messages = explanation_messages(self.prompts, draft.question, answer_documents(draft), conclusion, missing)
        secret, seen = _secret(str(messages[0].content), str(messages[1].content)), ""
        for chunk in self.chain.stream(messages):
            if time.monotonic() > deadline:
                raise LlmTimeoutError(self.settings.llm_timeout)
            seen = (seen + re.sub(r"\s+", "", chunk))[-(len(chunk) + 2 * LEAK_WINDOW) :]
            if _windows(seen) & secret:
                raise PromptLeakError("")
            if safe := guard.feed(chunk):
                yield safe
        if tail := guard.finish():
            yield tail


UNCITED = "〔所给条文中没有此条，请以原文为准〕"


def flag_uncited_articles(text: str, draft: Answer) -> str:
    """Mark every 第N条 the model names that is not among the articles it was given, so that an
    invented or misremembered article number never stands unqualified."""
    given = {c.unit.label for c in (*draft.citations, *draft.related)}

    def check(match: re.Match[str]) -> str:
        return match.group(0) if match.group(0) in given else match.group(0) + UNCITED

    return ARTICLE_MENTION.sub(check, text)


def _reason(error: Exception) -> str:
    if isinstance(error, LlmTimeoutError | openai.APITimeoutError | httpx.TimeoutException):
        return "响应超时"
    if isinstance(error, openai.APIConnectionError | httpx.ConnectError):
        return "无法连接"
    if isinstance(error, openai.APIStatusError):
        return f"服务返回错误 {error.status_code}"
    return "调用失败"


class QuizWriter:
    """Asks the LLM for quiz items about one article, as JSON. What it returns is only a proposal:
    the quiz service keeps an item only if it passes the same grounding check as mined ones."""

    def __init__(self, settings: Settings, prompts: Prompts) -> None:
        self.prompts = prompts
        self.chain = chat_model(settings, False, 0) | JsonOutputParser()

    def write(self, citation: str, text: str, kind: str) -> list[dict[str, Any]]:
        """Proposed items (raw dicts) of one type about one article; [] when the endpoint fails."""
        messages = [
            SystemMessage(self.prompts.render("llm/quiz_system")),
            HumanMessage(self.prompts.render("llm/quiz_user", citation=citation, text=text, kind=kind)),
        ]
        try:
            result = self.chain.invoke(messages)
        except (openai.OpenAIError, httpx.HTTPError, OutputParserException) as error:
            log.warning("LLM quiz writer unavailable: %s", error)
            return []
        items = result.get("items", [result]) if isinstance(result, dict) else result
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
