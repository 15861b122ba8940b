//! The TypeScript declarations of the JS API, written by hand for precision (no `any`).

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &'static str = r#"
/** What `socket.closed` resolves with, however the connection ended. */
export interface CloseResult {
  /** The close code: 1005 if the peer sent none, 1006 if the connection ended without a closing handshake. */
  readonly code: number;
  /** The close reason (may be empty). */
  readonly reason: string;
  /** Whether the closing handshake completed. */
  readonly wasClean: boolean;
}

/** How binary messages are handed over. */
export type BinaryType = "blob" | "arraybuffer";

/** Data a message carries: text, or bytes as an ArrayBuffer or Blob according to `binaryType`. */
export type MessageData = string | ArrayBuffer | Blob;

/** What `send()` accepts (a SharedArrayBuffer, or a view of one, is sent as a copy). */
export type SendData = string | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | Blob;

/** Subprotocols to offer, in order of preference: as `new WebSocket(url, protocols)` takes them. */
export type Protocols = string | Iterable<string>;

/** Options of `new Socket(url, protocols?, options?)` for one connection (no `reconnect`). */
export interface SocketOptions {
  /**
   * Subprotocols to offer, in order of preference, when the constructor's `protocols` argument
   * is not given (at most 1024, each at most 1024 characters; more is a `SyntaxError`).
   */
  protocols?: string | string[];
  /** How binary messages are handed over (default "blob"). */
  binaryType?: BinaryType;
  /**
   * The largest message taken, in bytes (UTF-8 bytes for text; default 67108864, 64 MiB;
   * `null` or `Infinity`: no limit). A larger one is never copied: the socket closes with 4009
   * "message too big", iteration rejects with a `MessageTooBig` error in its place (an `error`
   * event fires without reconnect) and, with reconnect, it does not reconnect by default.
   */
  maxMessageSize?: number | null;
  /** Absent or `false`: one connection, no reconnect. */
  reconnect?: false;
  /** Needs `reconnect`. */
  queue?: never;
  /** Needs `reconnect`. */
  heartbeat?: never;
}

/** When and how often to reconnect. Times are in milliseconds (at most 2147483647). */
export interface ReconnectOptions {
  /** Ceiling of the first retry's delay (default 500); each delay is random in [0, ceiling]. */
  initialDelay?: number;
  /** How much the ceiling grows per retry, at least 1 (default 2). */
  factor?: number;
  /** The largest ceiling (default 30000). */
  maxDelay?: number;
  /** Consecutive failed attempts to retry before giving up (default and `Infinity`: never give up). */
  maxRetries?: number;
  /** Abort and retry a handshake slower than this (default 10000; `null`: no timeout). */
  connectTimeout?: number | null;
  /**
   * How long a connection must stay open to count as a success (default 5000). One that ends
   * sooner is a failed attempt: the backoff keeps growing and `maxRetries` is reached.
   */
  minUptime?: number;
  /**
   * What follows an ending the application did not ask for (a close, a connect or heartbeat
   * timeout, a failed URL function, a message over the receive limit): `"stop"`, `"retry"`
   * (after the backoff's next delay) or a delay in milliseconds (`0`: now; `maxRetries` does
   * not apply). By default every ending retries but a message over the receive limit and a
   * close with 1002, 1003, 1007, 1008, 1009, 1010 or 1011, which stop; after 1013 (try again
   * later) it waits at least `maxDelay`. A throw or another answer stops (and is reported like
   * a listener's exception). `close()` never reconnects. Not with `shouldReconnect`.
   */
  policy?: (context: ReconnectContext) => "stop" | "retry" | number;
  /** The yes/no shorthand of `policy`: `true` is `"retry"`, `false` (or a throw) `"stop"`. */
  shouldReconnect?: (context: ReconnectContext) => boolean;
  /**
   * While `navigator.onLine` is false make no attempt and spend no delay (state `"offline"`);
   * on the `online` event, the next attempt starts at once (default `true`).
   */
  pauseWhileOffline?: boolean;
  /**
   * When the page is visible again, shown from the back/forward cache or resumed after a
   * freeze, and when the network changes: a waiting retry runs now, and an open connection with
   * a heartbeat is checked now (a ping at once) instead of at the next interval (default `true`).
   */
  checkOnResume?: boolean;
}

