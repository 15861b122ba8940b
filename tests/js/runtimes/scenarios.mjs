// Run by tests/js/runtimes.test.mjs in Node.js 22 and 26, Deno and Bun, from a folder where
// `browser-ws` is installed as a package (node_modules/browser-ws, from `npm pack` of pkg/).
// Imports it by name as a user would, then prints one line per fact; the test compares them.
// Needs BROWSER_WS_TEST_SERVER, BROWSER_WS_FAULT_SERVER and BROWSER_WS_CLOSED_PORT. Must exit
// on its own: a socket or timer left behind keeps the process alive and the test times out.
import init, { Socket } from "browser-ws";

const SERVER = process.env.BROWSER_WS_TEST_SERVER;
const FAULT = process.env.BROWSER_WS_FAULT_SERVER;
const CLOSED_PORT = process.env.BROWSER_WS_CLOSED_PORT;
if (!SERVER || !FAULT || !CLOSED_PORT) throw new Error("BROWSER_WS_TEST_SERVER, BROWSER_WS_FAULT_SERVER and BROWSER_WS_CLOSED_PORT must be set");

const print = (...parts) => console.log(...parts);

/** Runs one part; a failure prints `NAME failed: ...` and the next part still runs. */
async function part(name, run) {
  try {
    await run();
  } catch (error) {
    print(`${name} failed:`, error?.stack ?? error);
  }
}

/** `promise`, or a rejection naming `what` after `ms`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The name of what `run` throws (or "no error"), and `detail(error)` if given. */
function thrown(run, detail) {
  try {
    run();
    return "no error";
  } catch (error) {
    const kind = typeof DOMException === "function" && error instanceof DOMException ? "DOMException" : error instanceof Error ? "Error" : typeof error;
    return [kind, error.name, ...(detail ? [detail(error)] : [])].join(" ");
  }
}

// Which file the package's exports resolved to here (the export condition this runtime applies).
print("entry:", import.meta.resolve("browser-ws").split("/").pop());
await within(10_000, "init()", init());
print("init: ok");

// Binary messages as ArrayBuffer and Blob (Bun's own WebSocket defaults to "nodebuffer").
await part("binaryType", async () => {
  for (const binaryType of [undefined, "arraybuffer", "blob"]) {
    const socket = new Socket(`${SERVER}/echo`, binaryType ? { binaryType } : undefined);
    await within(5_000, `open (${binaryType})`, socket.opened);
    socket.send(new Uint8Array([7, 8, 9]));
    const { value } = await within(5_000, `echo (${binaryType})`, socket.messages().next());
    const bytes = new Uint8Array(value instanceof Blob ? await value.arrayBuffer() : value);
    const kind = value instanceof ArrayBuffer ? "ArrayBuffer" : value instanceof Blob ? "Blob" : Object.prototype.toString.call(value);
    print(`binaryType ${binaryType ?? "(default)"}:`, socket.binaryType, kind, bytes.join(","));
    socket.close();
    await within(5_000, `closed (${binaryType})`, socket.closed);
  }
});

// WebSocket's errors: a bad close code or reason throws and leaves the socket open.
await part("errors", async () => {
  const socket = new Socket(`${SERVER}/echo`);
  await within(5_000, "open (errors)", socket.opened);
  print("close(1001):", thrown(() => socket.close(1001)));
  print("close(1000, 124 bytes):", thrown(() => socket.close(1000, "x".repeat(124))));
  print("after bad closes:", socket.readyState === Socket.OPEN ? "open" : socket.readyState);
  socket.close(1000, "bye");
  const { code, reason, wasClean } = await within(5_000, "closed (errors)", socket.closed);
  print("closed:", code, reason, wasClean);
  print("send after close:", socket.send("late"));
  // No document and no location (Deno without --location): nothing to resolve it against.
  const relative = thrown(() => new Socket("/echo"), (error) => (/no base URL here/.test(error.message) ? "no base URL here" : error.message));
  print("relative URL:", relative);
});

// Connection refused: `error` then `close` (1006), `opened` rejects with ConnectFailed.
await part("refused", async () => {
  const socket = new Socket(`ws://127.0.0.1:${CLOSED_PORT}/echo`);
  const events = [];
  socket.onerror = (event) => events.push(event.type);
  socket.onclose = (event) => events.push(`${event.type} ${event.code} ${event.wasClean}`);
  const opened = await within(10_000, "opened (refused)", socket.opened.then(() => "opened", (error) => `rejected ${error.name}`));
  const { code, wasClean } = await within(10_000, "closed (refused)", socket.closed);
  print("refused:", opened, code, wasClean, events.join(", "));
});

// The README's reconnect example, adapted: a URL function, the same policy, the fault listener,
// which /restart takes down and brings back mid-way.
await part("reconnect", async () => {
  let urlCalls = 0;
  const live = new Socket(
    async () => {
      urlCalls += 1;
      return `${FAULT}/echo`;
    },
    { reconnect: { policy: ({ close }) => (close?.code === 4001 ? 0 : close?.code === 1008 ? "stop" : "retry") } },
  );
  const states = [];
  const waiting = [];
  live.onstate = ({ detail }) => {
    states.push(detail.state);
    for (const waiter of waiting.splice(0)) {
      if (waiter.state === detail.state) waiter.resolve();
      else waiting.push(waiter);
    }
  };
  const state = (name) => new Promise((resolve) => waiting.push({ state: name, resolve }));
  const messages = live.messages();
  try {
    await reconnectAndEcho(live, state, messages);
  } finally {
    live.close(); // also when a step failed: a socket left reconnecting keeps the process alive
  }
  const { code } = await within(5_000, "closed (reconnect)", live.closed);
  print("reconnect closed:", code, (await messages.next()).done);
  print("reconnect url calls:", urlCalls >= 2 ? ">= 2" : urlCalls);
  print("reconnect states:", states.join(" "));
});

async function reconnectAndEcho(live, state, messages) {
  await within(5_000, "reconnecting socket open", live.opened);
  print("reconnect send:", live.send("one"));
  print("reconnect echo:", (await within(5_000, "echo one", messages.next())).value);

  const reconnecting = state("reconnecting");
  const control = new Socket(`${SERVER}/restart?down_ms=300`);
  const reports = [];
  const restarted = (async () => {
    for await (const report of control) reports.push(report);
  })();
  restarted.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
  await within(5_000, "state reconnecting after /restart", reconnecting);
  const reopened = state("open");
  print("while down:", live.send("two"));
  await within(15_000, "state open again", reopened);
  print("reconnect echo:", (await within(5_000, "echo two (queued while down)", messages.next())).value);
  print("reconnect send:", live.send("three"));
  print("reconnect echo:", (await within(5_000, "echo three", messages.next())).value);
  await within(10_000, "the /restart control socket closes", restarted);
  print("restart reported:", reports.join(", "));
}
