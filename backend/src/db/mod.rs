pub mod schema;
mod text_enum;

pub use text_enum::text_enum;

use diesel_async::pooled_connection::bb8::{Pool, PooledConnection};
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn<'a> = PooledConnection<'a, AsyncPgConnection>;

// SQL functions of migration 000013: plain expressions, so diesel prepares the queries once.
use diesel::sql_types::{Int4, Jsonb, Nullable, Text, Timestamptz};
diesel::define_sql_function! {
    /// The support groups a user belongs to.
    fn user_group_ids(user_id: diesel::sql_types::Uuid) -> diesel::sql_types::Array<diesel::sql_types::Uuid>;
}
diesel::define_sql_function! {
    /// The desks a user supervises.
    fn user_supervised_desk_ids(user_id: diesel::sql_types::Uuid) -> diesel::sql_types::Array<diesel::sql_types::Uuid>;
}
diesel::define_sql_function! {
    /// The reference data's version (see `crate::reference`).
    fn current_reference_generation() -> diesel::sql_types::BigInt;
}
diesel::define_sql_function! {
    /// New, assigned, in progress or on hold: the predicate of the partial queue indexes.
    fn ticket_is_open(status: diesel::sql_types::Text) -> diesel::sql_types::Bool;
}

diesel::define_sql_function! {
    /// Registers a case: picks its agent, inserts it and its first events; returns
    /// `{"number", "agent_id", "agent_name"}` (see migration 000013).
    #[allow(clippy::too_many_arguments)]
    fn register_ticket(
        group: Nullable<diesel::sql_types::Uuid>, id: diesel::sql_types::Uuid, desk: diesel::sql_types::Uuid, service: diesel::sql_types::Uuid,
        ticket_type: Text, priority: Text, status: Text, subject: Text, description: Text, contact_phone: Nullable<Text>,
        location: Nullable<diesel::sql_types::Uuid>, area: Nullable<diesel::sql_types::Uuid>, organization: Nullable<diesel::sql_types::Uuid>,
        requester: diesel::sql_types::Uuid, created_by: diesel::sql_types::Uuid, channel: Text, fields: Jsonb, now: Timestamptz,
        policy: Nullable<diesel::sql_types::Uuid>, policy_version: Nullable<Int4>, response_due: Nullable<Timestamptz>,
        resolution_due: Nullable<Timestamptz>, created_event: diesel::sql_types::Uuid, created_value: Jsonb, assignment_event: diesel::sql_types::Uuid
    ) -> Jsonb;
}

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// A pool that connects on first use. Needs a running Tokio runtime: a connection's I/O is driven
/// by a task on the runtime that opened it.
pub fn connect(url: &str, max_size: u32) -> DbPool {
    Pool::builder()
        .max_size(max_size)
        .connection_timeout(std::time::Duration::from_secs(5))
        // A `SELECT 1` before every checkout doubled the round trips of a request; a broken
        // connection still surfaces as an error and is dropped.
        .test_on_check_out(false)
        .build_unchecked(AsyncDieselConnectionManager::<AsyncPgConnection>::new(url))
}

/// Applies pending migrations; returns the versions applied now.
pub async fn migrate(url: &str) -> anyhow::Result<Vec<String>> {
    use diesel::Connection;
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    let url = url.to_owned();
    // The harness is synchronous: run it off the async workers.
    tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        Ok(applied.iter().map(|v| v.to_string()).collect())
    })
    .await?
}

/// The newest migration version embedded in this binary, e.g. `20261123000001`.
pub fn latest_migration_version() -> String {
    use diesel::migration::MigrationSource;
    let migrations: Vec<_> = MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS).expect("embedded migrations");
    migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .max()
        .unwrap_or_default()
}
