// Run by tests/js/runtimes.test.mjs in each runtime: graphql-ws, partysocket and y-websocket
// (bundled by the test into libraries-bundle.mjs) each given this runtime's own WebSocket, then
// Socket, in the scenarios the browser test runs (library-scenarios.mjs, a copy of
// tests/js/libraries/scenarios.mjs). Prints one JSON line per run: library, implementation,
// and the scenario's result or error. LIBRARIES (JSON) has the servers' URLs and the rooms.
import init, { Socket } from "browser-ws";

import "./libraries-bundle.mjs";
import { graphqlScenario, installHelpers, partysocketScenario, yjsScenario } from "./library-scenarios.mjs";

await init();
const { graphqlUrl, yjsUrl, fault, main, rooms } = JSON.parse(process.env.LIBRARIES);
const native = globalThis.WebSocket;
for (const impl of ["native", "Socket"]) {
  globalThis.impl = (name) => (name === "native" ? native : Socket);
  for (const [library, run] of [
    ["graphql-ws", () => graphqlScenario({ impl, url: graphqlUrl })],
    ["partysocket", () => partysocketScenario({ impl, fault, main })],
    ["y-websocket", () => yjsScenario({ impl, url: yjsUrl, room: rooms[impl] })],
  ]) {
    installHelpers(5_000);
    try {
      console.log(JSON.stringify({ library, impl, result: await run() }));
    } catch (error) {
      console.log(JSON.stringify({ library, impl, error: String(error?.stack ?? error) }));
    }
  }
}
