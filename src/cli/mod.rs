//! The `eventgraph` command line: subcommands and their dispatch.
//!
//! `serve` runs the HTTP server, `load` loads RDF files atomically, `import` imports
//! GDELT and ACLED files (`import.rs`), `query`
//! runs SPARQL and prints a table (or CSV, TSV, JSON), `dump` writes the
//! dataset, `export` writes the graph or a part of it for graph tools (with a
//! progress line on a terminal), `gen` writes a generated news graph for benchmarks
//! (`generate.rs`), `backup` copies the store (offline, or online by asking a server),
//! `restore` copies a backup into a new data directory. Every command but `gen`,
//! `restore` and an online `backup` opens the store the same way: an empty store is
//! seeded with the ontology and the seed graph unless `--no-seed` is given.
//! This is the only layer, with `main.rs`, that uses `anyhow`: it turns every
//! error into one readable message and an exit code.

mod generate;
mod import;
mod table;

use std::cell::OnceCell;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedNode};
use oxigraph::sparql::{CancellationToken, QueryResults};
use petgraph::stable_graph::NodeIndex;
use tracing_subscriber::EnvFilter;

use crate::catalog::search::SearchIndex;
use crate::config::{DurabilityConfig, QueryConfig, ServerConfig, StoreConfig, StoreLocation};
use crate::export::{self, ExportGraph, Format, TimeWindow, is_day};
use crate::graph::{Direction, Projection, Selection, k_shortest_paths, neighborhood};
use crate::model::EntityId;
use crate::read_models::snapshot::Fingerprint;
use crate::server;
use crate::sparql::remote::RemoteAccess;
use crate::sparql::{DatasetRequest, ParsedQuery, QueryForm, ResultFormat, results};
use crate::store::Store;
use crate::store::load::{self, LoadOptions, RdfSource};
use crate::store::seed::SeedOutcome;

