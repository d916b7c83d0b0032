//! `eventgraph import`: GDELT and ACLED files into the store, each file all or nothing, with
//! a progress bar (rows per second, and the time left by the bytes read).
//!
//! It leans on `crate::import` for everything but the terminal: the search index it matches
//! names against is built once from the store it opened (`matching::matching_index`: the
//! entities' labels and aliases only, without the documents and events, and not the whole read
//! models), and the files are imported in the order given; a file that fails
//! stops the command, the files before it staying imported. It does not talk to a server
//! (`POST /api/v1/imports` does that).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::import::{Format, ImportOptions, Importer, matching};
use crate::store::Store;

/// The arguments of `eventgraph import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The feed the files are in: gdelt-events, gdelt-mentions or acled.
    #[arg(long)]
    pub format: String,
    /// Import a file's good rows and list the bad ones, instead of refusing the file.
    #[arg(long)]
    pub skip_invalid: bool,
    /// The files, zipped or not (`*.export.CSV.zip`, `*.mentions.CSV.zip`, ACLED's `.csv`).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print each file's report as JSON on standard output, instead of a summary line.
    #[arg(long)]
    pub json: bool,
}

/// Runs `eventgraph import`.
///
/// # Errors
/// The first file that fails to import (named with its line and field for a bad row); the
/// store keeps the files imported before it.
pub fn run(store: &Store, args: &ImportArgs) -> anyhow::Result<()> {
    let options = ImportOptions {
        format: Format::from_name(&args.format)?,
        skip_invalid: args.skip_invalid,
    };
    let started = std::time::Instant::now();
    let index = matching::matching_index(store).context("cannot read the names in the store")?;
    tracing::debug!(elapsed = ?started.elapsed(), "search index built for matching");
    let mut importer = Importer::new(&index);
    for file in &args.files {
        let name = file.display().to_string();
        let progress = ProgressBar::new(0).with_style(ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} ETA {eta} {msg}",
        )?);
        progress.set_message(name.clone());
        let started = std::time::Instant::now();
        let imported = importer.import_file(store, file, &name, &options, &|at| {
            progress.set_length(at.total_bytes);
            progress.set_position(at.bytes);
            let rate = at.rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
            progress.set_message(format!("{name}: {} rows, {rate:.0} rows/s", at.rows));
        });
        progress.finish_and_clear();
        let (report, _) = imported?;
        for skipped in &report.skipped {
            eprintln!(
                "skipped {name}:{} (field {}): {}",
                skipped.line, skipped.field, skipped.reason
            );
        }
        if args.json {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            eprintln!("imported {}", report.summary());
        }
    }
    store.flush()?;
    Ok(())
}
