// Entry point of the browser-ws npm package: the wasm-bindgen output plus what wasm-bindgen
// cannot declare from Rust (symbol-named methods, and the iterator's hold on its socket).
export * from "./browser_ws.js";
export { default } from "./browser_ws.js";
import { MessageIterator, Socket } from "./browser_ws.js";

// An iterator keeps its Socket alive: `for await (const data of new Socket(url))` holds only
// the iterator, and a Socket that is garbage-collected is closed. The reference lives here, in
// JS, where the collector sees it (Rust holds no JS Socket object: that would be a cycle
// through wasm-bindgen's table of JS values, which no collection can break).
const SOCKET = Symbol("browser-ws socket");
const messages = Socket.prototype.messages;
Object.defineProperty(Socket.prototype, "messages", {
  value: function () {
    const iterator = messages.call(this);
    Object.defineProperty(iterator, SOCKET, { value: this });
    return iterator;
  },
  configurable: true,
  writable: true,
});
Object.defineProperty(Socket.prototype, Symbol.asyncIterator, {
  value: function () {
    return this.messages();
  },
  configurable: true,
  writable: true,
});
Object.defineProperty(MessageIterator.prototype, Symbol.asyncIterator, {
  value: function () {
    return this;
  },
  configurable: true,
  writable: true,
});
