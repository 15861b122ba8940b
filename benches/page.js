// The JavaScript floor: the same workloads on the plain browser WebSocket.

function connect(url, binaryType = "arraybuffer") {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = binaryType;
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("connect failed"));
  });
}

/** Resolves after `count` messages; each message's bytes are read once, as an app would. */
function receive(ws, count) {
  return new Promise((resolve) => {
    let seen = 0;
    ws.onmessage = (event) => {
      const data = event.data;
      if (typeof data !== "string") new Uint8Array(data);
      if (++seen === count) resolve();
    };
  });
}

/**
 * Like `receive`, in Blob mode: each Blob's bytes are read as an app that keeps the order
 * would (every read starts at once; results are taken in arrival order).
 */
function receiveBlobs(ws, count) {
  return new Promise((resolve) => {
    let seen = 0;
    let inOrder = Promise.resolve();
    ws.onmessage = (event) => {
      const data = event.data;
      const read = typeof data === "string" ? Promise.resolve(data) : data.arrayBuffer();
      inOrder = inOrder.then(() => read).then((bytes) => {
        if (typeof bytes !== "string") new Uint8Array(bytes);
        if (++seen === count) resolve();
      });
    };
  });
}

/**
 * Like `receive`, in Blob mode, without reading any Blob: what receiving Blobs costs the
 * browser alone (the profile's `js-blob-unread`, a floor no Blob reader can beat).
 */
function receiveUnread(ws, count) {
  return new Promise((resolve) => {
    let seen = 0;
    ws.onmessage = () => {
      if (++seen === count) resolve();
    };
  });
}

/** `read` false (Blob mode only) leaves every received Blob unread: see `receiveUnread`. */
export async function throughput(url, count, size, binary, binaryType = "arraybuffer", read = true) {
  const ws = await connect(url, binaryType);
  const payload = binary ? new Uint8Array(size).map((_, i) => i % 251) : "x".repeat(size);
  const done = binaryType !== "blob" ? receive(ws, count) : read ? receiveBlobs(ws, count) : receiveUnread(ws, count);
  const start = performance.now();
  for (let i = 0; i < count; i++) ws.send(payload);
  await done;
  const ms = performance.now() - start;
  ws.close();
  return ms;
}

export async function roundTrips(url, count, size) {
  const ws = await connect(url);
  const text = "x".repeat(size);
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const done = receive(ws, 1);
    ws.send(text);
    await done;
    latencies.push(performance.now() - start);
  }
  ws.close();
  return latencies;
}

export async function connectCycles(url, count) {
  const start = performance.now();
  for (let i = 0; i < count; i++) (await connect(url)).close();
  return performance.now() - start;
}

let held = [];

export async function holdOpen(url, count) {
  const results = await Promise.allSettled(Array.from({ length: count }, () => connect(url)));
  held = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
  return held.length;
}

