// masto.js 8's hashtag resources against a live Duostatus server: one account posts tagged
// statuses; another fetches the tag (its history), follows it, finds the tagged status in its
// home timeline without following the author, pages its followed tags by the Link header and
// unfollows; the author features tags (create, list, suggestions, feature/unfeature through the
// tag, the public list of an account's featured tags) and removes one. Reads two access tokens
// from the environment, prints one JSON object of what the server answered, and exits non-zero
// if a step threw (tests/api/mastodon/test_e2e_masto_js_tags.py checks it against the database).
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

const tag = (t) => ({ id: t.id, name: t.name, url: t.url, following: t.following,
                      featuring: t.featuring, history: t.history });
const featured = (f) => ({ id: f.id, name: f.name, url: f.url, statusesCount: f.statusesCount,
                           lastStatusAt: f.lastStatusAt });

async function main() {
  const author = createRestAPIClient({ url, accessToken: env.MASTO_AUTHOR_TOKEN });
  const reader = createRestAPIClient({ url, accessToken: env.MASTO_READER_TOKEN });
  await step("posted", async () => {
    const first = await author.v1.statuses.create({ status: "Foxes at dawn #Fox #dawn" });
    const second = await author.v1.statuses.create({ status: "More #fox", visibility: "unlisted" });
    return { first: first.id, second: second.id, tags: first.tags.map((t) => t.name) };
  });
  await step("fetched", async () => tag(await reader.v1.tags.$select("FOX").fetch()));
  await step("followed", async () => tag(await reader.v1.tags.$select("fox").follow()));
  await step("followedNew", async () => tag(await reader.v1.tags.$select("Brand_New").follow()));
  await step("home", async () => {
    const statuses = await reader.v1.timelines.home.list();
    return statuses.map((s) => s.id);
  });
  await step("followedPages", async () => {
    const pages = [];
    for await (const page of reader.v1.followedTags.list({ limit: 1 })) {
      pages.push(page.map((t) => [t.name, t.following]));
      if (pages.length > 10) break;
    }
    return pages;
  });
  await step("unfollowed", async () => tag(await reader.v1.tags.$select("brand_new").unfollow()));
  await step("featuredCreated", async () => featured(await author.v1.featuredTags.create({ name: "fox" })));
  await step("featuredList", async () => (await author.v1.featuredTags.list()).map(featured));
  await step("suggestions", async () => (await author.v1.featuredTags.suggestions.list()).map((t) => t.name));
  await step("featuredThroughTag", async () => tag(await author.v1.tags.$select("dawn").feature()));
  await step("publicFeatured", async () => {
    const me = await author.v1.accounts.verifyCredentials();
    return (await reader.v1.accounts.$select(me.id).featuredTags.list()).map(featured);
  });
  await step("unfeaturedThroughTag", async () => tag(await author.v1.tags.$select("dawn").unfeature()));
  await step("removed", async () => {
    await author.v1.featuredTags.$select(out.featuredCreated.id).remove();
    return (await author.v1.featuredTags.list()).map(featured);
  });
  await step("missing", async () => {
    try {
      await reader.v1.tags.$select("nobodyusedthis").fetch();
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
