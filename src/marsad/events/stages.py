"""The "events" pipeline stage: PLOVER events per sentence (see :mod:`marsad.events.extract`)."""

from __future__ import annotations

from ..pipeline import factory
from .extract import EventExtractor


class EventStage:
    name = "events"

    def __init__(self):
        self.extractor = EventExtractor()  # lexicons compiled once

    def __call__(self, doc):
        return self.extractor(doc)


@factory("events", requires=["sentences", "tokens", "dates"], assigns=["events"])
def make_events_stage():
    return EventStage()


__all__ = ["EventStage", "make_events_stage"]
