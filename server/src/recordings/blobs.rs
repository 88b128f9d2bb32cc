//! Where recorded audio is kept: one object per content hash
//! (`audio/<sha256>.mp3`), in an object store behind one interface — the
//! local filesystem under the data directory by default, any S3-compatible
//! store by URL when several server instances share the audio.

use std::ops::Range;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::{GetOptions, GetRange, ObjectStore, PutPayload};

use crate::StartError;

/// The audio store.
#[derive(Clone, Debug)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
    /// For the log and errors: `file:///…/audio` or `s3://bucket/…`.
    pub describe: String,
}

/// A byte stream of one object's audio.
pub type AudioStream = futures_util::stream::BoxStream<'static, Result<Bytes, std::io::Error>>;

fn key(sha256: &str) -> Key {
    Key::from(format!("audio/{sha256}.mp3"))
}

impl Blobs {
    /// The store `url` names (`s3://bucket[/prefix][?setting=value&…]`,
    /// with the usual `AWS_*` variables), or the directory `recordings/`
    /// under `data_dir` without one.
    pub fn open(url: Option<&str>, data_dir: &Path) -> Result<Blobs, StartError> {
        let bad = |why: String| StartError::Config(format!("--audio-store: {why}"));
        match url {
            None => {
                let dir = data_dir.join("recordings");
                std::fs::create_dir_all(&dir)
                    .map_err(|source| StartError::DataDir { path: dir.clone(), source })?;
                let store = LocalFileSystem::new_with_prefix(&dir).map_err(|e| bad(e.to_string()))?;
                Ok(Blobs { store: Arc::new(store), describe: format!("the directory {}", dir.display()) })
            }
            Some(url) if url.starts_with("s3://") => {
                // Settings may follow the address as a query
                // (`?endpoint=http://…&region=…&allow_http=true`); the rest
                // come from the usual AWS_* variables.
                let (address, query) = url.split_once('?').unwrap_or((url, ""));
                let mut builder = AmazonS3Builder::from_env().with_url(address);
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, "true"));
                    let key = AmazonS3ConfigKey::from_str(name).map_err(|_| {
                        bad(format!(
                            "{name:?} is not a setting of an S3 store (endpoint, region, allow_http, …)"
                        ))
                    })?;
                    builder = builder.with_config(key, value);
                }
                let store = builder.build().map_err(|e| bad(e.to_string()))?;
                let path = address.trim_start_matches("s3://").split_once('/').map_or("", |(_, p)| p);
                let store: Arc<dyn ObjectStore> = match path.trim_matches('/') {
                    "" => Arc::new(store),
                    prefix => Arc::new(object_store::prefix::PrefixStore::new(store, prefix)),
                };
                // Never the query: it may hold a key.
                Ok(Blobs { store, describe: address.to_owned() })
            }
            Some(other) => Err(bad(format!(
                "{other:?} is not an object store this server knows: give s3://bucket (with AWS_ENDPOINT_URL, \
                 AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION), or leave it out for the data directory"
            ))),
        }
    }

    /// Keeps `bytes` as the audio with this hash (the same bytes again are
    /// simply written again).
    pub async fn put(&self, sha256: &str, bytes: Bytes) -> Result<(), object_store::Error> {
        self.store.put(&key(sha256), PutPayload::from_bytes(bytes)).await.map(|_| ())
    }

    /// Whether the audio with this hash is there.
    pub async fn has(&self, sha256: &str) -> Result<bool, object_store::Error> {
        match self.store.head(&key(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// The bytes `range` of the audio with this hash (all of it with None), as a stream.
    pub async fn read(
        &self,
        sha256: &str,
        range: Option<Range<u64>>,
    ) -> Result<AudioStream, object_store::Error> {
        let options = GetOptions { range: range.map(GetRange::Bounded), ..GetOptions::default() };
        let result = self.store.get_opts(&key(sha256), options).await?;
        Ok(result.into_stream().map(|chunk| chunk.map_err(std::io::Error::other)).boxed())
    }

    /// Removes the audio with this hash (nothing when it is not there).
    pub async fn remove(&self, sha256: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&key(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }
}
