"""How a document is cited: ``Căn cứ`` for a legal basis, ``Thực hiện … về việc …`` for a superior's direction.

The verb and the form follow the cited document's kind, as ``toolkit/data/citations.json`` declares
(a row's ``Cách dẫn`` may choose the verb); legal bases come first (``docs/documents.md``):

- ``law``: ``Luật An toàn thực phẩm ngày 17 tháng 6 năm 2010`` (by its name and date);
- ``legal``: ``Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư``;
- ``direction``: ``Kế hoạch số 1364/KH-PGD ngày 07/11/2023 của Phòng … về việc triển khai …``.
"""

from __future__ import annotations

from ..core.text import fold
from ..core.vnformat import long_date
from ..workbook.citation_kinds import LAW, LEGAL, Way, data, names_itself
from ..workbook.citation_kinds import way as kind_way
from ..workbook.model import Citation
from ..workbook.schema import CITATION_VERBS

BASIS = CITATION_VERBS[0]  # the verb of a legal basis (Căn cứ), written before the directions


def way(citation: Citation) -> Way:
    """The verb and form for ``citation``: its row's ``Cách dẫn`` over its kind's, the kind's over the default."""
    return kind_way(citation.kind, citation.verb)


def _subject(summary: str) -> str:
    """A legal document's subject after its issuer: ``về công tác văn thư``, or as typed when it opens with
    ``về`` or a verb (``quy định chi tiết …``)."""
    summary = summary.strip().rstrip(";.")
    if not summary:
        return ""
    openings = [fold(o) for o in data()["subject_openings"]]
    return (
        summary if any(fold(summary) == o or fold(summary).startswith(o + " ") for o in openings) else f"về {summary}"
    )


def reference(citation: Citation) -> str:
    """The cited document in the form its kind takes (without the verb)."""
    form = way(citation).form
    c = citation
    if form == LAW:
        name = c.summary.strip().rstrip(";.") or (f"số {c.number}" if c.number else "")
        text = name if names_itself(c.kind, name) else " ".join(part for part in (c.kind, name) if part)
        return f"{text} ngày {long_date(c.issued)}" if c.issued else text
    if form == LEGAL:
        text = f"{c.kind} số {c.number}"
        if c.issued:
            text += f" ngày {long_date(c.issued)}"
        if c.issuer:
            text += f" của {c.issuer}"
        subject = _subject(c.summary)
        return f"{text} {subject}" if subject else text
    return _full(c)


def _short(c: Citation) -> str:
    """``Công văn số 9874/UBND-VHXH ngày 24/10/2023 của Ủy ban nhân dân tỉnh``."""
    text = f"{c.kind} số {c.number}"
    if c.issued:
        text += f" ngày {c.issued:%d/%m/%Y}"
    if c.issuer:
        text += f" của {c.issuer}"
    return text


def _full(c: Citation) -> str:
    """The short form followed by ``về việc <trích yếu>`` when there is one."""
    summary = c.summary.strip().rstrip(";.")
    if not summary:
        return _short(c)
    if fold(summary).startswith("ve viec "):
        summary = summary[len("về việc ") :]
    return f"{_short(c)} về việc {summary}"


def short(citation: Citation) -> str:
    """The document named inside a sentence (the identity kit's, the report outline's): a law by name and date,
    another by number, date and issuer."""
    return reference(citation) if way(citation).form == LAW else _short(citation)


def ordered(citations: list[Citation]) -> list[tuple[str, str]]:
    """``(verb, reference)`` for each citation, legal bases first, each group in row order."""
    lines = [(way(c).verb, reference(c)) for c in citations]
    return [line for line in lines if line[0] == BASIS] + [line for line in lines if line[0] != BASIS]
