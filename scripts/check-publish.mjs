// `node scripts/check-publish.mjs` (the end of `npm test`): are the crate and the npm package
// ready to publish? Packages the crate (`cargo package`, verified: it builds from the packaged
// files alone, offline) and checks its file list: what a crates.io user needs (the source,
// Cargo.toml, the README, the CHANGELOG, the guides that src/guides.rs include_str!s for the
// doctests, the two license files), nothing else (no server, benches, bench runs, demo, scripts,
// tests or examples). Then lists what `npm pack` would put in the built package (pkg/, from
// `npm run build`) and checks it: package.json, the README (js/README.md), the licenses, the entry points
// (index.js with socket.js and webidl.js, and node.js for the "node" export condition) and their types, wasm-bindgen's JS,
// types and .wasm, and the inline JS snippets that JS imports; nothing else. Prints every
// problem it finds and exits 1 if there is one.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const problems = [];
const run = (command, args, cwd = root) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });

/** Runs a command, printing its stderr without cargo's "ignoring test/example" notes; throws on failure. */
function runShown(command, args, cwd = root) {
  try {
    return run(command, args, cwd);
  } catch (error) {
    const shown = String(error.stderr ?? "").split("\n").filter((line) => !/^warning: ignoring (test|example|bench) /.test(line));
    console.error(shown.join("\n"));
    throw new Error(`${command} ${args.join(" ")} failed (exit ${error.status})`);
  }
}

// ---- The crate ----------------------------------------------------------------------------

const CRATE_ALLOWED = [
  /^Cargo\.toml$/,
  /^Cargo\.toml\.orig$/, // cargo's copy of the manifest as written
  /^Cargo\.lock$/,
  /^\.cargo_vcs_info\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE[^/]*$/,
  /^src\/.+\.rs$/,
  /^docs\/guide\/[^/]+\.md$/,
];
const CRATE_FORBIDDEN = ["server/", "benches/", "docs/bench/", "www/", "scripts/", "tests/", "examples/", "pkg/", "js/", "node_modules/", "target/"];

const crateFiles = runShown("cargo", ["package", "-p", "browser-ws", "--list", "--locked", "--allow-dirty"])
  .split("\n")
  .map((line) => line.trim())
  .filter(Boolean);
const inCrate = new Set(crateFiles);

for (const file of crateFiles) {
  const forbidden = CRATE_FORBIDDEN.find((prefix) => file.startsWith(prefix));
  if (forbidden) problems.push(`crate: ${file} is packaged, but nothing under ${forbidden} belongs in the crate (Cargo.toml's include)`);
  else if (!CRATE_ALLOWED.some((pattern) => pattern.test(file))) problems.push(`crate: unexpected file ${file} (not source, manifest, README, CHANGELOG, license or guide)`);
}
for (const file of ["Cargo.toml", "README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE", "src/lib.rs"]) {
  if (!inCrate.has(file)) problems.push(`crate: ${file} is missing`);
}

/** Every .rs file under `dir` (relative to the root). */
function rustFiles(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? rustFiles(path) : entry.name.endsWith(".rs") ? [path] : [];
  });
}
// Every file the source include_str!s (the README and the guides, for the doctests) must be in
// the package, or the packaged crate's doctests cannot compile.
for (const source of rustFiles("src")) {
  if (!inCrate.has(source)) problems.push(`crate: ${source} is not packaged`);
  for (const [, target] of readFileSync(join(root, source), "utf8").matchAll(/include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)/g)) {
    const path = normalize(join(dirname(source), target)).replaceAll("\\", "/");
    if (!inCrate.has(path)) problems.push(`crate: ${source} includes ${target}, but ${path} is not packaged`);
  }
}
// Every guide a doctest reads is there (docs/guide/*.md on disk).
for (const guide of readdirSync(join(root, "docs/guide")).filter((name) => name.endsWith(".md"))) {
  if (!inCrate.has(`docs/guide/${guide}`)) problems.push(`crate: docs/guide/${guide} is not packaged`);
}

if (problems.length === 0) {
  // Package for real and build the packaged crate on its own (offline: every dependency is
  // already in the local registry cache from the builds before this check).
  runShown("cargo", ["package", "-p", "browser-ws", "--locked", "--allow-dirty", "--offline"]);
  console.log(`crate: ${crateFiles.length} files, packaged and verified (cargo package)`);
}

// ---- The npm package ----------------------------------------------------------------------

const pkg = join(root, "pkg");
if (!existsSync(join(pkg, "package.json"))) {
  problems.push("npm: pkg/package.json is missing: build the package first (npm run build)");
} else {
  const [packed] = JSON.parse(runShown("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], pkg));
  const files = packed.files.map((file) => file.path).sort();
  const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
  const glue = readFileSync(join(pkg, "browser_ws.js"), "utf8");
  // The inline JS snippets wasm-bindgen wrote, as browser_ws.js imports them.
  const snippets = [...glue.matchAll(/from ['"]\.\/(snippets\/[^'"]+\.js)['"]/g)].map(([, path]) => path);
  const expected = ["package.json", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "index.js", "socket.js", "webidl.js", "node.js", "index.d.ts", "browser_ws.js", "browser_ws.d.ts", "browser_ws_bg.wasm", ...snippets];
  for (const file of files) {
    if (!expected.includes(file)) problems.push(`npm: unexpected file ${file} in the package (not the .wasm, the JS, the .d.ts, README, the licenses or package.json${file.startsWith("snippets/") ? ": a snippet browser_ws.js does not import" : ""})`);
  }
  for (const file of expected) {
    if (!files.includes(file)) problems.push(`npm: ${file} is missing from the package`);
  }
  if (manifest.name !== "browser-ws") problems.push(`npm: package.json names it ${JSON.stringify(manifest.name)}, not "browser-ws"`);
  const crateVersion = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))?.[1];
  if (manifest.version !== crateVersion) problems.push(`npm: version ${manifest.version} differs from the crate's ${crateVersion}`);
  for (const [field, target] of [["main", manifest.main], ["module", manifest.module], ["types", manifest.types], ['exports["."].types', manifest.exports?.["."]?.types], ['exports["."].browser', manifest.exports?.["."]?.browser], ['exports["."].node', manifest.exports?.["."]?.node], ['exports["."].default', manifest.exports?.["."]?.default]]) {
    const path = String(target ?? "").replace(/^\.\//, "");
    if (!files.includes(path)) problems.push(`npm: package.json's ${field} (${target}) is not in the package`);
  }
  if (existsSync(join(pkg, "README.md")) && readFileSync(join(pkg, "README.md"), "utf8") !== readFileSync(join(root, "js/README.md"), "utf8")) {
    problems.push("npm: pkg/README.md is not js/README.md (js/build-package.mjs copies it)");
  }
  if (problems.length === 0) console.log(`npm: ${files.length} files (${files.join(", ")})`);
}

if (problems.length) {
  console.error(`Not ready to publish:\n${problems.map((problem) => `- ${problem}`).join("\n")}`);
  process.exit(1);
}
