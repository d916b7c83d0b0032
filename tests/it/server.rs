//! `TestServer`: the real `eventgraph` binary on an ephemeral port, stopped on drop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use tempfile::TempDir;

/// The bearer token the writable test servers accept.
pub const WRITE_TOKEN: &str = "test-write-token";

/// The eventgraph binary cargo built for these tests.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_eventgraph")
}

/// A data directory that lives as long as the test.
pub struct DataDir {
    dir: TempDir,
}

impl DataDir {
    pub fn new() -> Self {
        Self {
            dir: tempfile::Builder::new()
                .prefix("eventgraph-it-")
                .tempdir()
                .unwrap(),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A data directory holding `quads` and nothing else (not the seed), loaded as a user
    /// loads a file: written as N-Quads, then `eventgraph --no-seed load FILE`.
    pub fn loaded(quads: &[oxigraph::model::Quad]) -> Self {
        use oxigraph::io::{RdfFormat, RdfSerializer};
        use std::io::Write as _;
        let data = Self::new();
        let file = data.dir.path().join("loaded.nq");
        let mut serializer = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(
            std::io::BufWriter::new(std::fs::File::create(&file).unwrap()),
        );
        for quad in quads {
            serializer.serialize_quad(quad).unwrap();
        }
        serializer.finish().unwrap().flush().unwrap();
        let output = data.run(&["--no-seed", "load", file.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        data
    }

    /// Runs `eventgraph --data-dir DIR ARGS...` to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(binary())
            .arg("--data-dir")
            .arg(self.path())
            .args(args)
            .env("EVENTGRAPH_LOG", "warn")
            .output()
            .unwrap()
    }
}

/// A running `eventgraph serve` on 127.0.0.1 and a port the system chose.
pub struct TestServer {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
}

impl TestServer {
    /// Serves a fresh in-memory store with the seed graph.
    pub fn memory() -> Self {
        Self::start(&["--memory"])
    }

    /// Serves the store in `data` (seeding it when it is empty).
    pub fn on(data: &DataDir) -> Self {
        let dir = data.path();
        Self::start(&["--data-dir", dir.to_str().unwrap()])
    }

    /// Serves the store in `data`, accepting writes with [`WRITE_TOKEN`].
    pub fn writable_on(data: &DataDir) -> Self {
        let dir = data.path();
        Self::start_with(
            &["--data-dir", dir.to_str().unwrap()],
            &[],
            &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
        )
    }

    /// Serves an empty in-memory store (no seed) that accepts writes with [`WRITE_TOKEN`].
    pub fn empty_writable() -> Self {
        Self::start_with(
            &["--memory", "--no-seed"],
            &[],
            &[("EVENTGRAPH_WRITE_TOKEN", WRITE_TOKEN)],
        )
    }

    /// Starts `eventgraph GLOBAL_ARGS... serve --bind 127.0.0.1:0` and waits for its address.
    pub fn start(global_args: &[&str]) -> Self {
        Self::start_with(global_args, &[], &[])
    }

    /// Starts `eventgraph GLOBAL_ARGS... serve --bind 127.0.0.1:0 SERVE_ARGS...` with extra
    /// environment variables, and waits for its address.
    pub fn start_with(global_args: &[&str], serve_args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(binary())
            .args(global_args)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(serve_args)
            .envs(env.iter().copied())
            .env("EVENTGRAPH_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        Self::adopt(child, &line)
    }

    /// A server started elsewhere, from the first line it printed.
    pub fn adopt(child: Child, line: &str) -> Self {
        let address = line
            .strip_prefix("eventgraph listening on http://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("unexpected first line from serve: {line:?}"));
        assert!(
            address.starts_with("127.0.0.1:"),
            "serve must bind loopback only: {address}"
        );
        Self {
            child,
            base: format!("http://{address}"),
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Asks the server to stop (SIGTERM) and waits until it has; returns whether it exited cleanly.
    pub fn stop(mut self) -> bool {
        signal(self.child.id(), "TERM");
        wait(&mut self.child)
    }

    /// Waits for a server already asked to stop; returns whether it exited cleanly.
    pub fn wait_for_exit(mut self) -> bool {
        wait(&mut self.child)
    }

    /// Kills the server without warning (SIGKILL), as a crash would.
    pub fn crash(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits up to 30 s for the child to exit.
fn wait(child: &mut Child) -> bool {
    for _ in 0..300 {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not stop within 30 s of SIGTERM");
}

/// The path of a file in the repository.
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}
