//! Proves: claims of `ARCHITECTURE.md` stay true of the source. The rules: no file under
//! `src/` forgets a closure or a value or uses `unsafe`, and unsafe code is forbidden for the
//! crate; every browser listener the Rust code adds is gloo-events' `EventListener`. The map: every `.rs` file under `src/` is named in the module map (by its path from
//! the repository root, `src/...`), and every `src/` path the page names exists. The files are
//! read as text, line by line. Run with `cargo test --test source_rules`.
#![cfg(not(target_arch = "wasm32"))]
// A test reports a broken rule by panicking.
#![allow(clippy::panic, clippy::expect_used)]

use std::fs;
use std::path::Path;

/// The repository root (the crate's manifest directory).
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}

/// Every `.rs` file under `dir` (relative to the root), as `/`-separated paths from the root.
fn rust_files(dir: &str) -> Vec<String> {
    fn walk(dir: &Path, relative: &str, out: &mut Vec<String>) {
        let entries =
            fs::read_dir(dir).unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()));
        for entry in entries {
            let entry = entry.expect("a directory entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{relative}/{name}");
            if entry.file_type().expect("a file type").is_dir() {
                walk(&entry.path(), &path, out);
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), dir, &mut out);
    out.sort();
    out
}

/// The code of each line, with its number: lines that are comments (`//`, `///`, `//!`) are
/// skipped and a trailing `//` comment is cut off.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(index, line)| {
        let code = line.split("//").next().unwrap_or_default();
        (!line.trim_start().starts_with("//")).then_some((index + 1, code))
    })
}

/// The paths in `text` that contain `src/` (`src/a/b.rs`, `src/util/`, `server/src/main.rs`):
/// each run of path characters around an occurrence, without a trailing `.`.
fn src_paths(text: &str) -> Vec<String> {
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || "_./-".contains(c);
    let mut paths = Vec::new();
    for line in text.lines() {
        let mut searched = 0;
        while let Some(found) = line[searched..].find("src/") {
            let at = searched + found;
            let start = line[..at]
                .rfind(|c: char| !is_path_char(c))
                .map_or(0, |i| i + 1);
            let end = line[at..]
                .find(|c: char| !is_path_char(c))
                .map_or(line.len(), |i| at + i);
            paths.push(line[start..end].trim_end_matches('.').to_owned());
            searched = end;
        }
    }
    paths
}

/// The lines of `ARCHITECTURE.md`'s `## Module map` section.
fn module_map(page: &str) -> String {
    let mut lines = page
        .lines()
        .skip_while(|line| line.trim() != "## Module map");
    assert!(
        lines.next().is_some(),
        "ARCHITECTURE.md has a `## Module map` section"
    );
    lines
        .take_while(|line| !line.starts_with("## "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Proves: no file under `src/` contains `Closure::forget`, `.forget()`, `mem::forget` or
/// `unsafe` in its code (comments aside), and unsafe code is forbidden for the whole crate
/// (`#![forbid(unsafe_code)]` in `src/lib.rs`, or `unsafe_code = "forbid"` in `Cargo.toml`'s
/// `[lints.rust]`, which is where it is).
#[test]
fn no_source_file_forgets_or_uses_unsafe() {
    const FORBIDDEN: [&str; 5] = [
        "Closure::forget",
        ".forget()",
        "mem::forget",
        "unsafe ",
        "unsafe{",
    ];
    let mut found = Vec::new();
    for file in rust_files("src") {
        let text = read(&file);
        for (number, code) in code_lines(&text) {
            for pattern in FORBIDDEN.iter().filter(|pattern| code.contains(**pattern)) {
                found.push(format!("{file}:{number}: `{pattern}` in `{}`", code.trim()));
            }
        }
    }
    assert!(found.is_empty(), "forbidden in src/:\n{}", found.join("\n"));

    let in_lib =
        code_lines(&read("src/lib.rs")).any(|(_, code)| code.trim() == "#![forbid(unsafe_code)]");
    let manifest = read("Cargo.toml");
    let in_manifest = manifest
        .lines()
        .map(str::trim)
        .skip_while(|line| *line != "[lints.rust]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .any(|line| line.replace(' ', "") == "unsafe_code=\"forbid\"");
    assert!(
        in_lib || in_manifest,
        "unsafe code is forbidden neither by src/lib.rs nor by Cargo.toml's [lints.rust]"
    );
}

/// Proves: the Rust code adds browser listeners only through gloo-events' `EventListener`
/// (`ARCHITECTURE.md`, Listeners): no file under `src/` calls web-sys's `add_event_listener*`,
/// or sets an `on*` handler property of a browser object (`set_onmessage`...), and
/// `src/util/listener.rs` builds on `gloo_events::EventListener`.
#[test]
fn every_browser_listener_is_a_gloo_event_listener() {
    let mut found = Vec::new();
    for file in rust_files("src") {
        let text = read(&file);
        for (number, code) in code_lines(&text) {
            if code.contains("add_event_listener") || code.contains(".set_on") {
                found.push(format!("{file}:{number}: `{}`", code.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "listeners outside gloo-events:\n{}",
        found.join("\n")
    );
    let listener = read("src/util/listener.rs");
    assert!(
        code_lines(&listener).any(|(_, code)| code.contains("EventListener::new")),
        "src/util/listener.rs does not build on gloo_events::EventListener"
    );
}

/// Proves: every `.rs` file under `src/` is named, by its path from the repository root, in
/// the module map of `ARCHITECTURE.md`.
#[test]
fn the_module_map_names_every_source_file() {
    let named = src_paths(&module_map(&read("ARCHITECTURE.md")));
    let missing: Vec<String> = rust_files("src")
        .into_iter()
        .filter(|file| !named.contains(file))
        .collect();
    assert!(
        missing.is_empty(),
        "not in ARCHITECTURE.md's module map:\n{}",
        missing.join("\n")
    );
}

/// Proves: every `src/` path `ARCHITECTURE.md` names (files and directories, the server's
/// included) exists.
#[test]
fn every_src_path_the_page_names_exists() {
    let paths = src_paths(&read("ARCHITECTURE.md"));
    assert!(
        paths.len() > 50,
        "the page names its files ({} paths found)",
        paths.len()
    );
    let missing: Vec<String> = paths
        .into_iter()
        .filter(|path| !root().join(path).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "named in ARCHITECTURE.md but absent:\n{}",
        missing.join("\n")
    );
}
