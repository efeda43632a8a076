//! Files attached to cases and follow-ups.
//!
//! - [`upload`] reads `multipart/form-data` requests: one JSON `data` part plus file parts,
//!   with per-file, per-request and count limits, a SHA-256 of every file and its sniffed type.
//! - [`sniff`] decides what a file really is from its bytes, never from the client's
//!   Content-Type, and refuses executables, scripts, markup and files whose name lies.
//! - [`storage`] keeps the bytes under generated names (local disk now, S3-compatible later).
//!
//! Nothing here touches the database: the caller stores the files, inserts the rows in one
//! transaction, and deletes the stored files again if that transaction fails.
pub mod sniff;
pub mod storage;
pub mod upload;

pub use sniff::{sniff, Rejection, Sniffed};
pub use storage::{LocalDisk, Storage};
pub use upload::{is_multipart, multipart, read_multipart, Limits, Upload, UploadedFile};
