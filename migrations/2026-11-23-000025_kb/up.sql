-- Knowledge base (issue 19): articles written from solutions, reviewed by the desk's supervisors,
-- read by requesters (public ones) and agents (internal ones); every revision kept.
CREATE TABLE kb_articles (
    id               uuid PRIMARY KEY,
    desk_id          uuid NOT NULL REFERENCES desks(id),
    -- One of the desk's catalog categories (checked by the API: same desk, kind 'category').
    category_id      uuid REFERENCES catalog_nodes(id),
    audience         text NOT NULL CHECK (audience IN ('public', 'internal')),
    status           text NOT NULL CHECK (status IN ('draft', 'in_review', 'published', 'archived')),
    title            text NOT NULL,
    symptom          text NOT NULL,
    -- The solution's steps in Markdown, and their HTML as rendered and sanitized on write.
    body             text NOT NULL,
    body_html        text NOT NULL,
    links            jsonb NOT NULL DEFAULT '[]',
    author_id        uuid NOT NULL REFERENCES users(id),
    reviewer_id      uuid REFERENCES users(id),
    reviewed_at      timestamptz,
    review_note      text,
    published_at     timestamptz,
    -- The case whose solution it was proposed from.
    source_ticket_id uuid REFERENCES tickets(id),
    -- The content's revision (kb_article_versions); `version` is the row's, for If-Match.
    revision         integer NOT NULL DEFAULT 1,
    view_count       bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1,
    -- Spanish words without accents (mesa_es, migration 000003): title, symptom, steps.
    search           tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('mesa_es', title), 'A')
                         || setweight(to_tsvector('mesa_es', symptom), 'B')
                         || setweight(to_tsvector('mesa_es', body), 'C')) STORED
);
-- Suggestions and searches: one GIN lookup; the published articles of a desk are few, so the desk
-- and status conditions are checked on the rows the index gives.
CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (search);
CREATE INDEX kb_articles_desk_idx ON kb_articles (desk_id, status, title, id);
CREATE INDEX kb_articles_source_idx ON kb_articles (source_ticket_id) WHERE source_ticket_id IS NOT NULL;

CREATE TABLE kb_article_versions (
    article_id   uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    revision     integer NOT NULL,
    title        text NOT NULL,
    symptom      text NOT NULL,
    body         text NOT NULL,
    category_id  uuid REFERENCES catalog_nodes(id),
    audience     text NOT NULL,
    links        jsonb NOT NULL,
    edited_by_id uuid NOT NULL REFERENCES users(id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (article_id, revision)
);

-- "Was this helpful?": one vote per person and article (a second one replaces the first).
CREATE TABLE kb_votes (
    article_id uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users(id),
    helpful    boolean NOT NULL,
    voted_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (article_id, user_id)
);

-- Openings of an article. `from_suggestion`: opened from the new-request form's suggestions;
-- `deflected_at`: the form was then left without filing (reported by the SPA), i.e. a request
-- the article may have spared the desk.
CREATE TABLE kb_views (
    id              uuid PRIMARY KEY,
    article_id      uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users(id),
    from_suggestion boolean NOT NULL,
    deflected_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_views_article_idx ON kb_views (article_id, user_id, created_at DESC);

-- Articles used to solve a case.
CREATE TABLE kb_ticket_articles (
    ticket_id    uuid NOT NULL REFERENCES tickets(id),
    article_id   uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    linked_by_id uuid NOT NULL REFERENCES users(id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ticket_id, article_id)
);
CREATE INDEX kb_ticket_articles_article_idx ON kb_ticket_articles (article_id);

CREATE TABLE kb_attachments (
    id             uuid PRIMARY KEY,
    article_id     uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    file_name      text NOT NULL,
    content_type   text NOT NULL,
    size_bytes     bigint NOT NULL,
    sha256         text NOT NULL,
    storage_key    text NOT NULL,
    uploaded_by_id uuid NOT NULL REFERENCES users(id),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_attachments_article_idx ON kb_attachments (article_id, created_at);
