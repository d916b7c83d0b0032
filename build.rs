//! Installs the explorer's npm packages (cytoscape.js, its fcose layout, YASGUI) into
//! `$OUT_DIR/explorer/node_modules`, from the versions `explorer/package-lock.json` pins,
//! so that `src/api/explorer.rs` can embed their files with `include_bytes!` and the binary
//! serves the explorer offline.
//!
//! It runs `npm ci --ignore-scripts` (no package's install script runs) and only when the
//! manifest or the lock file changed; our own sources under `explorer/src/` are embedded
//! with `include_str!`, which cargo tracks by itself. It does not bundle, minify or
//! transpile anything: the packages ship the browser builds we serve.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files npm reads, in `explorer/`.
const MANIFESTS: [&str; 2] = ["package.json", "package-lock.json"];

fn main() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("explorer");
    for name in MANIFESTS {
        println!("cargo:rerun-if-changed=explorer/{name}");
    }
    println!("cargo:rerun-if-env-changed=EVENTGRAPH_NPM");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target = out.join("explorer");
    std::fs::create_dir_all(&target).expect("create $OUT_DIR/explorer");

    let lock =
        std::fs::read(source.join("package-lock.json")).expect("read explorer/package-lock.json");
    let manifest = std::fs::read(source.join("package.json")).expect("read explorer/package.json");
    // Skip npm when the packages installed last time came from the same two files.
    let stamp = target.join("node_modules/.eventgraph-stamp");
    let wanted = [manifest.as_slice(), b"\0", lock.as_slice()].concat();
    if std::fs::read(&stamp).is_ok_and(|installed| installed == wanted) {
        return;
    }
    for name in MANIFESTS {
        std::fs::copy(source.join(name), target.join(name))
            .unwrap_or_else(|e| panic!("copy explorer/{name} to {}: {e}", target.display()));
    }

    let npm = std::env::var("EVENTGRAPH_NPM").unwrap_or_else(|_| "npm".to_owned());
    let status = Command::new(&npm)
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .arg("--loglevel=error")
        .current_dir(&target)
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "\n\nerror: cannot run `{npm}` ({e}).\n\
                 The explorer served at / embeds cytoscape.js and YASGUI, which the build \
                 installs from the npm registry with npm.\n\
                 Install Node.js and npm (e.g. `sudo apt-get install nodejs npm`), or set \
                 EVENTGRAPH_NPM to the npm to use, and build again.\n\n"
            )
        });
    assert!(
        status.success(),
        "\n\nerror: `{npm} ci` failed in {} ({status}).\n\
         It installs the explorer's scripts from the npm registry (registry.npmjs.org, or the \
         registry npm is configured with): check that it is reachable.\n\n",
        target.display()
    );
    std::fs::write(&stamp, wanted).expect("write the npm stamp");
}
