//! The Yew guide's example is this crate's code: the block after `docs/guide/yew.md`'s
//! `<!-- yew-chat example -->` marker must equal `src/lib.rs` between `// readme:begin` and
//! `// readme:end` (so the guide shows code that compiles, and is built and driven in
//! Chromium by `npm test`).
#![allow(clippy::expect_used, clippy::panic)]

const GUIDE: &str = include_str!("../../../docs/guide/yew.md");
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
    let source = between(SOURCE, "// readme:begin\n", "// readme:end\n");
    let after_marker = between(GUIDE, "<!-- yew-chat example -->\n", "\n## ");
    let block = between(after_marker, "```rust,ignore\n", "```\n");
    assert_eq!(
        block, source,
        "docs/guide/yew.md's Yew block differs from examples/yew-chat/src/lib.rs: copy the marked code over"
    );
}