/** What `policy` and `shouldReconnect` see about an ending. */
export interface ReconnectContext {
  /** Why the connection, or the attempt, ended. */
  readonly cause: "close" | "connectTimeout" | "heartbeatTimeout" | "provider" | "messageTooBig";
  /** The URL function's error (`name: message`), for cause `"provider"`. */
  readonly error?: string;
  /** The browser's close event; `undefined` for a timeout or a URL function's failure. */
  readonly close: CloseResult | undefined;
  /** Failed attempts in a row, this one included (from 1 again after a connection that lasted `minUptime`). */
  readonly failures: number;
  /** Milliseconds the connection was open (0 if it never opened). */
  readonly uptime: number;
}

/** Bounds of the queue of messages sent while not open (whole numbers; `Infinity`: no bound). */
export interface QueueOptions {
  /** At most this many messages (default 1024). */
  maxMessages?: number;
  /** At most this many payload bytes, text counted as UTF-8 (default 4194304). */
  maxBytes?: number;
}

/**
 * An application-level heartbeat: `message` is sent every `interval` ms while open; if no sign
 * of life arrives within `timeout` ms of the first unanswered ping leaving the browser, the
 * connection is dropped and reconnected. Any received message is a sign of life, or with
 * `requireReply` only a reply. Replies are swallowed (no `message` event).
 */
export interface HeartbeatOptions {
  message: string | ArrayBuffer | SharedArrayBuffer | ArrayBufferView;
  /** Milliseconds between pings, more than 0. */
  interval: number;
  /** Milliseconds to wait for a sign of life (default: `interval`). */
  timeout?: number;
  /**
   * Which received messages are replies (default: a message equal to `message`). Binary data
   * arrives as an ArrayBuffer whatever the binaryType. A throw counts as `false`.
   */
  isReply?: (data: string | ArrayBuffer) => boolean;
  /** Whether only a reply counts as a sign of life (default `false`: any message does). */
  requireReply?: boolean;
}

/** Options of `new Socket(url, protocols?, options)` for a connection that reconnects. */
export interface ReconnectingSocketOptions {
  protocols?: string | string[];
  binaryType?: BinaryType;
  maxMessageSize?: number | null;
  /** `true` for the defaults, or the settings. */
  reconnect: true | ReconnectOptions;
  queue?: QueueOptions;
  heartbeat?: HeartbeatOptions;
}

/**
 * Either kind of options, when which one is only known at run time (`queue` and `heartbeat`
 * need `reconnect` to be known to be on).
 */
export type AnySocketOptions =
  | SocketOptions
  | ReconnectingSocketOptions
  | {
      protocols?: string | string[];
      binaryType?: BinaryType;
      maxMessageSize?: number | null;
      reconnect?: boolean | ReconnectOptions;
      queue?: never;
      heartbeat?: never;
    };

/** Why a connection (or attempt) ended before a reconnect. */
export type DisconnectCause =
  | { readonly type: "closed"; readonly code: number; readonly reason: string; readonly wasClean: boolean }
  | { readonly type: "connect-timeout" }
  | { readonly type: "heartbeat-timeout" }
  /** The URL function threw, rejected, or returned a URL or subprotocol that cannot be used. */
  | { readonly type: "provider"; readonly error: string }
  /** A received message was over the receive limit (64 MiB) or more than wasm memory could take: closed with 4009. */
  | { readonly type: "message-too-big"; readonly code: number; readonly reason: string; readonly wasClean: boolean };

/** `socket.state`, and the `detail` of `state` events. */
export type SocketState =
  | { readonly state: "connecting"; /** 0 for the first attempt, then the retry number. */ readonly attempt: number }
  | { readonly state: "open" }
  | {
      readonly state: "reconnecting";
      /** The retry that comes next, from 1. */
      readonly attempt: number;
      /** Milliseconds until it. */
      readonly delay: number;
      readonly cause: DisconnectCause;
    }
  | {
      readonly state: "offline";
      /** The attempt that waits for the `online` event (0: the first). */
      readonly attempt: number;
      /** Why the previous connection or attempt ended; `undefined` before the first. */
      readonly cause: DisconnectCause | undefined;
    }
  | { readonly state: "closing" }
  | { readonly state: "closed"; readonly close: CloseResult };

/**
 * What `send()` returns: `"sent"`, `"discarded"` once closing or closed (nothing is sent and
 * `bufferedAmount` does not grow), and with reconnect `"queued"` while not open.
 */
export type SendResult<Reconnecting extends boolean> = Reconnecting extends true
  ? "sent" | "queued" | "discarded"
  : "sent" | "discarded";

