"""PLOVER events: the "events" stage (:mod:`.stages`), the ACLED view (:mod:`.acled`) and the evaluation
against a gold file (:mod:`.evaluate`)."""


def __getattr__(name):  # lazy: importing the package stays cheap
    if name in ("acled_rows", "write_acled_csv"):
        from . import acled

        return getattr(acled, name)
    if name == "EventStage":
        from .stages import EventStage

        return EventStage
    raise AttributeError(name)
