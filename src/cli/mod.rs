//! The `eventgraph` command line: subcommands and their dispatch.
//!
//! `serve` runs the HTTP server, `load` loads RDF files atomically, `query`
//! runs SPARQL and prints a table (or CSV, TSV, JSON), `dump` writes the
//! dataset. Every command opens the store the same way: an empty store is
//! seeded with the ontology and the seed graph unless `--no-seed` is given.
//! This is the only layer, with `main.rs`, that uses `anyhow`: it turns every
//! error into one readable message and an exit code.

mod table;

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
use tracing_subscriber::EnvFilter;

use crate::config::{QueryConfig, ServerConfig, StoreConfig, StoreLocation};
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

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
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
    let store = open_store(&cli.store)?;
    match cli.command {
        Command::Serve(server) => serve(store, &server, cli.query),
        Command::Load {
            files,
            format,
            graph,
            base,
        } => load_files(&store, &files, format.as_deref(), graph, base),
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
    }
}

/// Opens the store and seeds it when it is empty and seeding is on.
fn open_store(config: &StoreConfig) -> anyhow::Result<Store> {
    let location = config.location();
    let store = Store::open(&location)?;
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

fn serve(store: Store, server: &ServerConfig, query: QueryConfig) -> anyhow::Result<()> {
    let location = match store.location() {
        StoreLocation::Memory => "memory".to_owned(),
        StoreLocation::Directory(path) => path.display().to_string(),
    };
    actix_web::rt::System::new()
        .block_on(server::serve(store, server, query, |addresses| {
            for address in addresses {
                // Tests and scripts read this line from standard output to learn the port.
                println!("eventgraph listening on http://{address}/ (store: {location})");
            }
            let _ = io::stdout().flush();
        }))
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
    let mut stdout = io::stdout().lock();
    if format == "table" {
        let results = query.evaluate(
            store,
            &dataset,
            CancellationToken::new(),
            &RemoteAccess::none(),
        )?;
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
    }
    let Some(result_format) = ResultFormat::from_name(form, format) else {
        let names = match form {
            QueryForm::Solutions => "table, json, xml, csv, tsv",
            QueryForm::Boolean => "table, json, xml",
            QueryForm::Graph => "table, turtle, ntriples, rdfxml, jsonld, trig, nquads",
        };
        bail!("--format {format} cannot hold the results of this query; use one of {names}");
    };
    let results = query.evaluate(
        store,
        &dataset,
        CancellationToken::new(),
        &RemoteAccess::none(),
    )?;
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
