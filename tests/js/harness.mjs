// Shared set-up of the JS tests: the project's server (started by scripts/test) and Debian's
// Chromium driven by playwright-core (Playwright cannot download its own browsers here), or,
// with BROWSER_WS_JS_BROWSER=firefox, Debian's Firefox ESR over WebDriver BiDi (the
// "moz-firefox" channel: Playwright's own Firefox build is not needed).
import { chromium, firefox } from "playwright-core";

import { freePort } from "./free-port.mjs";

export const HTTP = process.env.BROWSER_WS_HTTP ?? "http://127.0.0.1:8080";
/** A loopback port nothing listens on (scripts/test picks one; else it is found here). */
export const CLOSED_PORT = process.env.BROWSER_WS_CLOSED_PORT ?? await freePort();

/** The browser `launch()` starts: "chromium" (the default) or "firefox". */
export const BROWSER = process.env.BROWSER_WS_JS_BROWSER === "firefox" ? "firefox" : "chromium";

/**
 * Headless Chromium, or Firefox (see BROWSER). `exposeGc` (Chromium only) adds `--js-flags=--expose-gc`, so pages can call `gc()` (a full
 * collection; FinalizationRegistry callbacks then run as later tasks).
 */
export async function launch({ exposeGc = false } = {}) {
  if (BROWSER === "firefox") {
    if (exposeGc) throw new Error("Firefox exposes no gc() to pages");
    return firefox.launch({ channel: "moz-firefox", executablePath: process.env.FIREFOX ?? "/usr/bin/firefox-esr", headless: true });
  }
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...(exposeGc ? ["--js-flags=--expose-gc"] : []),
    ],
  });
}

/** Firefox's console notes on failed or interrupted WebSocket connections. */
const FIREFOX_NETWORK_NOTE = /^(Error: )?(Firefox can’t establish a connection to the server at ws|The connection to ws\S* was interrupted while the page was loading)/;

/**
 * The page's uncaught errors, collected from now on (an array that grows). Firefox also reports
 * a WebSocket that failed or was cut off as a page error (a console message, not an exception):
 * those are left out, the tests check those sockets' events instead.
 */
export function pageErrors(page) {
  const errors = [];
  page.on("pageerror", (error) => {
    if (BROWSER === "firefox" && FIREFOX_NETWORK_NOTE.test(String(error))) return;
    errors.push(error);
  });
  return errors;
}

/** A page on the project's server with the package loaded as `window.bws`. */
export async function packagePage(browser) {
  const page = await browser.newPage();
  const errors = pageErrors(page);
  await page.goto(`${HTTP}/`);
  await page.evaluate(async () => {
    const module = await import("/pkg/index.js");
    await module.default();
    window.bws = module;
  });
  page.uncaughtErrors = errors;
  return page;
}
