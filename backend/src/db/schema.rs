// Kept in step with migrations/ by hand (diesel_cli needs libpq); the API tests catch drift.
diesel::table! {
    organizations (id) {
        id -> Uuid,
        name -> Text,
        short_name -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    areas (id) {
        id -> Uuid,
        organization_id -> Uuid,
        name -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    locations (id) {
        id -> Uuid,
        organization_id -> Nullable<Uuid>,
        name -> Text,
        address -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        username -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        role -> Text,
        auth_source -> Text,
        password_hash -> Nullable<Text>,
        directory_dn -> Nullable<Text>,
        active -> Bool,
        locale -> Text,
        organization_id -> Nullable<Uuid>,
        area_id -> Nullable<Uuid>,
        location_id -> Nullable<Uuid>,
        last_login_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        family_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        window_start -> Timestamptz,
        failures -> Int4,
    }
}

diesel::joinable!(areas -> organizations (organization_id));
diesel::joinable!(locations -> organizations (organization_id));
diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(users -> areas (area_id));
diesel::joinable!(users -> locations (location_id));
diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(organizations, areas, locations, users, refresh_tokens, login_throttle);
