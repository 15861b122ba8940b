//! Static files: by default `/` serves `www/`, `/pkg/` the built npm package and
//! `/tests/js/workers/` the worker scripts of the JS tests; `--mount` adds more (the size tests
//! mount their builds).
//!
//! Every file is served cross-origin-isolated (`Cross-Origin-Opener-Policy: same-origin`,
//! `Cross-Origin-Embedder-Policy: require-corp`), so pages and workers have
//! `SharedArrayBuffer`; `?isolated=0` leaves both headers out, for a page that must not be.
//!
//! Deliberately small: GET only, no directory listings, no path that leaves its folder.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// URL prefixes (each ending in `/`) and the folders they serve; the longest prefix wins.
#[derive(Clone)]
pub struct Folders {
    mounts: Vec<(String, PathBuf)>,
}

impl Folders {
    pub fn new(mut mounts: Vec<(String, PathBuf)>) -> Folders {
        mounts.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
        Folders { mounts }
    }

    /// The file a request path names, if it stays inside its folder.
    fn resolve(&self, path: &str) -> Option<PathBuf> {
        let (base, rest) = self
            .mounts
            .iter()
            .find_map(|(prefix, base)| Some((base, path.strip_prefix(prefix.as_str())?)))?;
        let rest = if rest.is_empty() || rest.ends_with('/') {
            format!("{rest}index.html")
        } else {
            rest.to_owned()
        };
        let relative = Path::new(&rest);
        if !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return None;
        }
        Some(base.join(relative))
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether a request wants cross-origin isolation: yes unless its query has `isolated=0`.
fn isolated(uri: &Uri) -> bool {
    !uri.query()
        .is_some_and(|query| query.split('&').any(|pair| pair == "isolated=0"))
}

/// Serves one file, or 404.
pub async fn serve(folders: Folders, uri: Uri) -> Response {
    let Some(path) = folders.resolve(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type(&path)),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from(bytes),
    )
        .into_response();
    if isolated(&uri) {
        // Cross-origin isolation: everything here is same-origin (so `require-corp` lets every
        // file load), and it gives pages and workers `SharedArrayBuffer` and fine-grained
        // performance.now() timers (the benchmark's).
        let headers = response.headers_mut();
        headers.insert(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            header::HeaderValue::from_static("same-origin"),
        );
        headers.insert(
            header::HeaderName::from_static("cross-origin-embedder-policy"),
            header::HeaderValue::from_static("require-corp"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders() -> Folders {
        Folders::new(vec![
            ("/".to_owned(), PathBuf::from("/srv/www")),
            ("/pkg/".to_owned(), PathBuf::from("/srv/pkg")),
        ])
    }

    #[test]
    fn paths_map_into_their_folder_and_never_out() {
        let f = folders();
        assert_eq!(f.resolve("/"), Some(PathBuf::from("/srv/www/index.html")));
        assert_eq!(f.resolve("/app.js"), Some(PathBuf::from("/srv/www/app.js")));
        assert_eq!(
            f.resolve("/pkg/browser_ws_bg.wasm"),
            Some(PathBuf::from("/srv/pkg/browser_ws_bg.wasm"))
        );
        assert_eq!(f.resolve("/../etc/passwd"), None);
        assert_eq!(f.resolve("/pkg/../../x"), None);
        assert_eq!(f.resolve("//etc/passwd"), None);
        assert_eq!(f.resolve("/pkg"), Some(PathBuf::from("/srv/www/pkg")));
    }

    /// A folder of its own under the system's temporary folder, with `page.html` and `m.js`.
    fn served_folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("browser-ws-server-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("page.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.join("m.js"), "export {};").unwrap();
        dir
    }

    /// The COOP and COEP headers of a response (`None` where missing).
    fn isolation(response: &Response) -> (Option<&str>, Option<&str>) {
        let get = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|value| value.to_str().unwrap())
        };
        (
            get("cross-origin-opener-policy"),
            get("cross-origin-embedder-policy"),
        )
    }

    #[tokio::test]
    async fn files_are_cross_origin_isolated_unless_the_query_says_isolated_0() {
        let dir = served_folder("isolation");
        let f = Folders::new(vec![
            ("/".to_owned(), dir.clone()),
            ("/pkg/".to_owned(), dir.clone()),
        ]);
        let isolated = (Some("same-origin"), Some("require-corp"));
        for path in ["/page.html", "/pkg/m.js", "/page.html?x=1&isolated=1"] {
            let response = serve(f.clone(), path.parse().unwrap()).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(isolation(&response), isolated, "{path}");
        }
        let response = serve(f.clone(), "/pkg/m.js".parse().unwrap()).await;
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        for path in ["/page.html?isolated=0", "/pkg/m.js?v=2&isolated=0"] {
            let response = serve(f.clone(), path.parse().unwrap()).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(isolation(&response), (None, None), "{path}");
        }
        let missing = serve(f, "/nothing.html".parse().unwrap()).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let _ = std::fs::remove_dir_all(dir);
    }
}
