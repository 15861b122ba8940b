// The send-path bench (issue 25): does `ws.send(new Blob([view]))` beat `ws.send(view)`, and
// from what size? Raw JS in both browsers, against two echo servers.
//
//   node benches/send-path.mjs                  the full matrix; writes docs/bench/send-path.{json,md,svg}
//   node benches/send-path.mjs --render         rewrites the .md and .svg from the .json
//   node benches/send-path.mjs --merge-rerun F  records run F (another run's send-path.json) in
//                                              the .json as the other run (the noise section)
//
// Environment: SEND_PATH_OUT (default docs/bench), SEND_PATH_SCALE (default 1: fewer bytes per
// run below 1), SEND_PATH_REPS (3), SEND_PATH_BROWSERS (chromium,firefox), SEND_PATH_SIZES
// (bytes, comma-separated; default all seven), SEND_PATH_MAX_LOAD (0.7) and SEND_PATH_WAIT_MIN
// (15): before measuring it waits, polling every 20 s, for the 1-minute load average to drop
// under MAX_LOAD, at most WAIT_MIN minutes (then it runs anyway and says so in the report);
// SEND_PATH_SKIP_BUILD=1 uses the last build.
//
// It builds the project server and server/examples/plain_echo.rs (release, opt-level 3 as
// `npm run bench` builds the server; its own target dir target/send-path so it neither waits
// for nor replaces anyone's build), starts both on loopback, and drives Chromium (chromedriver)
// and Firefox (geckodriver) through the minimal W3C WebDriver client in webdriver.mjs.
// Each call into the page (benches/send-path/page.html, `window.runSendPath`) measures one mode
// at one size on one server (both paths, every repetition) on a freshly loaded page; the two
// servers alternate from call to call, so neither always runs first.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MODES, REPETITIONS, SIZES, TARGET, messageCount, sizeLabel } from "./send-path/plan.mjs";
import { keptInterpretation, renderMarkdown, renderSvg } from "./send-path/report.mjs";
import { SERVERS_TARGET_DIR, buildServers, children, loadAverage, machine, openBrowser, startServer, waitForQuiet } from "./webdriver.mjs";

export const COMMAND = "node benches/send-path.mjs";
const OUT = process.env.SEND_PATH_OUT ?? "docs/bench";
const SCALE = Number(process.env.SEND_PATH_SCALE ?? 1);
const REPS = Number(process.env.SEND_PATH_REPS ?? REPETITIONS);
const BROWSERS = (process.env.SEND_PATH_BROWSERS ?? "chromium,firefox").split(",");
const ONLY_SIZES = process.env.SEND_PATH_SIZES?.split(",").map(Number);
const MAX_LOAD = Number(process.env.SEND_PATH_MAX_LOAD ?? 0.7);
const WAIT_MIN = Number(process.env.SEND_PATH_WAIT_MIN ?? 15);
const TARGET_DIR = SERVERS_TARGET_DIR;

const log = (...args) => console.log(`[send-path ${new Date().toISOString().slice(11, 19)}]`, ...args);

// --- the run ----------------------------------------------------------------------------------

function write(results) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "send-path.json"), `${JSON.stringify(results, null, 1)}\n`);
  render(results);
}

function render(results) {
  const mdPath = join(OUT, "send-path.md");
  const kept = existsSync(mdPath) ? keptInterpretation(readFileSync(mdPath, "utf8")) : null;
  writeFileSync(mdPath, `${renderMarkdown(results, kept)}\n`);
  writeFileSync(join(OUT, "send-path.svg"), renderSvg(results));
  log(`wrote ${OUT}/send-path.{json,md,svg}`);
}

