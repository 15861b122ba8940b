//! The Leptos guide's chat block is this crate's code: the block after `docs/guide/leptos.md`'s
//! `<!-- leptos-chat example -->` marker must equal `src/lib.rs` between `// README: begin`
//! and `// README: end` (so the guide shows code that compiles, and is built and driven in
//! Chromium by `npm test`).
#![allow(clippy::expect_used, clippy::panic)]

const GUIDE: &str = include_str!("../../../docs/guide/leptos.md");
const SOURCE: &str = include_str!("../src/lib.rs");

fn between<'a>(text: &'a str, begin: &str, end: &str) -> &'a str {
    let start = text.find(begin).unwrap_or_else(|| panic!("no {begin:?}")) + begin.len();
    let length = text[start..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?}"));
    &text[start..start + length]
}

#[test]
fn readme_shows_the_example_code() {
    let source = between(SOURCE, "// README: begin\n", "// README: end\n");
    let after_marker = between(GUIDE, "<!-- leptos-chat example -->\n", "\n## ");
    let block = between(after_marker, "```rust,ignore\n", "```\n");
    assert_eq!(
        block, source,
        "docs/guide/leptos.md's Leptos block differs from examples/leptos-chat/src/lib.rs: copy the marked code over"
    );
}
