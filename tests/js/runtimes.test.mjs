// The npm package outside browsers: Node.js 22 and 26, Deno and Bun (pinned by scripts/setup in
// .runtimes/), each a child process of this Node test runner. The built pkg/ is packed
// (`npm pack`) and installed (offline) into a temporary folder, so `import ... from "browser-ws"`
// resolves by name through the package's exports, as in a user's project. In each runtime:
// - the README's JS quick start, as written but for its URL (the server's absolute /echo: a
//   relative URL has no base outside a browser), exact output;
// - tests/js/runtimes/scenarios.mjs: which entry the exports resolved to, binary messages as
//   ArrayBuffer and Blob, named errors, a refused connection, and the README's reconnect
//   example adapted (a URL function, the fault listener restarted mid-way);
// - tests/js/runtimes/explicit-init.mjs: init(input) with an explicit module, then init();
// - tests/js/runtimes/handler-error.mjs: a throwing onmessage is reported as the runtime's own
//   WebSocket's is (an uncaught exception) and the socket goes on, for WebSocket and Socket;
// - in Deno with --location, the quick start exactly as written (relative URL included);
// - tests/js/runtimes/libraries.mjs: graphql-ws, partysocket and y-websocket with the runtime's
//   own WebSocket and with Socket, in the browser test's scenarios (tests/js/libraries/),
//   against the same servers, started here.
// A child that does not exit in time is killed and fails its test with what it printed.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

import { CLOSED_PORT } from "./harness.mjs";
import { assertGraphql, assertPartysocket, assertYjs } from "./libraries/expected.mjs";
import { LIBRARY_ENTRIES, startLibraryServers } from "./libraries/servers.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SERVER = process.env.BROWSER_WS_TEST_SERVER ?? "ws://127.0.0.1:8080";
const FAULT = process.env.BROWSER_WS_FAULT_SERVER;
const TIMEOUT_MS = 60_000;

const RUNTIMES = [
  { name: "Node.js 22", binary: ".runtimes/node22/node_modules/.bin/node", args: [] },
  { name: "Node.js 26", binary: ".runtimes/node26/node_modules/.bin/node", args: [] },
  { name: "Deno", binary: ".runtimes/deno/node_modules/.bin/deno", args: ["run", "--allow-net", "--allow-read", "--allow-env"] },
  { name: "Bun", binary: ".runtimes/bun/node_modules/.bin/bun", args: [] },
];

/** The README's JS quick start (the code block after the marker), as api.test.mjs reads it. */
function quickStart() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const start = readme.indexOf("```js\n", readme.indexOf("<!-- js-quick-start -->"));
  assert.ok(start >= 0, "README.md has the JS quick start after <!-- js-quick-start -->");
  return readme.slice(start + 6, readme.indexOf("```\n", start + 6));
}

let project; // the temporary folder with node_modules/browser-ws installed
let servers; // the libraries' servers (tests/js/libraries/servers.mjs)

before(async () => {
  const pkg = join(root, "pkg");
  assert.ok(existsSync(join(pkg, "package.json")), "pkg/ is missing: build the package first (npm run build)");
  project = mkdtempSync(join(tmpdir(), "browser-ws-runtimes-"));
  const tarball = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", project], { cwd: pkg, encoding: "utf8" }).trim().split("\n").pop();
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "runtimes-check", private: true, type: "module" }) + "\n");
  execFileSync("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", `./${tarball}`], { cwd: project, stdio: ["ignore", "ignore", "inherit"] });
  const code = quickStart();
  const relative = 'new Socket("/echo"';
  assert.equal(code.split(relative).length, 2, `the quick start has exactly one ${relative}`);
  writeFileSync(join(project, "quick-start.mjs"), code.replace(relative, `new Socket(${JSON.stringify(`${SERVER}/echo`)}`));
  writeFileSync(join(project, "quick-start-as-written.mjs"), code);
  for (const script of ["scenarios.mjs", "explicit-init.mjs", "handler-error.mjs", "libraries.mjs"]) copyFileSync(join(root, "tests/js/runtimes", script), join(project, script));
  copyFileSync(join(root, "tests/js/libraries/scenarios.mjs"), join(project, "library-scenarios.mjs"));
  // The three libraries as one ES module, bundled as for a page (their browser builds).
  await esbuild.build({
    stdin: { contents: Object.values(LIBRARY_ENTRIES).join("\n"), resolveDir: root, sourcefile: "libraries-entry.js" },
    bundle: true,
    outfile: join(project, "libraries-bundle.mjs"),
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
  });
  await esbuild.stop();
  servers = await startLibraryServers();
});

