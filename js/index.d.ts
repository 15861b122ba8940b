export * from "./browser_ws.js";
export { default } from "./browser_ws.js";