/// A knowledge graph of the entities and events that news reports, with the provenance of every statement.
#[derive(Debug, Parser)]
#[command(name = "eventgraph", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    store: StoreConfig,

    #[command(flatten)]
    query: QueryConfig,

    #[command(flatten)]
    durability: DurabilityConfig,

    /// Log filter, as in RUST_LOG (for example `info` or `eventgraph=debug`).
    #[arg(long, env = "EVENTGRAPH_LOG", default_value = "info", global = true)]
    log: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the store over HTTP: SPARQL at /sparql.
    Serve(ServerConfig),
    /// Load RDF files into the store, all of them or (on any error) none.
    Load {
        /// The files: Turtle, TriG, N-Triples, N-Quads, RDF/XML or JSON-LD, by extension.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The format of every file, instead of guessing from the extensions.
        #[arg(long)]
        format: Option<String>,
        /// The named graph that receives the triples of triple formats.
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// The base IRI that relative IRIs are resolved against.
        #[arg(long, value_name = "IRI")]
        base: Option<String>,
    },
    /// Import GDELT 2.0 events or mentions, or an ACLED export, each file all or nothing.
    Import(import::ImportArgs),
    /// Run a SPARQL query and print its results.
    Query {
        /// The query text; `-` reads it from standard input.
        #[arg(required_unless_present = "file")]
        query: Option<String>,
        /// Read the query from this file.
        #[arg(long, conflicts_with = "query")]
        file: Option<PathBuf>,
        /// `table` (the default), or a result format: csv, tsv, json, xml for SELECT and ASK;
        /// turtle, ntriples, rdfxml, jsonld, trig, nquads for CONSTRUCT and DESCRIBE.
        #[arg(long, default_value = "table")]
        format: String,
    },
    /// Export the graph, or a part of it, for Gephi, Cytoscape, yEd, Graphviz, networkx, D3
    /// or RDF tools.
    Export(ExportArgs),
    /// Write a deterministic generated news graph as N-Quads, for benchmarks; the store is
    /// not opened.
    Gen(generate::GenArgs),
    /// Copy the store consistently: from the server that serves it (--server, an online
    /// backup written where that server keeps its backups), or from --data-dir into TARGET
    /// when no server holds it.
    Backup {
        /// The directory to create (it must not exist), for a backup of --data-dir.
        #[arg(required_unless_present = "server")]
        target: Option<PathBuf>,
        /// The URL of a running server to ask for an online backup (`POST /admin/backup`),
        /// with the write token in EVENTGRAPH_WRITE_TOKEN.
        #[arg(long, value_name = "URL", conflicts_with = "target")]
        server: Option<String>,
    },
    /// Make --data-dir a copy of a backup; --data-dir must not hold anything yet. (Serving
    /// --data-dir BACKUP directly also works: a backup is a store directory.)
    Restore {
        /// The backup directory (from `eventgraph backup` or `POST /admin/backup`).
        backup: PathBuf,
    },
    /// Write the whole dataset (or one graph) as RDF.
    Dump {
        /// trig or nquads for the dataset; turtle, ntriples, rdfxml or jsonld with --graph.
        #[arg(long, default_value = "trig")]
        format: String,
        /// Only this named graph.
        #[arg(long, value_name = "IRI")]
        graph: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// What `export` writes: a format, at most one selection, filters.
#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// graphml, gexf, dot, cytoscape, d3, csv-nodes, csv-edges, jsonld, turtle, trig or nquads.
    #[arg(long)]
    format: String,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Select the neighbourhood of this entity (uuid, label or alias).
    #[arg(long, group = "selection")]
    root: Option<String>,
    /// With --root: hops from it.
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// With --root: at most this many nodes.
    #[arg(long, default_value_t = 200)]
    max_nodes: usize,
    /// With --root, or --from and --to: out, in or both.
    #[arg(long, default_value = "both")]
    direction: String,
    /// Select the shortest paths from this entity to --to.
    #[arg(long, group = "selection", requires = "to")]
    from: Option<String>,
    /// The end of the paths.
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// With --from and --to: how many shortest paths.
    #[arg(long, default_value_t = 1)]
    k: usize,
    /// With --from and --to: the longest path, in steps.
    #[arg(long, default_value_t = 6)]
    max_length: usize,
    /// Select these entities (uuids, labels or aliases, comma-separated) and the edges
    /// between them.
    #[arg(long, group = "selection")]
    entities: Option<String>,
    /// Select the nodes and edges a CONSTRUCT or DESCRIBE query returns.
    #[arg(long, group = "selection")]
    query: Option<String>,
    /// Keep only edges with this predicate (IRI or eg: local name); repeatable.
    #[arg(long)]
    predicate: Vec<String>,
    /// Keep only nodes of this class, subclasses included (IRI or eg: local name); repeatable.
    #[arg(long = "type")]
    types: Vec<String>,
    /// Leave out what is dated only before this day (YYYY-MM-DD); undated items stay.
    #[arg(long)]
    since: Option<String>,
    /// Leave out what is dated only after this day (YYYY-MM-DD); undated items stay.
    #[arg(long)]
    until: Option<String>,
    /// RDF formats: leave out the statements behind the edges.
    #[arg(long)]
    no_provenance: bool,
    /// Keep only edges with a statement by this speaker (uuid, label, alias or IRI);
    /// repeatable. The provenance filters are those of `/api/v1/export`.
    #[arg(long)]
    said_by: Vec<String>,
    /// Keep only edges with a statement from this source document or publisher; repeatable.
    #[arg(long)]
    source: Vec<String>,
    /// Leave out the statements from this source document or publisher; repeatable.
    #[arg(long)]
    exclude_source: Vec<String>,
    /// Keep only edges whose passing statements come from at least this many publishers.
    #[arg(long)]
    min_sources: Option<usize>,
    /// Keep only edges with a passing statement that is confirmed or a confirmation.
    #[arg(long)]
    confirmed: bool,
    /// Keep only statements with this modality (Asserted, Possible, Denied); repeatable.
    #[arg(long)]
    modality: Vec<String>,
    /// Keep only statements made on or before this day (YYYY-MM-DD).
    #[arg(long)]
    as_of: Option<String>,
    /// Keep only edges whose dated events can have happened on or after this day.
    #[arg(long)]
    event_from: Option<String>,
    /// Keep only edges whose dated events can have happened on or before this day.
    #[arg(long)]
    event_to: Option<String>,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    // First of all, before the arguments are even parsed: a stop asked for while `serve`
    // starts is held until its handlers are in place (other commands let it go at once).
    server::hold_stop_signals();
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        server::release_stop_signals();
    }
    let filter = EnvFilter::try_new(&cli.log).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Gen(args) => return generate::run(args),
        Command::Backup {
            server: Some(url), ..
        } => return online_backup(url),
        Command::Restore { backup } => return restore(backup, &cli.store),
        _ => {}
    }
    // The store's files as they are before opening it changes them: the read models saved
    // beside it at the last clean shutdown are valid only if they are unchanged.
    let fingerprint = match (&cli.command, cli.store.location()) {
        (Command::Serve(_), StoreLocation::Directory(path)) => Fingerprint::of(&path).ok(),
        _ => None,
    };
    let store = open_store(&cli.store, &cli.durability)?;
    // Replaying the journal changed the store since the read models were saved.
    let fingerprint = fingerprint.filter(|_| store.replayed() == 0);
    match cli.command {
        Command::Serve(server) => serve(store, &server, cli.query, fingerprint),
        Command::Load {
            files,
            format,
            graph,
            base,
        } => load_files(&store, &files, format.as_deref(), graph, base),
        Command::Import(args) => import::run(&store, &args),
        Command::Query {
            query,
            file,
            format,
        } => {
            let text = query_text(query, file)?;
            run_query(&store, &text, &format, &cli.query)
        }
        Command::Dump {
            format,
            graph,
            output,
        } => dump(&store, &format, graph.as_deref(), output),
        Command::Export(args) => export(&store, &args, &cli.query),
        Command::Backup {
            target: Some(target),
            ..
        } => {
            store.backup(&target)?;
            println!("backed up the store into {}", target.display());
            Ok(())
        }
        // Answered above, before the store is opened.
        Command::Gen(args) => generate::run(&args),
        Command::Backup { server, .. } => online_backup(server.as_deref().unwrap_or_default()),
        Command::Restore { backup } => restore(&backup, &cli.store),
    }
}

