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

/** What `send()` accepts. */
export type SendData = string | ArrayBuffer | ArrayBufferView | Blob;

/** Options of `new Socket(url, options)`. */
export interface SocketOptions {
  /** Subprotocols to offer, in order of preference. */
  protocols?: string | string[];
  /** How binary messages are handed over (default "blob"). */
  binaryType?: BinaryType;
}

/** The stable `name`s of the errors this package throws or rejects with (besides `TypeError`). */
export type SocketErrorName =
  | "InvalidUrl"
  | "InvalidProtocol"
  | "SecurityError"
  | "NotOpen"
  | "InvalidCloseCode"
  | "ReasonTooLong"
  | "ConnectFailed"
  | "ConnectionLost";

/** The events a Socket fires. */
export interface SocketEventMap {
  open: Event;
  message: MessageEvent<MessageData>;
  error: Event;
  close: CloseEvent;
}

/** An async iterator of message data; also async-iterable itself. */
export class MessageIterator implements AsyncIterableIterator<MessageData> {
  private constructor();
  next(): Promise<IteratorResult<MessageData, undefined>>;
  return(): Promise<IteratorResult<MessageData, undefined>>;
  [Symbol.asyncIterator](): MessageIterator;
  free(): void;
}

/**
 * The browser's WebSocket, typed and checked: `opened` and `closed` promises, async iteration,
 * errors with stable names, sends that fail instead of buffering silently when not open,
 * close codes and reasons checked before the browser sees them, messages in order in both
 * binary types. Keep a reference while you use it: an unreachable Socket is closed (1000)
 * when garbage-collected, and `free()` closes it at once.
 */
export class Socket implements AsyncIterable<MessageData> {
  constructor(url: string | URL, options?: SocketOptions);
  static readonly CONNECTING: 0;
  static readonly OPEN: 1;
  static readonly CLOSING: 2;
  static readonly CLOSED: 3;
  readonly readyState: 0 | 1 | 2 | 3;
  /** The resolved absolute ws: or wss: URL. */
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
  readonly bufferedAmount: number;
  binaryType: BinaryType;
  onopen: ((event: Event) => unknown) | null;
  onmessage: ((event: MessageEvent<MessageData>) => unknown) | null;
  onerror: ((event: Event) => unknown) | null;
  onclose: ((event: CloseEvent) => unknown) | null;
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
  /** Resolves when the socket opens; rejects with a `ConnectFailed` error if it never does. */
  readonly opened: Promise<void>;
  /** Resolves with the final close result, however the connection ends. Never rejects. */
  readonly closed: Promise<CloseResult>;
  /** Sends a message. Throws `NotOpen` unless open, `TypeError` for other data. */
  send(data: SendData): void;
  /**
   * Closes (1000 when no code is given). Throws `InvalidCloseCode` unless 1000 or 3000-4999,
   * `ReasonTooLong` over 123 UTF-8 bytes; the socket stays open after either.
   */
  close(code?: number, reason?: string): void;
  /** Message data from now on; ends on a clean close, rejects with `ConnectionLost` otherwise. */
  messages(): MessageIterator;
  [Symbol.asyncIterator](): MessageIterator;
  /** Closes the socket and frees its memory now. */
  free(): void;
}
"#;
