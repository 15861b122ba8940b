// An `on*` handler that throws: reported as this runtime reports its own WebSocket's handler
// exceptions (an uncaught exception in Node.js, Deno and Bun, counted here), and the socket
// goes on; the same for the runtime's WebSocket and for Socket.
import init, { Socket } from "browser-ws";

await init();
let label = "";
process.on("uncaughtException", (error) => console.log(`${label} reported: ${error.message}`));
for (const [name, Implementation] of [["WebSocket", globalThis.WebSocket], ["Socket", Socket]]) {
  label = name;
  const socket = new Implementation(`${process.env.BROWSER_WS_TEST_SERVER}/echo`);
  let calls = 0;
  socket.onmessage = () => {
    calls += 1;
    throw new Error("handler failed on purpose");
  };
  await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
  socket.send("x");
  await new Promise((resolve) => setTimeout(resolve, 300));
  console.log(`${name} handler calls: ${calls}, state: ${socket.readyState}`);
  const closed = new Promise((resolve) => socket.addEventListener("close", resolve, { once: true }));
  socket.close(1000);
  console.log(`${name} closed: ${(await closed).code}`);
}
