//! `eventgraph gen`: a generated news graph written as N-Quads, and its facts as JSON.
//!
//! The graph is the one [`generate::news`] makes, streamed through a buffered N-Quads
//! serializer, so that ten million triples never sit in memory; the counts go to standard
//! error, and the facts the benchmark harness picks its query parameters from go to
//! `--facts`. The store is not opened: loading the file is `eventgraph load`'s job.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use oxigraph::io::{RdfFormat, RdfSerializer};

use crate::graph::generate::{self, NewsOptions};

/// What `gen` writes: a size (exactly one of `--triples` and `--entities`), a seed, files.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("size").required(true).args(["triples", "entities"])))]
pub struct GenArgs {
    /// About this many triples (quads, at least 1000); the entities follow from it.
    #[arg(long)]
    triples: Option<u64>,
    /// Exactly this many entities (at least 10), with three relations each on average.
    #[arg(long)]
    entities: Option<usize>,
    /// The seed: the same arguments write the same file.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The N-Quads file to write.
    #[arg(short, long)]
    output: PathBuf,
    /// Also write the graph's facts (hubs, an ordinary actor, a path, ...) as JSON to this file.
    #[arg(long, value_name = "FILE")]
    facts: Option<PathBuf>,
    /// The hubs' shares of all relations, comma-separated, largest first
    /// [default: 0.25,0.0833,0.0333].
    #[arg(long, value_delimiter = ',')]
    hub_shares: Option<Vec<f64>>,
}

/// Writes the graph, then the facts.
pub fn run(args: &GenArgs) -> anyhow::Result<()> {
    let options = match (args.triples, args.entities) {
        (Some(triples), _) if triples < 1000 => bail!("--triples {triples} is below 1000"),
        (Some(triples), _) => NewsOptions::triples(args.seed, triples),
        (None, Some(entities)) if entities < 10 => bail!("--entities {entities} is below 10"),
        (None, Some(entities)) => NewsOptions::entities(args.seed, entities),
        (None, None) => bail!("give --triples or --entities"),
    };
    let options = match &args.hub_shares {
        Some(shares) => {
            if shares.iter().any(|s| !(0.0..1.0).contains(s)) || shares.iter().sum::<f64>() > 0.9 {
                bail!("--hub-shares must each be in [0, 1) and sum to at most 0.9");
            }
            options.with_hub_shares(shares.clone())
        }
        None => options,
    };
    let started = Instant::now();
    let file = File::create(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads)
        .for_writer(BufWriter::with_capacity(1 << 20, file));
    let graph = generate::news(&options, |quad| serializer.serialize_quad(&quad))
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    serializer
        .finish()
        .and_then(|mut out| out.flush())
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let facts = &graph.facts;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "wrote {} triples in {} graphs to {} in {seconds:.1} s: {} entities, {} relations, \
         {} statements ({} confirmations)",
        facts.triples,
        facts.documents,
        args.output.display(),
        facts.entities,
        facts.edges,
        facts.statements,
        facts.confirmations,
    );
    for hub in &facts.hubs {
        eprintln!(
            "hub {} <{}>: {} relations",
            hub.label, hub.iri, hub.relations
        );
    }
    if let Some(path) = &args.facts {
        write_facts(path, facts)?;
    }
    Ok(())
}

fn write_facts(path: &Path, facts: &generate::Facts) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    serde_json::to_writer_pretty(&mut out, facts)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}
