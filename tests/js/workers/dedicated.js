// A dedicated module worker for tests/js/workers.test.mjs: each message { flow, arg } runs that
// flow (flows.js) and posts back { result } or { error }.
import { described, flows, load } from "./flows.js";

self.onmessage = async ({ data: { flow, arg } }) => {
  try {
    await load();
    self.postMessage({ result: await flows[flow](arg) });
  } catch (error) {
    self.postMessage({ error: described(error) });
  }
};
