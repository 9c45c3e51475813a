"""Stories across outlets: near-duplicate detection, online story clustering, event fusion, story views.

Corpus-level (not a per-document stage): ``marsad.ingest`` feeds processed Documents to a ``StoryBuilder``
one at a time and persists ``builder.state()``.
"""

from .builder import ArticleSketch, StoryBuilder, StoryParams, StoryUpdate, sketch_article, sketch_articles
from .fusion import FIGURE_RULE, fuse_figures
from .view import story_view

__all__ = ["ArticleSketch", "sketch_article", "sketch_articles", "StoryBuilder", "StoryParams", "StoryUpdate", "story_view", "fuse_figures", "FIGURE_RULE"]
