// Copies docs/bench/results.md and the chart into README.md between the bench markers, so
// the README always shows the latest `npm run bench` figures.
import { readFileSync, writeFileSync } from "node:fs";

const results = readFileSync("docs/bench/results.md", "utf8").trim();
const readme = readFileSync("README.md", "utf8");
const start = "<!-- bench:start -->";
const end = "<!-- bench:end -->";
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
if (!readme.includes(start) || !readme.includes(end)) throw new Error("README.md lacks the bench markers");
writeFileSync("README.md", `${before}\n![Throughput relative to raw web-sys](docs/bench/chart.svg)\n\n${results}\n${after}`);
console.log("README.md: benchmark section updated");
