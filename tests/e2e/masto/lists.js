// masto.js 8's lists against a live Duostatus server, through its own methods: an account makes a
// list, renames it, puts an account it follows on it (and one it does not, which is refused),
// reads the members page by page, finds the list from the member's side, reads the list
// timeline, takes the member off and deletes the list. Reads an access token and two account ids
// from the environment, prints one JSON object of what the server answered, and exits non-zero
// if a step threw (tests/api/mastodon/test_e2e_masto_js_lists.py checks the answers against the
// database).
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

async function refused(run) {
  try {
    await run();
    return { status: 200 };
  } catch (error) {
    return { status: error.statusCode, message: error.message };
  }
}

async function main() {
  const client = createRestAPIClient({ url: env.MASTO_URL, accessToken: env.MASTO_TOKEN });
  const followed = env.MASTO_FOLLOWED_ID;
  const stranger = env.MASTO_STRANGER_ID;
  let list;
  await step("created", async () => {
    list = await client.v1.lists.create({ title: "Friends", repliesPolicy: "followed" });
    return list;
  });
  await step("blank", () => refused(() => client.v1.lists.create({ title: "" })));
  await step("updated", () => client.v1.lists.$select(list.id).update({ title: "Close friends", exclusive: true }));
  await step("fetched", () => client.v1.lists.$select(list.id).fetch());
  await step("listed", async () => (await client.v1.lists.list()).map((l) => l.id));
  await step("added", async () => {
    await client.v1.lists.$select(list.id).accounts.create({ accountIds: [followed] });
    return true;
  });
  await step("notFollowed", () => refused(
    () => client.v1.lists.$select(list.id).accounts.create({ accountIds: [stranger] })));
  await step("members", async () => (await client.v1.lists.$select(list.id).accounts.list()).map((a) => a.id));
  await step("memberOf", async () => (await client.v1.accounts.$select(followed).lists.list()).map((l) => l.id));
  await step("timeline", async () => {
    const pages = [];
    for await (const page of client.v1.timelines.list.$select(list.id).list({ limit: 2 })) {
      pages.push(page.map((s) => s.id));
      if (pages.length > 10) break;
    }
    return pages;
  });
  await step("removedMember", async () => {
    await client.v1.lists.$select(list.id).accounts.remove({ accountIds: [followed] });
    return (await client.v1.lists.$select(list.id).accounts.list()).map((a) => a.id);
  });
  await step("deleted", async () => {
    await client.v1.lists.$select(list.id).remove();
    return refused(() => client.v1.lists.$select(list.id).fetch());
  });
}

main().then(
  () => { console.log(JSON.stringify(out)); },
  () => { console.log(JSON.stringify(out)); process.exit(1); },
);
