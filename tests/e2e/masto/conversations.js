// masto.js 8's conversations against a live Duostatus server, as its own spec drives them: one
// account writes a direct status to another, who finds it in their conversations, reads it,
// marks it unread, pages through the list by its Link header and removes it. Reads two access
// tokens from the environment, prints one JSON object of what the server answered, and exits
// non-zero if a step threw (tests/api/mastodon/test_e2e_masto_js_conversations.py checks the
// answers against the database).
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

function shown(conversation) {
  return {
    id: conversation.id, unread: conversation.unread,
    accounts: conversation.accounts.map((a) => a.acct),
    lastStatusId: conversation.lastStatus ? conversation.lastStatus.id : null,
    lastStatusVisibility: conversation.lastStatus ? conversation.lastStatus.visibility : null,
  };
}

async function main() {
  const writer = createRestAPIClient({ url, accessToken: env.MASTO_WRITER_TOKEN });
  const reader = createRestAPIClient({ url, accessToken: env.MASTO_READER_TOKEN });
  await step("sent", async () => {
    const status = await writer.v1.statuses.create({
      status: `@${env.MASTO_READER} Hi, just you and me`, visibility: "direct",
    });
    return { id: status.id, visibility: status.visibility };
  });
  let found;
  await step("listed", async () => {
    const conversations = await reader.v1.conversations.list();
    found = conversations.find((c) => c.lastStatus && c.lastStatus.id === out.sent.id);
    return { count: conversations.length, found: found ? shown(found) : null };
  });
  await step("read", async () => shown(await reader.v1.conversations.$select(found.id).read()));
  await step("unread", async () => shown(await reader.v1.conversations.$select(found.id).unread()));
  await step("paged", async () => {
    // Two at a time, following the Link header's `next` to the end.
    const pages = [];
    for await (const page of reader.v1.conversations.list({ limit: 2 })) {
      pages.push(page.map((c) => c.id));
      if (pages.length > 10) break;
    }
    return pages;
  });
  await step("removed", async () => {
    await reader.v1.conversations.$select(found.id).remove();
    const after = await reader.v1.conversations.list();
    const mine = await writer.v1.conversations.list();
    return {
      readerStillHasIt: after.some((c) => c.id === found.id),
      writerHas: mine.filter((c) => c.lastStatus && c.lastStatus.id === out.sent.id).map(shown),
    };
  });
  await step("removedAgain", async () => {
    try {
      await reader.v1.conversations.$select(found.id).remove();
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
