// An `on*` handler that throws: reported as the runtime reports a listener's exception
// (reportError in Deno and Bun, which is an uncaught exception there, counted here; Node.js has
// no reportError: console.error), and the socket goes on.
import init, { Socket } from "browser-ws";

await init();
if (typeof reportError === "function") {
  process.on("uncaughtException", (error) => console.log(`reported: ${error.message}`));
}
const socket = new Socket(`${process.env.BROWSER_WS_TEST_SERVER}/echo`);
let calls = 0;
socket.onmessage = () => {
  calls += 1;
  throw new Error("handler failed on purpose");
};
await socket.opened;
socket.send("x");
await new Promise((resolve) => setTimeout(resolve, 300));
console.log(`handler calls: ${calls}, state: ${socket.readyState}`);
socket.close();
const { code } = await socket.closed;
console.log(`closed: ${code}`);