async function run() {
  if (process.env.SEND_PATH_SKIP_BUILD !== "1") buildServers(log);
  const work = mkdtempSync(join(tmpdir(), "send-path-"));
  const http = await startServer(join(TARGET_DIR, "release/browser-ws-server"),
    ["--root", ".", "--mount", "/benches/=benches"], work, "project");
  const plain = await startServer(join(TARGET_DIR, "release/examples/plain_echo"), [], work, "plain");
  const servers = [
    { id: "project", label: "the project server's /echo (axum; feeds replies, flushes when no further message is ready)", url: `ws://127.0.0.1:${http}/echo` },
    { id: "plain", label: "server/examples/plain_echo.rs (tokio-tungstenite, one send().await per message)", url: `ws://127.0.0.1:${plain}/` },
  ];
  const page = `http://127.0.0.1:${http}/benches/send-path/page.html`;
  const sizes = ONLY_SIZES ?? SIZES;
  const calls = MODES.length * sizes.length * servers.length;
  const megabytes = MODES.reduce((sum, mode) => sum + sizes.reduce((s, size) => s + messageCount(size, mode, SCALE) * size, 0), 0)
    * servers.length * 2 * REPS / 2 ** 20;
  log(`${BROWSERS.length} browsers × ${calls} calls, ${Math.round(megabytes)} MiB sent per browser`);

  const load = await waitForQuiet(MAX_LOAD, WAIT_MIN, log);
  log(`load ${load.text}`);
  const samples = [{ when: "start", value: load.start }];
  const started = Date.now();
  const sampler = setInterval(() => samples.push({ when: `+${Math.round((Date.now() - started) / 60000)} min`, value: loadAverage() }), 60000);
  const browsers = [];
  const cells = [];
  try {
    for (const name of BROWSERS) {
      const browser = await openBrowser(name);
      log(`${name} ${browser.version} (${browser.driver})`);
      let userAgent = null;
      try {
        let call = 0;
        for (const mode of MODES) {
          for (const [sizeIndex, size] of sizes.entries()) {
            const order = sizeIndex % 2 === 0 ? servers : [...servers].reverse();
            for (const server of order) {
              call += 1;
              await browser.goto(`${page}?ws=${encodeURIComponent(server.url)}`);
              const t0 = Date.now();
              const result = await browser.call("runSendPath", { sizes: [size], modes: [mode], reps: REPS, scale: SCALE });
              userAgent = result.userAgent;
              for (const cell of result.cells) cells.push({ browser: name, server: server.id, ...cell });
              const brief = result.cells.map((c) => `${c.path} ${c.median.toFixed(0)}`).join(", ");
              log(`${name} ${call}/${calls} ${server.id} ${mode} ${sizeLabel(size)}: ${brief} MB/s (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
            }
          }
        }
      } finally {
        await browser.close();
      }
      browsers.push({ name, version: browser.version, driver: browser.driver, userAgent });
    }
  } finally {
    clearInterval(sampler);
    for (const child of children) child.kill();
    rmSync(work, { recursive: true, force: true });
  }
  samples.push({ when: `end (+${Math.round((Date.now() - started) / 60000)} min)`, value: loadAverage() });
  const notes = [];
  if (!load.quiet) notes.push(`The machine never got quiet (load ${load.start} after ${WAIT_MIN} minutes of waiting): these figures were measured under other people's load.`);
  if (SCALE !== 1) notes.push(`Scaled run: every run sends ${SCALE} × the planned bytes.`);
  const results = {
    date: new Date().toISOString(),
    command: COMMAND,
    machine: machine(),
    scale: SCALE,
    repetitions: REPS,
    target: TARGET,
    load: { maxLoad: MAX_LOAD, quiet: load.quiet, start: load.start, waitedSeconds: load.waitedSeconds, waited: load.text, samples },
    minutes: Math.round((Date.now() - started) / 6000) / 10,
    browsers,
    servers,
    notes,
    cells,
  };
  write(results);
}

const args = process.argv.slice(2);
if (args[0] === "--render") {
  render(JSON.parse(readFileSync(join(OUT, "send-path.json"), "utf8")));
} else if (args[0] === "--merge-rerun") {
  const results = JSON.parse(readFileSync(join(OUT, "send-path.json"), "utf8"));
  const second = JSON.parse(readFileSync(args[1], "utf8"));
  results.rerun = { date: second.date, load: second.load, minutes: second.minutes, browsers: second.browsers, cells: second.cells };
  write(results);
} else if (args.length === 0) {
  await run();
} else {
  console.error(`unknown arguments: ${args.join(" ")}\nusage: ${COMMAND} [--render | --merge-rerun FILE]`);
  process.exit(2);
}