/**
 * The stable `name`s of the errors this package throws or rejects with. Where `WebSocket`
 * throws, a `DOMException` with the same name: `SyntaxError` (a bad URL or subprotocol, a
 * close reason over 123 UTF-8 bytes), `InvalidAccessError` (a close code other than 1000 or
 * 3000-4999), `InvalidStateError` (`send()` while connecting), `SecurityError`. Besides
 * these, `TypeError`, and `RangeError` for out-of-range options or data too large to copy into
 * wasm memory. `NotOpen`: with reconnect, a Blob sent while it would have to be queued.
 * `BlobRead`: a received Blob could not be read (the async iterator rejects with it and goes
 * on). `MessageTooBig`: a received message was over the receive limit (64 MiB) or more than
 * wasm memory could take; the socket is closed with 4009 (the async iterator rejects with it).
 * `Freed`: the socket was freed, by `free()` or garbage collection, while an iterator's
 * `next()` or `opened` was pending (and for every later `next()` of its iterators).
 */
export type SocketErrorName =
  | "SyntaxError"
  | "InvalidAccessError"
  | "InvalidStateError"
  | "SecurityError"
  | "NotOpen"
  | "ConnectFailed"
  | "ConnectionLost"
  | "QueueFull"
  | "BlobRead"
  | "MessageTooBig"
  | "Freed";

/** The error `send()` throws when the queue of a reconnecting socket is at a bound. */
export interface QueueFullError extends Error {
  readonly name: "QueueFull";
  /** The data that was refused. */
  readonly data: SendData;
}

/** The events a Socket fires. */
export interface SocketEventMap {
  open: Event;
  message: MessageEvent<MessageData>;
  error: Event;
  close: CloseEvent;
  /** Reconnecting sockets: every transition. */
  state: CustomEvent<SocketState>;
}

/**
 * An async iterator of message data; also async-iterable itself. While it lives it claims the
 * socket's messages (they are kept for it until read) and keeps its socket reachable; it lets
 * go when it ends (`return()`, as `break` in `for await` calls it, or the end of the
 * connection), or when it is freed or garbage-collected with no `next()` pending.
 */
export class MessageIterator implements AsyncIterableIterator<MessageData> {
  private constructor();
  /**
   * The next message; `{ done: true }` once ended. Rejects with `ConnectionLost` (or
   * `ConnectFailed`) on an unclean close, `BlobRead` for a Blob that could not be read (the
   * iterator goes on), and `Freed` once its socket was freed.
   */
  next(): Promise<IteratorResult<MessageData, undefined>>;
  /** Ends this iterator: a pending `next()` resolves `{ done: true }`; the socket stays open. */
  return(): Promise<IteratorResult<MessageData, undefined>>;
  [Symbol.asyncIterator](): MessageIterator;
  /** Frees this iterator now; a pending `next()` still settles, and then its claim ends. */
  free(): void;
}

/** What a URL function returns for one attempt. */
export type UrlTarget = string | URL | { url: string | URL; protocols?: string | string[] };

/**
 * Called before every attempt of a reconnecting `Socket` (so a short-lived token is fresh for
 * each): a throw or a rejection fails that attempt (cause `"provider"`), which `policy` decides.
 */
export type UrlProvider = () => UrlTarget | PromiseLike<UrlTarget>;

/**
 * The `Socket` class: `new Socket(url, protocols?, options?)` as `new WebSocket(url,
 * protocols)`, options third (or second, without protocols); overloaded so that the options
 * decide what `send()` returns.
 */
export interface SocketConstructor {
  /**
   * A connection that reconnects: `send()` returns "sent", "queued" or "discarded". `url` may
   * be a function called before every attempt.
   */
  new (url: string | URL | UrlProvider, protocols: Protocols | undefined, options: ReconnectingSocketOptions): Socket<true>;
  new (url: string | URL | UrlProvider, options: ReconnectingSocketOptions): Socket<true>;
  /** One connection: `send()` returns "sent" or "discarded". */
  new (url: string | URL, protocols?: Protocols, options?: SocketOptions): Socket<false>;
  new (url: string | URL, options?: SocketOptions): Socket<false>;
  new (url: string | URL, protocols?: Protocols, options?: AnySocketOptions): Socket<boolean>;
  new (url: string | URL, options?: AnySocketOptions): Socket<boolean>;
  readonly prototype: Socket<boolean>;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
}

