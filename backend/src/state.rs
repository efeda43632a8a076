use std::sync::Arc;

use crate::auth::jwt::JwtKeys;
use crate::config::Config;
use crate::db::DbPool;

/// Everything a handler needs, shared by all workers. Nothing here is state another instance would need.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub jwt: Arc<JwtKeys>,
}

impl AppState {
    pub fn new(pool: DbPool, config: Config) -> Self {
        let jwt = Arc::new(JwtKeys::new(&config.jwt_secret, config.access_token_ttl));
        AppState { pool, config: Arc::new(config), jwt }
    }
}
