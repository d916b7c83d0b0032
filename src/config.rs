//! Typed settings, read from command-line flags and their environment variables.
//!
//! Each struct is a `clap::Args` group, so the CLI composes them and the
//! settings stay documented in one place (`eventgraph help serve`). Nothing
//! here opens files or sockets; other modules receive these values.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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

    #[command(flatten)]
    pub access: AccessConfig,

    /// Where `POST /admin/backup` writes its backups (one directory each); by default
    /// `DATA_DIR.backups` beside the data directory.
    #[arg(long, env = "EVENTGRAPH_BACKUP_DIR", value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,

    /// The bearer token that SPARQL Update and Graph Store writes must carry
    /// (`Authorization: Bearer TOKEN`). Without one, the server refuses every write.
    #[arg(
        long,
        env = "EVENTGRAPH_WRITE_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub write_token: Option<String>,

    /// A file whose first line is the write token (for secrets kept out of the environment).
    #[arg(
        long,
        env = "EVENTGRAPH_WRITE_TOKEN_FILE",
        value_name = "FILE",
        conflicts_with = "write_token"
    )]
    pub write_token_file: Option<PathBuf>,

    /// A host (`name` or `name:port`) that SERVICE and LOAD may reach; repeat the flag, or
    /// separate hosts with commas in the variable. Without any, the server never fetches a URL.
    #[arg(
        long = "allow-remote-host",
        env = "EVENTGRAPH_ALLOW_REMOTE_HOSTS",
        value_delimiter = ',',
        value_name = "HOST"
    )]
    pub allow_remote_hosts: Vec<String>,

    /// Build the read models from the store at start-up even when the snapshot written at the
    /// last clean shutdown is still valid (to check it, or after a suspected fault).
    #[arg(long, env = "EVENTGRAPH_REBUILD_READ_MODELS")]
    pub rebuild_read_models: bool,

    /// Log every request (address, request line, status, bytes, duration) at info level under
    /// the target `eventgraph::http`. Off by default: a line formatted and written to standard
    /// error on every request costs a busy endpoint a sixth of its throughput.
    #[arg(long, env = "EVENTGRAPH_ACCESS_LOG")]
    pub access_log: bool,

    #[command(flatten)]
    pub limits: LimitsConfig,
}

/// Limits that protect the server from expensive requests.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitsConfig {
    /// Seconds a query may run before it is stopped; a request may ask for less or more
    /// (`timeout=SECONDS`), up to --max-query-timeout.
    #[arg(
        long,
        env = "EVENTGRAPH_QUERY_TIMEOUT",
        default_value_t = 30.0,
        value_name = "SECONDS"
    )]
    pub query_timeout: f64,

    /// The longest time limit a request may ask for, in seconds.
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_QUERY_TIMEOUT",
        default_value_t = 300.0,
        value_name = "SECONDS"
    )]
    pub max_query_timeout: f64,

    /// The most rows (or triples) one query result may hold; larger results are refused.
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_RESULT_ROWS",
        default_value_t = 1_000_000,
        value_name = "ROWS"
    )]
    pub max_result_rows: u64,

    /// The largest request body accepted, in bytes.
    #[arg(long, env = "EVENTGRAPH_MAX_BODY_BYTES", default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    pub max_body_bytes: usize,

    /// How many expensive requests (SPARQL queries, exports, neighbourhoods, paths, rankings)
    /// run at once; 0 means four per core. Lookups of entities and relations are not counted.
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_EXPENSIVE_REQUESTS",
        default_value_t = 0,
        value_name = "N"
    )]
    pub max_expensive_requests: usize,

    /// How many more expensive requests wait for one of those to finish; beyond them a
    /// request is answered at once with 503 `server-busy` and `Retry-After`.
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_WAITING_REQUESTS",
        default_value_t = 64,
        value_name = "N"
    )]
    pub max_waiting_requests: usize,

    /// Seconds an expensive request waits for its turn before it is answered with 503
    /// `server-busy`.
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_ADMISSION_WAIT",
        default_value_t = 2.0,
        value_name = "SECONDS"
    )]
    pub max_admission_wait: f64,

    #[command(flatten)]
    pub input: InputLimits,
}

/// Limits on the shape of what a request sends (queries, updates, RDF bodies), so that no input
/// exhausts the stack, the memory or a core. Checked at the HTTP edge, before parsing; the
/// command line (`eventgraph load`, `query`) is trusted and not held to them.
#[derive(Debug, Clone, clap::Args)]
pub struct InputLimits {
    /// The deepest nesting of brackets (`{`, `(`, `[`) in a query or update, of blank nodes and
    /// collections in Turtle and TriG, of arrays and objects in JSON-LD, and of elements in
    /// RDF/XML. Parsers recurse per level; 200 is ten times what hand-written queries and
    /// documents use.
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_NESTING_DEPTH",
        default_value_t = 200,
        value_name = "LEVELS"
    )]
    pub max_nesting_depth: usize,

    /// The longest query or update text, in bytes (an update's INSERT DATA included: send large
    /// data to /store or load it with `eventgraph load`).
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_QUERY_BYTES",
        default_value_t = 256 * 1024,
        value_name = "BYTES"
    )]
    pub max_query_bytes: usize,

    /// The most triple patterns one query or update may hold.
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_TRIPLE_PATTERNS",
        default_value_t = 1_000,
        value_name = "PATTERNS"
    )]
    pub max_triple_patterns: usize,

    /// The longest literal in a request (an RDF body, a query or an update), in bytes. Quotes
    /// and article texts are far below; a longer value belongs in a file a literal points to.
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_LITERAL_BYTES",
        default_value_t = 1024 * 1024,
        value_name = "BYTES"
    )]
    pub max_literal_bytes: usize,

    /// The longest IRI (or prefixed name) in a request, in bytes.
    #[arg(
        long,
        env = "EVENTGRAPH_MAX_IRI_BYTES",
        default_value_t = 8 * 1024,
        value_name = "BYTES"
    )]
    pub max_iri_bytes: usize,
}