/// Asks the server at `url` for an online backup and prints where it went.
fn online_backup(url: &str) -> anyhow::Result<()> {
    let token = std::env::var("EVENTGRAPH_WRITE_TOKEN")
        .context("set EVENTGRAPH_WRITE_TOKEN to a write token of the server")?;
    let endpoint = format!("{}/admin/backup", url.trim_end_matches('/'));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .post(&endpoint)
        .header("Authorization", &format!("Bearer {}", token.trim()))
        .send_empty()
        .with_context(|| format!("cannot reach {endpoint}"))?;
    let status = response.status();
    let body = response.body_mut().read_to_string()?;
    if !status.is_success() {
        bail!("{endpoint} answered {status}: {body}");
    }
    let answer: serde_json::Value = serde_json::from_str(&body)?;
    println!(
        "backed up the store into {} (every write up to generation {})",
        answer["path"].as_str().unwrap_or_default(),
        answer["generation"]
    );
    Ok(())
}

/// Copies the files of `backup` into the (new or empty) data directory.
fn restore(backup: &std::path::Path, store: &StoreConfig) -> anyhow::Result<()> {
    if store.memory {
        bail!("restore needs --data-dir, not --memory");
    }
    let target = &store.data_dir;
    if !backup.join("CURRENT").is_file() {
        bail!(
            "{} is not a store directory (no CURRENT file)",
            backup.display()
        );
    }
    let occupied = std::fs::read_dir(target).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        bail!(
            "{} already holds files: restore never overwrites a store; name a new --data-dir",
            target.display()
        );
    }
    std::fs::create_dir_all(target)?;
    let mut files = 0;
    for entry in std::fs::read_dir(backup)? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let to = target.join(entry.file_name());
        std::fs::copy(entry.path(), &to)
            .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        File::open(&to)?.sync_all()?;
        files += 1;
    }
    File::open(target)?.sync_all()?;
    println!(
        "restored {files} files from {} into {}",
        backup.display(),
        target.display()
    );
    Ok(())
}

