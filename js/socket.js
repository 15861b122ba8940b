// The package's `Socket`: a drop-in `WebSocket`, a real EventTarget over the wasm `SocketCore`
// (src/js/socket.rs), which owns the connection, checks arguments and builds message data.
// This half does what WebIDL and HTML define in JS terms: argument conversions (webidl.js), the
// event handler attributes, the constants and the prototype's shape, receiver checks, and keeping
// a socket that can still fire events to its listeners from being collected
// (ARCHITECTURE.md, "The JS package").
import { SocketCore } from "./browser_ws.js";
import { binaryData, captureOf, clampCode, isOptionsBag, protocolList, requireArguments } from "./webidl.js";

/** Where a Socket installed as `globalThis.WebSocket` keeps the native constructor. */
const NATIVE_KEY = Symbol.for("browser-ws native WebSocket");

/** Sockets that can still fire an event some listener waits for: held so they stay alive. */
const LIVE = new Set();

/** The event types each readyState can still fire (WHATWG WebSockets, "Garbage collection"). */
const FIRES = [
  ["open", "message", "error", "close", "state"],
  ["message", "error", "close", "state"],
  ["error", "close", "state"],
  [],
];

/** Kinds of SocketCore's emit calls (src/js/events.rs `Kind`), as event types. */
const KINDS = ["open", "message", "error", "close", "state"];

