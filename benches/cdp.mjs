// A headless Chromium driven over the DevTools protocol with only the Target, Runtime, Page and
// Browser domains: the benchmark's browser. Playwright enables the Network domain on every page,
// and with it Chromium reports each WebSocket frame's payload to the client; that costs more
// than the send itself for large binary messages (benches/devtools-network.mjs measures it), so
// the bench does not run under Playwright. The API is the subset of Playwright's it used.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The DevTools connection over `--remote-debugging-pipe` (fd 3 in, fd 4 out, NUL-delimited JSON). */
class Connection {
  constructor(toBrowser, fromBrowser) {
    this.toBrowser = toBrowser;
    this.next = 0;
    this.pending = new Map();
    this.listeners = new Map(); // sessionId + method -> [callback]
    let buffered = "";
    const gone = (error) => {
      for (const { fail } of this.pending.values()) fail(new Error(`the browser is gone: ${error?.message ?? "pipe closed"}`));
      this.pending.clear();
    };
    fromBrowser.on("error", gone).on("close", gone);
    toBrowser.on("error", gone);
    fromBrowser.on("data", (chunk) => {
      buffered += chunk;
      let end;
      while ((end = buffered.indexOf("\0")) >= 0) {
        this.receive(JSON.parse(buffered.slice(0, end)));
        buffered = buffered.slice(end + 1);
      }
    });
  }

  receive(message) {
    if (message.id !== undefined) {
      const { ok, fail, method } = this.pending.get(message.id) ?? {};
      this.pending.delete(message.id);
      if (message.error) fail?.(new Error(`${method}: ${message.error.message}`));
      else ok?.(message.result);
      return;
    }
    for (const callback of this.listeners.get(`${message.sessionId ?? ""} ${message.method}`) ?? []) callback(message.params);
  }

  send(method, params = {}, sessionId = undefined) {
    const id = ++this.next;
    return new Promise((ok, fail) => {
      this.pending.set(id, { ok, fail, method });
      this.toBrowser.write(JSON.stringify({ id, method, params, sessionId }) + "\0");
    });
  }

  on(sessionId, method, callback) {
    const key = `${sessionId} ${method}`;
    this.listeners.set(key, [...(this.listeners.get(key) ?? []), callback]);
  }
}

/** One page (target) in its own flat session. */
class Page {
  constructor(connection, context, targetId, sessionId) {
    Object.assign(this, { connection, ownContext: context, targetId, sessionId });
  }

  context() {
    return this.ownContext;
  }

  /** Sends a command in this page's session (what Playwright's CDP session did). */
  send(method, params = {}) {
    return this.connection.send(method, params, this.sessionId);
  }

  on(event, callback) {
    if (event !== "pageerror") throw new Error(`cdp.mjs: no ${event} event`);
    this.connection.on(this.sessionId, "Runtime.exceptionThrown", ({ exceptionDetails }) =>
      callback(exceptionDetails.exception?.description ?? exceptionDetails.text));
  }

  async goto(url) {
    await this.send("Page.navigate", { url });
  }

  /** Runs `fn(arg)` in the page and returns its (awaited) value, as JSON. */
  async evaluate(fn, arg) {
    const expression = typeof fn === "function" ? `(${fn})(${JSON.stringify(arg)})` : String(fn);
    const { result, exceptionDetails } = await this.send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  }

  /** Polls `fn()` until it is truthy (a navigation may destroy the context between polls). */
  async waitForFunction(fn, timeoutMs = 30000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluate(fn).catch(() => false);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`cdp.mjs: timed out waiting for ${fn}`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }
}

/** A browser context: the default one, or an isolated one (its own renderer process). */
class Context {
  constructor(browser, id) {
    Object.assign(this, { ownBrowser: browser, id });
  }

  browser() {
    return this.ownBrowser;
  }

  async newPage() {
    const connection = this.ownBrowser.connection;
    const { targetId } = await connection.send("Target.createTarget", { url: "about:blank", ...(this.id ? { browserContextId: this.id } : {}) });
    const { sessionId } = await connection.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(connection, this, targetId, sessionId);
    await page.send("Runtime.enable");
    return page;
  }

  /** The page itself: its `send` is the session's. */
  newCDPSession(page) {
    return page;
  }

  async close() {
    if (this.id) await this.ownBrowser.connection.send("Target.disposeBrowserContext", { browserContextId: this.id });
  }
}

class Browser {
  constructor(process, connection, product, profile) {
    Object.assign(this, { process, connection, product, profile });
    this.defaultContext = new Context(this, undefined);
  }

  /** The version number, as Playwright's `browser.version()` gave it. */
  version() {
    return this.product.replace(/^[^/]*\//, "");
  }

  newPage() {
    return this.defaultContext.newPage();
  }

  async newContext() {
    const { browserContextId } = await this.connection.send("Target.createBrowserContext");
    return new Context(this, browserContextId);
  }

  async close() {
    await this.connection.send("Browser.close").catch(() => {});
    await new Promise((ok) => (this.process.exitCode !== null ? ok() : this.process.once("exit", ok)));
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** Starts headless Chromium (`executablePath`, extra `args`) with a fresh profile and, as
 * Playwright launches it, without the sandbox (which refuses to run as root). */
export async function launch({ executablePath, args = [] }) {
  const profile = mkdtempSync(join(tmpdir(), "browser-ws-bench-"));
  const child = spawn(executablePath, ["--headless", "--no-sandbox", "--remote-debugging-pipe", `--user-data-dir=${profile}`, ...args, "about:blank"], {
    stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"],
  });
  const connection = new Connection(child.stdio[3], child.stdio[4]);
  const { product } = await connection.send("Browser.getVersion");
  return new Browser(child, connection, product, profile);
}
