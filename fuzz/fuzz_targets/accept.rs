//! Fuzz target: `eventgraph::fuzzing::accept` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| eventgraph::fuzzing::accept(data));
