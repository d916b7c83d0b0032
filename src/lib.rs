//! eventgraph: a knowledge graph of the entities and events that news reports,
//! with the provenance of every statement.
//!
//! Layers, each using only those below it (see `ARCHITECTURE.md`):
//!
//! - [`cli`] — the `eventgraph` subcommands (`serve`, `load`, `query`, `dump`);
//! - [`server`] — the actix-web server;
//! - [`api`] — the HTTP edge: routes, negotiation, problem+json;
//! - [`export`] — a selection of the graph written as GraphML, GEXF, DOT, Cytoscape.js or D3
//!   JSON, CSV, or RDF;
//! - [`sparql`] — SPARQL query evaluation and result formats;
//! - [`edits`] — REST edits of entities and statements as quads, written in order;
//! - [`read_models`] — the search index, projection and rankings kept in step with writes;
//! - [`shapes`] — checking REST writes against the SHACL shapes;
//! - [`catalog`] — read models: entities, relations with provenance, statements, events, search;
//! - [`store`] — the embedded Oxigraph store: open, seed, load, dump;
//! - [`limits`] — checks of a request's nesting, lengths and encoding before it is parsed;
//! - [`model`], [`vocab`], [`config`] — identities, IRIs and settings.

pub mod api;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod edits;
pub mod export;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod graph;
pub mod import;
pub mod limits;
pub mod model;
pub mod read_models;
pub mod server;
pub mod shapes;
pub mod sparql;
pub mod store;
pub mod vocab;
