// masto.js 8's trends, suggestions and directory against a live Duostatus server: the trending
// statuses (paged by their Link header), tags and links the periodic task ranked, the viewer's
// follow suggestions (v2, and v1's plain accounts) with one dismissed, and the profile
// directory in both orders. Reads an access token from the environment, prints one JSON object
// of what the server answered, and exits non-zero if a step threw
// (tests/api/mastodon/test_e2e_masto_js_trends.py checks the answers against the database).
import { createRestAPIClient } from "masto";

const env = process.env;
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

async function main() {
  const client = createRestAPIClient({ url: env.MASTO_URL, accessToken: env.MASTO_TOKEN });
  await step("statuses", async () => (await client.v1.trends.statuses.list()).map((s) => s.id));
  await step("statusPages", async () => {
    const pages = [];
    for await (const page of client.v1.trends.statuses.list({ limit: 2 })) {
      pages.push(page.map((s) => s.id));
      if (pages.length > 10) break;
    }
    return pages;
  });
  await step("tags", async () => (await client.v1.trends.tags.list()).map((t) => ({
    name: t.name, url: t.url, today: t.history[0], days: t.history.length,
  })));
  await step("links", async () => (await client.v1.trends.links.list()).map((l) => ({
    url: l.url, title: l.title, today: l.history[0],
  })));
  await step("suggestions", async () => (await client.v2.suggestions.list()).map((s) => ({
    source: s.source, sources: s.sources, acct: s.account.acct,
  })));
  await step("suggestionsV1", async () => (await client.v1.suggestions.list()).map((a) => a.acct));
  await step("dismissed", async () => {
    const [first] = await client.v2.suggestions.list({ limit: 1 });
    await client.v1.suggestions.$select(first.account.id).remove();
    return { dismissed: first.account.acct,
             after: (await client.v2.suggestions.list()).map((s) => s.account.acct) };
  });
  await step("directoryActive", async () => (await client.v1.directory.list()).map((a) => a.acct));
  await step("directoryNew", async () => (
    await client.v1.directory.list({ order: "new", local: true, limit: 2, offset: 1 })
  ).map((a) => a.acct));
}

main()
  .then(() => console.log(JSON.stringify(out)))
  .catch(() => {
    console.log(JSON.stringify(out));
    process.exit(1);
  });
