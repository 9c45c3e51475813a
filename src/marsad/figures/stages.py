"""The "figures" pipeline stage: reported counts with group, reporter, period (see :mod:`marsad.figures.extract`)."""

from __future__ import annotations

from ..pipeline import factory
from .extract import FigureExtractor


class FigureStage:
    name = "figures"

    def __init__(self):
        self.extractor = FigureExtractor()  # lexicons compiled once

    def __call__(self, doc):
        return self.extractor(doc)


@factory("figures", requires=["sentences", "tokens", "numbers"], assigns=["figures"])
def make_figures_stage():
    return FigureStage()


__all__ = ["FigureStage", "make_figures_stage"]
