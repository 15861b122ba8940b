// The browser-ws demo: every action goes through the package's Socket class.
import init, { Socket } from "browser-ws";

const $ = (id) => document.getElementById(id);
const STATES = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
let socket = null;

function showState() {
  const state = STATES[socket ? socket.readyState : 3];
  $("state").textContent = state;
  $("state").className = `badge ${state.toLowerCase()}`;
  const open = state === "OPEN";
  $("connect").disabled = socket !== null && state !== "CLOSED";
  for (const id of ["disconnect", "send-text", "send-binary", "close"]) $(id).disabled = !open;
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
  for (const [text, cls] of [[new Date().toLocaleTimeString(), ""], [arrow, "dir"], [kind, ""], [size === null ? "" : `${size} B`, ""], [data, "data"]]) {
    const cell = document.createElement("td");
    cell.textContent = text;
    if (cls) cell.className = cls;
    row.append(cell);
  }
  $("log").prepend(row);
}

async function received(data) {
  if (typeof data === "string") return log("received", "text", new TextEncoder().encode(data).length, data);
  const bytes = new Uint8Array(data instanceof Blob ? await data.arrayBuffer() : data);
  log("received", data instanceof Blob ? "binary (Blob)" : "binary (ArrayBuffer)", bytes.length, hex(bytes));
}

function connect() {
  clearError();
  $("result").hidden = true;
  try {
    socket = new Socket($("url").value, { binaryType: $("binary-type").value });
  } catch (error) {
    socket = null;
    showError(error);
    showState();
    return;
  }
  const current = socket;
  log("event", "connecting", null, current.url);
  current.onopen = () => { log("event", "open", null, current.protocol || ""); showState(); };
  current.onmessage = (event) => received(event.data).catch(showError);
  current.onerror = () => log("event", "error", null, "the browser reports no detail; see the close result");
  current.opened.catch((error) => showError(error));
  current.closed.then(({ code, reason, wasClean }) => {
    log("event", "close", null, `${code} ${reason}`);
    $("result-code").textContent = String(code);
    $("result-reason").textContent = JSON.stringify(reason);
    $("result-clean").textContent = String(wasClean);
    $("result").hidden = false;
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

$("url").value = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/echo`;
$("connect").addEventListener("click", connect);
$("disconnect").addEventListener("click", act(() => socket.close()));
$("send-text").addEventListener("click", act(() => {
  const text = $("text").value;
  socket.send(text);
  log("sent", "text", new TextEncoder().encode(text).length, text);
}));
$("send-binary").addEventListener("click", act(() => {
  const bytes = parseHex($("hex").value);
  socket.send(bytes);
  log("sent", "binary", bytes.length, hex(bytes));
}));
$("close").addEventListener("click", act(() => {
  const code = $("close-code").value === "" ? undefined : Number($("close-code").value);
  socket.close(code, $("close-reason").value);
}));
$("binary-type").addEventListener("change", act(() => { if (socket) socket.binaryType = $("binary-type").value; }));
$("clear-log").addEventListener("click", () => { $("log").replaceChildren(); });

try {
  await init();
  document.body.dataset.ready = "true";
} catch (error) {
  showError(error);
}
showState();
