//! Fuzz target: `eventgraph::fuzzing::rest_body` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| eventgraph::fuzzing::rest_body(data));