/// Opens the store and seeds it when it is empty and seeding is on.
fn open_store(config: &StoreConfig, durability: &DurabilityConfig) -> anyhow::Result<Store> {
    let location = config.location();
    let store = Store::open_with(&location, durability.durability)?;
    if !config.seed_when_empty() {
        return Ok(store);
    }
    let started = Instant::now();
    match store.seed_if_empty()? {
        SeedOutcome::Seeded { quads } => tracing::info!(
            quads,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "seeded the empty store with the ontology and the seed graph"
        ),
        SeedOutcome::AlreadyPopulated => {}
    }
    if let StoreLocation::Directory(path) = &location {
        tracing::debug!(path = %path.display(), "store opened");
    }
    Ok(store)
}

fn serve(
    store: Store,
    server: &ServerConfig,
    query: QueryConfig,
    fingerprint: Option<Fingerprint>,
) -> anyhow::Result<()> {
    let location = match store.location() {
        StoreLocation::Memory => "memory".to_owned(),
        StoreLocation::Directory(path) => path.display().to_string(),
    };
    actix_web::rt::System::new()
        .block_on(server::serve(
            store,
            server,
            query,
            fingerprint,
            |addresses| {
                for address in addresses {
                    // Tests and scripts read this line from standard output to learn the port.
                    println!("eventgraph listening on http://{address}/ (store: {location})");
                }
                let _ = io::stdout().flush();
            },
        ))
        .with_context(|| format!("cannot serve on {}", server.bind))
}

fn load_files(
    store: &Store,
    files: &[PathBuf],
    format: Option<&str>,
    graph: Option<String>,
    base: Option<String>,
) -> anyhow::Result<()> {
    let format = format.map(load::format_from_name).transpose()?;
    let graph = graph
        .map(|iri| NamedNode::new(&iri).with_context(|| format!("--graph <{iri}> is not an IRI")))
        .transpose()?;
    let mut sources = Vec::with_capacity(files.len());
    let mut total_bytes = 0;
    for file in files {
        let (source, bytes) = load::open_file(file, format)?;
        total_bytes += bytes;
        sources.push(source);
    }
    let progress = ProgressBar::new(total_bytes).with_style(ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {msg}",
    )?);
    let sources: Vec<RdfSource<'_>> = sources
        .into_iter()
        .map(|source| RdfSource {
            reader: Box::new(progress.wrap_read(source.reader)),
            graph: graph.clone(),
            ..source
        })
        .collect();
    let started = Instant::now();
    let report = store.load(sources, &LoadOptions { base_iri: base }, &|quads| {
        let rate = quads as f64 / started.elapsed().as_secs_f64().max(1e-3);
        progress.set_message(format!("{quads} quads, {rate:.0} quads/s"));
    })?;
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "loaded {} quads from {} file(s) in {seconds:.2} s ({:.0} quads/s)",
        report.quads,
        report.sources,
        report.quads as f64 / seconds.max(1e-3)
    );
    store.flush()?;
    Ok(())
}

fn query_text(query: Option<String>, file: Option<PathBuf>) -> anyhow::Result<String> {
    match (query, file) {
        (_, Some(file)) => std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read the query file {}", file.display())),
        (Some(dash), None) if dash == "-" => {
            let mut text = String::new();
            io::stdin().read_to_string(&mut text)?;
            Ok(text)
        }
        (Some(text), None) => Ok(text),
        (None, None) => bail!("give a query, `-` to read it from standard input, or --file"),
    }
}

