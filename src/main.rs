//! The `eventgraph` binary: sets the allocator, parses the command line, starts logging, runs
//! the command.

use std::process::ExitCode;

/// mimalloc rather than glibc's malloc: a REST page allocates and frees thousands of small
/// strings, and glibc's consolidation of its free lists took an eighth of a lookup's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    eventgraph::cli::main()
}
