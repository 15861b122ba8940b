// Type-checked by `tsc --noEmit` in npm test: the package's declarations are precise enough
// for this ordinary usage, and they reject misuse (see the @ts-expect-error lines).
import init, { Socket, type CloseResult, type MessageData, type SocketOptions } from "browser-ws";

export async function demo(): Promise<CloseResult> {
  await init();
  const options: SocketOptions = { protocols: ["chat.v2"], binaryType: "arraybuffer" };
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