/**
 * A drop-in `WebSocket` (an `EventTarget`, assignable where a `WebSocket` is expected), typed
 * and checked: `opened` and `closed` promises, async iteration, close codes and reasons
 * checked before the browser sees them, sends after close that say they were discarded,
 * messages in order in both binary types. With `reconnect`, it survives disconnections
 * (backoff, a bounded send queue, a heartbeat) and reports each transition as a `state`
 * event. As the standard says, a socket that can still fire events to its listeners stays
 * alive without a reference; one with no listener (an iterator counts as a reference) is
 * closed (1000) when garbage-collected, and `free()` closes it at once; either way pending
 * `next()` calls and a pending `opened` reject with a `Freed` error and `closed` resolves
 * with the final close.
 */
export declare const Socket: SocketConstructor;

/** A `Socket`; `Reconnecting` is `true` when it was made with `reconnect`. */
export interface Socket<Reconnecting extends boolean = boolean> extends EventTarget, AsyncIterable<MessageData> {
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
  /** CONNECTING (also while waiting to reconnect), OPEN, CLOSING, or CLOSED (for good). */
  readonly readyState: 0 | 1 | 2 | 3;
  /** The resolved absolute ws: or wss: URL. */
  readonly url: string;
  /** The subprotocol of the (last opened) connection. */
  readonly protocol: string;
  readonly extensions: string;
  /** Bytes the current connection has not sent yet (queued messages are not counted). */
  readonly bufferedAmount: number;
  binaryType: BinaryType;
  /** What the connection is doing now (without reconnect: from `readyState`). */
  readonly state: SocketState;
  /** Messages in the send queue (0 without reconnect). */
  readonly queuedMessages: number;
  /** Payload bytes in the send queue, text as UTF-8 (0 without reconnect). */
  readonly queuedBytes: number;
  onopen: ((event: Event) => unknown) | null;
  onmessage: ((event: MessageEvent<MessageData>) => unknown) | null;
  onerror: ((event: Event) => unknown) | null;
  onclose: ((event: CloseEvent) => unknown) | null;
  /** Reconnecting sockets: called on every transition. */
  onstate: ((event: CustomEvent<SocketState>) => unknown) | null;
  addEventListener<K extends keyof SocketEventMap>(
    type: K,
    listener: (event: SocketEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SocketEventMap>(
    type: K,
    listener: (event: SocketEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
  /**
   * Resolves when the socket opens (the first time, with reconnect); rejects with a
   * `ConnectFailed` error if it never does, or a `Freed` error if the socket is freed first.
   */
  readonly opened: Promise<void>;
  /** Resolves with the final close result, however (with reconnect: once closed for good). Never rejects. */
  readonly closed: Promise<CloseResult>;
  /**
   * Sends a message (other values are converted to strings, as `WebSocket` does). Returns
   * "sent", or "discarded" once closing or closed (nothing is sent, `bufferedAmount` does not
   * grow). Throws an `InvalidStateError` `DOMException` while connecting. With reconnect,
   * returns "queued" while not open (the queue goes first on the next open); throws
   * `QueueFull` (a {@link QueueFullError}) at a queue bound, and `NotOpen` for a Blob unless it
   * can be sent at once (a Blob cannot be queued); `RangeError` for data too large to copy
   * into wasm memory (the queue holds a copy; over 2 GiB never fits). Without reconnect
   * nothing is copied: a string goes to the browser as it is.
   */
  send(data: SendData): SendResult<Reconnecting>;
  /**
   * Closes (1000 when no code is given); with reconnect, for good, cancelling any pending
   * retry. Throws an `InvalidAccessError` `DOMException` unless 1000 or 3000-4999, a
   * `SyntaxError` one over 123 UTF-8 bytes; the socket stays open after either.
   */
  close(code?: number, reason?: string): void;
  /** Empties the send queue and returns its data, oldest first ([] without reconnect). */
  takeQueued(): Array<string | ArrayBuffer>;
  /**
   * Message data from now on (with reconnect: of every connection), until the iterator ends;
   * ends on a clean close (with reconnect: when closed for good), rejects with `ConnectionLost`
   * (or `ConnectFailed`) otherwise. Messages are kept for iterators only while one is live.
   */
  messages(): MessageIterator;
  [Symbol.asyncIterator](): MessageIterator;
  /**
   * Closes the socket now (1000; a handshake is aborted) and frees its memory: no event fires
   * after it, pending `next()` calls and a pending `opened` reject with a `Freed` error, and
   * `closed` resolves with the final close.
   */
  free(): void;
}
"#;
