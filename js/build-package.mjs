// Finishes the wasm-pack output in pkg/: adds the entry points and their types, points
// package.json at them, and replaces the crate README with the JS one. Two entry points, one
// set of types: index.js (browsers, workers, bundlers: `init()` fetches the .wasm by URL) and
// node.js (the "node" condition, which Node.js, Deno and Bun apply: `init()` reads the .wasm
// with node:fs), which re-exports index.js, so there is one Socket class whichever is loaded.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..", "pkg");

for (const file of ["index.js", "socket.js", "webidl.js", "node.js", "index.d.ts", "README.md"]) {
  copyFileSync(join(here, file), join(pkg, file));
}

const manifestPath = join(pkg, "package.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
manifest.name = "browser-ws";
manifest.main = "index.js";
manifest.module = "index.js";
manifest.types = "index.d.ts";
// Order matters: the first condition the resolver applies wins. "browser" before "node", for
// bundlers that apply both when building for the browser.
manifest.exports = { ".": { types: "./index.d.ts", browser: "./index.js", node: "./node.js", default: "./index.js" } };
manifest.files = Array.from(new Set([...(manifest.files ?? []), "index.js", "socket.js", "webidl.js", "node.js", "index.d.ts", "README.md", "LICENSE-MIT", "LICENSE-APACHE"]));
manifest.sideEffects = ["./index.js", "./socket.js", "./node.js", "./snippets/*"];
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
console.log(`pkg/ is the npm package ${manifest.name}@${manifest.version}`);
