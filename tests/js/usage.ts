// Type-checked by `tsc --noEmit` in npm test: the package's declarations are precise enough
// for this ordinary usage, and they reject misuse (see the @ts-expect-error lines).
import init, {
  Socket,
  type CloseResult,
  type MessageData,
  type QueueFullError,
  type ReconnectingSocketOptions,
  type SocketErrorName,
  type SocketOptions,
  type SocketState,
} from "browser-ws";

export async function demo(): Promise<CloseResult> {
  await init();
  const options: SocketOptions = { protocols: ["chat.v2"], binaryType: "arraybuffer", maxMessageSize: 1 << 20 };
  const socket = new Socket(new URL("/echo", location.href), options);
  const state: 0 | 1 | 2 | 3 = socket.readyState;
  if (state === Socket.CONNECTING) await socket.opened;
  socket.addEventListener("message", (event) => {
    const data: MessageData = event.data;
    if (typeof data === "string") console.log(data.toUpperCase());
  });
  socket.addEventListener("close", (event) => console.log(event.code, event.wasClean));
  socket.onmessage = (event) => console.log(event.data);
  socket.onclose = null;
  socket.send("text");
  socket.send(new Uint8Array([1, 2]));
  socket.send(new Blob(["x"]));
  socket.send(new SharedArrayBuffer(4));
  socket.send(new Uint8Array(new SharedArrayBuffer(4), 1, 2));
  socket.binaryType = "blob";
  for await (const data of socket) {
    if (data instanceof ArrayBuffer) console.log(data.byteLength);
    break;
  }
  const first = await socket.messages().next();
  if (!first.done) console.log(first.value);
  socket.close(4000, "bye");
  const result = await socket.closed;
  const code: number = result.code;
  const clean: boolean = result.wasClean;
  console.log(code, clean, socket.bufferedAmount + 0, socket.url.length);

  // @ts-expect-error binaryType is "blob" | "arraybuffer"
  socket.binaryType = "text";
  // @ts-expect-error numbers are not sendable
  socket.send(42);
  // @ts-expect-error the close code is a number
  socket.close("4000");
  // @ts-expect-error readyState is read-only
  socket.readyState = 1;
  return result;
}

export async function reconnecting(): Promise<void> {
  const options: ReconnectingSocketOptions = {
    reconnect: {
      initialDelay: 250, factor: 2, maxDelay: 10_000, maxRetries: Infinity, connectTimeout: null, minUptime: 5_000,
      shouldReconnect: (context) => context.cause !== "connectTimeout" || (context.close?.code ?? 0) > 0 || context.failures < 10,
    },
    queue: { maxMessages: 100, maxBytes: 1 << 20 },
    heartbeat: { message: "ping", interval: 15_000, isReply: (data) => data === "pong", requireReply: true },
    maxMessageSize: null,
  };
  const live = new Socket("/feed", options);
  const delivery: "sent" | "queued" | "discarded" = live.send("subscribe");
  live.onstate = (event) => {
    const detail: SocketState = event.detail;
    if (detail.state === "reconnecting") {
      const delay: number = detail.delay;
      if (detail.cause.type === "closed") console.log(detail.cause.code, delay);
    }
    if (detail.state === "closed") console.log(detail.close.wasClean);
  };
  live.addEventListener("state", (event) => console.log(event.detail.state));
  // A fresh token per attempt, a policy per ending, the lifecycle switches.
  const fresh = new Socket(async () => ({ url: `/feed?token=${await Promise.resolve("t")}`, protocols: ["v2"] }), {
    reconnect: {
      policy: (context) => (context.cause === "provider" ? 1_000 : context.close?.code === 4001 ? 0 : "retry"),
      pauseWhileOffline: true,
      checkOnResume: false,
    },
  });
  fresh.onstate = (event) => {
    const detail = event.detail;
    if (detail.state === "offline" && detail.cause?.type === "provider") console.log(detail.cause.error, detail.attempt);
  };
  const viaString: Socket<true> = new Socket(() => "/feed", { reconnect: true });
  console.log(viaString.url);
  const simple = new Socket("/feed", {
    reconnect: true,
    heartbeat: { message: new Uint8Array([0]), interval: 1000, timeout: 500 },
  });
  try {
    simple.send(new Uint8Array([1]));
  } catch (error) {
    const name: SocketErrorName = (error as QueueFullError).name;
    console.log(name, (error as QueueFullError).data);
  }
  const taken: Array<string | ArrayBuffer> = live.takeQueued();
  console.log(delivery, taken.length, live.queuedMessages + live.queuedBytes, live.state.state);
  const plain = new Socket("/echo");
  const nothing: "sent" | "discarded" = plain.send("x");
  const dynamic = new Socket("/echo", { reconnect: Math.random() > 0.5 });
  const either: "sent" | "queued" | "discarded" = dynamic.send("x");
  console.log(nothing, either);
  live.close();
  simple.close(4000, "bye");

  // @ts-expect-error a plain socket's send never queues
  const wrong: "sent" | "queued" = plain.send("x");
  // @ts-expect-error queue needs reconnect
  new Socket("/echo", { queue: { maxMessages: 1 } });
  // @ts-expect-error heartbeat needs reconnect
  new Socket("/echo", { heartbeat: { message: "ping", interval: 1000 } });
  // @ts-expect-error the heartbeat needs an interval
  new Socket("/echo", { reconnect: true, heartbeat: { message: "ping" } });
  // @ts-expect-error delays are numbers of milliseconds
  new Socket("/echo", { reconnect: { initialDelay: "1s" } });
  // @ts-expect-error shouldReconnect returns a boolean
  new Socket("/echo", { reconnect: { shouldReconnect: (close: CloseResult) => close.code.toString() } });
  // @ts-expect-error a policy answers "stop", "retry" or a delay
  new Socket("/echo", { reconnect: { policy: () => "later" } });
  // @ts-expect-error a URL function needs reconnect
  new Socket(() => "/echo");
  // @ts-expect-error a Blob cannot be a heartbeat message
  new Socket("/echo", { reconnect: true, heartbeat: { message: new Blob(["p"]), interval: 1000 } });
  // @ts-expect-error state is read-only
  live.state = { state: "open" };
  console.log(wrong);
}

/** The drop-in: a Socket where a WebSocket (instance or class) is expected. */
export function dropIn(): void {
  const asWebSocket: WebSocket = new Socket("/echo", ["v1", "v2"]);
  const Impl: typeof WebSocket = Socket;
  const viaImpl: WebSocket = new Impl("/echo", "graphql-transport-ws");
  const withOptions = new Socket("/echo", new Set(["v1"]), { binaryType: "arraybuffer" });
  const optionsSecond: Socket<false> = new Socket("/echo", { protocols: ["v1"] });
  const reconnecting: Socket<true> = new Socket("/echo", "v1", { reconnect: true });
  if (asWebSocket.readyState === asWebSocket.OPEN) asWebSocket.send("x");
  const target: EventTarget = withOptions;
  target.dispatchEvent(new Event("open"));
  const constants: [0, 1, 2, 3] = [withOptions.CONNECTING, withOptions.OPEN, withOptions.CLOSING, Socket.CLOSED];
  console.log(viaImpl.url, optionsSecond.url, reconnecting.url, constants);
  // @ts-expect-error protocols are strings
  new Socket("/echo", [1, 2]);
}