function closeEvent({ code, reason, wasClean }) {
  if (typeof CloseEvent === "function") return new CloseEvent("close", { code, reason, wasClean });
  // Node 22 has no CloseEvent: an Event carrying the same fields.
  const field = (value) => ({ value, enumerable: true });
  return Object.defineProperties(new Event("close"), { code: field(code), reason: field(reason), wasClean: field(wasClean) });
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

/** An event handler attribute's listener: calls the current value, with the socket as `this`. */
function handlerListener(entry) {
  return function (event) {
    const handler = entry.value;
    // [LegacyTreatNonObjectAsNull]: an object that is not callable is skipped.
    if (typeof handler === "function" && handler.call(this, event) === false) event.preventDefault();
  };
}

const dispatch = EventTarget.prototype.dispatchEvent;
const addListener = EventTarget.prototype.addEventListener;
const removeListener = EventTarget.prototype.removeEventListener;

export class Socket extends EventTarget {
  /** The SocketCore; `undefined` once freed. */
  #core;
  /** What the accessors say once freed. */
  #final;
  /** The socket's origin, for MessageEvent.origin (set again at each open: a URL function's may change). */
  #origin = "";
  /** Event handler attributes: type -> { value, listener }, present while activated. */
  #handlers = new Map();
  /** Listeners added with addEventListener: type -> [{ callback, capture, once }]. */
  #listeners = new Map();

  constructor(url, protocols = undefined, options = undefined) {
    requireArguments(arguments.length, 1, "Failed to construct 'Socket'");
    const target = typeof url === "function" ? url : `${url}`;
    if (options === undefined && isOptionsBag(protocols)) [protocols, options] = [undefined, protocols];
    const list = protocolList(protocols);
    super();
    this.#core = new SocketCore(target, list, options, Socket.#emitter(new WeakRef(this)));
    this.#origin = originOf(this.#core.url);
  }

  /** SocketCore's emit function; it holds the socket weakly (the core is held by it). */
  static #emitter(ref) {
    return (kind, payload) => ref.deref()?.#deliver(kind, payload);
  }

  #deliver(kind, payload) {
    const type = KINDS[kind];
    let event;
    if (type === "message") {
      event = new MessageEvent("message", { data: payload, origin: this.#origin });
    } else if (type === "close") {
      event = closeEvent(payload);
    } else if (type === "state") {
      event = new CustomEvent("state", { detail: payload });
    } else {
      if (type === "open" && this.#core) this.#origin = originOf(this.#core.url);
      event = new Event(type);
    }
    dispatch.call(this, event);
    const listeners = this.#listeners.get(type);
    if (listeners?.some((entry) => entry.once)) this.#listeners.set(type, listeners.filter((entry) => !entry.once));
    if (type !== "message") this.#retain();
  }

  /** Holds the socket in LIVE while it can fire an event that has a handler or listener. */
  #retain() {
    const fires = FIRES[this.#core?.readyState ?? 3];
    const heard = fires.some((type) => this.#handlers.has(type) || this.#listeners.get(type)?.length > 0);
    if (heard) LIVE.add(this);
    else LIVE.delete(this);
  }

  #handler(type) {
    return this.#handlers.get(type)?.value ?? null;
  }

  /** HTML's event handler attribute setter: activated (listener added) at the first non-null value. */
  #setHandler(type, value) {
    if ((typeof value !== "object" && typeof value !== "function") || value === null) value = null;
    const entry = this.#handlers.get(type);
    if (value === null) {
      if (entry) {
        removeListener.call(this, type, entry.listener);
        this.#handlers.delete(type);
      }
    } else if (entry) {
      entry.value = value;
    } else {
      const created = { value, listener: undefined };
      created.listener = handlerListener(created);
      this.#handlers.set(type, created);
      addListener.call(this, type, created.listener);
    }
    this.#retain();
  }

  addEventListener(type, callback, options = undefined) {
    const tracked = this.#listeners; // the receiver check first, as WebIDL's
    addListener.apply(this, arguments);
    if (callback == null) return;
    const capture = captureOf(options);
    const signal = typeof options === "object" && options !== null ? options.signal : undefined;
    if (signal?.aborted) return;
    type = `${type}`;
    const listeners = tracked.get(type) ?? [];
    if (listeners.some((entry) => entry.callback === callback && entry.capture === capture)) return;
    listeners.push({ callback, capture, once: typeof options === "object" && options !== null && Boolean(options.once) });
    tracked.set(type, listeners);
    signal?.addEventListener("abort", () => this.#untrack(type, callback, capture), { once: true });
    this.#retain();
  }

  removeEventListener(type, callback, options = undefined) {
    this.#listeners; // the receiver check first, as WebIDL's
    removeListener.apply(this, arguments);
    this.#untrack(`${type}`, callback, captureOf(options));
  }

  #untrack(type, callback, capture) {
    const listeners = this.#listeners.get(type);
    if (!listeners) return;
    this.#listeners.set(type, listeners.filter((entry) => entry.callback !== callback || entry.capture !== capture));
    this.#retain();
  }

  get url() {
    return this.#core?.url ?? this.#final.url;
  }

  get readyState() {
    return this.#core?.readyState ?? 3;
  }

  get bufferedAmount() {
    return this.#core?.bufferedAmount ?? 0;
  }

  get onopen() {
    return this.#handler("open");
  }

  set onopen(value) {
    this.#setHandler("open", value);
  }

  get onerror() {
    return this.#handler("error");
  }

  set onerror(value) {
    this.#setHandler("error", value);
  }

  get onclose() {
    return this.#handler("close");
  }

  set onclose(value) {
    this.#setHandler("close", value);
  }

  get extensions() {
    return this.#core?.extensions ?? this.#final.extensions;
  }

  get protocol() {
    return this.#core?.protocol ?? this.#final.protocol;
  }

  close(code = undefined, reason = undefined) {
    const core = this.#core;
    if (code !== undefined) code = clampCode(code);
    if (reason !== undefined) reason = `${reason}`;
    // Freed, it answers as a closed socket: the checks, then nothing.
    if (core === undefined) return SocketCore.checkClose(code, reason);
    core.close(code, reason);
    this.#retain();
  }

  get onmessage() {
    return this.#handler("message");
  }

  set onmessage(value) {
    this.#setHandler("message", value);
  }

  get binaryType() {
    return this.#core?.binaryType ?? this.#final.binaryType;
  }

  set binaryType(value) {
    const core = this.#core;
    value = `${value}`;
    // An enum attribute ignores a value outside the enum.
    if (value !== "blob" && value !== "arraybuffer") return;
    if (core) core.binaryType = value;
    else this.#final.binaryType = value;
  }

  send(data) {
    const core = this.#core;
    requireArguments(arguments.length, 1, "Failed to execute 'send' on 'Socket'");
    if (typeof data !== "string") data = binaryData(data) ?? `${data}`;
    if (core === undefined) return "discarded";
    return core.send(data);
  }

  // The extras.

  get onstate() {
    return this.#handler("state");
  }

  set onstate(value) {
    this.#setHandler("state", value);
  }

  get state() {
    return this.#core?.state ?? this.#final.state;
  }

  get opened() {
    return this.#core?.opened ?? this.#final.opened;
  }

  get closed() {
    return this.#core?.closed ?? this.#final.closed;
  }

  get queuedMessages() {
    return this.#core?.queuedMessages ?? 0;
  }

  get queuedBytes() {
    return this.#core?.queuedBytes ?? 0;
  }

  takeQueued() {
    return this.#core?.takeQueued() ?? [];
  }

  messages() {
    const core = this.#core;
    if (core === undefined) throw this.#final.freed();
    const iterator = core.messages();
    // The iterator holds its socket: `for await (const data of new Socket(url))` keeps it.
    Object.defineProperty(iterator, ITERATED, { value: this });
    return iterator;
  }

  [Symbol.asyncIterator]() {
    return this.messages();
  }

  /**
   * Closes now (1000; a handshake is aborted) and frees the wasm memory: no event fires after
   * it, a pending `opened` and `next()` reject with `Freed`, `closed` resolves with the final close.
   */
  free() {
    const core = this.#core;
    if (core === undefined) return;
    const closed = core.closed;
    const opened = core.opened;
    opened.catch(() => {});
    this.#final = {
      url: core.url,
      protocol: core.protocol,
      extensions: core.extensions,
      binaryType: core.binaryType,
      opened,
      closed,
      state: undefined,
      freed: () => Object.assign(new Error("the socket was freed (by free() or garbage collection)"), { name: "Freed" }),
    };
    this.#core = undefined;
    LIVE.delete(this);
    try {
      core.free();
    } catch {
      // Freed from inside one of its own calls (a listener of an event fired by close()): once that returns.
      queueMicrotask(() => core.free());
    }
    closed.then((close) => {
      this.#final.state = { state: "closed", close };
    });
    this.#final.state = { state: "closing" };
  }
}

/** The property by which an iterator holds its socket. */
const ITERATED = Symbol("browser-ws socket");

if (Symbol.dispose) Socket.prototype[Symbol.dispose] = Socket.prototype.free;

// WebIDL's shape: constants on the interface object and the prototype (read-only), members
// enumerable, the class string of a WebSocket.
const CONSTANTS = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 };
for (const [name, value] of Object.entries(CONSTANTS)) {
  const descriptor = { value, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(Socket, name, descriptor);
  Object.defineProperty(Socket.prototype, name, descriptor);
}
for (const name of Object.getOwnPropertyNames(Socket.prototype)) {
  const descriptor = Object.getOwnPropertyDescriptor(Socket.prototype, name);
  if (name !== "constructor" && descriptor.configurable) {
    Object.defineProperty(Socket.prototype, name, { ...descriptor, enumerable: true });
  }
}
Object.defineProperty(Socket.prototype, Symbol.toStringTag, { value: "WebSocket", configurable: true });

// The native constructor, for a copy of the package loaded after this Socket became the global.
const native = globalThis.WebSocket?.[NATIVE_KEY] ?? globalThis.WebSocket;
if (native !== undefined) Object.defineProperty(Socket, NATIVE_KEY, { value: native });
