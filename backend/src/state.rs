use std::sync::Arc;

use crate::attachments::storage::{LocalDisk, Storage};
use crate::attachments::upload::Limits;
use crate::config::Config;
use crate::db::DbPool;
use crate::jwt::JwtKeys;
use crate::reference::ReferenceCache;

/// Everything a handler needs, shared by all workers. Nothing here is state another instance would need.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub jwt: Arc<JwtKeys>,
    pub storage: Arc<Storage>,
    pub reference: Arc<ReferenceCache>,
    /// When set, each HTTP worker gets a pool of its own of this size (see `with_worker_pools`).
    pub worker_pool_size: Option<u32>,
}

impl AppState {
    pub fn new(pool: DbPool, config: Config) -> std::io::Result<Self> {
        let jwt = Arc::new(JwtKeys::new(&config.jwt_secret, config.access_token_ttl));
        let storage = Arc::new(Storage::Local(LocalDisk::new(config.attachments_dir.clone())?));
        Ok(AppState { pool, config: Arc::new(config), jwt, storage, reference: Arc::default(), worker_pool_size: None })
    }

    /// Gives every HTTP worker its own pool of `size` connections. A connection's I/O runs on the
    /// thread that opened it; shared between workers, every query crossed threads twice (a wake-up
    /// of the other worker each way), which cost more CPU than the query itself on a queue page.
    pub fn with_worker_pools(mut self, size: u32) -> Self {
        self.worker_pool_size = Some(size);
        self
    }

    pub fn attachment_limits(&self) -> Limits {
        Limits { max_file_bytes: self.config.attachment_max_bytes, max_files: self.config.attachment_max_files, max_json_bytes: crate::http::JSON_LIMIT }
    }
}
