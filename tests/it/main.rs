//! Integration tests: the real `eventgraph` binary, driven over HTTP and its command line.

mod cli;
mod competency;
mod http;
mod persistence;
mod seed;
mod server;
mod sparql_endpoint;
