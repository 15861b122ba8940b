// A loopback port nothing listens on, for the connection-failure tests: one the system just
// handed out and took back. `node tests/js/free-port.mjs` prints one (scripts/test); the
// harness imports `freePort` when BROWSER_WS_CLOSED_PORT is unset (npm run bench).
import { createServer } from "node:net";
import { pathToFileURL } from "node:url";

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return String(port);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(await freePort());
