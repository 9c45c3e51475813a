"""Reported figures (killed, injured, displaced…): the "figures" stage (:mod:`.stages`)."""
