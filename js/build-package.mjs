// Finishes the wasm-pack output in pkg/: adds the entry point and its types, points
// package.json at them, and replaces the crate README with the JS one.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..", "pkg");

for (const file of ["index.js", "index.d.ts", "README.md"]) {
  copyFileSync(join(here, file), join(pkg, file));
}

const manifestPath = join(pkg, "package.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
manifest.name = "browser-ws";
manifest.main = "index.js";
manifest.module = "index.js";
manifest.types = "index.d.ts";
manifest.exports = { ".": { types: "./index.d.ts", default: "./index.js" } };
manifest.files = Array.from(new Set([...(manifest.files ?? []), "index.js", "index.d.ts", "README.md"]));
manifest.sideEffects = ["./index.js", "./snippets/*"];
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
console.log(`pkg/ is the npm package ${manifest.name}@${manifest.version}`);
