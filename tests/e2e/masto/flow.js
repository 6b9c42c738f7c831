// masto.js 8 against a live Duostatus server, as a new user would drive it. Reads its inputs
// from the environment, prints one JSON object of what the server answered, and exits non-zero
// if a step threw (the pytest driver checks the answers against the database).
import { createOAuthAPIClient, createRestAPIClient } from "masto";

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

async function main() {
  const oauth = createOAuthAPIClient({ url });
  await step("token", async () => {
    const token = await oauth.token.create({
      grantType: "password",
      clientId: env.MASTO_CLIENT_ID,
      clientSecret: env.MASTO_CLIENT_SECRET,
      redirectUri: "urn:ietf:wg:oauth:2.0:oob",
      username: env.MASTO_USERNAME,
      password: env.MASTO_PASSWORD,
      scope: "read write",
    });
    return { accessToken: token.accessToken, tokenType: token.tokenType, scope: token.scope };
  });
  const masto = createRestAPIClient({ url, accessToken: out.token.accessToken });
  await step("me", async () => (await masto.v1.accounts.verifyCredentials()).username);
  await step("posted", async () => {
    const status = await masto.v1.statuses.create({ status: "Hello from masto.js", visibility: "public" });
    return { id: status.id, content: status.content, visibility: status.visibility };
  });
  const theirs = masto.v1.statuses.$select(env.MASTO_OTHER_STATUS);
  await step("reblog", async () => {
    const wrapper = await theirs.reblog();
    const original = await theirs.fetch();
    const again = await masto.v1.statuses.$select(wrapper.id).fetch();
    return {
      wrapperId: wrapper.id, wrapperReblogged: wrapper.reblogged,
      innerId: wrapper.reblog.id, innerReblogged: wrapper.reblog.reblogged,
      originalReblogged: original.reblogged, originalCount: original.reblogsCount,
      fetchedWrapperReblogged: again.reblogged,
    };
  });
  await step("quote", async () => {
    const quote = await masto.v1.statuses.create({
      status: "Quoting this", quotedStatusId: env.MASTO_OTHER_STATUS, quoteApprovalPolicy: "followers",
    });
    return { id: quote.id, state: quote.quote && quote.quote.state,
             quotedId: quote.quote && quote.quote.quotedStatus && quote.quote.quotedStatus.id,
             approval: quote.quoteApproval };
  });
  await step("poll", async () => {
    const poll = await masto.v1.polls.$select(env.MASTO_OTHER_POLL).votes.create({ choices: [1] });
    const own = await masto.v1.statuses.create({
      status: "Which one?", poll: { options: ["this", "that"], expiresIn: 3600, multiple: true },
    });
    return { voted: poll.voted, ownVotes: poll.ownVotes, votesCount: poll.votesCount,
             options: poll.options.map((o) => o.votesCount),
             ownPollId: own.poll && own.poll.id, ownPollOptions: own.poll && own.poll.options.map((o) => o.title),
             ownPollMultiple: own.poll && own.poll.multiple, ownVoted: own.poll && own.poll.voted };
  });
  await step("scheduled", async () => {
    const when = new Date(Date.now() + 10 * 60 * 1000);
    when.setUTCMilliseconds(250);
    const scheduled = await masto.v1.statuses.create({ status: "Later, from masto.js", scheduledAt: when.toISOString() });
    const listed = await masto.v1.scheduledStatuses.list();
    return { id: scheduled.id, scheduledAt: scheduled.scheduledAt, sent: when.toISOString(),
             text: scheduled.params && scheduled.params.text, listed: listed.map((s) => s.id) };
  });
  await step("revoked", async () => {
    await oauth.revoke({ clientId: env.MASTO_CLIENT_ID, clientSecret: env.MASTO_CLIENT_SECRET,
                         token: out.token.accessToken });
    try {
      await masto.v1.accounts.verifyCredentials();
      return { stillWorks: true };
    } catch (error) {
      return { stillWorks: false, status: error.statusCode };
    }
  });
}

main().then(
  () => { console.log(JSON.stringify(out)); },
  () => { console.log(JSON.stringify(out)); process.exit(1); },
);
