// Entry point of the browser-ws npm package: the wasm-bindgen output plus what wasm-bindgen
// cannot declare from Rust (symbol-named methods).
export * from "./browser_ws.js";
export { default } from "./browser_ws.js";
import { MessageIterator, Socket } from "./browser_ws.js";

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
