//! The `eventgraph` binary: parses the command line, starts logging, runs the command.

use std::process::ExitCode;

fn main() -> ExitCode {
    eventgraph::cli::main()
}