fn run_query(store: &Store, text: &str, format: &str, config: &QueryConfig) -> anyhow::Result<()> {
    let query = ParsedQuery::parse(text, None)?;
    let form = query.form();
    let dataset = DatasetRequest {
        union_default_graph: config.union_default_graph,
        ..DatasetRequest::default()
    };
    // Check the format before evaluating, so that a wrong one costs no evaluation.
    let result_format = if format == "table" {
        None
    } else {
        Some(ResultFormat::from_name(form, format).with_context(|| {
            let names = match form {
                QueryForm::Solutions => "table, json, xml, csv, tsv",
                QueryForm::Boolean => "table, json, xml",
                QueryForm::Graph => "table, turtle, ntriples, rdfxml, jsonld, trig, nquads",
            };
            format!("--format {format} cannot hold the results of this query; use one of {names}")
        })?)
    };
    let results = query.evaluate(
        store,
        &dataset,
        CancellationToken::new(),
        &RemoteAccess::none(),
    )?;
    let mut stdout = io::stdout().lock();
    let Some(result_format) = result_format else {
        return match results {
            QueryResults::Solutions(solutions) => table::print_solutions(solutions, stdout),
            QueryResults::Boolean(value) => Ok(writeln!(stdout, "{value}")?),
            graph @ QueryResults::Graph(_) => {
                results::write(
                    graph,
                    ResultFormat::Rdf(RdfFormat::Turtle),
                    stdout,
                    u64::MAX,
                )?
                .flush()?;
                Ok(())
            }
        };
    };
    let mut out = results::write(results, result_format, BufWriter::new(stdout), u64::MAX)?;
    out.flush()?;
    Ok(())
}

fn dump(
    store: &Store,
    format: &str,
    graph: Option<&str>,
    output: Option<PathBuf>,
) -> anyhow::Result<()> {
    let format = load::format_from_name(format)?;
    let graph = graph
        .map(|iri| NamedNode::new(iri).with_context(|| format!("--graph <{iri}> is not an IRI")))
        .transpose()?;
    let graph_ref = graph.as_ref().map(|g| GraphNameRef::NamedNode(g.as_ref()));
    match output {
        Some(path) => {
            let file =
                File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
            store
                .dump(BufWriter::new(file), format, graph_ref)?
                .flush()?;
        }
        None => {
            let stdout = io::stdout();
            if stdout.is_terminal() {
                tracing::debug!("writing the dump to the terminal");
            }
            store
                .dump(BufWriter::new(stdout.lock()), format, graph_ref)?
                .flush()?;
        }
    }
    Ok(())
}

/// Resolves a uuid, label or alias to a node of the projection; the search index is built
/// the first time a name (not a uuid) is given.
fn node_of(
    store: &Store,
    index: &OnceCell<SearchIndex>,
    projection: &Projection,
    key: &str,
) -> anyhow::Result<NodeIndex> {
    let iri = iri_of(store, index, key)?;
    projection
        .entity(iri.as_ref())
        .with_context(|| format!("'{key}' is not an entity of the graph"))
}

