//! Typed settings, read from command-line flags and their environment variables.
//!
//! Each struct is a `clap::Args` group, so the CLI composes them and the
//! settings stay documented in one place (`eventgraph help serve`). Nothing
//! here opens files or sockets; other modules receive these values.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the store keeps its data, and whether an empty store gets the seed graph.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreConfig {
    /// Directory of the RocksDB store; created when missing.
    #[arg(
        long,
        env = "EVENTGRAPH_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Keep the store in memory only: nothing is written to disk and it is seeded on every start.
    #[arg(long, env = "EVENTGRAPH_MEMORY", global = true)]
    pub memory: bool,

    /// Do not put the ontology and the seed graph into an empty store.
    #[arg(long, env = "EVENTGRAPH_NO_SEED", global = true)]
    pub no_seed: bool,
}

impl StoreConfig {
    /// The location the store opens, from `--memory` and `--data-dir`.
    pub fn location(&self) -> StoreLocation {
        if self.memory {
            StoreLocation::Memory
        } else {
            StoreLocation::Directory(self.data_dir.clone())
        }
    }

    /// Whether an empty store is seeded with the ontology and the seed data.
    pub fn seed_when_empty(&self) -> bool {
        !self.no_seed
    }
}

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// In memory: gone when the process ends.
    Memory,
    /// A RocksDB directory.
    Directory(PathBuf),
}

/// How queries see the dataset.
#[derive(Debug, Clone, clap::Args)]
pub struct QueryConfig {
    /// Whether the default graph of a query is the union of all graphs (every source document
    /// lives in its own named graph, so this is what most queries want). A request that names
    /// its dataset (`default-graph-uri`, `named-graph-uri`) always gets exactly that dataset.
    #[arg(
        long,
        env = "EVENTGRAPH_UNION_DEFAULT_GRAPH",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true,
        value_name = "BOOL"
    )]
    pub union_default_graph: bool,
}

/// Settings of the HTTP server.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerConfig {
    /// Address and port to listen on.
    #[arg(long, env = "EVENTGRAPH_BIND", default_value = "127.0.0.1:7878")]
    pub bind: SocketAddr,
}
