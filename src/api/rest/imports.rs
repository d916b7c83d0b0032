//! `POST /api/v1/imports`: a GDELT or ACLED file in the request body, imported all or nothing;
//! the answer is the import report.
//!
//! The handler checks the write token (the [`WriteAccess`] argument) before the body is read,
//! spools the body to a temporary file (a zip needs to be read from its end, and an import
//! must not hold a large file in memory), up to `--max-body-bytes`, then runs
//! [`crate::import::import_into`] on the blocking pool: one write step of the read models.
//! What a row becomes is the library's business; this file only speaks HTTP.

use std::io::Write as _;

use actix_web::{HttpResponse, web};
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::auth::WriteAccess;
use crate::api::problem::{ApiError, ProblemView, WriteRefusal};
use crate::api::{AppState, blocking, generation};
use crate::import::{self, Format, ImportOptions, ImportReport};

/// The query of `POST /api/v1/imports`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// The feed the body is in: `gdelt-events`, `gdelt-mentions` or `acled`.
    pub format: Option<String>,
    /// Import the good rows of a body with bad ones, listing the bad ones (default: refuse the
    /// whole body at its first bad row).
    pub skip_invalid: Option<bool>,
}

/// A name and the entity it was decided to be.
#[derive(Debug, Serialize, ToSchema)]
pub struct NameMatchView {
    /// The name as the feed writes it.
    pub name: String,
    /// The entity's IRI.
    pub entity: String,
}

/// A name several entities have.
#[derive(Debug, Serialize, ToSchema)]
pub struct AmbiguousNameView {
    /// The name as the feed writes it.
    pub name: String,
    /// The new entity, linked to each candidate by a reviewable `eg:possiblySameAs` statement.
    pub entity: String,
    /// The entities it may be.
    pub candidates: Vec<String>,
}

/// A row left out with `skip_invalid=true`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkippedRowView {
    /// Its 1-based line.
    pub line: u64,
    /// The codebook's name of the field at fault, or `row`.
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

/// What the import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportView {
    /// `gdelt-events`, `gdelt-mentions` or `acled`.
    pub format: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows that added something.
    pub rows_imported: u64,
    /// Rows the store held already (a repeated import).
    pub rows_unchanged: u64,
    /// ACLED rows older than the version held.
    pub rows_superseded: u64,
    /// Events new to the store.
    pub events_created: u64,
    /// ACLED events whose older version was replaced.
    pub events_revised: u64,
    /// Statement nodes written.
    pub statements_created: u64,
    /// Entities created.
    pub entities_created: u64,
    /// Names matched to exactly one existing entity.
    pub entities_matched: u64,
    /// Names several entities have.
    pub ambiguous_names: u64,
    /// Quads staged (those already in the store left out at the commit).
    pub quads: u64,
    /// Matched names (the first 1,000).
    pub matched: Vec<NameMatchView>,
    /// New entities (the first 1,000).
    pub created: Vec<NameMatchView>,
    /// Ambiguous names (the first 1,000).
    pub ambiguous: Vec<AmbiguousNameView>,
    /// Every skipped row.
    pub skipped: Vec<SkippedRowView>,
    /// Time taken, in milliseconds.
    pub elapsed_ms: u64,
}

impl From<&ImportReport> for ImportReportView {
    fn from(report: &ImportReport) -> Self {
        let name = |m: &import::NameMatch| NameMatchView {
            name: m.name.clone(),
            entity: m.entity.clone(),
        };
        Self {
            format: report.format.name().to_owned(),
            rows_read: report.rows_read,
            rows_imported: report.rows_imported,
            rows_unchanged: report.rows_unchanged,
            rows_superseded: report.rows_superseded,
            events_created: report.events_created,
            events_revised: report.events_revised,
            statements_created: report.statements_created,
            entities_created: report.entities_created,
            entities_matched: report.entities_matched,
            ambiguous_names: report.ambiguous_names,
            quads: report.quads,
            matched: report.matched.iter().map(name).collect(),
            created: report.created.iter().map(name).collect(),
            ambiguous: report
                .ambiguous
                .iter()
                .map(|a| AmbiguousNameView {
                    name: a.name.clone(),
                    entity: a.entity.clone(),
                    candidates: a.candidates.clone(),
                })
                .collect(),
            skipped: report
                .skipped
                .iter()
                .map(|s| SkippedRowView {
                    line: s.line,
                    field: s.field.clone(),
                    reason: s.reason.clone(),
                })
                .collect(),
            elapsed_ms: report.elapsed_ms,
        }
    }
}

/// How the body is named in messages (`request body:12: field SQLDATE: ...`).
const BODY: &str = "request body";

#[utoipa::path(
    post,
    path = "/api/v1/imports",
    tag = "imports",
    params(ImportQuery),
    request_body(
        content = Vec<u8>,
        description = "The file as published: GDELT 2.0 events or mentions (tab-separated, no header) or an ACLED CSV export (with its header), zipped or not",
        content_type = "application/octet-stream"
    ),
    responses(
        (status = 200, description = "Imported (or nothing to do): the import report", body = ImportReportView),
        (status = 400, description = "A bad row (its line and field), a broken zip, an unknown format; nothing was imported", body = ProblemView, content_type = "application/problem+json"),
        WriteRefusal,
        (status = 413, description = "The body is larger than --max-body-bytes", body = ProblemView, content_type = "application/problem+json"),
    )
)]
/// POST `/api/v1/imports?format=…`: imports the body, all of it or (on a bad row) none.
pub async fn import(
    _: WriteAccess,
    state: web::Data<AppState>,
    query: web::Query<ImportQuery>,
    mut body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let name = query.format.as_deref().unwrap_or_default();
    if name.trim().is_empty() {
        return Err(ApiError::MissingParameter {
            field: "format",
            hint: "the feed of the body: gdelt-events, gdelt-mentions or acled",
        });
    }
    let options = ImportOptions {
        format: Format::from_name(name)?,
        skip_invalid: query.skip_invalid.unwrap_or(false),
    };
    let limit = state.limits.max_body_bytes;
    let mut spool = tempfile::NamedTempFile::new()
        .map_err(|e| ApiError::Internal(format!("cannot spool the body: {e}")))?;
    let mut received = 0_usize;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest {
            message: format!("the body could not be read: {e}"),
        })?;
        received += chunk.len();
        if received > limit {
            return Err(ApiError::BodyTooLarge { limit });
        }
        spool
            .write_all(&chunk)
            .map_err(|e| ApiError::Internal(format!("cannot spool the body: {e}")))?;
    }
    let models = state.models.clone();
    let written = blocking(move || {
        spool
            .flush()
            .map_err(|e| ApiError::Internal(format!("cannot spool the body: {e}")))?;
        Ok(import::import_into(
            &models,
            spool.path(),
            BODY,
            &options,
            &|_| {},
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(generation(written.generation))
        .json(ImportReportView::from(&written.value)))
}
