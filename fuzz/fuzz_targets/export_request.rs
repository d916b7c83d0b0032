//! Fuzz target: `eventgraph::fuzzing::export_request` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| eventgraph::fuzzing::export_request(data));
