//! Where attachment bytes live. Files are stored under generated keys, never under the name
//! the user gave them, so a file name can neither choose nor escape its location.
//!
//! A key looks like `3f/a9/0193c1d2-7b4e-7c3a-9d21-5e0f4b6a8c11`: two directory levels from
//! the first four hex digits of the content's SHA-256 (spreads files evenly), then a UUIDv7.
//! The same content uploaded twice gets two keys, so deleting one never affects the other.
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

/// Directory under the root for files being written; renamed into place when complete.
const TEMP_DIR: &str = ".tmp";
/// Temporary files older than this when the storage opens were left by a crash.
const STALE_TEMP_AGE: Duration = Duration::from_secs(24 * 3600);

/// The attachment store. An enum so an S3-compatible backend can be added as another variant.
#[derive(Clone, Debug)]
pub enum Storage {
    Local(LocalDisk),
}

/// Files in sharded directories under `root`.
#[derive(Clone, Debug)]
pub struct LocalDisk {
    root: PathBuf,
}

impl Storage {
    /// Stores `bytes` under a new key and returns the key. Never leaves a partial file under a key.
    pub async fn put(&self, bytes: &[u8]) -> io::Result<String> {
        match self {
            Storage::Local(disk) => disk.put(bytes).await,
        }
    }

    /// The bytes stored under `key`. Keys not of the generated form are refused (`InvalidInput`);
    /// a well-formed key with no file is `NotFound`.
    pub async fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        match self {
            Storage::Local(disk) => disk.get(key).await,
        }
    }

    /// Removes the file under `key`. Deleting a key that holds nothing succeeds, so cleanup
    /// after a failed transaction can be retried safely.
    pub async fn delete(&self, key: &str) -> io::Result<()> {
        match self {
            Storage::Local(disk) => disk.delete(key).await,
        }
    }
}

impl LocalDisk {
    /// Opens (creating if missing) the store at `root`, and removes temporary files a crash left.
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(root.join(TEMP_DIR))?;
        remove_stale_temp_files(&root.join(TEMP_DIR), STALE_TEMP_AGE);
        Ok(LocalDisk { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    async fn put(&self, bytes: &[u8]) -> io::Result<String> {
        let digest = Sha256::digest(bytes);
        let key = format!("{:02x}/{:02x}/{}", digest[0], digest[1], Uuid::now_v7());
        let target = self.root.join(&key);
        let dir = target.parent().expect("a key has directories");
        tokio::fs::create_dir_all(dir).await?;
        let temp = self.root.join(TEMP_DIR).join(format!("{}.part", Uuid::new_v4()));
        let written = async {
            let mut file = tokio::fs::OpenOptions::new().write(true).create_new(true).open(&temp).await?;
            file.write_all(bytes).await?;
            file.sync_all().await?;
            drop(file);
            tokio::fs::rename(&temp, &target).await
        }
        .await;
        if let Err(e) = written {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(e);
        }
        // Make the rename itself durable; not fatal where directories cannot be synced.
        if let Ok(d) = tokio::fs::File::open(dir).await {
            let _ = d.sync_all().await;
        }
        Ok(key)
    }

    async fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        tokio::fs::read(self.path_of(key)?).await
    }

    async fn delete(&self, key: &str) -> io::Result<()> {
        match tokio::fs::remove_file(self.path_of(key)?).await {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    fn path_of(&self, key: &str) -> io::Result<PathBuf> {
        if !is_valid_key(key) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("not an attachment storage key: {key:?}")));
        }
        Ok(self.root.join(key))
    }
}