impl Default for InputLimits {
    fn default() -> Self {
        Self {
            max_nesting_depth: 200,
            max_query_bytes: 256 * 1024,
            max_triple_patterns: 1_000,
            max_literal_bytes: 1024 * 1024,
            max_iri_bytes: 8 * 1024,
        }
    }
}

impl LimitsConfig {
    /// How many expensive requests run at once: `--max-expensive-requests`, or four per core.
    pub fn max_expensive_requests(&self) -> usize {
        match self.max_expensive_requests {
            0 => 4 * std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
    }

    /// The time limit of a request that asked for `requested` seconds (or nothing).
    pub fn query_timeout(&self, requested: Option<f64>) -> Duration {
        let seconds = requested
            .unwrap_or(self.query_timeout)
            .min(self.max_query_timeout)
            .max(0.001);
        Duration::from_secs_f64(seconds)
    }
}

impl ServerConfig {
    /// The write token, from --write-token or the first line of --write-token-file.
    ///
    /// # Errors
    /// The token file cannot be read, or holds an empty token.
    pub fn resolve_write_token(&self) -> std::io::Result<Option<String>> {
        let token = match (&self.write_token, &self.write_token_file) {
            (Some(token), _) => Some(token.trim().to_owned()),
            (None, Some(file)) => Some(
                std::fs::read_to_string(file)?
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            ),
            (None, None) => None,
        };
        match token {
            Some(token) if token.is_empty() => Err(std::io::Error::other(
                "the write token is empty; set a non-empty EVENTGRAPH_WRITE_TOKEN",
            )),
            other => Ok(other),
        }
    }
}

/// How much of a crash an acknowledged write survives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Durability {
    /// A power cut: each write's quads are appended to the store's journal and synced to disk
    /// before its transaction commits and before it is acknowledged.
    #[default]
    Sync,
    /// The death of the process (`kill -9`, a panic) but not of the machine: a commit is in
    /// RocksDB's write-ahead log, in the operating system's cache, when it is acknowledged.
    Process,
}

/// The durability of the writes, for every command that opens a store on disk.
#[derive(Debug, Clone, clap::Args)]
pub struct DurabilityConfig {
    /// `sync` (the default): an acknowledged write survives a power cut, at the price of one
    /// fdatasync per write; `process`: it survives the death of the process only.
    #[arg(
        long,
        env = "EVENTGRAPH_DURABILITY",
        value_enum,
        default_value_t = Durability::Sync,
        global = true
    )]
    pub durability: Durability,
}

/// Who may read and write, and from which browser origins.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AccessConfig {
    /// A file of tokens as SHA-256 digests, one a line: `write HEX` or `read HEX`, then
    /// anything (a name); `#` starts a comment. The digest of a token is
    /// `printf %s TOKEN | sha256sum`. Several lines give several tokens; remove a line and
    /// restart to revoke one.
    #[arg(long, env = "EVENTGRAPH_TOKENS_FILE", value_name = "FILE")]
    pub tokens_file: Option<PathBuf>,

    /// A read token: when any read token is set (here or in --tokens-file), every route but
    /// /healthz, /readyz, the explorer's page and files (the page asks for the token) and
    /// /api/v1/docs and /api/v1/openapi.json needs `Authorization: Bearer TOKEN` with a read or
    /// a write token.
    #[arg(
        long,
        env = "EVENTGRAPH_READ_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub read_token: Option<String>,

    /// Refuse every write (403, problem type `read-only`), whatever tokens are set.
    #[arg(long, env = "EVENTGRAPH_READ_ONLY")]
    pub read_only: bool,

    /// A browser origin (`https://example.org`) that may call the API from its pages; repeat
    /// the flag, or separate origins with commas in the variable. Without any, every origin may.
    #[arg(
        long = "cors-origin",
        env = "EVENTGRAPH_CORS_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub cors_origins: Vec<String>,
}

/// A token's role in a tokens file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRole {
    /// May write, and read.
    Write,
    /// May read.
    Read,
}

impl AccessConfig {
    /// The digests of the tokens file, with their roles.
    ///
    /// # Errors
    /// The file cannot be read, or a line is not `write HEX` or `read HEX` with 64 hex digits
    /// (the message names the line).
    pub fn token_digests(&self) -> std::io::Result<Vec<(TokenRole, [u8; 32])>> {
        let Some(path) = &self.tokens_file else {
            return Ok(Vec::new());
        };
        let text = std::fs::read_to_string(path)?;
        let mut digests = Vec::new();
        for (number, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let mut words = line.split_whitespace();
            let role = match words.next() {
                Some("write") => TokenRole::Write,
                Some("read") => TokenRole::Read,
                _ => {
                    return Err(bad_line(
                        path,
                        number,
                        "a line starts with `write` or `read`",
                    ));
                }
            };
            let hex = words.next().unwrap_or_default();
            let hex = hex.strip_prefix("sha256:").unwrap_or(hex);
            let mut digest = [0u8; 32];
            hex::decode_to_slice(hex, &mut digest).map_err(|_| {
                bad_line(
                    path,
                    number,
                    "the digest is 64 hexadecimal digits (SHA-256)",
                )
            })?;
            digests.push((role, digest));
        }
        Ok(digests)
    }
}

fn bad_line(path: &std::path::Path, number: usize, rule: &str) -> std::io::Error {
    std::io::Error::other(format!(
        "{}:{}: not a token line: {rule}",
        path.display(),
        number + 1
    ))
}
