// Shared set-up of the JS tests: the project's server (started by scripts/test) and Debian's
// Chromium driven by playwright-core (Playwright cannot download its own browsers here).
import { chromium } from "playwright-core";

import { freePort } from "./free-port.mjs";

export const HTTP = process.env.BROWSER_WS_HTTP ?? "http://127.0.0.1:8080";
/** A loopback port nothing listens on (scripts/test picks one; else it is found here). */
export const CLOSED_PORT = process.env.BROWSER_WS_CLOSED_PORT ?? await freePort();

/**
 * Headless Chromium. `exposeGc` adds `--js-flags=--expose-gc`, so pages can call `gc()` (a full
 * collection; FinalizationRegistry callbacks then run as later tasks).
 */
export async function launch({ exposeGc = false } = {}) {
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

/** A page on the project's server with the package loaded as `window.bws`. */
export async function packagePage(browser) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(`${HTTP}/`);
  await page.evaluate(async () => {
    const module = await import("/pkg/index.js");
    await module.default();
    window.bws = module;
  });
  page.uncaughtErrors = errors;
  return page;
}
