// The browser-ws demo: every action goes through the package's Socket class.
import init, { Socket } from "browser-ws";

const $ = (id) => document.getElementById(id);
const STATES = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
let socket = null;
/** Whether `socket` was made with the `reconnect` option. */
let reconnecting = false;
/** The echo URLs: the main port's, and the fault listener's (null if the server has none). */
const echoUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/echo`;
let faultEchoUrl = null;
/** The log rows of queued messages, oldest first, until the queue lets them go. */
let queuedRows = [];
/** The /restart control socket of the last "Drop connection" (kept referenced while it runs). */
let control = null;

function showState() {
  const live = socket !== null && socket.readyState !== 3;
  // With reconnect, the badge shows socket.state (RECONNECTING while waiting to retry).
  const state = reconnecting && socket ? socket.state.state.toUpperCase() : STATES[socket ? socket.readyState : 3];
  $("state").textContent = state;
  $("state").className = `badge ${state.toLowerCase()}`;
  const open = state === "OPEN";
  $("connect").disabled = live;
  $("reconnect").disabled = live;
  // A reconnecting socket takes sends (it queues them) and a close in every state until closed for good.
  for (const id of ["disconnect", "send-text", "send-binary", "close"]) $(id).disabled = reconnecting ? !live : !open;
  $("drop").disabled = faultEchoUrl === null;
}

function time() {
  const now = new Date();
  return `${now.toLocaleTimeString([], { hour12: false })}.${String(now.getMilliseconds()).padStart(3, "0")}`;
}

/** Adds a line to the state timeline: `kind` is a state, or "server" / "network". */
function timeline(kind, text, data = {}) {
  const item = document.createElement("li");
  item.dataset.kind = kind;
  Object.assign(item.dataset, data);
  const at = document.createElement("time");
  at.textContent = time();
  const name = document.createElement("b");
  name.textContent = kind;
  item.append(at, " ", name, text ? ` ${text}` : "");
  $("timeline").append(item);
  while ($("timeline").children.length > 100) $("timeline").firstElementChild.remove();
  $("timeline").scrollTop = $("timeline").scrollHeight;
}

function cause(cause) {
  if (cause.type === "closed") return `after close ${cause.code}${cause.wasClean ? "" : " (unclean)"}`;
  return `after ${cause.type}`;
}

/** A `state` event's detail (or `socket.state`) on the timeline. */
function showTransition(detail) {
  const { state } = detail;
  if (state === "connecting") {
    timeline(state, detail.attempt === 0 ? "first attempt" : `attempt ${detail.attempt}`, { attempt: detail.attempt });
  } else if (state === "reconnecting") {
    const delay = Math.round(detail.delay);
    timeline(state, `attempt ${detail.attempt} in ${delay} ms, ${cause(detail.cause)}`, { attempt: detail.attempt, delay });
  } else if (state === "closed") {
    timeline(state, `${detail.close.code} ${detail.close.reason}`.trim());
  } else {
    timeline(state, "");
  }
}

/** A sent row's status: "sent", "queued", "sent from the queue" (with when) or "not sent (closed)". */
function setStatus(row, status) {
  row.dataset.status = status;
  row.querySelector(".status").textContent = status === "sent from the queue" ? `${status} at ${time()}` : status;
}

/** The send queue's length, live; rows leave "queued" as the queue lets their messages go (oldest first). */
function showQueue() {
  const messages = socket && reconnecting ? socket.queuedMessages : 0;
  const bytes = socket && reconnecting ? socket.queuedBytes : 0;
  $("queue").value = String(messages);
  $("queue-bytes").textContent = `(${bytes} B)`;
  if (!socket || socket.readyState === 3) {
    for (const row of queuedRows) setStatus(row, "not sent (closed)");
    queuedRows = [];
  }
  while (queuedRows.length > messages) setStatus(queuedRows.shift(), "sent from the queue");
}

function showError(error) {
  $("error").textContent = `${error.name}: ${error.message}`;
  $("error").hidden = false;
}

function clearError() {
  $("error").hidden = true;
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

function parseHex(text) {
  const digits = text.replace(/0x/gi, "").replace(/[\s,]/g, "");
  if (!/^([0-9a-f]{2})*$/i.test(digits)) throw Object.assign(new Error("use pairs of hex digits, e.g. de ad be ef"), { name: "InvalidHex" });
  return new Uint8Array(digits.match(/../g)?.map((pair) => parseInt(pair, 16)) ?? []);
}

function log(direction, kind, size, data) {
  const row = document.createElement("tr");
  row.dataset.direction = direction;
  row.dataset.kind = kind;
  const arrow = { sent: "↑", received: "↓", event: "•" }[direction];
  for (const [text, cls] of [[time(), ""], [arrow, "dir"], [kind, ""], [size === null ? "" : `${size} B`, ""], [data, "data"]]) {
    const cell = document.createElement("td");
    cell.textContent = text;
    if (cls) cell.className = cls;
    row.append(cell);
  }
  $("log").prepend(row);
  return row;
}

/** Sends, and logs it; with reconnect, notes "sent" or "queued" (send()'s result). */
function send(data, kind, size, shown) {
  const result = socket.send(data);
  const row = log("sent", kind, size, shown);
  if (!reconnecting) return;
  const status = document.createElement("span");
  status.className = "status";
  row.children[2].append(" ", status);
  setStatus(row, result);
  if (result === "queued") queuedRows.push(row);
  showQueue();
}

async function received(data) {
  if (typeof data === "string") return log("received", "text", new TextEncoder().encode(data).length, data);
  const bytes = new Uint8Array(data instanceof Blob ? await data.arrayBuffer() : data);
  log("received", data instanceof Blob ? "binary (Blob)" : "binary (ArrayBuffer)", bytes.length, hex(bytes));
}

function connect() {
  clearError();
  $("result").hidden = true;
  reconnecting = $("reconnect").checked;
  const options = { binaryType: $("binary-type").value };
  // Retries start within 0.5 s and back off up to 4 s (each delay is random up to its ceiling).
  if (reconnecting) Object.assign(options, { reconnect: { initialDelay: 500, maxDelay: 4000 }, queue: { maxMessages: 100 } });
  try {
    socket = new Socket($("url").value, options);
  } catch (error) {
    socket = null;
    showError(error);
    showState();
    return;
  }
  const current = socket;
  log("event", "connecting", null, current.url);
  if (reconnecting) {
    queuedRows = [];
    $("timeline").replaceChildren();
    showTransition(current.state);
    current.onstate = ({ detail }) => {
      if (current !== socket) return;
      showTransition(detail);
      showQueue();
      showState();
    };
  }
  current.onopen = () => { log("event", "open", null, current.protocol || ""); showQueue(); showState(); };
  current.onmessage = (event) => received(event.data).catch(showError);
  current.onerror = () => log("event", "error", null, "the browser reports no detail; see the close result");
  current.opened.catch((error) => showError(error));
  current.closed.then(({ code, reason, wasClean }) => {
    log("event", "close", null, `${code} ${reason}`);
    $("result-code").textContent = String(code);
    $("result-reason").textContent = JSON.stringify(reason);
    $("result-clean").textContent = String(wasClean);
    $("result").hidden = false;
    showQueue();
    showState();
  });
  showState();
}

function act(action) {
  return () => {
    clearError();
    try {
      action();
    } catch (error) {
      showError(error);
    }
    showState();
  };
}

/**
 * "Drop connection": a second Socket to the main port's /restart, which aborts every connection
 * on the server's fault listener (the client sees 1006, no close frame), refuses connections
 * for `down_ms`, then listens again; it reports "down", then "up".
 */
function drop() {
  const downMs = Math.max(0, Math.min(60_000, Number($("down-ms").value) || 0));
  const current = new Socket(`${echoUrl.slice(0, -"/echo".length)}/restart?down_ms=${downMs}`);
  control = current;
  $("server-status").textContent = "asking the server to drop the connection…";
  current.onmessage = ({ data }) => {
    const text = data === "down" ? `fault listener down for ${downMs} ms: connections cut, new ones refused`
      : data === "up" ? "fault listener up again" : String(data);
    $("server-status").textContent = `server: ${text}`;
    timeline("server", text, { event: String(data) });
  };
  current.closed.then(({ code, reason }) => {
    if (code !== 1000) $("server-status").textContent += ` (/restart ended with ${code} ${reason})`;
    if (control === current) control = null;
  });
}

/** The URL field follows the mode while it holds one of the two echo URLs. */
function showMode() {
  const on = $("reconnect").checked;
  $("reconnect-card").hidden = !on;
  if (faultEchoUrl !== null && [echoUrl, faultEchoUrl].includes($("url").value)) $("url").value = on ? faultEchoUrl : echoUrl;
}

function showNetwork() {
  $("offline").hidden = navigator.onLine;
}

$("url").value = echoUrl;
$("connect").addEventListener("click", connect);
$("reconnect").addEventListener("change", showMode);
$("drop").addEventListener("click", act(drop));
$("disconnect").addEventListener("click", act(() => socket.close()));
$("send-text").addEventListener("click", act(() => {
  const text = $("text").value;
  send(text, "text", new TextEncoder().encode(text).length, text);
}));
$("send-binary").addEventListener("click", act(() => {
  const bytes = parseHex($("hex").value);
  send(bytes, "binary", bytes.length, hex(bytes));
}));
$("close").addEventListener("click", act(() => {
  const code = $("close-code").value === "" ? undefined : Number($("close-code").value);
  socket.close(code, $("close-reason").value);
}));
$("binary-type").addEventListener("change", act(() => { if (socket) socket.binaryType = $("binary-type").value; }));
$("clear-log").addEventListener("click", () => { $("log").replaceChildren(); });
for (const event of ["online", "offline"]) {
  window.addEventListener(event, () => {
    showNetwork();
    if (reconnecting && socket) timeline("network", `the browser is ${event}`);
  });
}
showNetwork();
// The queue drains on open without an event of its own: read it ten times a second.
setInterval(showQueue, 100);

try {
  // npm start (and the tests) serve the fault listener's port at /demo-server/fault-port.
  const response = await fetch("/demo-server/fault-port");
  const port = response.ok ? Number(await response.text()) : NaN;
  if (Number.isInteger(port) && port > 0) faultEchoUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.hostname}:${port}/echo`;
} catch {
  // No fault listener: reconnect still works, but Drop connection cannot.
}
if (faultEchoUrl === null) $("server-status").textContent = "Drop connection needs the server's fault listener (npm start starts it).";
showMode();

try {
  await init();
  document.body.dataset.ready = "true";
} catch (error) {
  showError(error);
}
showState();
