// The raw send-path bench (issue 25), plain JS: binary throughput of `ws.send(u8array)` ("view")
// against `ws.send(new Blob([u8array]))` ("blob", what browser-ws does from 64 KiB up), each
// message echoed by the server at the WebSocket URL in the page's query string (`?ws=URL`).
//
// `window.runSendPath(config)` resolves to a JSON-serialisable object:
//   config = { url?: the page's ?ws= by default, sizes?: [bytes], modes?: ["pipelined", "serial"],
//              paths?: ["view", "blob"], reps?: 3, scale?: 1, timeoutMs?: 180000 }
//   result = { userAgent, url, warmup, cells: [{ mode, size, path, count, bytes, runs: [{ ms,
//              mbps, sendMs, position }], median, min, max, spread }] }
// pipelined: `count` messages sent back to back, done when all `count` echoes are in; serial: one
// at a time, each sent when the previous echo arrives. MB/s = bytes sent / elapsed (10^6 B/s).
// Every run opens its own socket (binaryType "arraybuffer") and closes it afterwards; the first
// call for a URL on a page load warms it up first (a small run of each path and mode, not recorded).
import {
  MODES, PATHS, REPETITIONS, SIZES, megabytesPerSecond, messageCount, pathOrder, summary,
} from "./plan.mjs";

/** Pseudo-random bytes (xorshift32), so nothing along the way sees a trivial pattern. */
function payload(size) {
  const bytes = new Uint8Array(size);
  let x = 0x9e3779b9 ^ size;
  for (let i = 0; i < size; i += 1) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

function openSocket(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = "arraybuffer";
    const timer = setTimeout(() => reject(new Error(`${url}: no open in ${timeoutMs} ms`)), timeoutMs);
    ws.onopen = () => { clearTimeout(timer); resolve(ws); };
    ws.onerror = () => { clearTimeout(timer); reject(new Error(`${url}: cannot open`)); };
  });
}

/** Closes and waits for the close to finish (or 5 s), so the next run starts on a quiet server. */
function closeSocket(ws) {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    const timer = setTimeout(resolve, 5000);
    ws.onclose = () => { clearTimeout(timer); resolve(); };
    ws.onmessage = null;
    ws.close(1000);
  });
}

/** One run: `count` messages of `bytes` by `path` in `mode`; resolves to its timings. */
function oneRun(ws, bytes, count, path, mode, timeoutMs) {
  return new Promise((resolve, reject) => {
    const size = bytes.byteLength;
    const send = path === "blob" ? () => ws.send(new Blob([bytes])) : () => ws.send(bytes);
    let received = 0;
    let start = 0;
    let sendMs = 0;
    let done = false;
    const finish = (error, result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.onmessage = null;
      ws.onclose = null;
      if (error) reject(error); else resolve(result);
    };
    const timer = setTimeout(
      () => finish(new Error(`${path} ${mode} ${size} B: ${received}/${count} echoes in ${timeoutMs} ms`)),
      timeoutMs,
    );
    ws.onmessage = (event) => {
      const length = event.data.byteLength;
      if (length !== size) {
        finish(new Error(`${path} ${mode}: an echo of ${length} B, sent ${size} B`));
        return;
      }
      received += 1;
      if (received === count) {
        const ms = performance.now() - start;
        finish(null, { ms, mbps: megabytesPerSecond(size * count, ms), sendMs });
      } else if (mode === "serial") {
        send();
      }
    };
    ws.onclose = (event) => finish(new Error(`${path} ${mode}: closed ${event.code} after ${received}/${count}`));
    start = performance.now();
    if (mode === "pipelined") {
      for (let i = 0; i < count; i += 1) send();
    } else {
      send();
    }
    sendMs = performance.now() - start;
  });
}

async function measure(url, bytes, count, path, mode, timeoutMs) {
  const ws = await openSocket(url, timeoutMs);
  try {
    return await oneRun(ws, bytes, count, path, mode, timeoutMs);
  } finally {
    await closeSocket(ws);
  }
}

const warmed = new Set();

async function warmUp(url, timeoutMs) {
  const bytes = payload(64 * 1024);
  const runs = [];
  for (const mode of ["pipelined", "serial"]) {
    for (const path of PATHS) {
      const count = mode === "pipelined" ? 64 : 16;
      const run = await measure(url, bytes, count, path, mode, timeoutMs);
      runs.push({ mode, path, size: bytes.byteLength, count, ...run });
    }
  }
  return runs;
}

const params = new URLSearchParams(location.search);

window.runSendPath = async (config = {}) => {
  const {
    url = params.get("ws"), sizes = SIZES, modes = MODES, paths = PATHS, reps = REPETITIONS, scale = 1,
    timeoutMs = 180000,
  } = config;
  if (!url) throw new Error("runSendPath: no WebSocket URL (?ws=URL in the page's address, or config.url)");
  let warmup = null;
  if (!warmed.has(url)) {
    warmup = await warmUp(url, timeoutMs);
    warmed.add(url);
  }
  const cells = [];
  for (const mode of modes) {
    for (const size of sizes) {
      const bytes = payload(size);
      const count = messageCount(size, mode, scale);
      const sizeIndex = Math.max(0, SIZES.indexOf(size));
      const runs = Object.fromEntries(paths.map((path) => [path, []]));
      for (let rep = 0; rep < reps; rep += 1) {
        const order = pathOrder(rep, sizeIndex).filter((path) => paths.includes(path));
        for (const [position, path] of order.entries()) {
          const run = await measure(url, bytes, count, path, mode, timeoutMs);
          runs[path].push({ ...run, position });
        }
      }
      for (const path of paths) {
        cells.push({
          mode, size, path, count, bytes: size * count, runs: runs[path],
          ...summary(runs[path].map((run) => run.mbps)),
        });
      }
    }
  }
  return { userAgent: navigator.userAgent, url, warmup, cells };
};

// Opened by hand with ?run: a short run against ?ws=URL (default this server's /echo), as JSON.
const status = document.getElementById("status");
if (params.has("run")) {
  const url = params.get("ws") ?? `${location.origin.replace(/^http/, "ws")}/echo`;
  status.textContent = `running against ${url}`;
  window.runSendPath({ url, scale: Number(params.get("scale") ?? 0.1), reps: 1 }).then(
    (result) => { status.textContent = "done"; document.getElementById("out").textContent = JSON.stringify(result, null, 2); },
    (error) => { status.textContent = `failed: ${error}`; },
  );
} else {
  status.textContent = "ready: window.runSendPath(config), or add ?run&ws=URL&scale=0.1";
}
