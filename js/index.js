// Entry point of the browser-ws npm package: the wasm-bindgen output's init functions and
// iterator, and the `Socket` of socket.js (the wasm-bindgen `SocketCore` stays internal).
export { default, initSync, MessageIterator } from "./browser_ws.js";
export { Socket } from "./socket.js";
import { MessageIterator } from "./browser_ws.js";

Object.defineProperty(MessageIterator.prototype, Symbol.asyncIterator, {
  value: function () {
    return this;
  },
  configurable: true,
  writable: true,
});
