//! Static files: by default `/` serves `www/` and `/pkg/` the built npm package; `--mount`
//! adds more (the size tests mount their builds).
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

/// Serves one file, or 404.
pub async fn serve(folders: Folders, uri: Uri) -> Response {
    let Some(path) = folders.resolve(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path").into_response();
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type(&path)),
                (header::CACHE_CONTROL, "no-cache"),
                // Cross-origin isolation: everything here is same-origin, and it gives pages
                // (the benchmark's above all) fine-grained performance.now() timers.
                (
                    header::HeaderName::from_static("cross-origin-opener-policy"),
                    "same-origin",
                ),
                (
                    header::HeaderName::from_static("cross-origin-embedder-policy"),
                    "require-corp",
                ),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
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
}
