// masto.js 8's notification API (v1 and grouped v2), the notification policy and requests, and
// markers, against a live Duostatus server. Reads its inputs from the environment (a token of the
// reader), prints one JSON object of what the server answered, and exits non-zero if a step threw
// (tests/api/mastodon/test_e2e_masto_js_notifications.py checks the answers against the database).
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

const summary = (n) => ({ id: n.id, type: n.type, account: n.account.username,
                          status: n.status ? n.status.id : null, groupKey: n.groupKey });

async function main() {
  const masto = createRestAPIClient({ url: env.MASTO_URL, accessToken: env.MASTO_TOKEN });

  // v1: the list (with a filter), one notification, the unread count.
  await step("list", async () => (await masto.v1.notifications.list({ limit: 40 })).map(summary));
  await step("favourites", async () =>
    (await masto.v1.notifications.list({ types: ["favourite"] })).map(summary));
  await step("one", async () => summary(await masto.v1.notifications.$select(out.list[0].id).fetch()));
  await step("unreadBefore", async () => (await masto.v1.notifications.unreadCount.fetch()).count);

  // Markers: read up to the newest notification, then nothing is unread.
  await step("marked", async () => {
    const saved = await masto.v1.markers.create({ notifications: { lastReadId: out.list[0].id },
                                                 home: { lastReadId: "1" } });
    return { notifications: saved.notifications.lastReadId, version: saved.notifications.version,
             home: saved.home.lastReadId };
  });
  await step("markers", async () => {
    const read = await masto.v1.markers.fetch({ timeline: ["home", "notifications"] });
    return { home: read.home.lastReadId, notifications: read.notifications.lastReadId,
             updatedAt: read.notifications.updatedAt };
  });
  await step("unreadAfter", async () => (await masto.v1.notifications.unreadCount.fetch()).count);

  // v2: groups, one group, its accounts, the grouped unread count.
  await step("groups", async () => {
    const page = await masto.v2.notifications.list({ limit: 40 });
    return { groups: page.notificationGroups.map((g) => ({
               key: g.groupKey, type: g.type, count: g.notificationsCount,
               samples: g.sampleAccountIds, status: g.statusId || null,
               mostRecent: String(g.mostRecentNotificationId) })),
             accounts: page.accounts.map((a) => a.username).sort(),
             statuses: page.statuses.map((s) => s.id).sort() };
  });
  const grouped = out.groups.groups.find((g) => g.count > 1);
  await step("group", async () => {
    const one = await masto.v2.notifications.$select(grouped.key).fetch();
    return { key: one.notificationGroups[0].groupKey, count: one.notificationGroups[0].notificationsCount };
  });
  await step("groupAccounts", async () =>
    (await masto.v2.notifications.$select(grouped.key).accounts.fetch()).map((a) => a.username));
  await step("unreadGroups", async () => (await masto.v2.notifications.unreadCount.fetch()).count);

  // The policy and the requests of filtered senders.
  await step("policy", async () => await masto.v2.notifications.policy.fetch());
  await step("policyUpdated", async () =>
    await masto.v2.notifications.policy.update({ forNewAccounts: "filter" }));
  await step("requests", async () => (await masto.v1.notifications.requests.list()).map((r) => ({
    id: r.id, account: r.account.username, count: r.notificationsCount,
    lastStatus: r.lastStatus ? r.lastStatus.id : null })));
  await step("request", async () => {
    const request = await masto.v1.notifications.requests.$select(out.requests[0].id).fetch();
    return { id: request.id, account: request.account.username };
  });
  await step("accepted", async () => {
    await masto.v1.notifications.requests.$select(out.requests[0].id).accept();
    return (await masto.v1.notifications.requests.list()).length;
  });
  await step("merged", async () => (await masto.v1.notifications.requests.merged.fetch()).merged);
  await step("afterAccept", async () => (await masto.v1.notifications.list()).map(summary));

  // Dismiss one, dismiss a group, clear the rest.
  await step("dismissed", async () => {
    await masto.v1.notifications.$select(out.afterAccept[0].id).dismiss();
    await masto.v2.notifications.$select(grouped.key).dismiss();
    return (await masto.v1.notifications.list()).map(summary);
  });
  await step("cleared", async () => {
    await masto.v1.notifications.clear();
    return (await masto.v1.notifications.list()).length;
  });
}

main().then(
  () => { console.log(JSON.stringify(out)); },
  () => { console.log(JSON.stringify(out)); process.exit(1); },
);
