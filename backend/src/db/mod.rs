pub mod schema;
mod text_enum;

pub use text_enum::text_enum;

use std::sync::Arc;

use diesel_async::pooled_connection::bb8::{Pool, PooledConnection, RunError};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, PoolError, PoolableConnection};
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tokio::sync::Notify;

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
    /// The groups among these with no member who could be assigned a case now (migration 000018).
    fn unstaffed_groups(groups: diesel::sql_types::Array<diesel::sql_types::Uuid>) -> diesel::sql_types::Array<diesel::sql_types::Uuid>;
}

diesel::define_sql_function! {
    /// Registers a case: picks its agent, inserts it, its first events and its `registered`
    /// notification; returns `{"number", "agent_id", "agent_name"}` (migrations 000013, 000018
    /// and 000030).
    #[allow(clippy::too_many_arguments)]
    fn register_ticket(
        group: Nullable<diesel::sql_types::Uuid>, id: diesel::sql_types::Uuid, desk: diesel::sql_types::Uuid, service: diesel::sql_types::Uuid,
        ticket_type: Text, priority: Text, status: Text, subject: Text, description: Text, contact_phone: Nullable<Text>,
        location: Nullable<diesel::sql_types::Uuid>, area: Nullable<diesel::sql_types::Uuid>, organization: Nullable<diesel::sql_types::Uuid>,
        requester: diesel::sql_types::Uuid, created_by: diesel::sql_types::Uuid, channel: Text, fields: Jsonb, now: Timestamptz,
        policy: Nullable<diesel::sql_types::Uuid>, policy_version: Nullable<Int4>, response_due: Nullable<Timestamptz>,
        resolution_due: Nullable<Timestamptz>, created_event: diesel::sql_types::Uuid, created_value: Jsonb, assignment_event: diesel::sql_types::Uuid,
        level: diesel::sql_types::Int2, external_reference: Nullable<Text>, notification: diesel::sql_types::Uuid, notification_data: Jsonb
    ) -> Jsonb;
}

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// A bb8 pool that hands out open connections and gives up at once while the database cannot
/// be reached (instead of waiting out the checkout timeout).
#[derive(Clone)]
pub struct DbPool {
    pool: Pool<AsyncPgConnection>,
    /// Woken whenever opening a connection fails.
    connect_failed: Arc<Notify>,
}

impl std::ops::Deref for DbPool {
    type Target = Pool<AsyncPgConnection>;
    fn deref(&self) -> &Self::Target {
        &self.pool
    }
}

impl DbPool {
    /// A connection known to be open. One that Postgres closed while it sat idle (a restart,
    /// an idle timeout) is dropped here, before the request has written anything with it, and
    /// another is taken. A caller waiting for a connection gets an error as soon as an attempt
    /// to open one fails, so requests answer 503 at once while the database is down.
    pub async fn get(&self) -> Result<DbConn<'_>, RunError> {
        // Every idle connection may be stale after a restart: at most that many are skipped.
        for _ in 0..=self.pool.state().connections {
            let failed = self.connect_failed.notified();
            let mut conn = tokio::select! {
                biased;
                conn = self.pool.get() => conn?,
                _ = failed => return Err(unreachable_error()),
            };
            if !conn.is_broken() {
                return Ok(conn);
            }
            // Dropped, bb8 sees it broken and opens a replacement when one is wanted.
        }
        Err(unreachable_error())
    }
}

fn unreachable_error() -> RunError {
    RunError::User(PoolError::ConnectionError(diesel::ConnectionError::BadConnection("the database cannot be reached".into())))
}

/// Wakes the callers waiting for a connection when opening one failed.
#[derive(Debug, Clone)]
struct WakeWaiters(Arc<Notify>);

impl bb8::ErrorSink<PoolError> for WakeWaiters {
    fn sink(&self, error: PoolError) {
        log::warn!("database connection failed: {error}");
        self.0.notify_waiters();
    }

    fn boxed_clone(&self) -> Box<dyn bb8::ErrorSink<PoolError>> {
        Box::new(self.clone())
    }
}

/// Every connection runs without Postgres's JIT compilation: it compiles a statement its planner
/// deems expensive, and a report's summary (a cost estimate above 500,000 for a few milliseconds'
/// work) spent half a second in LLVM at a million cases, on every request.
fn manager_config() -> diesel_async::pooled_connection::ManagerConfig<AsyncPgConnection> {
    let mut config = diesel_async::pooled_connection::ManagerConfig::default();
    config.custom_setup = Box::new(|url| {
        let url = url.to_owned();
        Box::pin(async move {
            use diesel_async::{AsyncConnection, RunQueryDsl};
            let mut conn = AsyncPgConnection::establish(&url).await?;
            diesel::sql_query("SET jit = off").execute(&mut conn).await.map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    });
    config
}

/// A pool that connects on first use. Needs a running Tokio runtime: a connection's I/O is driven
/// by a task on the runtime that opened it.
pub fn connect(url: &str, max_size: u32) -> DbPool {
    let connect_failed = Arc::new(Notify::new());
    let pool = Pool::builder()
        .max_size(max_size)
        .connection_timeout(std::time::Duration::from_secs(5))
        // A failed attempt is reported to the waiting callers (503) rather than retried for them.
        .retry_connection(false)
        .error_sink(Box::new(WakeWaiters(connect_failed.clone())))
        // A `SELECT 1` before every checkout doubled the round trips of a request; `get` checks
        // instead whether the connection's socket is still open, which costs nothing.
        .test_on_check_out(false)
        .build_unchecked(AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, manager_config()));
    DbPool { pool, connect_failed }
}

/// Applies pending migrations; returns the versions applied now.
pub async fn migrate(url: &str) -> anyhow::Result<Vec<String>> {
    use diesel::Connection;
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    let url = url.to_owned();
    // The harness is synchronous: run it off the async workers.
    tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)?;
        let applied = conn.run_pending_migrations(MIGRATIONS).map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        Ok(applied.iter().map(|v| v.to_string()).collect())
    })
    .await?
}

/// The newest migration version embedded in this binary, e.g. `20261123000001`.
pub fn latest_migration_version() -> String {
    use diesel::migration::MigrationSource;
    let migrations: Vec<_> = MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS).expect("embedded migrations");
    migrations.iter().map(|m| m.name().version().to_string()).max().unwrap_or_default()
}