/// The IRI a key names: an absolute IRI as it is, a uuid, or a label or alias.
fn iri_of(store: &Store, index: &OnceCell<SearchIndex>, key: &str) -> anyhow::Result<NamedNode> {
    if key.contains("://")
        && let Ok(iri) = NamedNode::new(key)
    {
        return Ok(iri);
    }
    Ok(match key.parse::<EntityId>() {
        Ok(id) => id.iri(),
        Err(_) => match searched(store, index)?.exact(key).as_slice() {
            [] => bail!("no entity has the id or name '{key}'"),
            [one] => NamedNode::new(one.resource.iri.clone())?,
            many => bail!(
                "'{key}' names {} entities; give one of their ids: {}",
                many.len(),
                many.iter()
                    .map(|e| e.resource.iri.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    })
}

/// The provenance filter of `export`'s flags, as `/api/v1/export` reads its parameters.
fn evidence_filter(
    store: &Store,
    index: &OnceCell<SearchIndex>,
    args: &ExportArgs,
) -> anyhow::Result<crate::graph::EvidenceFilter> {
    let names = |keys: &[String]| {
        keys.iter()
            .map(|key| iri_of(store, index, key))
            .collect::<anyhow::Result<Vec<_>>>()
    };
    let day = |flag: &str, value: &Option<String>| -> anyhow::Result<Option<i32>> {
        value
            .as_deref()
            .map(|text| {
                crate::model::day_number(text)
                    .filter(|_| is_day(text))
                    .with_context(|| format!("{flag} {text} is not a day written YYYY-MM-DD"))
            })
            .transpose()
    };
    let modalities = args
        .modality
        .iter()
        .map(|name| {
            let iri = eg_iri(name)?;
            let known = [
                crate::vocab::eg::ASSERTED,
                crate::vocab::eg::POSSIBLE,
                crate::vocab::eg::DENIED,
            ];
            if !known.contains(&iri.as_ref()) {
                bail!(
                    "--modality {name} is not a modality of the ontology (Asserted, Possible, Denied)"
                );
            }
            Ok(iri)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if args.min_sources == Some(0) {
        bail!("--min-sources must be at least 1");
    }
    Ok(crate::graph::EvidenceFilter::default()
        .with_said_by(names(&args.said_by)?)
        .with_sources(names(&args.source)?)
        .with_excluded_sources(names(&args.exclude_source)?)
        .with_min_sources(args.min_sources)
        .with_confirmed(args.confirmed)
        .with_modalities(modalities)
        .with_as_of(day("--as-of", &args.as_of)?)
        .with_event_window(
            day("--event-from", &args.event_from)?,
            day("--event-to", &args.event_to)?,
        ))
}

/// The search index in `cell`, built from `store` the first time.
fn searched<'a>(store: &Store, cell: &'a OnceCell<SearchIndex>) -> anyhow::Result<&'a SearchIndex> {
    if cell.get().is_none() {
        // Cannot be set already: the cell was empty just above and is not shared.
        let _ = cell.set(SearchIndex::build(store)?);
    }
    cell.get().context("the search index was just built")
}

/// Reads an IRI or the local name of an `eg:` term.
fn eg_iri(name: &str) -> anyhow::Result<NamedNode> {
    crate::vocab::term(name).with_context(|| format!("'{name}' is not an IRI"))
}

fn export(store: &Store, args: &ExportArgs, config: &QueryConfig) -> anyhow::Result<()> {
    let format = Format::from_name(&args.format)
        .with_context(|| format!("--format {} is not one of {}", args.format, Format::names()))?;
    for (flag, day) in [("--since", &args.since), ("--until", &args.until)] {
        if let Some(day) = day.as_deref().filter(|d| !is_day(d)) {
            bail!("{flag} {day} is not a day written YYYY-MM-DD");
        }
    }
    let direction: Direction = args
        .direction
        .parse()
        .map_err(|e| anyhow::anyhow!("--direction {e}"))?;
    let progress = ProgressBar::new_spinner().with_style(ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {msg} {bytes} written",
    )?);
    progress.enable_steady_tick(std::time::Duration::from_millis(200));
    progress.set_message("building the graph projection");
    let started = Instant::now();
    let projection = Projection::build(store)?;
    // Built on the first name to resolve: a whole-graph export or one by uuids needs none.
    let index = OnceCell::new();
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "read models built"
    );
    let predicates = if args.predicate.is_empty() {
        None
    } else {
        let iris = args
            .predicate
            .iter()
            .flat_map(|p| p.split(','))
            .map(|p| eg_iri(p.trim()))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let refs: Vec<_> = iris.iter().map(NamedNode::as_ref).collect();
        Some(projection.predicate_ids(&refs)?)
    };
    let classes = args
        .types
        .iter()
        .map(|name| Ok(projection.class_filter(eg_iri(name)?.as_ref(), true)?))
        .collect::<anyhow::Result<Vec<_>>>()?;
    progress.set_message("selecting");
    let filter = evidence_filter(store, &index, args)?;
    let test = projection.edge_test(&filter);
    let allows = |edge| test.allows(edge);
    let keep: Option<crate::graph::EdgeKeep<'_>> = (!test.is_open()).then_some(&allows);
    let view = projection.view_with(predicates.as_deref(), keep);
    let whole = args.root.is_none()
        && args.from.is_none()
        && args.entities.is_none()
        && args.query.is_none();
    let mut selection = if let Some(root) = &args.root {
        let start = node_of(store, &index, &projection, root)?;
        Selection::from_subgraph(&neighborhood(
            &view,
            start,
            args.depth,
            direction,
            args.max_nodes,
        ))
    } else if let (Some(from), Some(to)) = (&args.from, &args.to) {
        let from = node_of(store, &index, &projection, from)?;
        let to = node_of(store, &index, &projection, to)?;
        let paths = k_shortest_paths(&view, from, to, args.k, args.max_length, direction);
        Selection::from_paths(&[from, to], &paths)
    } else if let Some(entities) = &args.entities {
        let nodes = entities
            .split(',')
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(|key| node_of(store, &index, &projection, key))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Selection::induced(&projection, &nodes)
    } else if let Some(text) = &args.query {
        let query = ParsedQuery::parse(text, None)?;
        if query.form() != QueryForm::Graph {
            bail!("--query takes a CONSTRUCT or DESCRIBE query, which returns a graph");
        }
        let dataset = DatasetRequest {
            union_default_graph: config.union_default_graph,
            ..DatasetRequest::default()
        };
        let QueryResults::Graph(results) = query.evaluate(
            store,
            &dataset,
            CancellationToken::new(),
            &RemoteAccess::none(),
        )?
        else {
            bail!("--query takes a CONSTRUCT or DESCRIBE query");
        };
        let triples = results
            .collect::<Result<Vec<_>, _>>()
            .map_err(crate::sparql::SparqlError::from)?;
        Selection::from_triples(&projection, &triples)
    } else {
        Selection::whole(&projection)
    };
    selection.narrow(&projection, predicates.as_deref(), &classes, whole);
    if let Some(keep) = keep {
        selection.retain_edges(&projection, keep, whole);
    }
    progress.set_message(format!(
        "reading dates and statements of {} nodes and {} edges",
        selection.nodes.len(),
        selection.edges.len()
    ));
    let window = TimeWindow {
        since: args.since.clone(),
        until: args.until.clone(),
    };
    // The RDF formats name the statements behind the edges only with their provenance.
    let with_statements = format.rdf_format().is_none() || !args.no_provenance;
    let graph = ExportGraph::gather(
        store,
        &projection,
        &selection,
        &window,
        with_statements,
        &filter,
    )?;
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "export gathered"
    );
    progress.set_message(format!(
        "writing {} nodes and {} edges as {}",
        graph.nodes.len(),
        graph.edges.len(),
        format.name()
    ));
    let output: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    };
    let writer = BufWriter::with_capacity(256 * 1024, progress.wrap_write(output));
    let mut writer = if format.rdf_format().is_some() {
        export::rdf::write(format, store, &graph, !args.no_provenance, writer)?
    } else {
        export::write(format, &graph, writer)?
    };
    writer.flush()?;
    progress.finish_and_clear();
    eprintln!(
        "exported {} nodes and {} edges as {} in {:.2} s",
        graph.nodes.len(),
        graph.edges.len(),
        format.name(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
