// Proves, in headless Chromium against the project's server (its /steps route logs every
// connection with its query, offered subprotocols, arrival time and close), the reconnecting
// `Socket`'s real-world behaviour: a URL function called before every attempt (each URL's
// token new; a rejection is the cause "provider" and is retried; `{ url, protocols }` offers its
// own subprotocols); `reconnect.policy` answering "stop" (no further attempt), a delay (the
// next attempt no earlier) or "retry", and the default waiting `maxDelay` after 1013; offline
// (Playwright's `setOffline`): no attempt while offline, state "offline", and back within
// 200 ms of the `online` event without waiting out the delay; at a resume (`resume`,
// `visibilitychange`, `pageshow` dispatched in the page, see `resume()`): a waiting retry runs
// at once, and a silently dead connection is found by a heartbeat ping, not after the
// interval; `checkOnResume: false` keeps the delay.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { HTTP, launch, pageErrors } from "./harness.mjs";

const WS = HTTP.replace(/^http/, "ws");
let browser;
let context;
let page;
/** A page in another context, never offline, that reads the server's log. */
let observer;

before(async () => {
  browser = await launch();
  context = await browser.newContext();
  page = await context.newPage();
  observer = await (await browser.newContext()).newPage();
  await observer.goto(`${HTTP}/`);
  page.uncaughtErrors = pageErrors(page);
  await page.goto(`${HTTP}/`);
  await page.evaluate(async () => {
    const module = await import("/pkg/index.js");
    await module.default();
    window.bws = module;
    window.until = async (condition, what, ms = 10_000) => {
      const deadline = performance.now() + ms;
      while (!condition()) {
        if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    window.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    window.reported = [];
    window.addEventListener("error", (event) => window.reported.push(String(event.error?.message ?? event.message)));
  });
});

after(async () => {
  // The policy that answers "later" is reported on purpose; nothing else may be.
  const unexpected = page.uncaughtErrors.map(String).filter((e) => !/reconnect\.policy must return/.test(e));
  assert.deepEqual(unexpected, [], "no uncaught errors in the page");
  await browser?.close();
});

/** Runs `fn(bws, arg)` in the page. */
function run(fn, arg) {
  return page.evaluate(
    async ([source, arg]) => {
      const fn = new Function(`return (${source})`)();
      return fn(window.bws, arg);
    },
    [fn.toString(), arg],
  );
}

/** The server's log of `/steps?id=ID` connections (read by the observer's native WebSocket). */
async function stepsLog(id, waitFor = 0) {
  return observer.evaluate(
    async ([ws, id, waitFor]) =>
      new Promise((resolve, reject) => {
        const log = new WebSocket(`${ws}/steps-log?id=${id}&wait_for=${waitFor}`);
        log.onmessage = (event) => resolve(JSON.parse(event.data));
        log.onerror = () => reject(new Error("the log route failed"));
      }),
    [WS, id, waitFor],
  );
}

const unique = (name) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
const token = (entry) => new URLSearchParams(entry.query).get("token");
const FAST = { initialDelay: 20, maxDelay: 100 };

describe("URL function", { timeout: 30_000 }, () => {
  test("is called before every attempt: each connection carries a new token", async () => {
    const id = unique("js-provider");
    const result = await run(async ({ Socket }, [id, fast]) => {
      let calls = 0;
      const socket = new Socket(() => `/steps?id=${id}&do=close:4001,close:4002,echo&token=t${++calls}`, {
        reconnect: fast,
      });
      const urlBefore = socket.url;
      // The first two connections open and are closed at once by the server.
      await window.until(() => calls === 3 && socket.readyState === 1, "the third connection open");
      const url = socket.url;
      socket.close();
      return { calls, urlBefore, url };
    }, [id, FAST]);
    const log = await stepsLog(id, 3);
    assert.deepEqual(log.map(token), ["t1", "t2", "t3"]);
    assert.equal(result.calls, 3);
    assert.equal(result.urlBefore, "");
    assert.match(result.url, /^ws:\/\/.*token=t3$/);
  });

  test("an async URL function that rejects once: cause \"provider\", retried, its own subprotocols", async () => {
    const id = unique("js-provider-async");
    const result = await run(async ({ Socket }, [id, fast]) => {
      let calls = 0;
      const states = [];
      const contexts = [];
      const socket = new Socket(
        async () => {
          calls += 1;
          await window.sleep(20);
          if (calls === 1) throw new Error("token server down");
          return { url: `/steps?id=${id}&do=echo&token=a${calls}`, protocols: ["chat.v2", `call.${calls}`] };
        },
        { reconnect: { ...fast, policy: (context) => (contexts.push(context), "retry") } },
      );
      socket.addEventListener("state", (event) => states.push(event.detail));
      await window.until(() => socket.readyState === 1, "open");
      const protocol = socket.protocol;
      socket.close();
      return { states, contexts, protocol };
    }, [id, FAST]);
    assert.equal(result.contexts.length, 1);
    assert.deepEqual(
      { cause: result.contexts[0].cause, error: result.contexts[0].error, close: result.contexts[0].close },
      { cause: "provider", error: "Error: token server down", close: undefined },
    );
    const reconnecting = result.states.find((state) => state.state === "reconnecting");
    assert.deepEqual(reconnecting.cause, { type: "provider", error: "Error: token server down" });
    const log = await stepsLog(id, 1);
    assert.equal(log.length, 1, "the failed call made no connection");
    assert.equal(token(log[0]), "a2");
    assert.equal(log[0].protocols, "chat.v2, call.2");
    assert.equal(result.protocol, "chat.v2");
  });

  test("needs reconnect; a non-URL result fails the attempt with a clear error", async () => {
    const result = await run(async ({ Socket }) => {
      let thrown;
      try {
        new Socket(() => "/echo");
      } catch (error) {
        thrown = `${error.name}: ${error.message}`;
      }
      const socket = new Socket(() => 42, { reconnect: { policy: () => "stop" } });
      const closed = await socket.closed;
      const detail = socket.state;
      return { thrown, closed, detail };
    });
    assert.match(result.thrown, /^TypeError: a URL function needs reconnect/);
    assert.equal(result.closed.code, 1006);
    assert.equal(result.detail.state, "closed");
  });
});

describe("reconnect.policy", { timeout: 30_000 }, () => {
  test("\"stop\": no further attempt", async () => {
    const id = unique("js-policy-stop");
    const closed = await run(async ({ Socket }, id) => {
      const socket = new Socket(`/steps?id=${id}&do=close:4001,echo`, { reconnect: { policy: () => "stop" } });
      return socket.closed;
    }, id);
    assert.equal(closed.code, 4001);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = await stepsLog(id);
    assert.equal(log.length, 1);
    assert.equal(log[0].end, "4001 step 0");
  });

  test("a delay: the next attempt no earlier; 0: at once; \"retry\": the backoff", async () => {
    const id = unique("js-policy-delay");
    const delays = await run(async ({ Socket }, id) => {
      const answers = [400, 0, "retry"];
      const delays = [];
      const socket = new Socket(`/steps?id=${id}&do=close:4001,close:4002,close:4003,echo`, {
        reconnect: { initialDelay: 50, maxDelay: 50, policy: (context) => answers[context.failures - 1] },
      });
      let opens = 0;
      socket.onopen = () => (opens += 1);
      socket.onstate = (event) => event.detail.state === "reconnecting" && delays.push(event.detail.delay);
      await window.until(() => opens === 4, "the fourth connection open");
      socket.close();
      return delays;
    }, id);
    const log = await stepsLog(id, 4);
    assert.ok(log[1].at - log[0].at >= 400, `400 ms asked, ${log[1].at - log[0].at} ms waited`);
    assert.ok(log[2].at - log[1].at < 300, `0 asked, ${log[2].at - log[1].at} ms waited`);
    assert.deepEqual(delays.slice(0, 2), [400, 0]);
    assert.ok(delays[2] >= 0 && delays[2] <= 50, `backoff delay ${delays[2]}`);
  });

  test("the default waits at least maxDelay after 1013, and an answer that is not one stops (reported)", async () => {
    const id = unique("js-policy-1013");
    const result = await run(async ({ Socket }, id) => {
      const socket = new Socket(`/steps?id=${id}&do=close:1013,echo`, { reconnect: { initialDelay: 10, maxDelay: 600 } });
      const states = [];
      let opens = 0;
      socket.onopen = () => (opens += 1);
      socket.onstate = (event) => states.push(event.detail);
      await window.until(() => opens === 2, "the second connection open");
      socket.close();
      const odd = new Socket(`/close?code=4000`, { reconnect: { policy: () => "later" } });
      const closed = await odd.closed;
      await window.sleep(0);
      return { states, closed, reported: window.reported.slice() };
    }, id);
    const log = await stepsLog(id, 2);
    assert.ok(log[1].at - log[0].at >= 600, `1013 waited ${log[1].at - log[0].at} ms`);
    assert.ok(result.states.find((state) => state.state === "reconnecting").delay >= 600);
    assert.equal(result.closed.code, 4000);
    assert.ok(result.reported.some((message) => /reconnect\.policy must return/.test(message)), result.reported.join("\n"));
  });

  test("policy and shouldReconnect together are refused", async () => {
    const message = await run(async ({ Socket }) => {
      try {
        new Socket("/echo", { reconnect: { policy: () => "stop", shouldReconnect: () => false } });
      } catch (error) {
        return `${error.name}: ${error.message}`;
      }
    });
    assert.match(message, /^TypeError: give reconnect\.policy or reconnect\.shouldReconnect/);
  });
});

describe("network and page lifecycle", { timeout: 60_000 }, () => {
  /** Opens `window.live` to `path` with `options`, recording its states with times. */
  async function openLive(path, options, waitOpen = true) {
    await run(async ({ Socket }, [path, options, waitOpen]) => {
      // `fixedDelay` (functions cannot cross into the page): a policy that always waits that long.
      const { fixedDelay, ...reconnect } = options.reconnect;
      if (fixedDelay !== undefined) options = { ...options, reconnect: { ...reconnect, policy: () => fixedDelay } };
      window.live?.close();
      window.live = new Socket(path, options);
      const states = [];
      window.states = states;
      window.live.onstate = (event) => states.push({ ...event.detail, at: Date.now() });
      if (waitOpen) await window.until(() => window.live.readyState === 1, "open");
    }, [path, options, waitOpen]);
  }

  test("offline: no attempt and no delay spent while offline; state \"offline\"", async () => {
    const id = unique("js-offline");
    // The first connection is closed by the server after 700 ms; retries would come every 20-50 ms.
    await openLive(`/steps?id=${id}&do=hold:700:1001,echo`, { reconnect: { initialDelay: 50, maxDelay: 50 } });
    await context.setOffline(true);
    try {
      const result = await run(async () => {
        await window.until(() => window.states.some((state) => state.state === "offline"), "the offline state", 5_000);
        await window.sleep(800);
        return { states: window.states.map(({ state, attempt, cause }) => ({ state, attempt, cause })), readyState: window.live.readyState };
      });
      const offline = result.states.find((state) => state.state === "offline");
      assert.deepEqual(offline, {
        state: "offline",
        attempt: 1,
        cause: { type: "closed", code: 1001, reason: "step 0", wasClean: true },
      });
      assert.deepEqual(result.states.map((state) => state.state), ["open", "offline"], "no attempt, no reconnecting delay");
      assert.equal(result.readyState, 0, "CONNECTING while waiting for the network");
      assert.equal((await stepsLog(id)).length, 1, "the server saw no attempt while offline");
    } finally {
      await context.setOffline(false);
    }
    await run(() => window.until(() => window.live.readyState === 1, "open again"));
    await run(() => window.live.close());
  });

  test("online: the next attempt starts within 200 ms of the online event, the delay not waited out", async () => {
    const id = unique("js-online");
    await openLive(`/steps?id=${id}&do=hold:500:1001,echo`, { reconnect: { initialDelay: 10_000, maxDelay: 10_000, factor: 1 } });
    await context.setOffline(true);
    await run(() => window.until(() => window.states.some((state) => state.state === "offline"), "the offline state", 5_000));
    await run(() => {
      window.onlineAt = undefined;
      window.addEventListener("online", () => (window.onlineAt = Date.now()), { once: true });
    });
    await context.setOffline(false);
    const result = await run(async () => {
      await window.until(() => window.live.readyState === 1, "open again", 5_000);
      const open = window.states.findLast((state) => state.state === "open");
      return { onlineAt: window.onlineAt, openAt: open.at, states: window.states.map((state) => state.state) };
    });
    const log = await stepsLog(id, 2);
    assert.ok(result.onlineAt, "the online event fired");
    assert.ok(log[1].at - result.onlineAt < 200, `the attempt reached the server ${log[1].at - result.onlineAt} ms after online`);
    assert.ok(result.openAt - result.onlineAt < 200, `open ${result.openAt - result.onlineAt} ms after online`);
    assert.deepEqual(result.states, ["open", "offline", "connecting", "open"]);
    await run(() => window.live.close());
  });

  /**
   * Resumes the page after `ms`: the events a browser fires when a frozen page resumes
   * (`resume`), a hidden one is shown (`visibilitychange`) or one comes back from the
   * back/forward cache (`pageshow`, persisted), dispatched in the page. This Chromium under
   * Playwright fires none of them for `Page.setWebLifecycleState` or a minimized window
   * (headless or under Xvfb: measured), so the events are the page's, the socket and server real.
   */
  async function resume(ms, kind) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await page.evaluate((kind) => {
      if (kind === "resume") document.dispatchEvent(new Event("resume"));
      if (kind === "visibilitychange") document.dispatchEvent(new Event("visibilitychange"));
      if (kind === "pageshow") window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    }, kind);
  }

  for (const kind of ["resume", "visibilitychange", "pageshow"]) test(`${kind}: a waiting retry runs at once`, async () => {
    const id = unique("js-resume-retry");
    // The first connection closes at once; the policy asks for a 10 s wait.
    await openLive(`/steps?id=${id}&do=close:1001,echo`, { reconnect: { fixedDelay: 10_000 } }, false);
    await run(() => window.until(() => window.states.some((state) => state.state === "reconnecting"), "reconnecting", 5_000));
    const waiting = await run(() => window.states.findLast((state) => state.state === "reconnecting").delay);
    const resumedAt = Date.now() + 200;
    await resume(200, kind);
    await run(() => window.until(() => window.live.readyState === 1, "open after the resume", 5_000));
    const log = await stepsLog(id, 2);
    const lag = log[1].at - resumedAt;
    assert.ok(lag < 1_000, `the retry reached the server ${lag} ms after the resume (its delay: ${waiting} ms)`);
    await run(() => window.live.close());
  });

  test("resume: a silently dead connection is found by a ping at once, not after the interval", async () => {
    const id = unique("js-resume-heartbeat");
    // `silent` answers nothing: only a ping's timeout can tell. The interval is 30 s.
    await openLive(`/steps?id=${id}&do=silent,echo`, {
      reconnect: { initialDelay: 10, maxDelay: 10 },
      heartbeat: { message: "ping", interval: 30_000, timeout: 500 },
    });
    const resumedAt = Date.now() + 300;
    await resume(300, "resume");
    const result = await run(async () => {
      await window.until(
        () => window.states.some((state) => state.state === "reconnecting" && state.cause.type === "heartbeat-timeout"),
        "the heartbeat timeout",
        5_000,
      );
      return window.states.find((state) => state.state === "reconnecting").at;
    });
    const lag = result - resumedAt;
    assert.ok(lag >= 400 && lag < 2_000, `found dead ${lag} ms after the resume (timeout 500 ms, interval 30 s)`);
    await run(() => window.until(() => window.live.readyState === 1, "open again"));
    await run(() => window.live.close());
  });

  test("checkOnResume: false keeps the retry's delay after a resume", async () => {
    const id = unique("js-resume-off");
    await openLive(`/steps?id=${id}&do=close:1001,echo`, {
      reconnect: { fixedDelay: 3_000, checkOnResume: false },
    }, false);
    await run(() => window.until(() => window.states.some((state) => state.state === "reconnecting"), "reconnecting", 5_000));
    const delay = await run(() => window.states.findLast((state) => state.state === "reconnecting").delay);
    await resume(100, "resume");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = await stepsLog(id);
    assert.equal(delay, 3_000);
    assert.equal(log.length, 1, "no attempt at the resume");
    await run(() => window.live.close());
  });
});
