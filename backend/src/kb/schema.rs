//! The knowledge base's tables (migration 000025). `kb_articles.search` (a generated tsvector) is
//! read from raw SQL only.
diesel::table! {
    kb_articles (id) {
        id -> Uuid,
        desk_id -> Uuid,
        category_id -> Nullable<Uuid>,
        audience -> Text,
        status -> Text,
        title -> Text,
        symptom -> Text,
        body -> Text,
        body_html -> Text,
        links -> Jsonb,
        author_id -> Uuid,
        reviewer_id -> Nullable<Uuid>,
        reviewed_at -> Nullable<Timestamptz>,
        review_note -> Nullable<Text>,
        published_at -> Nullable<Timestamptz>,
        source_ticket_id -> Nullable<Uuid>,
        revision -> Int4,
        view_count -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    kb_article_versions (article_id, revision) {
        article_id -> Uuid,
        revision -> Int4,
        title -> Text,
        symptom -> Text,
        body -> Text,
        category_id -> Nullable<Uuid>,
        audience -> Text,
        links -> Jsonb,
        edited_by_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    kb_votes (article_id, user_id) {
        article_id -> Uuid,
        user_id -> Uuid,
        helpful -> Bool,
        voted_at -> Timestamptz,
    }
}

diesel::table! {
    kb_views (id) {
        id -> Uuid,
        article_id -> Uuid,
        user_id -> Uuid,
        from_suggestion -> Bool,
        deflected_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    kb_ticket_articles (ticket_id, article_id) {
        ticket_id -> Uuid,
        article_id -> Uuid,
        linked_by_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    kb_attachments (id) {
        id -> Uuid,
        article_id -> Uuid,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> Int8,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(kb_articles, kb_article_versions, kb_votes, kb_views, kb_ticket_articles, kb_attachments);