/// `hh/hh/<uuidv7>` in lowercase hex, exactly as [`Storage::put`] makes them. Nothing else
/// (no `..`, no absolute paths, no backslashes, no other names) can reach the file system.
pub fn is_valid_key(key: &str) -> bool {
    let mut parts = key.split('/');
    let (Some(a), Some(b), Some(id), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let shard = |s: &str| s.len() == 2 && s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
    shard(a) && shard(b) && Uuid::try_parse(id).is_ok_and(|u| u.get_version_num() == 7 && u.hyphenated().to_string() == id)
}

fn remove_stale_temp_files(dir: &Path, age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let old = entry.metadata().and_then(|m| m.modified()).map(|t| now.duration_since(t).unwrap_or_default() > age).unwrap_or(false);
        if old {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => log::info!("removed an incomplete attachment left by a crash: {}", entry.path().display()),
                Err(e) => log::warn!("could not remove {}: {e}", entry.path().display()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Storage) {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::Local(LocalDisk::new(dir.path().join("attachments")).unwrap());
        (dir, storage)
    }

    fn root(s: &Storage) -> &Path {
        match s {
            Storage::Local(d) => d.root(),
        }
    }

    fn files_under(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                out.extend(files_under(&e.path()));
            } else {
                out.push(e.path());
            }
        }
        out
    }

    #[tokio::test]
    async fn put_get_delete_round_trip() {
        let (_dir, s) = store();
        let key = s.put(b"%PDF-1.7 contenido").await.unwrap();
        assert_eq!(s.get(&key).await.unwrap(), b"%PDF-1.7 contenido");
        s.delete(&key).await.unwrap();
        assert_eq!(s.get(&key).await.unwrap_err().kind(), io::ErrorKind::NotFound);
        // Deleting again is fine: cleanup may be retried.
        s.delete(&key).await.unwrap();
    }

    #[tokio::test]
    async fn keys_are_sha_sharded_uuid_v7_names() {
        let (_dir, s) = store();
        let bytes = b"hello";
        let key = s.put(bytes).await.unwrap();
        let sha = Sha256::digest(bytes);
        let expected_prefix = format!("{:02x}/{:02x}/", sha[0], sha[1]);
        assert_eq!(expected_prefix, "2c/f2/");
        assert!(key.starts_with(&expected_prefix), "{key}");
        assert!(is_valid_key(&key), "{key}");
        assert_eq!(Uuid::parse_str(&key[6..]).unwrap().get_version_num(), 7);
        assert!(root(&s).join(&key).is_file());
        // The same content twice gets two independent keys.
        let again = s.put(bytes).await.unwrap();
        assert_ne!(key, again);
        s.delete(&key).await.unwrap();
        assert_eq!(s.get(&again).await.unwrap(), bytes);
    }

    #[tokio::test]
    async fn put_leaves_no_temporary_files() {
        let (_dir, s) = store();
        for i in 0..5u8 {
            s.put(&[i; 1000]).await.unwrap();
        }
        assert!(files_under(&root(&s).join(TEMP_DIR)).is_empty());
        let stored = files_under(root(&s));
        assert_eq!(stored.len(), 5);
        assert!(stored.iter().all(|p| !p.to_string_lossy().ends_with(".part")));
    }

    #[tokio::test]
    async fn a_failed_write_leaves_nothing_under_a_key() {
        let (_dir, s) = store();
        // The target's shard directory cannot be created: a file is in the way.
        let sha = Sha256::digest(b"x");
        let shard = root(&s).join(format!("{:02x}", sha[0]));
        std::fs::write(&shard, b"in the way").unwrap();
        assert!(s.put(b"x").await.is_err());
        assert!(files_under(&root(&s).join(TEMP_DIR)).is_empty());
        assert_eq!(files_under(root(&s)), vec![shard]);
    }

    #[test]
    fn new_creates_the_root_and_removes_stale_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("a/b/attachments");
        LocalDisk::new(&root).unwrap();
        assert!(root.join(TEMP_DIR).is_dir());
        let stale = root.join(TEMP_DIR).join("old.part");
        let fresh = root.join(TEMP_DIR).join("fresh.part");
        std::fs::write(&stale, b"half").unwrap();
        std::fs::write(&fresh, b"being written").unwrap();
        let f = std::fs::File::options().write(true).open(&stale).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(48 * 3600)).unwrap();
        drop(f);
        LocalDisk::new(&root).unwrap();
        assert!(!stale.exists());
        assert!(fresh.exists(), "a file another process may still be writing stays");
    }

    #[tokio::test]
    async fn keys_not_of_the_generated_form_are_refused() {
        let (dir, s) = store();
        std::fs::write(dir.path().join("secret"), b"outside").unwrap();
        let v7 = Uuid::now_v7().to_string();
        let bad = [
            "".to_owned(),
            "../secret".to_owned(),
            "../../etc/passwd".to_owned(),
            "/etc/passwd".to_owned(),
            format!("ab/../../{v7}"),
            format!("ab/cd/../{v7}"),
            format!("ab\\cd\\{v7}"),
            format!("ab/cd/{v7}/"),
            format!("/ab/cd/{v7}"),
            format!("ab/cd/ef/{v7}"),
            format!("ab/{v7}"),
            format!("AB/cd/{v7}"),
            format!("abc/cd/{v7}"),
            format!("ab/cd/{}", v7.to_uppercase()),
            format!("ab/cd/{}", v7.replace('-', "")),
            format!("ab/cd/{}", Uuid::new_v4()),
            format!("ab/cd/{v7}.pdf"),
            "ab/cd/secret".to_owned(),
            format!(".tmp/{v7}"),
        ];
        for key in bad {
            assert_eq!(s.get(&key).await.unwrap_err().kind(), io::ErrorKind::InvalidInput, "get {key:?}");
            assert_eq!(s.delete(&key).await.unwrap_err().kind(), io::ErrorKind::InvalidInput, "delete {key:?}");
        }
        assert!(dir.path().join("secret").exists());
        assert!(is_valid_key(&format!("0f/a9/{v7}")));
    }
}
