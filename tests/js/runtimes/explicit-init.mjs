// Run by tests/js/runtimes.test.mjs in each runtime: `init(input)` with an explicit input still
// works where the "node" entry is loaded (here a compiled WebAssembly.Module), and a later
// `init()` without one returns the same instance instead of loading a second.
import { readFile } from "node:fs/promises";

import init, { Socket } from "browser-ws";

const bytes = await readFile(new URL("./node_modules/browser-ws/browser_ws_bg.wasm", import.meta.url));
const explicit = await init({ module_or_path: await WebAssembly.compile(bytes) });
console.log("same instance after init():", explicit === (await init()));

const socket = new Socket(`${process.env.BROWSER_WS_TEST_SERVER}/echo`);
await socket.opened;
socket.send("explicit");
console.log("echo:", (await socket.messages().next()).value);
socket.close();
console.log("closed:", (await socket.closed).code);
