//! Administration over HTTP: `POST /admin/backup`, an online backup of the store while it
//! serves (the serving process holds the store's lock, so no other process can copy it
//! consistently).
//!
//! The backup is taken under the writer's lock of the read models, between two writes: it
//! holds every write acknowledged with a generation up to the one it answers, and none
//! after. It goes into the server's backup directory (`--backup-dir`, by default beside the
//! data directory), never into a path the client names, so that a write token cannot make
//! the server write anywhere else. It needs a write token.

use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::{HttpResponse, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::auth::WriteAccess;
use super::problem::{ApiError, ProblemView, WriteRefusal};
use crate::store::change::ChangeSet;

/// `POST /admin/backup`: the backup written.
#[derive(Debug, Serialize, ToSchema)]
pub struct BackupView {
    /// The backup's directory, a store directory `eventgraph restore` copies.
    pub path: String,
    /// The generation of the last write it holds: every write acknowledged up to it, none after.
    pub generation: u64,
}

#[utoipa::path(
    post,
    path = "/admin/backup",
    tag = "operations",
    description = "An online backup of the store (a RocksDB checkpoint) taken between two writes, into the server's backup directory (--backup-dir), never a path the client names. Needs a write token.",
    responses(
        (status = 201, description = "Written: its path and the generation it holds", body = BackupView),
        (status = 400, description = "The store is in memory: dump it with GET /store instead", body = ProblemView, content_type = "application/problem+json"),
        WriteRefusal,
        (status = 500, description = "The copy failed (the cause is in the server's log)", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// `POST /admin/backup`: 201 with the backup's path and generation.
///
/// # Errors
/// [`ApiError::BadRequest`] for a store in memory; [`ApiError::Internal`] when the copy fails.
pub async fn backup(_: WriteAccess, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let Some(root) = state.backup_dir.clone() else {
        return Err(ApiError::BadRequest {
            message: "a store in memory cannot be backed up; use GET /store to dump it".to_owned(),
        });
    };
    let models = state.models.clone();
    let (path, generation) = super::blocking(move || {
        std::fs::create_dir_all(&root)
            .map_err(|e| ApiError::Internal(format!("cannot create {}: {e}", root.display())))?;
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let path = root.join(format!("backup-{millis}"));
        // An empty change: the step holds the writer's lock and is given the generation of
        // the last write, which the backup includes.
        let written = models.write(|store| {
            store
                .backup(&path)
                .map_err(|e| ApiError::Internal(format!("backup into {}: {e}", path.display())))?;
            Ok::<_, ApiError>((path.clone(), ChangeSet::default()))
        })?;
        Ok((written.value, written.generation))
    })
    .await?;
    tracing::info!(path = %path.display(), generation, "backup written");
    Ok(HttpResponse::Created().json(BackupView {
        path: path.display().to_string(),
        generation,
    }))
}
