// masto.js 8 reads the instance's extras as a Mastodon web app does at start-up: preferences,
// custom emojis and announcements, then reacts to and dismisses an announcement. Prints one JSON
// object of what the server answered (tests/instance_extras/test_e2e_masto_js.py checks it).
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
  const masto = createRestAPIClient({ url: env.MASTO_URL, accessToken: env.MASTO_TOKEN });
  await step("preferences", async () => await masto.v1.preferences.fetch());
  await step("emojis", async () => await masto.v1.customEmojis.list());
  await step("announcements", async () => await masto.v1.announcements.list());
  const announcement = masto.v1.announcements.$select(env.MASTO_ANNOUNCEMENT);
  await step("reacted", async () => {
    await announcement.reactions.$select("🎉").update();
    await announcement.reactions.$select("blobcat").update();
    await announcement.reactions.$select("blobcat").remove();
    return (await masto.v1.announcements.list())[0].reactions;
  });
  await step("refused", async () => {
    try {
      await announcement.reactions.$select("nonsense").update();
      return null;
    } catch (error) {
      return { status: error.statusCode, message: String(error.message) };
    }
  });
  await step("dismissed", async () => {
    await announcement.dismiss();
    return (await masto.v1.announcements.list())[0].read;
  });
}

main().then(
  () => { console.log(JSON.stringify(out)); },
  () => { console.log(JSON.stringify(out)); process.exit(1); },
);
