"""Ingest: read files → run the per-document pipeline → store each article → update stories.

Nothing is lost on bad input: every unreadable file or record, and every article a stage fails on, becomes
one line in the summary, and the run goes on with the rest. Articles are stored a batch per transaction.
The run itself is :class:`marsad.run.Run` (one run path for this, the Dask ingest, eval and analyze).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from .run import IngestSummary, RunOptions, date_is_ambiguous, norm_text_of, reference_from
from .run import ingest as _run_ingest


def ingest(paths: Iterable[Union[str, Path]], store, pipeline=None, on_item: Optional[Callable] = None,
           stories: bool = True, reference_date: Optional[str] = None,
           options: Optional[RunOptions] = None) -> IngestSummary:
    """Ingest every article under ``paths`` into ``store``; ``on_item(item, status)`` reports each input.

    ``reference_date`` (ISO) says roughly when the articles were published; it only chooses among the
    candidates an article's own evidence leaves (recorded as "inferred:weekday+reference"). Without it,
    ambiguous articles are held back to the end of the run and resolved against the median publication date
    of the articles read in the same run. ``options`` (a RunOptions) gives every setting at once; ``stories``
    and ``reference_date`` override it.
    """
    opts = options or RunOptions()
    opts = replace(opts, stories=stories and opts.stories, reference_date=reference_date or opts.reference_date)
    return _run_ingest(paths, store, opts, pipeline=pipeline, on_item=on_item)


__all__ = ["IngestSummary", "RunOptions", "date_is_ambiguous", "ingest", "norm_text_of", "reference_from"]
