//! `GET /api/v1/admin/backup` into a file: the copy arrives in pieces, is written beside the
//! target, flushed to the disk and only then renamed into place, so a cut download or a full
//! disk never leaves a file that looks like a backup.
use super::error::ClientError;
use super::{error, Client};
use futures_util::StreamExt;
use reqwest::Method;
use std::io::Write;
use std::path::Path;

/// A backup written to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The last event the copy holds.
    pub last_id: u64,
    pub bytes: u64,
}

impl Client {
    /// Saves a consistent copy of the authority's store at `out` (which must not exist).
    pub async fn backup(&self, out: &Path) -> Result<Saved, ClientError> {
        let path = "/api/v1/admin/backup";
        let url = self.url(path);
        let file_error = |what: String| ClientError::Decode { url: url.clone(), reason: format!("{}: {what}", out.display()) };
        if out.exists() {
            return Err(file_error("exists already: choose a new name".into()));
        }
        let res = self.request(Method::GET, path).send().await.map_err(|e| ClientError::Connect { url: url.clone(), source: e })?;
        let status = res.status();
        if !status.is_success() {
            let bytes = res.bytes().await.map_err(|e| ClientError::Connect { url: url.clone(), source: e })?;
            return Err(error::refusal(&url, status.as_u16(), &bytes));
        }
        let last_id = res.headers().get("x-last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
        let expected = res.content_length();
        let mut partial = out.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let written = async {
            let mut file = std::fs::File::create(&partial).map_err(|e| file_error(e.to_string()))?;
            let mut body = res.bytes_stream();
            let mut bytes = 0u64;
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| ClientError::Connect { url: url.clone(), source: e })?;
                file.write_all(&chunk).map_err(|e| file_error(e.to_string()))?;
                bytes += chunk.len() as u64;
            }
            if expected.is_some_and(|n| n != bytes) {
                return Err(file_error(format!("the copy was cut: {bytes} of {} bytes", expected.unwrap_or(0))));
            }
            file.sync_all().map_err(|e| file_error(e.to_string()))?;
            std::fs::rename(&partial, out).map_err(|e| file_error(e.to_string()))?;
            Ok(bytes)
        }
        .await;
        match written {
            Ok(bytes) => Ok(Saved { last_id, bytes }),
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                Err(e)
            }
        }
    }
}
