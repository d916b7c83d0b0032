//! Integration tests: the real `eventgraph` binary, driven over HTTP and its command line.

mod cli;
mod clients;
mod competency;
mod explorer;
mod export;
mod federation;
mod generate;
mod hostile;
mod http;
mod live_writes;
mod openapi;
mod persistence;
mod projection;
mod read_models;
mod readme;
mod relations;
mod rest;
mod rest_writes;
mod seed;
mod server;
mod sparql_endpoint;
mod sparql_service;
mod sparql_update;
mod w3c_graph_store;
mod w3c_protocol;