after(async () => {
  await servers?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** Runs `script` (in the temporary project) with `runtime`; kills it after TIMEOUT_MS. */
function run(runtime, script, extraArgs = [], extraEnv = {}) {
  const binary = join(root, runtime.binary);
  assert.ok(existsSync(binary), `${runtime.name} is missing (${runtime.binary}): run bash scripts/setup`);
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...runtime.args, ...extraArgs, script], {
      cwd: project,
      env: {
        ...process.env,
        BROWSER_WS_TEST_SERVER: SERVER,
        BROWSER_WS_FAULT_SERVER: FAULT ?? "",
        BROWSER_WS_CLOSED_PORT: String(CLOSED_PORT),
        NO_COLOR: "1",
        DENO_NO_UPDATE_CHECK: "1",
        DENO_NO_PROMPT: "1",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${runtime.name} ${script} did not exit within ${TIMEOUT_MS} ms (a hang, or something keeps it alive)\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, lines: stdout.split("\n").filter(Boolean) });
    });
  });
}

/** Fails with the child's output unless it exited with 0. */
function assertExited(runtime, result) {
  assert.equal(result.code, 0, `${runtime.name} exited with ${result.code ?? result.signal}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
}

for (const runtime of RUNTIMES) {
  describe(runtime.name, () => {
    test("the README's JS quick start runs as written (with an absolute URL)", async () => {
      const result = await run(runtime, "quick-start.mjs");
      assertExited(runtime, result);
      assert.deepEqual(result.lines, ["text: hello", "bytes: 1,2,3", "closed: 4000 done true"], result.stderr);
    });

    if (runtime.name === "Deno") {
      test("with --location, the quick start runs exactly as written (its relative URL resolved against it)", async () => {
        const location = `${SERVER.replace(/^ws/, "http")}/`;
        const result = await run(runtime, "quick-start-as-written.mjs", [`--location=${location}`]);
        assertExited(runtime, result);
        assert.deepEqual(result.lines, ["text: hello", "bytes: 1,2,3", "closed: 4000 done true"], result.stderr);
      });
    }

    test("init(input) with an explicit module, then init() returns the same instance", async () => {
      const result = await run(runtime, "explicit-init.mjs");
      assertExited(runtime, result);
      assert.deepEqual(result.lines, ["same instance after init(): true", "echo: explicit", "closed: 1000"], result.stderr);
    });

    test("a throwing on* handler is reported as the runtime's own WebSocket's is, and the socket goes on", async () => {
      const result = await run(runtime, "handler-error.mjs");
      assertExited(runtime, result);
      const lines = (name) => [
        `${name} reported: handler failed on purpose`,
        `${name} handler calls: 1, state: 1`,
        `${name} closed: 1000`,
      ];
      assert.deepEqual(result.lines, [...lines("WebSocket"), ...lines("Socket")], result.stderr);
    });

    test("graphql-ws, partysocket and y-websocket work with Socket as with the runtime's WebSocket", async () => {
      assert.ok(FAULT, "BROWSER_WS_FAULT_SERVER is not set: run under scripts/test");
      const rooms = { native: `runtime-native-${Date.now()}`, Socket: `runtime-Socket-${Date.now()}` };
      const before = servers.graphqlProtocols.length;
      const env = { LIBRARIES: JSON.stringify({ graphqlUrl: servers.graphqlUrl, yjsUrl: servers.yjsUrl, fault: FAULT, main: SERVER, rooms }) };
      const result = await run(runtime, "libraries.mjs", [], env);
      assertExited(runtime, result);
      const runs = result.lines.map((line) => JSON.parse(line));
      assert.deepEqual(runs.map(({ library, impl }) => `${library} ${impl}`), ["native", "Socket"].flatMap((impl) => ["graphql-ws", "partysocket", "y-websocket"].map((library) => `${library} ${impl}`)));
      const failed = runs.filter((run) => run.error).map((run) => `${run.library} with ${run.impl}: ${run.error}`);
      assert.deepEqual(failed, [], result.stderr);
      const of = (library, impl) => runs.find((run) => run.library === library && run.impl === impl).result;
      const protocols = servers.graphqlProtocols.slice(before);
      assert.equal(protocols.length, 2, "one graphql-ws connection per implementation");
      for (const [index, impl] of ["native", "Socket"].entries()) {
        const check = (library, assertion) => {
          try {
            assertion(of(library, impl));
          } catch (error) {
            error.message = `${library} with ${impl}: ${error.message}\n${JSON.stringify(of(library, impl))}`;
            throw error;
          }
        };
        check("graphql-ws", (outcome) => assertGraphql(outcome, { protocols: [protocols[index]] }));
        // Node 26's and Deno's WebSocket (and so Socket, over it) fire `error` before `close`
        // on a drop, and partysocket answers an `error` with a close event of its own, code
        // 1000 (measured); elsewhere `close` alone carries the drop's code.
        const errorFirst = ["Node.js 26", "Deno"].includes(runtime.name);
        check("partysocket", (outcome) => assertPartysocket(outcome, { uncleanDrop: !errorFirst }));
        check("y-websocket", (outcome) => assertYjs(outcome, { text: servers.yjsText(rooms[impl]) }));
      }
    });

    test("exports, binary types, named errors, a refused connection, reconnect across a server restart", async () => {
      assert.ok(FAULT, "BROWSER_WS_FAULT_SERVER is not set: run under scripts/test, or start the server with --fault-port-file and export it");
      const result = await run(runtime, "scenarios.mjs");
      assertExited(runtime, result);
      const lines = result.lines;
      const states = lines.find((line) => line.startsWith("reconnect states:"));
      // The reconnect's transitions: open, then at least one wait and attempt, open again, closed.
      // (More than one attempt when the first retry comes before the listener is back.)
      assert.match(states ?? "", /^reconnect states: open (reconnecting connecting )+open closing closed$/, lines.join("\n"));
      assert.deepEqual(
        lines.filter((line) => line !== states),
        [
          // The "node" export condition: Node.js, Deno and Bun all apply it.
          "entry: node.js",
          "init: ok",
          "binaryType (default): blob Blob 7,8,9",
          "binaryType arraybuffer: arraybuffer ArrayBuffer 7,8,9",
          "binaryType blob: blob Blob 7,8,9",
          "close(1001): DOMException InvalidAccessError",
          "close(1000, 124 bytes): DOMException SyntaxError",
          "after bad closes: open",
          "closed: 1000 bye true",
          "send after close: discarded",
          "relative URL: DOMException SyntaxError no base URL here",
          // 1006 everywhere: Deno's WebSocket says 0 and Node 22's fires no close at all; the
          // package makes both the browsers' 1006.
          "refused: rejected ConnectFailed 1006 false error, close 1006 false",
          "reconnect send: sent",
          "reconnect echo: one",
          "while down: queued",
          "reconnect echo: two",
          "reconnect send: sent",
          "reconnect echo: three",
          "restart reported: down, up",
          "reconnect closed: 1000 true",
          "reconnect url calls: >= 2",
        ],
        result.stderr,
      );
    });
  });
}
