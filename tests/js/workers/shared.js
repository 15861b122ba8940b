// A shared module worker for tests/js/workers.test.mjs. Every page that connects gets a port;
// a message { id, flow, arg } runs that flow (flows.js) and is answered { id, result } or
// { id, error }. Besides, one Socket in the worker is shared by every page that sends
// { id, join: true }: { id, say: TEXT } sends TEXT on it, and each echo goes to every joined
// page as { heard: TEXT, from, clients }, so pages talk to each other through the one worker.
import { Socket } from "/pkg/index.js";
import { described, flows, load } from "./flows.js";

const joined = [];
let relay;
let clients = 0;

/** The one Socket every joined page shares; echoes are broadcast to them all. */
async function relaySocket() {
  relay ??= (async () => {
    await load();
    const socket = new Socket("/echo");
    socket.onmessage = ({ data }) => {
      const { text, from } = JSON.parse(data);
      for (const port of joined) port.postMessage({ heard: text, from, clients });
    };
    await socket.opened;
    return socket;
  })();
  return relay;
}

self.onconnect = ({ ports: [port] }) => {
  const client = ++clients;
  port.onmessage = async ({ data: { id, flow, arg, join, say } }) => {
    try {
      if (join) {
        await relaySocket();
        joined.push(port);
        port.postMessage({ id, result: { client, joined: joined.length } });
      } else if (say !== undefined) {
        (await relaySocket()).send(JSON.stringify({ text: say, from: client }));
        port.postMessage({ id, result: "sent" });
      } else {
        await load();
        port.postMessage({ id, result: await flows[flow](arg) });
      }
    } catch (error) {
      port.postMessage({ id, error: described(error) });
    }
  };
  port.start();
};
