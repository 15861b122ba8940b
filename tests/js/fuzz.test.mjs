// Fuzzes the JS `Socket` from the page, in headless Chromium against the project's server: a
// seeded PRNG calls every public member a few thousand times with random arguments (URLs,
// subprotocols, options, every kind of data (binary data of another realm too), close codes and
// reasons, binaryType and on* values, listeners, synthetic events, the async iterator; strings
// among them up to 2^24 UTF-16 units, past every length bound the API checks), on sockets that
// are open on /echo, mid-handshake (/slow), failed, closed by either side, and freed (pending
// next() and opened then reject with Freed). Event handlers re-enter the socket at random, and
// "tight loops" repeat a throwing call hundreds of times (a JS exception that unwinds through
// wasm leaks wasm's stack, which only shows after many calls).
//
// It asserts: no wasm trap (`RuntimeError`); every thrown value is an Error named as documented
// (pkg/browser_ws.d.ts's SocketErrorName, or TypeError/RangeError), a DOMException for the names
// WebSocket throws (SyntaxError, InvalidAccessError, InvalidStateError, SecurityError), or the
// fuzzer's own exception passed back from a getter/Proxy it planted, where the oracle expects
// it; the outcomes of a drop-in WebSocket, computed by an oracle from the arguments and the
// readyState: WebIDL's conversions (ToString of non-binary data, a close code as [Clamp]
// unsigned short, then the reason; a Symbol is a TypeError, a throwing toString/valueOf throws
// its own error), close validation (InvalidAccessError, then SyntaxError), send's
// InvalidStateError while connecting, "sent" when open, "discarded" when closing or closed
// (bufferedAmount unchanged), binaryType's ignored values, on* round trips (objects and
// functions kept, anything else null, a non-callable one never called), listeners called with
// the socket as `this`, dispatchEvent; what a freed socket does (readyState 3, the last url,
// protocol, extensions and binaryType, send "discarded", close checked as a closed socket's
// and then doing nothing, binaryType= kept, messages() a Freed error); promise shapes; no uncaught error in the
// page besides the fuzzer's own throwing handlers (which the DOM reports); every socket can
// still be freed; and afterwards a fresh Socket round-trips messages.
//
// The seed is printed; BROWSER_WS_FUZZ_SEED=<seed> replays the same sequence of calls (event
// timing may differ), BROWSER_WS_FUZZ_OPS=<n> changes the number of top-level calls (3000).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { CLOSED_PORT, HTTP, launch, packagePage } from "./harness.mjs";

const WS = HTTP.replace(/^http/, "ws");
const SEED = process.env.BROWSER_WS_FUZZ_SEED
  ? Number(process.env.BROWSER_WS_FUZZ_SEED) >>> 0
  : (Math.random() * 2 ** 32) >>> 0;
const OPS = Number(process.env.BROWSER_WS_FUZZ_OPS ?? 3000);
const CHUNK = 250;

let browser;
let page;

before(async () => {
  console.log(`# fuzz seed ${SEED} (replay: BROWSER_WS_FUZZ_SEED=${SEED}), ${OPS} calls`);
  browser = await launch();
  page = await packagePage(browser);
});

after(async () => {
  await browser?.close();
});

/**
 * Runs in the page: installs `window.__fuzz` with `chunk(n)` (n top-level calls) and
 * `finish()` (frees every socket, round-trips on a fresh one, returns the report).
 */
