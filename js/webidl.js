// WebIDL in JS terms for socket.js's `Socket`: the argument conversions (`send()`'s data,
// `close()`'s code, the protocols, the options bag, a listener's capture flag) and the argument
// count check. No state and no side effects (so not in package.json's sideEffects).

/** The getter of `name` on `proto`, if it has one. */
const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name)?.get;

/** SharedArrayBuffer's prototype, also where the global is hidden (a page that is not cross-origin-isolated). */
function sharedPrototype() {
  try {
    return globalThis.SharedArrayBuffer?.prototype ?? Object.getPrototypeOf(new WebAssembly.Memory({ initial: 0, maximum: 0, shared: true }).buffer);
  } catch {
    return undefined;
  }
}

/** Whether `brand` (a getter with a brand check) accepts `value`. */
function hasBrand(brand, value) {
  try {
    brand.call(value);
    return true;
  } catch {
    return false;
  }
}

/** Getters that throw for any object but a real ArrayBuffer, SharedArrayBuffer or Blob (of any realm). */
const BUFFER = getter(ArrayBuffer.prototype, "byteLength");
const SHARED = sharedPrototype() && getter(sharedPrototype(), "byteLength");
const BLOB = globalThis.Blob && getter(Blob.prototype, "size");

/**
 * `data` as `send()` takes it: binary data (a BufferSource, a SharedArrayBuffer, a Blob) as
 * it is, another realm's ArrayBuffer or Blob in this realm's terms (SocketCore checks with
 * `instanceof`), anything else `undefined` (it is sent as a string).
 */
export function binaryData(value) {
  if (typeof value !== "object" || value === null) return undefined;
  if (ArrayBuffer.isView(value)) return value;
  if (hasBrand(BUFFER, value)) return value instanceof ArrayBuffer ? value : new Uint8Array(value);
  if (SHARED && hasBrand(SHARED, value)) return value;
  if (BLOB && hasBrand(BLOB, value)) return value instanceof Blob ? value : new Blob([value]);
  return undefined;
}

/** The most subprotocols taken (SocketCore's bound), counted before the rest is read. */
const MAX_PROTOCOLS = 1024;

/** WebIDL `[Clamp] unsigned short`. */
export function clampCode(value) {
  let x = +value; // ToNumber: a BigInt throws a TypeError
  if (Number.isNaN(x)) return 0;
  x = Math.min(Math.max(x, 0), 65535);
  const floor = Math.floor(x);
  const rest = x - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
}

/** WebIDL `(DOMString or sequence<DOMString>)`, `undefined` kept (the `protocols` option then applies). */
export function protocolList(value) {
  if (value === undefined) return undefined;
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    const iterator = value[Symbol.iterator];
    if (iterator === undefined) throw new TypeError("protocols must be a string or a sequence of strings");
    const list = [];
    for (const item of { [Symbol.iterator]: () => iterator.call(value) }) {
      if (list.length === MAX_PROTOCOLS) {
        throw new DOMException(`more than ${MAX_PROTOCOLS} subprotocols are offered; at most ${MAX_PROTOCOLS} are accepted`, "SyntaxError");
      }
      list.push(`${item}`);
    }
    return list;
  }
  return [`${value}`];
}

/** A plain options object given as the second argument (the signature before protocols). */
export function isOptionsBag(value) {
  return typeof value === "object" && value !== null && value[Symbol.iterator] === undefined;
}

/** A listener's capture flag, as EventTarget reads it from `options` (a dictionary or a boolean). */
export function captureOf(options) {
  return (typeof options === "object" && options !== null) || typeof options === "function" ? Boolean(options.capture) : Boolean(options);
}

/** WebIDL's argument count check: a TypeError when fewer than `needed` were given. */
export function requireArguments(given, needed, what) {
  if (given < needed) throw new TypeError(`${what}: ${needed} argument${needed > 1 ? "s" : ""} required, but only ${given} present.`);
}
