// The SelfCommunity half of the cross-dialect tests (tests/api/test_e2e_cross_dialect.py): named
// steps through SelfCommunity's official SDK (CommonJS), each as the account whose token it names,
// while the Python test drives the Mastodon half with Mastodon.py.
//
// Usage: node cross.js BASE '[{"token": T, "call": "vote", "id": 1, "reaction": 2}, ...]'
// Calls: get {id}, vote {id, reaction?}, votes {id, params?}, restore {id},
//        share {shared, text} (a `share` media, then a status carrying it: {media, status}).
// Prints a JSON array with one {ok: true, data} or {ok: false, status, contentType, data} per step.
'use strict';
const {http, FeedObjectService, MediaService} = require('@selfcommunity/api-services');

const [base, plan] = process.argv.slice(2);
http.setBasePortal(base);
const type = 'status';

const calls = {
  get: ({id}) => FeedObjectService.getSpecificFeedObject(type, id),
  vote: ({id, reaction}) => FeedObjectService.voteFeedObject(type, id, reaction),
  votes: ({id, params}) => FeedObjectService.feedObjectVotes(type, id, params || {}),
  restore: ({id}) => FeedObjectService.restoreFeedObject(type, id),
  share: async ({shared, text}) => {
    const media = await MediaService.createMedia({type: 'share', shared_object: shared});
    const status = await FeedObjectService.createFeedObject(type, {
      action: null, text, categories: [], medias: [media.id],
    });
    return {media, status};
  },
};

async function main() {
  const results = [];
  for (const step of JSON.parse(plan)) {
    http.setAuthorizeToken(step.token);
    try {
      results.push({ok: true, data: await calls[step.call](step)});
    } catch (error) {
      if (!error || !error.response) throw error;
      results.push({ok: false, status: error.response.status,
        contentType: error.response.headers['content-type'] || null, data: error.response.data});
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
