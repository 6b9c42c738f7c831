// masto.js 8's filters against a live Duostatus server, through its own methods: a v2 filter
// created with keywordsAttributes, listed, fetched, updated (a keyword renamed, one destroyed,
// one added), its keywords and statuses endpoints, a status shown with `filtered`, the home
// timeline without the status a hide filter matches, the v1 view, and removal. Reads two access
// tokens from the environment, prints one JSON object of what the server answered, and exits
// non-zero if a step threw (tests/api/mastodon/test_e2e_masto_js_filters.py checks the answers
// against the database).
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

function shown(filter) {
  return {
    id: filter.id, title: filter.title, context: filter.context, filterAction: filter.filterAction,
    expiresAt: filter.expiresAt,
    keywords: (filter.keywords || []).map((k) => ({ id: k.id, keyword: k.keyword, wholeWord: k.wholeWord })),
    statuses: (filter.statuses || []).map((s) => ({ id: s.id, statusId: s.statusId })),
  };
}

async function main() {
  const owner = createRestAPIClient({ url, accessToken: env.MASTO_OWNER_TOKEN });
  const author = createRestAPIClient({ url, accessToken: env.MASTO_AUTHOR_TOKEN });
  let filter;
  await step("created", async () => {
    filter = await owner.v2.filters.create({
      title: "Dune spoilers", context: ["home", "public"], filterAction: "warn",
      expiresIn: 86400,
      keywordsAttributes: [{ keyword: "spice", wholeWord: true }, { keyword: "worm", wholeWord: false }],
    });
    return shown(filter);
  });
  await step("listed", async () => (await owner.v2.filters.list()).map(shown));
  await step("fetched", async () => shown(await owner.v2.filters.$select(filter.id).fetch()));
  await step("updated", async () => {
    const [spice, worm] = filter.keywords;
    return shown(await owner.v2.filters.$select(filter.id).update({
      title: "Arrakis", filterAction: "hide",
      keywordsAttributes: [
        { id: spice.id, keyword: "melange" }, { id: worm.id, _destroy: true },
        { keyword: "sandworm", wholeWord: true },
      ],
    }));
  });
  let keyword;
  await step("keywordAdded", async () => {
    keyword = await owner.v2.filters.$select(filter.id).keywords.create({ keyword: "fremen", wholeWord: false });
    return { id: keyword.id, keyword: keyword.keyword, wholeWord: keyword.wholeWord };
  });
  await step("keywords", async () => (await owner.v2.filters.$select(filter.id).keywords.list()).map((k) => k.keyword));
  await step("keywordFetched", async () => (await owner.v2.filters.keywords.$select(keyword.id).fetch()).keyword);
  await step("keywordUpdated", async () => {
    const updated = await owner.v2.filters.keywords.$select(keyword.id).update({ keyword: "Fremen", wholeWord: true });
    return { keyword: updated.keyword, wholeWord: updated.wholeWord };
  });
  await step("keywordRemoved", async () => {
    await owner.v2.filters.keywords.$select(keyword.id).remove();
    return (await owner.v2.filters.$select(filter.id).keywords.list()).map((k) => k.keyword);
  });
  let plain;
  let rule;
  await step("statusAdded", async () => {
    plain = await author.v1.statuses.create({ status: "A quiet morning on Caladan" });
    rule = await owner.v2.filters.$select(filter.id).statuses.create({ statusId: plain.id });
    return { id: rule.id, statusId: rule.statusId };
  });
  await step("statuses", async () => (await owner.v2.filters.$select(filter.id).statuses.list()).map((s) => s.statusId));
  await step("statusFetched", async () => (await owner.v2.filters.statuses.$select(rule.id).fetch()).statusId);
  await step("filtered", async () => {
    const matching = await author.v1.statuses.create({ status: "The melange must flow" });
    const seen = await owner.v1.statuses.$select(matching.id).fetch();
    const home = await owner.v1.timelines.home.list({ limit: 40 });
    return {
      matchingId: matching.id,
      results: seen.filtered.map((r) => ({
        filterId: r.filter.id, action: r.filter.filterAction, keywordMatches: r.keywordMatches,
        statusMatches: r.statusMatches,
      })),
      homeIds: home.map((s) => s.id),
      authorSees: (await author.v1.statuses.$select(matching.id).fetch()).filtered,
    };
  });
  await step("statusRemoved", async () => {
    await owner.v2.filters.statuses.$select(rule.id).remove();
    return (await owner.v2.filters.$select(filter.id).statuses.list()).length;
  });
  await step("v1", async () => {
    const created = await owner.v1.filters.create({ phrase: "Harkonnen", context: ["thread"], irreversible: true, wholeWord: true });
    const listed = (await owner.v1.filters.list()).map((f) => f.phrase);
    const updated = await owner.v1.filters.$select(created.id).update({ phrase: "Atreides", context: ["thread", "account"] });
    const fetched = await owner.v1.filters.$select(created.id).fetch();
    await owner.v1.filters.$select(created.id).remove();
    return {
      created: { id: created.id, phrase: created.phrase, irreversible: created.irreversible, wholeWord: created.wholeWord, context: created.context },
      listed, updated: { phrase: updated.phrase, context: updated.context }, fetched: fetched.phrase,
      afterRemove: (await owner.v1.filters.list()).map((f) => f.phrase),
    };
  });
  await step("removed", async () => {
    await owner.v2.filters.$select(filter.id).remove();
    try {
      await owner.v2.filters.$select(filter.id).fetch();
      return { status: 200 };
    } catch (error) {
      return { status: error.statusCode, message: String(error.message) };
    }
  });
}

main().then(
  () => { console.log(JSON.stringify(out)); },
  () => { console.log(JSON.stringify(out)); process.exit(1); },
);
