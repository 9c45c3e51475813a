"""The store's tables, in SQL that DuckDB and PostgreSQL both accept.

Every row of a per-article table carries the article id, and an article's rows are written in one
transaction, so a crash leaves an article either fully stored or absent. The full Document is kept as JSON
in ``articles.doc`` so that later stages (stories, re-export) can reload it without re-running the pipeline.
"""

SCHEMA_VERSION = 1

TABLES: dict[str, str] = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (
            key TEXT PRIMARY KEY,
            value TEXT
        )""",
    "articles": """
        CREATE TABLE IF NOT EXISTS articles (
            id TEXT PRIMARY KEY,
            outlet TEXT,
            url TEXT,
            title TEXT,
            published TEXT,
            published_precision TEXT,
            published_source TEXT,
            source_path TEXT,
            source_format TEXT,
            raw_text TEXT,
            clean_text TEXT,
            norm_text TEXT,
            meta TEXT,
            doc TEXT,
            ingested_at TIMESTAMP
        )""",
    "mentions": """
        CREATE TABLE IF NOT EXISTS mentions (
            article_id TEXT,
            idx INTEGER,
            span_start INTEGER,
            span_end INTEGER,
            raw_start INTEGER,
            raw_end INTEGER,
            text TEXT,
            label TEXT,
            source TEXT,
            entity_id TEXT,
            PRIMARY KEY (article_id, idx)
        )""",
    "entities": """
        CREATE TABLE IF NOT EXISTS entities (
            article_id TEXT,
            id TEXT,
            name TEXT,
            name_en TEXT,
            label TEXT,
            country TEXT,
            sector TEXT,
            n_mentions INTEGER,
            PRIMARY KEY (article_id, id)
        )""",
    "places": """
        CREATE TABLE IF NOT EXISTS places (
            article_id TEXT,
            id TEXT,
            name TEXT,
            name_en TEXT,
            lat DOUBLE PRECISION,
            lon DOUBLE PRECISION,
            kind TEXT,
            geo_precision INTEGER,
            precision_level TEXT,
            country TEXT,
            admin1 TEXT,
            admin2 TEXT,
            admin3 TEXT,
            n_mentions INTEGER,
            PRIMARY KEY (article_id, id)
        )""",
    "events": """
        CREATE TABLE IF NOT EXISTS events (
            id TEXT PRIMARY KEY,
            article_id TEXT,
            fused BOOLEAN,
            story_id TEXT,
            type TEXT,
            mode TEXT,
            actor TEXT,
            recipient TEXT,
            actor_text TEXT,
            recipient_text TEXT,
            places TEXT,
            event_date TEXT,
            date_precision TEXT,
            modality TEXT,
            negated BOOLEAN,
            confidence DOUBLE PRECISION,
            evidence_start INTEGER,
            evidence_end INTEGER,
            evidence_text TEXT,
            record TEXT
        )""",
    "event_sources": """
        CREATE TABLE IF NOT EXISTS event_sources (
            event_id TEXT,
            article_id TEXT,
            outlet TEXT,
            PRIMARY KEY (event_id, article_id)
        )""",
    "figures": """
        CREATE TABLE IF NOT EXISTS figures (
            article_id TEXT,
            idx INTEGER,
            kind TEXT,
            group_name TEXT,
            value DOUBLE PRECISION,
            low DOUBLE PRECISION,
            high DOUBLE PRECISION,
            qualifier TEXT,
            side TEXT,
            reporter TEXT,
            reporter_text TEXT,
            period_start TEXT,
            period_end TEXT,
            place TEXT,
            parent INTEGER,
            evidence_start INTEGER,
            evidence_end INTEGER,
            evidence_text TEXT,
            PRIMARY KEY (article_id, idx)
        )""",
    "stories": """
        CREATE TABLE IF NOT EXISTS stories (
            id TEXT PRIMARY KEY,
            title TEXT,
            first_date TEXT,
            last_date TEXT,
            n_articles INTEGER,
            outlets TEXT,
            record TEXT
        )""",
    "story_articles": """
        CREATE TABLE IF NOT EXISTS story_articles (
            story_id TEXT,
            article_id TEXT,
            PRIMARY KEY (story_id, article_id)
        )""",
}

INDEXES = [
    "CREATE INDEX IF NOT EXISTS events_article ON events (article_id)",
    "CREATE INDEX IF NOT EXISTS events_type ON events (type)",
    "CREATE INDEX IF NOT EXISTS figures_article ON figures (article_id)",
    "CREATE INDEX IF NOT EXISTS places_article ON places (article_id)",
]

# Tables whose rows belong to one article (deleted and rewritten together).
ARTICLE_TABLES = ["mentions", "entities", "places", "figures", "event_sources"]
