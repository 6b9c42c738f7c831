// masto.js 8's account screens against a live Duostatus server, through masto.js's own methods:
// followers and following (paged by their Link header), updateCredentials with an avatar (a Blob
// of a PNG), fields and posting defaults, a note, pin/unpin and the endorsements, blocks, mutes,
// familiar followers and removeFromFollowers. Reads tokens and ids from the environment, prints
// one JSON object of what the server answered, and exits non-zero if a step threw
// (tests/api/mastodon/test_e2e_masto_js_accounts.py checks the answers against the database).
import { readFileSync } from "node:fs";
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

const ids = (accounts) => accounts.map((a) => a.id);

async function main() {
  const me = createRestAPIClient({ url, accessToken: env.MASTO_ME_TOKEN });
  const target = env.MASTO_TARGET_ID;
  const friend = env.MASTO_FRIEND_ID;
  const follower = env.MASTO_FOLLOWER_ID;
  await step("followers", async () => {
    const pages = [];
    for await (const page of me.v1.accounts.$select(target).followers.list({ limit: 2 })) {
      pages.push(ids(page));
      if (pages.length > 10) break;
    }
    return pages;
  });
  await step("following", async () => ids(await me.v1.accounts.$select(env.MASTO_ME_ID).following.list()));
  await step("updated", async () => {
    const png = readFileSync(env.MASTO_AVATAR);
    const account = await me.v1.accounts.updateCredentials({
      displayName: "Renamed by masto",
      note: "A bio\n\nin two paragraphs",
      avatar: new Blob([png], { type: "image/png" }),
      locked: false,
      fieldsAttributes: [{ name: "Site", value: "https://example.org" }],
      source: { privacy: "unlisted", sensitive: true, language: "fr" },
    });
    return {
      displayName: account.displayName, note: account.note, avatar: account.avatar,
      fields: account.fields, source: account.source && {
        privacy: account.source.privacy, sensitive: account.source.sensitive,
        language: account.source.language, note: account.source.note,
      },
    };
  });
  await step("posted", async () => {
    const status = await me.v1.statuses.create({ status: "uses my defaults" });
    return { visibility: status.visibility, sensitive: status.sensitive, language: status.language };
  });
  await step("noted", async () => (await me.v1.accounts.$select(friend).note.create({ comment: "from the park" })).note);
  await step("pinned", async () => (await me.v1.accounts.$select(friend).pin()).endorsed);
  await step("endorsements", async () => ids(await me.v1.endorsements.list()));
  await step("pinRefused", async () => {
    try {
      await me.v1.accounts.$select(target).pin();
      return { status: 200 };
    } catch (error) {
      return { status: error.statusCode, message: error.message };
    }
  });
  await step("unpinned", async () => (await me.v1.accounts.$select(friend).unpin()).endorsed);
  await step("familiar", async () => {
    // masto.js 8 types this as fetch(ids), but a bare array goes out as `0=<id>`; an object
    // gives Mastodon's `id[]=<id>`.
    const found = await me.v1.accounts.familiarFollowers.fetch({ id: [target] });
    return found.map((entry) => ({ id: entry.id, accounts: ids(entry.accounts) }));
  });
  await step("blocks", async () => {
    await me.v1.accounts.$select(env.MASTO_BLOCKED_ID).block();
    return ids(await me.v1.blocks.list());
  });
  await step("mutes", async () => {
    await me.v1.accounts.$select(env.MASTO_MUTED_ID).mute({ duration: 3600 });
    const muted = await me.v1.mutes.list();
    return muted.map((a) => ({ id: a.id, muteExpiresAt: a.muteExpiresAt ?? null }));
  });
  await step("removed", async () => {
    await me.v1.accounts.$select(follower).removeFromFollowers();
    const [relationship] = await me.v1.accounts.relationships.fetch({ id: [follower] });
    return relationship.followedBy;
  });
}

main().then(
  () => { console.log(JSON.stringify(out)); },
  () => { console.log(JSON.stringify(out)); process.exit(1); },
);