function installFuzzer({ seed, ws, http, closedPort, trace, documented }) {
  const { Socket } = window.bws;

  // ---- seeded PRNG (mulberry32) ----
  let prng = seed >>> 0;
  const rand = () => {
    prng = (prng + 0x6d2b79f5) >>> 0;
    let t = prng;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => rand() < p;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // ---- bookkeeping ----
  class FuzzSentinel extends Error {
    constructor(where) {
      super(`fuzz-sentinel: ${where}`);
      this.name = "FuzzSentinel";
    }
  }
  // RangeError: a number option out of its range (reconnect, queue and heartbeat options).
  const DOCUMENTED = new Set([...documented, "TypeError", "RangeError"]);
  // The names WebSocket throws: DOMExceptions, never JS errors of the same name.
  const DOM_EXCEPTIONS = new Set(["SyntaxError", "InvalidAccessError", "InvalidStateError", "SecurityError"]);
  const report = {
    calls: 0, tightLoopCalls: 0, handlerCalls: 0, byMember: {}, outcomes: {}, ms: {},
    violations: [], freedCalls: 0, objectsSentAsText: 0, discardedSends: 0, socketsCreated: 0,
    promisesChecked: 0, rejections: {}, dispatched: 0,
  };
  const recent = [];
  let trapped = false;
  const violation = (what) => {
    if (report.violations.length < 50) report.violations.push({ what, recent: recent.slice(-8) });
  };
  const count = (table, key) => { table[key] = (table[key] ?? 0) + 1; };

  const describe = (value, depth = 0) => {
    try {
      if (value === null) return "null";
      const type = typeof value;
      if (type === "string") return value.length > 40 ? `string(${value.length})` : JSON.stringify(value);
      if (type === "bigint") return `${value}n`;
      if (type === "symbol") return value.toString();
      if (type === "function") return `function ${value.name || "anonymous"}`;
      if (type !== "object") return String(value);
      if (Array.isArray(value)) return depth > 1 ? "[…]" : `[${value.slice(0, 4).map((v) => describe(v, depth + 1)).join(",")}${value.length > 4 ? `,…${value.length}` : ""}]`;
      return Object.prototype.toString.call(value);
    } catch {
      return "<undescribable>";
    }
  };
  // Values the fuzzer builds with a trap (Proxies, fakes) carry a label for the report, kept
  // off the object itself (a Proxy's get trap would see the read).
  const labels = new WeakMap();
  const label = (value, text) => { labels.set(value, text); return value; };
  const name = (value) => (value !== null && (typeof value === "object" || typeof value === "function") && labels.has(value)) ? labels.get(value) : describe(value);

  /** What a thrown value is: a documented name, "sentinel" (ours), or a violation kind. */
  const classify = (error) => {
    if (error instanceof FuzzSentinel) return "sentinel";
    if (error instanceof Error) {
      if (error.name === "FuzzSentinel") return "sentinel";
      if (error instanceof WebAssembly.RuntimeError || error.name === "RuntimeError") return "trap";
      if (DOM_EXCEPTIONS.has(error.name) && !(error instanceof DOMException)) return `undocumented non-DOMException ${error.name}: ${error.message}`;
      if (DOCUMENTED.has(error.name)) return error.name;
      return `undocumented ${error.name}: ${error.message}`;
    }
    return `non-Error ${typeof error}: ${describe(error)}`;
  };

  /**
   * Calls `fn`, checks what it threw, and (with `expect`) that the outcome is one of the
   * expected ones: "ok" (or, with `result`, what it makes of the returned value), an error
   * name, or "sentinel" (the fuzzer's own exception, from a getter/Proxy it planted).
   */
  const attempt = (member, args, fn, { freed = false, expect, result } = {}) => {
    const line = `${member}(${args})`;
    if (trace) console.debug(`fuzz: ${line}`);
    recent.push(line);
    if (recent.length > 40) recent.shift();
    report.calls++;
    if (freed) report.freedCalls++;
    count(report.byMember, member);
    let outcome = "ok";
    let value;
    const started = performance.now();
    try {
      value = fn();
      if (result) outcome = result(value);
    } catch (error) {
      outcome = classify(error);
    }
    report.ms[member] = (report.ms[member] ?? 0) + performance.now() - started;
    count(report.outcomes, outcome.split(":")[0]);
    if (outcome === "trap") {
      trapped = true;
      violation(`wasm trap in ${line}`);
    } else if (outcome.startsWith("undocumented") || outcome.startsWith("non-Error")) {
      violation(`${line} threw ${outcome}`);
    } else if (expect && !expect.includes(outcome)) {
      violation(`${line}${freed ? " (freed)" : ""}: expected ${expect.join(" or ")}, got ${outcome}`);
    }
    return { outcome, value };
  };

  // ---- random values ----
  const TYPED = [
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
    Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
    globalThis.Float16Array,
  ].filter(Boolean);
  const CHARS = ["a", "Z", "0", " ", "é", "€", "🦀", "\u0000", "\t", "\n", "\ud800", "\udc00", "?", "#", "%", "\u200b", "ü", "中"];
  const randomText = (max) => {
    let text = "";
    const length = int(max + 1);
    for (let i = 0; i < length; i++) text += pick(CHARS);
    return text;
  };
  const utf8Length = (text) => new TextEncoder().encode(text).length;
  let hugeText;
  const huge = () => (hugeText ??= "x".repeat(1 << 20) + "é".repeat(1 << 18));
  // Past every bound the API checks strings against (a 2 MiB URL, a 123-byte reason, an
  // 11-character binaryType, a 1024-character subprotocol): 2^24 UTF-16 units, which
  // wasm-bindgen would copy into wasm memory with an allocation that traps if it fails.
  let giantText;
  const giant = () => (giantText ??= "g".repeat(1 << 24));
  const detached = () => {
    const buffer = new ArrayBuffer(8 + int(32));
    const view = chance(0.5) ? new Uint8Array(buffer, int(4)) : new DataView(buffer, 1);
    if (typeof buffer.transfer === "function" && chance(0.5)) buffer.transfer();
    else structuredClone(buffer, { transfer: [buffer] });
    return chance(0.5) ? label(buffer, "detached ArrayBuffer") : label(view, "view of a detached ArrayBuffer");
  };
  const resizable = () => {
    const buffer = new ArrayBuffer(16, { maxByteLength: 64 });
    const view = new (pick(TYPED))(buffer, 8, 1);
    if (chance(0.5)) buffer.resize(int(8)); // the fixed-length view is now out of bounds
    else buffer.resize(8 + int(56));
    return pick([label(buffer, "resizable ArrayBuffer"), label(view, "view of a resized ArrayBuffer"), label(new Uint8Array(buffer), "length-tracking view")]);
  };
  const shared = () => {
    let buffer;
    try {
      buffer = typeof SharedArrayBuffer === "function"
        ? new SharedArrayBuffer(16)
        : new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer;
    } catch {
      return label(new Uint8Array(4), "Uint8Array (no SharedArrayBuffer here)");
    }
    return pick([label(buffer, "SharedArrayBuffer"), label(new Uint8Array(buffer, 0, 8), "view of a SharedArrayBuffer"), label(new DataView(buffer), "DataView of a SharedArrayBuffer")]);
  };
  const throwingProxy = (target = {}) => {
    const thrower = (trap) => () => { throw new FuzzSentinel(`Proxy ${trap} trap`); };
    const handler = {};
    for (const trap of ["get", "has", "ownKeys", "getPrototypeOf", "getOwnPropertyDescriptor", "apply", "construct", "set", "defineProperty", "isExtensible"]) {
      handler[trap] = thrower(trap);
    }
    return label(new Proxy(target, handler), `throwing Proxy(${describe(target)})`);
  };
  const revoked = (target = {}) => {
    const { proxy, revoke } = Proxy.revocable(target, {});
    revoke();
    return label(proxy, `revoked Proxy(${typeof target})`);
  };
  const fakeOf = (Class) => label(Object.create(Class.prototype), `fake ${Class.name}`);
  const lyingView = () => {
    const view = new Uint8Array(16);
    const key = pick(["byteOffset", "byteLength", "buffer"]);
    const lie = pick([1e6, -1, NaN, 2 ** 33, "3", null, new ArrayBuffer(2), () => { throw new FuzzSentinel(`view ${key} getter`); }]);
    Object.defineProperty(view, key, typeof lie === "function" ? { get: lie } : { value: lie });
    return label(view, `Uint8Array with own ${key}=${describe(lie)}`);
  };
  const typedArray = () => {
    const Class = pick(TYPED);
    const length = int(40);
    if (chance(0.3)) {
      const buffer = new ArrayBuffer((length + 8) * Class.BYTES_PER_ELEMENT);
      return new Class(buffer, Class.BYTES_PER_ELEMENT * int(8), length);
    }
    const array = new Class(length);
    for (let i = 0; i < length; i++) array[i] = Class.name.startsWith("Big") ? BigInt(int(256)) : int(256);
    return array;
  };

  // Binary data of another realm (a same-origin iframe's), which WebSocket takes as its own.
  let foreignWindow;
  const foreign = () => {
    if (!foreignWindow) {
      const frame = document.createElement("iframe");
      document.body.append(frame);
      foreignWindow = frame.contentWindow;
    }
    const W = foreignWindow;
    return pick([
      () => [label(new W.ArrayBuffer(int(32)), "ArrayBuffer of another realm"), "binary"],
      () => [label(new W.Uint8Array(int(32)), "Uint8Array of another realm"), "binary"],
      () => [label(new W.DataView(new W.ArrayBuffer(8), 2), "DataView of another realm"), "binary"],
      () => [label(new Uint8Array(new W.ArrayBuffer(8)), "Uint8Array over an ArrayBuffer of another realm"), "binary"],
      () => [label(new W.WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer, "shared buffer of another realm"), "binary"],
      () => [label(new W.Blob(["blob"]), "Blob of another realm"), "blob"],
      () => [label(new W.File(["file"], "f.txt"), "File of another realm"), "blob"],
      () => [label(new W.Object(), "object of another realm"), "convert"],
    ])();
  };

  /**
   * Data for send(): [value, kind]. "binary" is binary data sent as is (an ArrayBuffer or a
   * SharedArrayBuffer of any realm, which a shared one is copied from, any view), "blob" a
   * Blob or File; "refused" binary data the browser refuses when open (a resizable buffer);
   * "binary?" binary data left to the browser (a detached buffer, a view with redefined
   * properties: sent, or a TypeError, or the fuzzer's own getter's exception); "convert"
   * anything else, converted with ToString (`${data}`) and sent as text, as WebSocket does.
   */
  const sendData = () => pick([
    () => [randomText(20), "convert"],
    () => ["", "convert"],
    () => [chance(0.2) ? (chance(0.1) ? giant() : huge()) : randomText(300), "convert"],
    () => [typedArray(), "binary"],
    () => [new DataView(new ArrayBuffer(16), int(8), int(8)), "binary"],
    () => [new ArrayBuffer(int(64)), "binary"],
    () => [chance(0.05) ? new Uint8Array(1 << 20) : new Uint8Array(int(100)), "binary"],
    () => [new Blob([randomText(10), new Uint8Array(int(20))]), "blob"],
    () => [new File(["file"], "f.txt"), "blob"],
    () => [new Blob([]), "blob"],
    () => [detached(), "binary?"],
    () => [resizable(), "refused"],
    () => [shared(), "binary"], // copied into an ordinary ArrayBuffer, which the browser takes
    () => [lyingView(), "binary?"],
    foreign,
    () => [pick([0, -0, 1, NaN, Infinity, 1e308, 4000]), "convert"],
    () => [pick([null, undefined, true, false]), "convert"],
    // Symbols: a TypeError; BigInts: their digits.
    () => [pick([Symbol("s"), Symbol.iterator, 1n, 2n ** 64n]), "convert"],
    () => [pick([{}, [], [1, 2, 3], ["a"], { length: 2 }, new Date(0), /re/, new Map(), Promise.resolve(), new String("boxed"), new Number(3)]), "convert"],
    () => [pick([() => 1, function named() {}, class Klass {}, async () => {}]), "convert"],
    () => [label({ toString: () => "from toString", valueOf: () => "not this" }, "object with toString"), "convert"],
    () => [label({ [Symbol.toPrimitive]: () => Symbol("primitive") }, "object converting to a Symbol"), "convert"],
    () => [label({ toString() { throw new FuzzSentinel("data toString"); } }, "object with a throwing toString"), "convert"],
    // Not binary data: a Proxy or a fake is converted (`[object ArrayBuffer]`, or a TypeError
    // from a typed array's join), a throwing one throws its own exception.
    () => [throwingProxy(pick([{}, new ArrayBuffer(4), new Uint8Array(4), new Blob(["b"])])), "convert"],
    () => [revoked(pick([{}, new Uint8Array(2)])), "convert"],
    () => [label(new Proxy(new ArrayBuffer(4), {}), "Proxy(ArrayBuffer)"), "convert"],
    () => [label(new Proxy(new Blob(["x"]), {}), "Proxy(Blob)"), "convert"],
    () => [label(new Proxy(typedArray(), {}), "Proxy(typed array)"), "convert"],
    () => [fakeOf(pick([ArrayBuffer, Blob, Uint8Array, DataView])), "convert"],
  ])();

  /** WebIDL's ToString of `value` (a DOMString or USVString argument): { text } or { error }. */
  const toText = (value) => {
    if (typeof value === "string") return { text: value };
    if (typeof value === "symbol") return { error: "TypeError" };
    try {
      return { text: `${value}` };
    } catch (error) {
      return { error: classify(error) };
    }
  };
  /** WebIDL's ToNumber: { number } or { error }. */
  const toNumber = (value) => {
    if (typeof value === "symbol" || typeof value === "bigint") return { error: "TypeError" };
    try {
      return { number: +value };
    } catch (error) {
      return { error: classify(error) };
    }
  };
  /** WebIDL's `[Clamp] unsigned short`: NaN is 0, clamped, rounded to nearest (ties to even). */
  const clampShort = (number) => {
    if (Number.isNaN(number)) return 0;
    const x = Math.min(Math.max(number, 0), 65535);
    const floor = Math.floor(x);
    if (x - floor > 0.5) return floor + 1;
    if (x - floor < 0.5) return floor;
    return floor % 2 === 0 ? floor : floor + 1;
  };
  /** Whether a UTF-8 encoding of `text` (lone surrogates as U+FFFD) is over 123 bytes. */
  const overReasonBound = (text) => text.length > 123 || utf8Length(text) > 123;

  /**
   * What send(data) must do (outcomes: a return value or an error name), by readyState
   * (-1: freed), on a socket without reconnect: ToString first for what is not binary data (its
   * error in every state); then InvalidStateError while connecting, "sent" when open (a
   * TypeError for data the browser refuses), "discarded" when closing, closed or freed.
   */
  const expectedSend = (data, kind, state) => {
    if (kind === "convert") {
      const { error } = toText(data);
      if (error) return [error];
    }
    if (state === -1) return ["discarded"];
    // Read before the state: a view's fields (and the fuzzer's getters among them).
    const shaky = kind === "binary?" ? ["TypeError", "sentinel"] : [];
    if (state === 0) return ["InvalidStateError", ...shaky];
    if (state === 1) return kind === "refused" ? ["TypeError"] : ["sent", ...shaky];
    return ["discarded", ...shaky];
  };
  /**
   * The same with reconnect: "queued" until open (or QueueFull at a bound, a RangeError for
   * what wasm memory cannot take a copy of; a Blob is never queued: NotOpen), "sent" or
   * "queued" when open, "discarded" once closing or closed for good. Binary data is copied for
   * the queue, so a resizable buffer is sent too.
   */
  const expectedReconnectingSend = (data, kind, state) => {
    if (kind === "convert") {
      const { error } = toText(data);
      if (error) return [error];
    }
    const shaky = kind === "binary?" ? ["TypeError", "sentinel"] : [];
    if (state >= 2) return ["discarded", ...shaky];
    if (kind === "blob") return state === 1 ? ["sent", "NotOpen"] : ["NotOpen"];
    return [...(state === 1 ? ["sent", "queued"] : ["queued"]), "QueueFull", "RangeError", ...shaky];
  };
  /** The send outcome of a returned value (anything else is reported as it is). */
  const sendResult = (value) => (["sent", "queued", "discarded"].includes(value) ? value : `returned ${describe(value)}`);

  const closeCode = () => pick([
    () => pick([1000, 3000, 4999, 999, 1001, 1005, 1006, 1015, 2999, 5000, 65535, 65536, 0]),
    () => int(70000),
    () => 3000 + int(2000),
    () => pick([-1, -0, 0.5, 4000.5, 1e21, -1e21, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.EPSILON]),
    // [Clamp]: clamped, then rounded to nearest with ties to even (2999.5 is 3000, 4999.5 is 5000).
    () => pick([999.5, 999.4, 1000.5, 1000.6, 2999.5, 2999.4, 3001.5, 4998.5, 4999.5, 4999.4, -0.5, -0.6, 65535.5, 65536]),
    () => pick(["4000", "", " 3000 ", "0xbb8", "3000.5", "1e3", "x", null, true, 4000n, Symbol(), {}, [4000], [], new Number(4000), () => 4000]),
    () => label({ valueOf: () => 3000, toString: () => "999" }, "object with valueOf 3000"),
    () => label({ valueOf: () => 4000n }, "object with valueOf 4000n"),
    () => throwingProxy(),
    () => revoked(),
    () => ({ valueOf() { throw new FuzzSentinel("code valueOf"); } }),
    () => undefined,
  ])();
  const closeReason = () => pick([
    () => randomText(10),
    () => "a".repeat(110 + int(20)),
    () => pick(["é", "€", "🦀", "\ud800"]).repeat(25 + int(40)),
    () => randomText(140),
    () => pick(["x".repeat(10_000_000), huge(), giant()]),
    () => pick([5, null, true, 1n, Symbol(), {}, ["r"], new String("boxed"), () => "r"]),
    () => {
      const text = "é".repeat(61 + int(3));
      return label({ toString: () => text }, `object whose toString is ${text.length * 2} bytes`);
    },
    () => throwingProxy(),
    () => revoked(),
    () => ({ toString() { throw new FuzzSentinel("reason toString"); } }),
    () => undefined,
  ])();
  /**
   * What close(code, reason) must do: the code converted ([Clamp] unsigned short), then the
   * reason (ToString), their errors first; then InvalidAccessError for a code other than 1000
   * or 3000-4999, then SyntaxError for a reason over 123 UTF-8 bytes; else nothing is thrown,
   * whatever the state. A freed socket answers as a closed one: the same checks, then nothing.
   */
  const expectedClose = (code, reason, argCount, freed = false) => {
    let clamped;
    if (argCount >= 1 && code !== undefined) {
      const { number, error } = toNumber(code);
      if (error) return [error];
      clamped = clampShort(number);
    }
    let text;
    if (argCount >= 2 && reason !== undefined) {
      const { text: converted, error } = toText(reason);
      if (error) return [error];
      text = converted;
    }
    if (clamped !== undefined && clamped !== 1000 && !(clamped >= 3000 && clamped <= 4999)) return ["InvalidAccessError"];
    if (text !== undefined && overReasonBound(text)) return ["SyntaxError"];
    return ["ok"];
  };

  const protocolList = () => pick([
    () => undefined,
    () => pick(["chat", "v2.json", "a!#$%&'*+-.^_`|~z"]),
    () => pick(["", "a b", "é", "x(y)", "a,b", randomText(6)]),
    () => [pick(["a", "b", "c"]), pick(["a", "b", "c"])],
    () => Array.from({ length: int(5) }, () => pick(["chat", "x", "", "a b", "y1", 1, null, undefined, {}])),
    () => pick([1, null, true, {}, { length: 1, 0: "a" }, new Set(["a"]), new String("chat"), Symbol(), 1n]),
    () => throwingProxy(["chat"]),
    () => revoked(["chat"]),
    () => {
      const list = ["chat", "x"];
      Object.defineProperty(list, 1, { get() { throw new FuzzSentinel("protocols[1] getter"); } });
      return label(list, "array with a throwing element getter");
    },
    () => label(new Proxy(["chat"], { get: (target, key) => (key === "length" ? 3 : Reflect.get(target, key)) }), "array Proxy lying about length"),
    () => label([, "a"], "sparse array"),
    () => pick(["p".repeat(1025), giant(), ["chat", giant()], ["p".repeat(1024), "q".repeat(1025)]]),
    () => label(Array(1025).fill("p").map((p, i) => `${p}${i}`), "1025 subprotocols"),
    () => label(new Proxy(["a"], { get: (target, key) => (key === "length" ? 2 ** 32 - 1 : key === "0" ? "a" : Reflect.get(target, key)) }), "array Proxy claiming 2^32 - 1 subprotocols"),
  ])();
  const binaryTypeValue = () => pick(["blob", "arraybuffer", "Blob", "ARRAYBUFFER", "", " blob", "text", "arraybuffer ", "arraybufferarraybuffer", giant(), undefined, null, 0, 1, {}, ["blob"], new String("blob"), Symbol(), 1n, throwingProxy(), revoked(), label({ toString: () => "arraybuffer" }, "object whose toString is arraybuffer")]);
  // Reconnect, queue and heartbeat options: valid, out of range, wrong types, throwing.
  const duration = () => pick([0, 1, 10, 250, -1, -0, NaN, Infinity, 2 ** 31, 2 ** 31 - 1, 1.5, "10", null, undefined, {}, 1n, Symbol()]);
  const countValue = () => pick([0, 1, 3, 1000, Infinity, -1, 1.5, NaN, 2 ** 53, "3", null, undefined, 1n]);
  const callback = (what) => pick([
    () => true, () => false, () => 0, () => "yes", () => { throw new FuzzSentinel(what); },
    1, "x", null, undefined, {}, Symbol(),
  ]);
  const reconnectValue = () => pick([
    () => true, () => false, () => undefined, () => null, () => 1, () => "yes", () => ({}), () => [],
    () => ({ initialDelay: duration(), factor: pick([1, 2, 0.5, 0, -1, NaN, Infinity, "2", null]), maxDelay: duration(), maxRetries: countValue(), connectTimeout: duration(), shouldReconnect: callback("shouldReconnect") }),
    () => ({ initialDelay: 0, maxRetries: pick([0, 1, 2]) }),
    () => throwingProxy(),
    () => label({ get factor() { throw new FuzzSentinel("factor getter"); } }, "reconnect with a throwing getter"),
  ])();
  const queueValue = () => pick([
    () => undefined, () => null, () => 5, () => ({}), () => ({ maxMessages: countValue(), maxBytes: countValue() }), () => throwingProxy(),
  ])();
  const heartbeatValue = () => pick([
    () => undefined, () => null, () => "ping", () => ({}),
    () => ({ message: chance(0.5) ? pick(["ping", new Uint8Array([1]), new ArrayBuffer(2), new DataView(new ArrayBuffer(1)), 5, null, {}, new Blob(["x"])]) : sendData()[0], interval: duration(), timeout: duration(), isReply: callback("isReply") }),
    () => ({ message: "ping", interval: pick([5, 20, 1000]) }),
    () => throwingProxy(),
  ])();
  const reconnectOptions = () => ({ reconnect: reconnectValue(), queue: queueValue(), heartbeat: heartbeatValue(), binaryType: chance(0.5) ? "arraybuffer" : undefined });
  // Valid reconnect options (random options are mostly refused), so reconnecting sockets
  // actually get built and used.
  const validReconnectOptions = () => ({
    reconnect: pick([true, { initialDelay: pick([0, 10, 100]), maxRetries: pick([0, 2, Infinity]), connectTimeout: pick([null, 200, 5000]), shouldReconnect: callback("shouldReconnect") }]),
    queue: pick([undefined, { maxMessages: pick([0, 2, 100]) }, { maxBytes: pick([0, 10, 1 << 20]) }]),
    heartbeat: pick([undefined, { message: "ping", interval: pick([10, 50]), timeout: pick([undefined, 20]), isReply: callback("isReply") }]),
    binaryType: pick(["arraybuffer", "blob", undefined]),
  });
  const options = () => pick([
    reconnectOptions,
    validReconnectOptions,
    validReconnectOptions,
    validReconnectOptions,
    () => undefined,
    () => null,
    () => ({}),
    () => ({ protocols: protocolList() }),
    () => ({ binaryType: binaryTypeValue() }),
    () => ({ protocols: protocolList(), binaryType: binaryTypeValue() }),
    () => ({ maxMessageSize: pick([0, 1, 1000, 2 ** 32, 2 ** 53, Infinity, null, undefined, -1, 1.5, NaN, -Infinity, "5", 5n, {}, giant(), throwingProxy()]) }),
    () => ({ ...validReconnectOptions(), maxMessageSize: pick([0, 16, 1000, null]) }),
    () => pick(["options", 42, true, 1n, Symbol(), () => ({}), []]),
    () => throwingProxy(),
    () => revoked(),
    () => label({ get protocols() { throw new FuzzSentinel("protocols getter"); } }, "options with a throwing protocols getter"),
    () => label({ get binaryType() { throw new FuzzSentinel("binaryType getter"); } }, "options with a throwing binaryType getter"),
    () => Object.create(null),
  ])();
  /** A URL, relative to the page where it has no host (the server answers unknown paths with 404). */
  const url = () => pick([
    () => "/echo",
    () => `${ws}/echo`,
    () => `${http}/echo`,
    () => "echo",
    () => "./echo?x=1",
    () => `/slow?ms=${100 + int(600)}`,
    () => `${ws}/close?code=${pick([1000, 4000, 3001])}&reason=bye`,
    () => `${ws}/drop?after=${int(3)}`,
    () => `/numbered?n=${int(20)}`,
    () => `ws://127.0.0.1:${closedPort}/`,
    () => pick(["ws://", "wss://", "http://", "ws://[::1", "ftp://127.0.0.1/", "javascript:alert(1)", "data:,x", "blob:http://127.0.0.1/x", "mailto:a@b.test", "about:blank"]),
    () => pick(["/echo#frag", `${ws}/echo#`, "", " ", "\u0000", "ws://127.0.0.1:99999/", "ws://127.0.0.1:25/", "ws://127.0.0.1:0/", "ws://user:pw@127.0.0.1:9/"]),
    () => `/fuzz/${randomText(30)}`,
    () => randomText(12).replace(/[:/\\]/g, ""), // no scheme, no authority: a relative path
    () => `/echo?${"q".repeat(chance(0.1) ? 3 << 20 : 5000)}`,
    () => pick([giant(), `/echo?${giant()}`, `${ws}/${giant()}`]),
    () => {
      // Firefox's URL constructor refuses over 1 MiB: the string then.
      try {
        return label(new URL(`/echo?${giant()}`, location.href), "URL object of 2^24 characters");
      } catch {
        return `/echo?${giant()}`;
      }
    },
    () => new URL("/echo", location.href),
    () => new URL(`ws://127.0.0.1:${closedPort}/x`),
    () => pick([undefined, null, 42, true, {}, [], ["/echo"], Symbol(), 1n, () => "/echo", new String("/echo")]),
    () => fakeOf(URL),
    () => throwingProxy(),
    () => label(new Proxy(new URL("/echo", location.href), {}), "Proxy(URL)"),
    () => label({ toString: () => "/echo" }, "object with toString"),
  ])();

  /**
   * What new Socket(...args) may do: a TypeError without arguments; the URL's ToString error
   * (a function is a URL provider), or one from reading the second argument's Symbol.iterator
   * (options or protocols?) when no options follow; else success or an error of a
   * constructor: TypeError, RangeError (an option out of range), SyntaxError or SecurityError
   * (DOMExceptions), or the fuzzer's own exception from a getter/Proxy it planted.
   */
  const expectedConstruct = (args) => {
    if (args.length === 0) return ["TypeError"];
    const [target, second, third] = args;
    const early = [];
    if (third === undefined && second !== null && typeof second === "object") {
      try {
        void second[Symbol.iterator];
      } catch (error) {
        early.push(classify(error));
      }
    }
    if (typeof target !== "function") {
      const { error } = toText(target);
      if (error) return [error, ...early];
    }
    return ["ok", "TypeError", "RangeError", "SyntaxError", "SecurityError", "sentinel"];
  };

  // ---- sockets ----
  /** Live entries: { socket, kind, freed, iterators }. */
  const pool = [];
  const retired = [];
  const track = (promise, what, check) => {
    promise.then(
      (value) => { report.promisesChecked++; const bad = check.resolved(value); if (bad) violation(`${what} resolved with ${bad}`); },
      (error) => {
        report.promisesChecked++;
        const kind = classify(error);
        count(report.rejections, kind);
        if (kind === "trap") trapped = true;
        if (!check.rejected.includes(kind)) violation(`${what} rejected with ${kind}`);
      },
    );
  };
  const checkIteratorResult = (result) => {
    if (result === null || typeof result !== "object" || typeof result.done !== "boolean") return describe(result);
    if (result.done) return result.value === undefined ? null : `done with ${describe(result.value)}`;
    const value = result.value;
    return typeof value === "string" || value instanceof ArrayBuffer || value instanceof Blob ? null : `value ${describe(value)}`;
  };
  const checkClosed = (result) => {
    if (result === null || typeof result !== "object") return describe(result);
    const { code, reason, wasClean } = result;
    return Number.isInteger(code) && code >= 0 && code <= 65535 && typeof reason === "string" && typeof wasClean === "boolean" ? null : JSON.stringify(result);
  };

  const KINDS = [
    ["echo", () => "/echo", 10],
    ["echo-arraybuffer", () => "/echo", 3],
    ["handshake", () => `/slow?ms=${200 + int(800)}`, 2],
    ["failed", () => `ws://127.0.0.1:${closedPort}/`, 1],
    ["server-close", () => `${ws}/close?code=4000&reason=bye`, 1],
    ["drop", () => `${ws}/drop?after=${int(3)}`, 1],
    ["numbered", () => `/numbered?n=${int(30)}`, 1],
    // Echoes what is sent under a small receive limit: the fuzzer's strings and data past it
    // come back over it (a MessageTooBig in their place, and a 4009 close).
    ["limited", () => "/echo", 3],
  ];
  const weighted = (table) => {
    const total = table.reduce((sum, row) => sum + row[row.length - 1], 0);
    let at = rand() * total;
    for (const row of table) {
      at -= row[row.length - 1];
      if (at < 0) return row;
    }
    return table[0];
  };
  const newEntry = (kind, socket) => {
    report.socketsCreated++;
    const entry = { socket, kind, freed: false };
    if (chance(0.3)) consume(entry);
    // Handlers that call back into the socket, from every kind of event.
    if (chance(0.5)) socket[pick(PROPERTIES)] = reentrant(entry, "pool handler");
    if (chance(0.3)) socket.addEventListener(pick(["open", "message", "error", "close"]), reentrant(entry, "pool listener"));
    return entry;
  };
  const addSocket = () => {
    const [kind, path] = weighted(KINDS);
    const socket = new Socket(path(), kind === "echo-arraybuffer" ? { binaryType: "arraybuffer" }
      : kind === "limited" ? { maxMessageSize: pick([0, 1, 16, 1000]), binaryType: pick(["arraybuffer", "blob"]) } : undefined);
    pool.push(newEntry(kind, socket));
  };
  /** Frees an entry's socket, keeping what its getters must go on saying. */
  const freeEntry = (entry, why) => {
    const { socket } = entry;
    const final = entry.final ?? { url: socket.url, protocol: socket.protocol, extensions: socket.extensions, binaryType: socket.binaryType };
    attempt("free", why, () => socket.free(), { freed: entry.freed, expect: ["ok"] });
    entry.final = final;
    entry.freed = true;
  };
  const retire = (entry) => {
    pool.splice(pool.indexOf(entry), 1);
    if (!entry.freed) freeEntry(entry, "retire");
    retired.push(entry);
    if (retired.length > 8) retired.shift();
  };
  const POOL_SIZE = 10;
  const refill = () => {
    while (pool.length < POOL_SIZE) addSocket();
    if (pool.length > POOL_SIZE || chance(0.02)) retire(pick(pool));
    for (const entry of [...pool]) {
      if (entry.freed || (entry.socket.readyState === 3 && chance(0.1))) retire(entry);
    }
  };
  /** A socket to call: mostly live ones, sometimes one already freed. */
  const target = () => (retired.length > 0 && chance(0.05) ? pick(retired) : pick(pool));

  // ---- handlers that re-enter the socket ----
  let handlerBudget = 2000;
  /** A handler or listener; `self` is what it must be called on (a handleEvent's object). */
  const reentrant = (entry, where, self = () => entry.socket) => {
    const handler = function (event) {
      report.handlerCalls++;
      if (!(event instanceof Event)) violation(`${where} got ${describe(event)}`);
      else if (event.currentTarget !== entry.socket) violation(`${where} got an event whose currentTarget is ${describe(event.currentTarget)}`);
      if (this !== self()) violation(`${where} was called on ${describe(this)}`);
      if (trapped || handlerBudget <= 0) return;
      const calls = int(3);
      for (let i = 0; i < calls && handlerBudget > 0; i++) {
        handlerBudget--;
        operation(entry, true);
      }
      if (chance(0.05)) throw new FuzzSentinel(`${where} handler`);
    };
    return label(handler, `re-entrant handler (${where})`);
  };
  const handlerValue = (entry, where) => pick([
    () => reentrant(entry, where),
    () => reentrant(entry, where),
    () => null,
    () => undefined,
    () => pick([0, "alert(1)", true, {}, Symbol(), 1n]),
    () => {
      // A listener object's handleEvent is called on it; an on* value that is an object but not
      // callable is kept and never called.
      const holder = {};
      holder.handleEvent = where === "listener" ? reentrant(entry, `${where} handleEvent`, () => holder)
        : () => violation(`${where}'s non-callable object value was called`);
      return label(holder, "object with handleEvent");
    },
    () => label(() => { throw new FuzzSentinel(`${where} throwing handler`); }, "throwing handler"),
    () => label(new Proxy(() => {}, { apply() { throw new FuzzSentinel(`${where} Proxy apply`); } }), "Proxy function whose apply throws"),
  ])();
  const listenerOptions = () => pick([undefined, true, false, {}, { once: true }, { capture: true, passive: true }, { signal: AbortSignal.abort() }, null, 0, "x", throwingProxy(), label({ get once() { throw new FuzzSentinel("once getter"); } }, "options with a throwing getter")]);
  const eventType = () => pick(["open", "message", "error", "close", "state", "Message", "", "custom", giant(), 5, null, undefined, Symbol(), {}, throwingProxy()]);
  /** What add/removeEventListener must do: type (ToString), then callback (an object or null), then options. */
  const expectedListener = (method, args) => {
    if (args.length < 2) return ["TypeError"];
    const [type, listener, options] = args;
    const { error } = toText(type);
    if (error) return [error];
    if (listener !== null && listener !== undefined && typeof listener !== "object" && typeof listener !== "function") return ["TypeError"];
    // Options objects the fuzzer plants a throw in: a throwing Proxy (every read), a throwing
    // `once` getter (read only by addEventListener).
    const planted = options !== null && typeof options === "object" ? labels.get(options) : undefined;
    if (planted?.startsWith("throwing Proxy") || (planted?.startsWith("options with a throwing getter") && method === "addEventListener")) return ["sentinel"];
    return ["ok"];
  };
  /** An argument for dispatchEvent: events of every type the socket fires, and non-events. */
  const eventValue = () => pick([
    () => new Event(pick(["open", "error", "close", "message", "state", "custom"])),
    () => new MessageEvent("message", { data: pick(["synthetic", new ArrayBuffer(2)]) }),
    () => (typeof CloseEvent === "function" ? new CloseEvent("close", { code: 4000, reason: "synthetic", wasClean: true }) : new Event("close")),
    () => new CustomEvent("state", { detail: { state: "open" } }),
    () => new Event("open", { cancelable: true }),
    () => pick([null, undefined, {}, "open", 5]),
    () => label(Object.create(Event.prototype), "fake Event"),
    () => throwingProxy(new Event("open")),
  ])();

  /** Reads the iterator with a timeout-free check of whatever it eventually yields. */
  const consume = (entry) => {
    let iterator;
    // A freed socket's messages() throws a Freed error.
    const { outcome } = attempt("messages", "", () => { iterator = chance(0.5) ? entry.socket.messages() : entry.socket[Symbol.asyncIterator](); }, { freed: entry.freed, expect: [entry.freed ? "Freed" : "ok"] });
    if (outcome !== "ok") return;
    const reads = 1 + int(4);
    for (let i = 0; i < reads; i++) {
      const { value } = attempt("iterator.next", "", () => iterator.next(), { expect: ["ok"] });
      if (value) track(value, "iterator.next()", { resolved: checkIteratorResult, rejected: ["ConnectionLost", "ConnectFailed", "Freed", "MessageTooBig"] });
    }
    if (chance(0.3)) {
      const { value } = attempt("iterator.return", "", () => iterator.return(), { expect: ["ok"] });
      if (value) track(value, "iterator.return()", { resolved: checkIteratorResult, rejected: [] });
    }
    if (chance(0.1)) attempt("iterator[Symbol.asyncIterator]", "", () => { if (iterator[Symbol.asyncIterator]() !== iterator) throw new Error("not itself"); }, { expect: ["ok"] });
    if (chance(0.05)) attempt("iterator.free", "", () => iterator.free(), { expect: ["ok"] });
  };

  // ---- one random call ----
  const PROPERTIES = ["onopen", "onmessage", "onerror", "onclose"];
  /** Socket.prototype's own members, but the constructor and constants (Symbol.asyncIterator calls messages()). */
  const MEMBERS = Object.getOwnPropertyNames(Socket.prototype)
    .filter((key) => key !== "constructor" && !/^[A-Z]+$/.test(key))
    .map((key) => [key, Object.getOwnPropertyDescriptor(Socket.prototype, key)]);
  function operation(entry, nested = false) {
    const socket = entry.socket;
    const freed = entry.freed;
    const state = freed ? -1 : socket.readyState;
    const op = weighted([
      ["send", 30], ["close", 12], ["construct", 12], ["binaryType", 6], ["property", 8],
      ["listener", 6], ["getters", 8], ["iterate", 5], ["receiver", 2], ["free", nested ? 1 : 0.5],
      ["tight loop", nested ? 0 : 3],
    ])[0];
    switch (op) {
      case "send": {
        if (chance(0.03)) {
          attempt("send", "", () => socket.send(), { freed, expect: ["TypeError"] });
          break;
        }
        const [data, kind] = sendData();
        const before = socket.bufferedAmount;
        const { outcome } = attempt("send", name(data), () => socket.send(data), { freed, expect: expectedSend(data, kind, state), result: sendResult });
        const after = socket.bufferedAmount;
        if (outcome === "discarded") {
          report.discardedSends++;
          if (after > before) violation(`a discarded send(${name(data)}) grew bufferedAmount ${before} → ${after}`);
        }
        if (outcome === "sent") {
          if (kind === "convert" && typeof data !== "string") report.objectsSentAsText++;
          // The browser counts what it was handed at once (a string's UTF-8 is at least its length).
          const size = kind === "convert" ? (toText(data).text?.length ?? 0) : kind === "binary" ? data.byteLength : kind === "blob" ? data.size : 0;
          if (size > 0 && after <= before) violation(`send(${name(data)}) returned "sent" but bufferedAmount stayed ${before} → ${after}`);
        }
        break;
      }
      case "close": {
        const argCount = int(4);
        const code = closeCode();
        const reason = closeReason();
        const args = [code, reason, "extra"].slice(0, argCount);
        const { outcome } = attempt("close", args.map(name).join(", "), () => socket.close(...args), { freed, expect: expectedClose(code, reason, argCount, freed) });
        if (outcome === "ok" && !freed && state <= 1 && socket.readyState < 2) violation(`close(${args.map(name)}) left readyState ${socket.readyState}`);
        if (outcome !== "ok" && !freed && socket.readyState !== state && state !== 0) violation(`a refused close(${args.map(name)}) changed readyState ${state} → ${socket.readyState}`);
        if (freed && socket.readyState !== 3) violation(`close(${args.map(name)}) on a freed socket: readyState ${socket.readyState}`);
        break;
      }
      case "construct": {
        // (url), (url, options) as before protocols, (url, protocols), (url, protocols, options).
        const shape = weighted([[0, 1], [1, 3], [2, 8], [3, 3], [4, 6], [5, 1]])[0];
        const args = shape === 0 ? [] : shape === 1 ? [url()] : shape === 2 ? [url(), options()] : shape === 3 ? [url(), protocolList()]
          : shape === 4 ? [url(), protocolList(), options()] : [url(), protocolList(), options(), "extra"];
        const { outcome, value } = attempt("new Socket", args.map(name).join(", "), () => new Socket(...args), { expect: expectedConstruct(args) });
        let reconnecting = false;
        try {
          const bag = args.length >= 3 ? args[2] : args.length === 2 && args[1] !== null && typeof args[1] === "object" && args[1][Symbol.iterator] === undefined ? args[1] : undefined;
          reconnecting = Boolean(bag?.reconnect);
        } catch { reconnecting = true; }
        if (outcome === "ok" && !(value instanceof Socket)) violation(`new Socket(${args.map(name)}) made ${describe(value)}`);
        if (value && reconnecting) {
          // A reconnecting socket: a short random life (its send/close rules differ from the
          // pool's plain sockets), then freed or left to the garbage collector.
          report.reconnecting = (report.reconnecting ?? 0) + 1;
          for (let step = int(16); step > 0; step--) {
            const op = int(6);
            const now = value.readyState;
            if (op === 0) { const [data, kind] = sendData(); attempt("reconnecting send", name(data), () => value.send(data), { expect: expectedReconnectingSend(data, kind, now), result: sendResult }); }
            else if (op === 1) { const code = closeCode(); const reason = closeReason(); attempt("reconnecting close", `${name(code)}, ${name(reason)}`, () => value.close(code, reason), { expect: expectedClose(code, reason, 2) }); }
            else if (op === 2) attempt("takeQueued", "", () => { if (!Array.isArray(value.takeQueued())) throw new Error("takeQueued() is not an array"); }, { expect: ["ok"] });
            else if (op === 3) attempt("state", "", () => { const s = value.state; if (!s || typeof s.state !== "string") violation(`state getter gave ${describe(s)}`); }, { expect: ["ok"] });
            else if (op === 4) attempt("queuedMessages", "", () => [value.queuedMessages, value.queuedBytes, value.readyState], { expect: ["ok"] });
            else attempt("onstate=", "", () => { value.onstate = chance(0.5) ? () => { report.handlerCalls++; } : pick([null, 1, "x"]); }, { expect: ["ok"] });
          }
          if (chance(0.8)) attempt("free", "reconnecting", () => value.free(), { expect: ["ok"] });
        } else if (value) {
          const ok = typeof value.url === "string" && /^wss?:\/\//.test(value.url) && value.readyState === 0;
          if (!ok) violation(`new Socket(${args.map(name)}) made url ${describe(value.url)} readyState ${value.readyState}`);
          if (chance(0.3) && pool.length < POOL_SIZE + 4) pool.push(newEntry("random", value));
          else if (chance(0.9)) attempt("free", "constructed", () => value.free(), { expect: ["ok"] });
          // else: dropped unfreed, for the garbage collector's finalizer
        }
        break;
      }
      case "binaryType": {
        const value = binaryTypeValue();
        const before = socket.binaryType;
        const converted = toText(value);
        const { outcome } = attempt("binaryType=", name(value), () => { socket.binaryType = value; }, { freed, expect: [converted.error ?? "ok"] });
        const now = socket.binaryType;
        // An enumeration attribute: a value that is not one of its own is ignored (a freed
        // socket keeps the value, as a closed WebSocket does).
        const wanted = outcome === "ok" && (converted.text === "blob" || converted.text === "arraybuffer") ? converted.text : before;
        if (now !== wanted) violation(`binaryType is ${now} after setting ${name(value)}${freed ? " (freed)" : ""} (expected ${wanted})`);
        break;
      }
      case "property": {
        const property = pick(PROPERTIES);
        const value = handlerValue(entry, property);
        const { outcome } = attempt(`${property}=`, name(value), () => { socket[property] = value; }, { freed, expect: ["ok"] });
        if (outcome === "ok") {
          const now = socket[property];
          // An object or a function is kept (called only if callable); anything else reads
          // null (freed or not).
          const wanted = (typeof value === "object" && value !== null) || typeof value === "function" ? value : null;
          if (now !== wanted) violation(`${property} reads ${describe(now)} after setting ${name(value)}`);
        }
        break;
      }
      case "listener": {
        const method = weighted([["addEventListener", 6], ["removeEventListener", 2.5], ["dispatchEvent", 1.5]])[0];
        if (method === "dispatchEvent") {
          // A real EventTarget: a synthetic event reaches the handlers and listeners.
          const event = eventValue();
          const args = chance(0.05) ? [] : [event];
          const isEvent = args.length === 1 && !labels.has(event) && event instanceof Event;
          const { outcome } = attempt("dispatchEvent", args.map(name).join(", "), () => socket.dispatchEvent(...args), {
            freed, expect: [isEvent ? "ok" : "TypeError"],
            result: (value) => (typeof value === "boolean" ? "ok" : `returned ${describe(value)}`),
          });
          if (outcome === "ok") report.dispatched++;
          break;
        }
        const argCount = int(4);
        const listener = pick([() => handlerValue(entry, "listener"), () => pick([5, "x", Symbol(), 1n]), () => throwingProxy(), () => revoked(() => {})])();
        const args = [eventType(), listener, listenerOptions()].slice(0, argCount);
        attempt(method, args.map(name).join(", "), () => socket[method](...args), { freed, expect: expectedListener(method, args) });
        break;
      }
      case "getters": {
        attempt("getters", "", () => {
          const constants = [Socket.CONNECTING, Socket.OPEN, Socket.CLOSING, Socket.CLOSED, socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED];
          if (constants.join() !== "0,1,2,3,0,1,2,3") throw new Error(`constants ${constants}`);
          const snapshot = {
            readyState: socket.readyState, url: socket.url, protocol: socket.protocol,
            extensions: socket.extensions, bufferedAmount: socket.bufferedAmount, binaryType: socket.binaryType,
          };
          const ok = [0, 1, 2, 3].includes(snapshot.readyState) && /^wss?:\/\//.test(snapshot.url)
            && typeof snapshot.protocol === "string" && typeof snapshot.extensions === "string"
            && Number.isInteger(snapshot.bufferedAmount) && snapshot.bufferedAmount >= 0
            && ["blob", "arraybuffer"].includes(snapshot.binaryType);
          if (!ok) throw new Error(`getters ${JSON.stringify(snapshot)}`);
          if (freed) {
            // Closed, with what it said when freed.
            const { final } = entry;
            const same = snapshot.readyState === 3 && snapshot.bufferedAmount === 0 && snapshot.url === final.url
              && snapshot.protocol === final.protocol && snapshot.extensions === final.extensions && snapshot.binaryType === final.binaryType;
            if (!same) throw new Error(`freed getters ${JSON.stringify(snapshot)}, when freed ${JSON.stringify(final)}`);
          }
          for (const property of PROPERTIES) {
            const value = socket[property];
            if (value !== null && typeof value !== "function" && typeof value !== "object") throw new Error(`${property} reads ${describe(value)}`);
          }
          track(socket.opened, "opened", { resolved: (value) => (value === undefined ? null : describe(value)), rejected: ["ConnectFailed", "Freed"] });
          track(socket.closed, "closed", { resolved: checkClosed, rejected: [] });
          if (socket.opened !== socket.opened || socket.closed !== socket.closed) throw new Error("opened/closed are not the same promise each time");
        }, { freed, expect: ["ok"] });
        break;
      }
      case "iterate":
        consume(entry);
        break;
      case "receiver": {
        // A member called on what is not a Socket: a TypeError, before anything else is done
        // (WebIDL's receiver check), whatever the arguments.
        const [key, descriptor] = pick(MEMBERS);
        const receiver = pick([() => ({}), () => null, () => undefined, () => 5, () => new EventTarget(), () => label(Object.create(Socket.prototype), "fake Socket"), () => label(new Proxy(socket, {}), "Proxy(Socket)")])();
        const kind = descriptor.get && chance(0.5) ? "get" : descriptor.set ? "set" : descriptor.get ? "get" : "value";
        const argument = pick([() => "x", () => 4000, () => null, () => reentrant(entry, "wrong receiver's handler"), () => throwingProxy()])();
        attempt("wrong receiver", `${key} (${kind}) on ${name(receiver)}${kind === "get" ? "" : ` with ${name(argument)}`}`, () => descriptor[kind].call(receiver, argument), { expect: ["TypeError"] });
        break;
      }
      case "free":
        freeEntry(entry, "");
        break;
      case "tight loop": {
        // One throwing call, repeated: each must throw the same documented error, and an
        // exception that unwound through wasm would eventually exhaust wasm's stack and trap.
        const calls = [
          () => { const d = sendData()[0]; return ["send", name(d), () => socket.send(d)]; },
          () => { const c = closeCode(); const r = closeReason(); return ["close", `${name(c)}, ${name(r)}`, () => socket.close(c, r)]; },
          () => { const u = url(); const o = options(); return ["new Socket", `${name(u)}, ${name(o)}`, () => new Socket(u, o)]; },
          () => { const u = url(); const p = protocolList(); return ["new Socket", `${name(u)}, ${name(p)}, {}`, () => new Socket(u, p, {})]; },
          () => { const v = binaryTypeValue(); return ["binaryType=", name(v), () => { socket.binaryType = v; }]; },
          () => { const t = eventType(); const l = pick([5, throwingProxy(), revoked(() => {})]); return ["addEventListener", `${name(t)}, ${name(l)}`, () => socket.addEventListener(t, l)]; },
        ];
        const [member, args, call] = pick(calls)();
        const first = attempt(`${member} (loop)`, args, call, { freed });
        if (first.outcome === "ok") {
          if (member === "new Socket" && first.value) first.value.free();
          break;
        }
        if (first.outcome === "trap") break;
        const repeats = 300 + int(1200);
        const loopStarted = performance.now();
        // Bounded in time too: a slow call (a 10 MB close reason is measured in full for its
        // error message) needs no thousand repeats.
        for (let i = 0; i < repeats && performance.now() - loopStarted < 150; i++) {
          report.tightLoopCalls++;
          let outcome = "ok";
          try {
            const made = call();
            if (made instanceof Socket) made.free();
          } catch (error) {
            outcome = classify(error);
          }
          if (outcome !== first.outcome) {
            if (outcome === "trap") trapped = true;
            violation(`${member}(${args}) threw ${first.outcome} at first, then ${outcome} on repeat ${i + 1}`);
            break;
          }
        }
        const loopMs = performance.now() - loopStarted;
        report.ms["tight loops"] = (report.ms["tight loops"] ?? 0) + loopMs;

        break;
      }
    }
  }

  return {
    async chunk(count) {
      for (let i = 0; i < count && !trapped; i++) {
        refill();
        operation(target());
        if (i % 7 === 0) await sleep(int(4));
        if (i % 97 === 0) await sleep(20 + int(30));
      }
      return { calls: report.calls, trapped, violations: report.violations.length };
    },
    async finish() {
      await sleep(300);
      for (const entry of [...pool]) retire(entry);
      // The module still works: a fresh socket round-trips every kind of data.
      const roundTrip = {};
      try {
        const socket = new Socket("/echo", { binaryType: "arraybuffer" });
        await socket.opened;
        const iterator = socket.messages();
        socket.send("after the fuzz ✓");
        socket.send(new Uint16Array([1, 2, 3]));
        socket.send(new Blob(["blob"]));
        const received = [];
        for (let i = 0; i < 3; i++) {
          const { value } = await iterator.next();
          received.push(typeof value === "string" ? value : Array.from(new Uint8Array(value)));
        }
        socket.close(4000, "done");
        roundTrip.received = received;
        roundTrip.closed = await socket.closed;
      } catch (error) {
        roundTrip.error = `${error?.name}: ${error?.message}`;
      }
      await sleep(200);
      return { report, roundTrip };
    },
  };
}

test(`fuzz every public member of the JS Socket (seed ${SEED})`, { timeout: 120_000 }, async () => {
  const started = Date.now();
  const trace = [];
  if (process.env.BROWSER_WS_FUZZ_TRACE) {
    page.on("console", (message) => { trace.push(message.text()); if (trace.length > 40) trace.shift(); });
    page.on("crash", () => console.log(`# page crashed after:\n# ${trace.join("\n# ")}`));
  }
  // The documented error names: the package's own declaration of SocketErrorName.
  const declarations = await (await fetch(`${HTTP}/pkg/browser_ws.d.ts`)).text();
  const union = /export type SocketErrorName =([^;]*);/.exec(declarations);
  assert.ok(union, "pkg/browser_ws.d.ts declares SocketErrorName");
  const documented = [...union[1].matchAll(/"([A-Za-z]+)"/g)].map((match) => match[1]);
  // The DOMException names WebSocket throws, the package's own, and none of the names they replaced.
  for (const name of ["SyntaxError", "InvalidAccessError", "InvalidStateError", "SecurityError", "NotOpen", "Freed"]) {
    assert.ok(documented.includes(name), `SocketErrorName has ${name}: ${documented}`);
  }
  for (const name of ["InvalidCloseCode", "ReasonTooLong", "InvalidUrl", "InvalidProtocol"]) {
    assert.ok(!documented.includes(name), `SocketErrorName has no ${name} any more: ${documented}`);
  }
  const config = { seed: SEED, ws: WS, http: HTTP, closedPort: CLOSED_PORT, trace: Boolean(process.env.BROWSER_WS_FUZZ_TRACE), documented };
  await page.evaluate(`window.__fuzz = (${installFuzzer.toString()})(${JSON.stringify(config)})`);
  // A call that never returns hangs the page: a chunk takes a few seconds, so one that has not
  // answered in 60 fails the test with how to see the call, rather than the test's timeout.
  const answered = async (evaluation, what) => {
    let timer;
    const hung = new Promise((resolve, reject) => {
      timer = setTimeout(() => {
        if (trace.length > 0) console.log(`# the page hung after:\n# ${trace.join("\n# ")}`);
        reject(new Error(`the page did not answer in 60 s (${what}): a call hung it (BROWSER_WS_FUZZ_SEED=${SEED} BROWSER_WS_FUZZ_TRACE=1 prints the last calls)`));
      }, 60_000);
    });
    try {
      return await Promise.race([evaluation, hung]);
    } finally {
      clearTimeout(timer);
    }
  };
  let progress;
  for (let done = 0; done < OPS; done += CHUNK) {
    progress = await answered(page.evaluate((count) => window.__fuzz.chunk(count), Math.min(CHUNK, OPS - done)), `calls ${done + 1}-${Math.min(done + CHUNK, OPS)}`);
    if (progress.trapped) break;
  }
  const { report, roundTrip } = await answered(page.evaluate(() => window.__fuzz.finish()), "finish");
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  // The DOM reports exceptions from event handlers; only the fuzzer's own may appear.
  const ownReports = /fuzz-sentinel|proxy that has been revoked|on a revoked proxy/; // Chromium's and Firefox's words
  const pageErrors = page.uncaughtErrors.map(String).filter((text) => !ownReports.test(text));
  console.log(
    `# fuzz seed ${SEED}: ${report.calls} checked calls (${report.handlerCalls} handler runs), ` +
      `${report.tightLoopCalls} tight-loop repeats, ${report.socketsCreated} pool sockets, ` +
      `${report.promisesChecked} promises checked, ${seconds} s`,
  );
  console.log(`# by member: ${JSON.stringify(report.byMember)}; reconnecting sockets: ${report.reconnecting ?? 0}`);
  console.log(`# outcomes: ${JSON.stringify(report.outcomes)}`);
  console.log(`# promise rejections: ${JSON.stringify(report.rejections)}`);
  console.log(`# ms by member: ${JSON.stringify(Object.fromEntries(Object.entries(report.ms).map(([k, v]) => [k, Math.round(v)])))}`);
  console.log(
    `# checked calls on freed sockets: ${report.freedCalls}; sends discarded (closing, closed or freed): ${report.discardedSends}; ` +
      `objects that are not binary data sent as text: ${report.objectsSentAsText}; synthetic events dispatched: ${report.dispatched}`,
  );
  for (const { what, recent } of report.violations.slice(0, 10)) {
    console.log(`# VIOLATION ${what}\n#   after: ${recent.join("\n#          ")}`);
  }
  assert.deepEqual(report.violations.map((v) => v.what), [], `violations (replay with BROWSER_WS_FUZZ_SEED=${SEED})`);
  assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  assert.deepEqual(roundTrip, {
    received: ["after the fuzz ✓", [1, 0, 2, 0, 3, 0], [98, 108, 111, 98]],
    closed: { code: 4000, reason: "done", wasClean: true },
  });
});
