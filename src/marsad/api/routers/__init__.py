"""The API's routers, one per kind of record; :func:`marsad.api.app.create_app` includes them all."""

from . import articles, events, export, figures, meta, places, search, stories

ALL = [meta.router, articles.router, events.router, figures.router, stories.router, places.router, search.router,
       export.router]
