// masto.js 8's search against a live Duostatus server, through its own methods:
// `v2.search.list` (statuses with operators, accounts, hashtags), `v1.accounts.search.list` and
// `v1.accounts.lookup` (found, and the 404 of an unknown name). Reads the searcher's access token
// from the environment, prints one JSON object of what the server answered, and exits non-zero
// if a step threw (tests/api/mastodon/test_e2e_masto_js_search.py checks it against the database).
import { createRestAPIClient } from "masto";

const env = process.env;
const url = env.MASTO_URL;
const out = { steps: [] };

async function step(name, run) {
  try {
    out[name] = await run();
    out.steps.push(name);
  } catch (error) {
    out.error = { step: name, message: String(error && error.message), status: error && error.statusCode };
    throw error;
  }
}

const ids = (statuses) => statuses.map((s) => s.id);

async function main() {
  const searcher = createRestAPIClient({ url, accessToken: env.MASTO_TOKEN });
  const anonymous = createRestAPIClient({ url });
  await step("word", async () => ids((await searcher.v2.search.list({ q: "kestrel", type: "statuses" })).statuses));
  await step("fromMe", async () => ids((await searcher.v2.search.list({ q: "kestrel from:me" })).statuses));
  await step("phrase", async () => ids((await searcher.v2.search.list({ q: '"kestrel hovers"' })).statuses));
  await step("paged", async () => ids((await searcher.v2.search.list({ q: "kestrel", type: "statuses", limit: 1, offset: 1 })).statuses));
  await step("accounts", async () => {
    const found = await searcher.v2.search.list({ q: "kestrel_", type: "accounts" });
    return found.accounts.map((a) => a.acct);
  });
  await step("hashtags", async () => {
    const found = await searcher.v2.search.list({ q: "#raptor", type: "hashtags" });
    return found.hashtags.map((t) => ({ name: t.name, days: t.history.length, uses: t.history[0].uses }));
  });
  await step("accountsSearch", async () => (await searcher.v1.accounts.search.list({ q: "kestrel_" })).map((a) => a.acct));
  await step("lookup", async () => (await anonymous.v1.accounts.lookup({ acct: "kestrel_fan" })).id);
  await step("lookupMissing", async () => {
    try {
      await anonymous.v1.accounts.lookup({ acct: "nobody_here" });
      return { status: 200 };
    } catch (error) {
      return { status: error.statusCode, message: error.message };
    }
  });
}

main().then(
  () => { console.log(JSON.stringify(out)); },
  () => { console.log(JSON.stringify(out)); process.exit(1); },
);
