"""Checks shared by the render tests and the test of the published version."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def numbers(text: str, kind: str) -> list[int]:
    """The numbers of "Figure n: " or "Table n: " captions, in order of appearance."""
    return [int(n) for n in re.findall(rf"{kind} (\d+): ", text)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_figures(reader: PdfReader) -> list:
    """Every /Figure element of a PDF's structure tree."""
    figures = []

    def walk(node):
        node = node.get_object()
        if type(node).__name__ == "ArrayObject" or isinstance(node, list):
            for k in node:
                walk(k)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            figures.append(node)
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return figures


def is_pdf_ua1(reader: PdfReader) -> bool:
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    return bool(re.search(r"pdfuaid:part[^0-9]{0,4}1", xmp))


def html_and_pdf_numbers(pages: list[Path], pdf: Path) -> dict[str, tuple[list, list]]:
    html = " ".join(flat(p.read_text()) for p in pages)
    text = flat(" ".join(p.extract_text() for p in PdfReader(pdf).pages))
    return {k: (numbers(html, k), numbers(text, k)) for k in ("Figure", "Table")}
