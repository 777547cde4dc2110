"""Editions: two dated versions of one law (《妇女权益保障法》 2018 and 2022, copied from corpus-large)
indexed with the two party documents. The index records which is in force; answers and look-ups use
it and never list an article twice; the older one is searched only when asked for; 原文 shows both."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, make_settings

from ingest.pipeline import Ingestor
from regstudy.answering.service import Assistant
from regstudy.composition import open_assistant
from regstudy.web.views import document_html

OLD, NEW = "妇女权益保障法(2018-10-26)", "妇女权益保障法(2022-10-30)"


@pytest.fixture(scope="module")
def assistant_with_editions(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("editions")
    corpus = root / "corpus"
    shutil.copytree(Path(__file__).parent.parent / "corpus", corpus)
    for path in (FIXTURES / "editions").iterdir():
        shutil.copy(path, corpus / path.name)
    settings = make_settings(root, corpus_dir=corpus)
    assert Ingestor(settings).run().ok
    return open_assistant(settings)


def test_the_index_records_which_edition_is_in_force(assistant_with_editions: Assistant) -> None:
    documents = {d.id: d for d in assistant_with_editions.kb.documents}
    assert (documents[NEW].status, documents[NEW].edition) == ("in_force", "2022-10-30")
    assert (documents[OLD].status, documents[OLD].superseded_by) == ("superseded", NEW)
    assert documents["guiding"].status == ""  # no other edition indexed


def test_answers_cite_the_edition_in_force_once(assistant_with_editions: Assistant) -> None:
    answer = assistant_with_editions.ask("单位能不能因为女职工怀孕就降她工资或者辞退她？")
    cited = [c.unit.doc_id for c in answer.citations]
    assert cited and set(cited) == {NEW} and OLD not in {c.unit.doc_id for c in answer.related}
    assert len({c.unit.text for c in answer.citations}) == len(answer.citations)


def test_the_older_edition_only_when_asked(assistant_with_editions: Assistant) -> None:
    asked = assistant_with_editions.candidates("2018年版的妇女权益保障法怎么规定性骚扰？")
    assert any(h.unit.doc_id == OLD for h in asked)
    assert all(h.unit.doc_id != OLD for h in assistant_with_editions.candidates("怎么规定性骚扰？"))


def test_a_lookup_by_title_resolves_to_the_edition_in_force(assistant_with_editions: Assistant) -> None:
    answer = assistant_with_editions.ask("妇女权益保障法第二十三条")
    assert [c.unit.doc_id for c in answer.citations] == [NEW]
    assert "性骚扰" in answer.citations[0].quote


def test_the_source_view_shows_edition_and_status(assistant_with_editions: Assistant) -> None:
    kb = assistant_with_editions.kb
    old = document_html(assistant_with_editions.prompts, kb.document(OLD), kb.units_of(OLD))
    new = document_html(assistant_with_editions.prompts, kb.document(NEW), kb.units_of(NEW))
    assert "2018-10-26版，已被新版本取代" in old and "2022-10-30版，现行有效" in new
    assert kb.document(OLD).shown_title != kb.document(NEW).shown_title


def test_the_thesaurus_reaches_only_the_documents_it_was_written_for(assistant_with_editions: Assistant) -> None:
    pool = assistant_with_editions.pool("网上有人骂我是网红带货的，我能告他吗？")  # 网红, 带货: thesaurus words
    assert any(h.concept > 0 for h in pool if h.unit.doc_id == "guiding")
    assert all(h.concept == 0 for h in pool if h.unit.doc_id in (OLD, NEW))
