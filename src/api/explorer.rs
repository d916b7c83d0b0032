//! The graph explorer: the page at `/` and its scripts and styles under `/explorer/`.
//!
//! Every file is in the binary: our own sources (`explorer/src/`) with `include_bytes!`, and
//! the browser builds of cytoscape.js, its fcose layout and YASGUI from the npm packages
//! `build.rs` installs into `$OUT_DIR/explorer/node_modules` from `explorer/package-lock.json`.
//! So the explorer works offline and never loads anything from another origin; the page's
//! Content-Security-Policy says so to the browser too. The explorer is a client of the
//! public endpoints (`/api/v1`, `/sparql`) and has no endpoint of its own.
//!
//! Files are answered with an `ETag` and `Cache-Control: no-cache`, so a browser keeps them
//! and revalidates them with one cheap request (`304`) after each upgrade of the binary.

use std::sync::LazyLock;

use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use super::problem::ApiError;

/// A file the explorer serves.
struct Asset {
    /// Its path under `/explorer/`, or `""` for the page at `/`.
    name: &'static str,
    /// Its `Content-Type`.
    media_type: &'static str,
    /// Its bytes, embedded at build time.
    body: &'static [u8],
}

/// Our own source file `explorer/src/$name`.
macro_rules! source {
    ($name:literal, $media_type:expr) => {
        Asset {
            name: $name,
            media_type: $media_type,
            body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/explorer/src/", $name)),
        }
    };
}

/// The file `$path` of an npm package installed by `build.rs`, served as `vendor/$name`.
macro_rules! vendor {
    ($name:literal, $path:literal, $media_type:expr) => {
        Asset {
            name: concat!("vendor/", $name),
            media_type: $media_type,
            body: include_bytes!(concat!(env!("OUT_DIR"), "/explorer/node_modules/", $path)),
        }
    };
}

const HTML: &str = "text/html; charset=utf-8";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every file, the page first.
static ASSETS: &[Asset] = &[
    Asset {
        name: "",
        media_type: HTML,
        body: include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/explorer/src/index.html"
        )),
    },
    source!("app.js", JAVASCRIPT),
    source!("api.js", JAVASCRIPT),
    source!("graph.js", JAVASCRIPT),
    source!("panel.js", JAVASCRIPT),
    source!("search.js", JAVASCRIPT),
    source!("timeline.js", JAVASCRIPT),
    source!("sparql.js", JAVASCRIPT),
    source!("token.js", JAVASCRIPT),
    source!("filters.js", JAVASCRIPT),
    source!("contested.js", JAVASCRIPT),
    source!("app.css", CSS),
    vendor!(
        "cytoscape.min.js",
        "cytoscape/dist/cytoscape.min.js",
        JAVASCRIPT
    ),
    vendor!("layout-base.js", "layout-base/layout-base.js", JAVASCRIPT),
    vendor!("cose-base.js", "cose-base/cose-base.js", JAVASCRIPT),
    vendor!(
        "cytoscape-fcose.js",
        "cytoscape-fcose/cytoscape-fcose.js",
        JAVASCRIPT
    ),
    vendor!(
        "yasgui.min.js",
        "@zazuko/yasgui/build/yasgui.min.js",
        JAVASCRIPT
    ),
    vendor!("yasgui.min.css", "@zazuko/yasgui/build/yasgui.min.css", CSS),
];

/// The entity tag of each asset, in the order of [`ASSETS`]: a hash of its bytes.
static ETAGS: LazyLock<Vec<EntityTag>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|asset| EntityTag::new_strong(format!("{:016x}", fnv1a(asset.body))))
        .collect()
});

/// The page may load scripts, styles and data from this server only. YASGUI and cytoscape.js
/// set inline styles, and YASGUI's result table shows `data:` images, so those are allowed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Registers `/` and `/explorer/{file}`.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .service(super::resource(
            "/",
            vec![web::get().to(page), web::head().to(page)],
            &["GET", "HEAD"],
        ))
        .service(super::resource(
            "/explorer/{file:.+}",
            vec![web::get().to(file), web::head().to(file)],
            &["GET", "HEAD"],
        ));
}

/// `GET /`: the explorer's page.
async fn page(request: HttpRequest) -> HttpResponse {
    answer(&request, 0)
}

/// `GET /explorer/{file}`: a script or style of the page; unknown files are `404 not-found`.
async fn file(request: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let name = name.into_inner();
    match ASSETS
        .iter()
        .position(|asset| !asset.name.is_empty() && asset.name == name)
    {
        Some(index) => answer(&request, index),
        None if request.method() == Method::HEAD => HttpResponse::NotFound().finish(),
        None => ApiError::NotFound {
            path: request.path().to_owned(),
        }
        .error_response(),
    }
}

/// The asset at `index`, or `304` when the client's copy is current.
fn answer(request: &HttpRequest, index: usize) -> HttpResponse {
    let asset = &ASSETS[index];
    let etag = ETAGS[index].clone();
    let fresh = match header::Header::parse(request) {
        Ok(IfNoneMatch::Any) => true,
        Ok(IfNoneMatch::Items(tags)) => tags.iter().any(|tag| tag.weak_eq(&etag)),
        Err(_) => false,
    };
    let mut response = HttpResponse::build(if fresh {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    });
    response
        .insert_header(header::ETag(etag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if asset.name.is_empty() {
        response.insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY));
    }
    if fresh {
        return response.finish();
    }
    response.content_type(asset.media_type).body(asset.body)
}

/// The 64-bit FNV-1a hash: stable across builds and platforms, unlike `DefaultHasher`, so a
/// browser's cached copy stays valid until the file really changes.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_has_a_distinct_name_and_a_body() {
        let mut names: Vec<&str> = ASSETS.iter().map(|asset| asset.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ASSETS.len(), "two assets share a name");
        for asset in ASSETS {
            assert!(!asset.body.is_empty(), "{} is empty", asset.name);
        }
    }

    #[test]
    fn the_page_loads_only_assets_that_exist() {
        let page = std::str::from_utf8(ASSETS[0].body).unwrap();
        let mut rest = page;
        let mut seen = 0;
        while let Some(start) = rest.find("/explorer/") {
            let tail = &rest[start + "/explorer/".len()..];
            let end = tail.find('"').unwrap();
            let name = &tail[..end];
            assert!(
                ASSETS.iter().any(|asset| asset.name == name),
                "index.html loads /explorer/{name}, which is not served"
            );
            seen += 1;
            rest = &tail[end..];
        }
        assert!(seen >= 4, "index.html loads {seen} assets");
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
