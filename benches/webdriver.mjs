// What the benches that drive several browsers share (send-path.mjs, sweep.mjs): a minimal W3C
// WebDriver client (fetch, no dependencies) for Chromium (chromedriver) and Firefox
// (geckodriver), starting servers that write their port to --port-file, killing every child on
// exit, and waiting for a quiet machine before measuring.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus, homedir, totalmem } from "node:os";
import { join } from "node:path";
import { freePort } from "../tests/js/free-port.mjs";

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const loadAverage = () => Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);

/** Every spawned driver and server: killed when the process exits. */
export const children = new Set();
process.on("exit", () => { for (const child of children) child.kill(); });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

/** One WebDriver command; throws with the driver's error and message. */
async function command(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok || json.value?.error) {
    throw new Error(`${method} ${path}: ${json.value?.error ?? response.status}: ${json.value?.message ?? ""}`);
  }
  return json.value;
}

const DRIVERS = {
  chromium: {
    binary: "/usr/bin/chromedriver",
    args: (port) => [`--port=${port}`],
    capabilities: {
      browserName: "chrome",
      "goog:chromeOptions": {
        binary: "/usr/bin/chromium",
        args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      },
    },
    driverVersion: (caps) => `chromedriver ${caps.chrome?.chromedriverVersion?.split(" ")[0] ?? "?"}`,
  },
  firefox: {
    binary: join(homedir(), ".cargo/bin/geckodriver"),
    args: (port) => ["--port", String(port)],
    capabilities: { browserName: "firefox", "moz:firefoxOptions": { args: ["-headless"] } },
    driverVersion: (caps) => `geckodriver ${caps["moz:geckodriverVersion"] ?? "?"}`,
  },
};

/**
 * Starts the browser's driver and a session; returns { version, driver, goto(url),
 * call(fnName, config), close() }. `call` waits until `window[fnName]` exists, then resolves
 * with what its promise resolves to (JSON round trip); a rejection throws.
 */
export async function openBrowser(name) {
  const spec = DRIVERS[name];
  const port = await freePort();
  const child = spawn(spec.binary, spec.args(port), { stdio: ["ignore", "ignore", "ignore"] });
  children.add(child);
  const base = `http://127.0.0.1:${port}`;
  let session = null;
  for (let i = 0; i < 100 && !session; i += 1) {
    try {
      await command(base, "GET", "/status");
      session = await command(base, "POST", "/session", { capabilities: { alwaysMatch: spec.capabilities } });
    } catch (error) {
      if (i === 99 || (error.message ?? "").includes("session not created")) throw error;
      await sleep(200);
    }
  }
  const id = session.sessionId;
  const caps = session.capabilities;
  await command(base, "POST", `/session/${id}/timeouts`, { script: 600000, pageLoad: 60000 });
  return {
    version: caps.browserVersion,
    driver: spec.driverVersion(caps),
    async goto(url) {
      await command(base, "POST", `/session/${id}/url`, { url });
    },
    async call(fnName, config) {
      const script = "const done = arguments[arguments.length - 1];"
        + `const wait = () => window.${fnName} ? window.${fnName}(arguments[0]).then(`
        + "(r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e && e.stack || e) })))"
        + " : setTimeout(wait, 20); wait();";
      const text = await command(base, "POST", `/session/${id}/execute/async`, { script, args: [config] });
      const result = JSON.parse(text);
      if (result?.error) throw new Error(`${name}: ${result.error}`);
      return result;
    },
    async close() {
      try {
        await command(base, "DELETE", `/session/${id}`);
      } finally {
        child.kill();
        children.delete(child);
      }
    },
  };
}

/** Where both echo servers are built (release, opt-level 3, as `npm run bench` builds the server). */
export const SERVERS_TARGET_DIR = "target/send-path";

/** Builds the project server and server/examples/plain_echo.rs into SERVERS_TARGET_DIR. */
export function buildServers(log) {
  log("building the project server and plain_echo (release, opt-level 3)");
  execFileSync("cargo", ["build", "--release", "--locked", "-p", "browser-ws-server", "--bin", "browser-ws-server",
    "--example", "plain_echo", "--target-dir", SERVERS_TARGET_DIR], {
    stdio: "inherit",
    env: { ...process.env, CARGO_PROFILE_RELEASE_OPT_LEVEL: "3" },
  });
}

/** Starts a server that writes its port to --port-file; resolves to the port. */
export async function startServer(binary, args, work, label) {
  const portFile = join(work, `${label}.port`);
  const child = spawn(binary, ["--port", "0", "--port-file", portFile, ...args], { stdio: ["ignore", "ignore", "inherit"] });
  children.add(child);
  for (let i = 0; i < 200; i += 1) {
    if (existsSync(portFile)) return Number(readFileSync(portFile, "utf8"));
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error(`${label} did not start`);
}

/**
 * Waits for the 1-minute load average to fall under `maxLoad` (at most `waitMin` minutes);
 * `log` reports each wait.
 */
export async function waitForQuiet(maxLoad, waitMin, log) {
  const started = Date.now();
  let value = loadAverage();
  while (value >= maxLoad && Date.now() - started < waitMin * 60000) {
    log(`load average ${value} ≥ ${maxLoad}: waiting`);
    await sleep(20000);
    value = loadAverage();
  }
  const waited = Math.round((Date.now() - started) / 1000);
  const quiet = value < maxLoad;
  return {
    quiet,
    start: value,
    waitedSeconds: waited,
    text: quiet
      ? `${value} when the run started (under ${maxLoad}, after waiting ${waited} s).`
      : `**${value} when the run started: still not under ${maxLoad} after waiting ${waitMin} minutes, so it ran anyway** (other people compile on this machine).`,
  };
}

export function machine() {
  let os = "Linux";
  try {
    os = readFileSync("/etc/os-release", "utf8").match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? os;
  } catch {}
  return {
    nproc: Number(execFileSync("nproc", { encoding: "utf8" }).trim()),
    cpu: cpus()[0]?.model ?? "?",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os,
  };
}
