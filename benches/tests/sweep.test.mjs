// The WebDriver size sweep's report (benches/sweep.mjs): ratios to raw web-sys and raw's spread.
import { test } from "node:test";
import assert from "node:assert/strict";
import { renderMarkdown } from "../sweep.mjs";

test("each row gives MB/s with the ratio to raw web-sys and raw's own spread", () => {
  const cell = (lib, samples, median) => ({ browser: "firefox", server: "plain", size: "1 MiB", lib, samples, median });
  const markdown = renderMarkdown({
    date: "2026-12-07T00:00:00.000Z",
    machine: { nproc: 2, cpu: "test" },
    load: { text: "0.1 when the run started." },
    reps: 3,
    libs: ["raw-web-sys", "browser-ws-stream-ab", "gloo-net"],
    sizes: [["1 MiB", 1048576, 32]],
    browsers: [{ name: "firefox", version: "153", driver: "geckodriver 0.37" }],
    servers: [{ id: "plain", label: "plain_echo" }],
    cells: [cell("raw-web-sys", [90, 100, 110], 100), cell("browser-ws-stream-ab", [95, 97, 99], 97)],
  });
  assert.match(markdown, /## firefox 153 \(geckodriver 0\.37\), plain_echo/);
  assert.match(markdown, /\| 1 MiB \| 100\.0 \(×1\.00\) \| 97\.0 \(×0\.97\) \| – \| 20% \|/);
});
