use std::sync::Arc;

use crate::attachments::storage::{LocalDisk, Storage};
use crate::attachments::upload::Limits;
use crate::auth::jwt::JwtKeys;
use crate::config::Config;
use crate::db::DbPool;

/// Everything a handler needs, shared by all workers. Nothing here is state another instance would need.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub jwt: Arc<JwtKeys>,
    pub storage: Arc<Storage>,
}

impl AppState {
    pub fn new(pool: DbPool, config: Config) -> std::io::Result<Self> {
        let jwt = Arc::new(JwtKeys::new(&config.jwt_secret, config.access_token_ttl));
        let storage = Arc::new(Storage::Local(LocalDisk::new(config.attachments_dir.clone())?));
        Ok(AppState { pool, config: Arc::new(config), jwt, storage })
    }

    pub fn attachment_limits(&self) -> Limits {
        Limits { max_file_bytes: self.config.attachment_max_bytes, max_files: self.config.attachment_max_files, max_json_bytes: crate::http::JSON_LIMIT }
    }
}
