//! Fuzz target: `eventgraph::fuzzing::input_limits` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| eventgraph::fuzzing::input_limits(data));
