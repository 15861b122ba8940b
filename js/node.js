// Entry point of the browser-ws npm package for Node.js-style runtimes (the "node" export
// condition, which Node.js, Deno and Bun all apply). Everything is index.js's (one Socket class,
// one wasm instance), except the default export: wasm-bindgen's `init()` fetches
// browser_ws_bg.wasm by URL, and Node's fetch cannot read a file: URL, so `init()` without an
// argument reads the file next to this module instead. With an argument it is the glue's init.
import { readFile } from "node:fs/promises";

import glueInit from "./index.js";

export * from "./index.js";

let loading;

/**
 * `init()` (or `init({})`, no `module_or_path`): reads browser_ws_bg.wasm from disk;
 * `init(input)`: wasm-bindgen's init as is.
 */
export default function init(input) {
  const given = input !== undefined && !(input !== null && Object.getPrototypeOf(input) === Object.prototype && input.module_or_path === undefined);
  if (given) return glueInit(input);
  if (loading === undefined) {
    loading = readFile(new URL("./browser_ws_bg.wasm", import.meta.url)).then((bytes) => glueInit({ module_or_path: bytes }));
    loading.catch(() => {
      loading = undefined; // a later call tries again
    });
  }
  return loading;
}
