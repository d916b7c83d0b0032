//! Fuzz target: `eventgraph::fuzzing::sparql_protocol` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| eventgraph::fuzzing::sparql_protocol(data));
