// masto.js 8's streaming client against a live Duostatus streaming server (Node 20 needs
// --experimental-websocket for the global WebSocket masto.js uses). Dana follows Erin and
// listens on `user` and `public:local` (the token travels as the WebSocket subprotocol, as
// masto.js sends it); Erin posts and deletes through the REST API. Prints one JSON object of
// what arrived; exits non-zero if a step threw or timed out.
import { createRestAPIClient, createStreamingAPIClient } from "masto";

// masto.js 8 uses Promise.withResolvers (Node 22); Node 20, Debian's, lacks it.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = () => {
    let resolve;
    let reject;
    const promise = new Promise((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  };
}

const env = process.env;
const out = { steps: [] };

async function step(name, run) {
  try {
    out[name] = await run();
    out.steps.push(name);
  } catch (error) {
    out.error = { step: name, message: String(error && error.message) };
    throw error;
  }
}

function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// The next event of `iterator` that `wanted` accepts.
async function next(iterator, wanted, what) {
  return within(15000, (async () => {
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) throw new Error(`stream ended before ${what}`);
      if (wanted(value)) return value;
    }
  })(), what);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const dana = createRestAPIClient({ url: env.MASTO_URL, accessToken: env.MASTO_DANA_TOKEN });
  const erin = createRestAPIClient({ url: env.MASTO_URL, accessToken: env.MASTO_ERIN_TOKEN });
  const streaming = createStreamingAPIClient({
    streamingApiUrl: env.MASTO_STREAMING_URL, accessToken: env.MASTO_DANA_TOKEN, retry: false,
  });
  await step("followed", async () => {
    const relationship = await dana.v1.accounts.$select(env.MASTO_ERIN_ID).follow();
    return relationship.following;
  });
  const home = streaming.user.subscribe()[Symbol.asyncIterator]();
  const local = streaming.public.local.subscribe()[Symbol.asyncIterator]();
  // Start both iterators (each connects and subscribes), then let the subscriptions settle.
  const firstHome = home.next();
  const firstLocal = local.next();
  await sleep(1500);
  let posted;
  await step("posted", async () => {
    posted = await erin.v1.statuses.create({ status: "Live from masto.js", visibility: "public" });
    return posted.id;
  });
  await step("update", async () => {
    const first = await within(15000, firstHome, "the first home event");
    const event = first.value.event === "update" && first.value.payload.id === posted.id
      ? first.value
      : await next(home, (e) => e.event === "update" && e.payload.id === posted.id, "update");
    return { stream: event.stream, id: event.payload.id, content: event.payload.content,
             account: event.payload.account.acct };
  });
  await step("localUpdate", async () => {
    const first = await within(15000, firstLocal, "the first local event");
    return { stream: first.value.stream, event: first.value.event, id: first.value.payload.id };
  });
  await step("deleted", async () => {
    await erin.v1.statuses.$select(posted.id).remove();
    const event = await next(home, (e) => e.event === "delete", "delete");
    return { stream: event.stream, payload: event.payload };
  });
  // Erin favourites a status of Dana's: Dana's home stream tells her, as a notification.
  let mine;
  await step("mine", async () => {
    mine = await dana.v1.statuses.create({ status: "Favourite this", visibility: "public" });
    return mine.id;
  });
  await step("notification", async () => {
    await erin.v1.statuses.$select(mine.id).favourite();
    const event = await next(home, (e) => e.event === "notification", "notification");
    return { stream: event.stream, type: event.payload.type, account: event.payload.account.acct,
             status: event.payload.status.id, favourited: event.payload.status.favourited };
  });
  streaming.close();
}

main()
  .then(() => {
    console.log(JSON.stringify(out));
    process.exit(0);
  })
  .catch((error) => {
    if (!out.error) out.error = { message: String(error && error.message) };
    console.log(JSON.stringify(out));
    process.exit(1);
  });
