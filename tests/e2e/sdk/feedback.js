// What readers do to a status, driven by SelfCommunity's official SDK (CommonJS): restore, vote
// and react, flag, follow, suspend notifications, hide for oneself; then the catalogues a client
// reads beside them (reactions, categories, the tags a status may be addressed to).
//
// Usage: node feedback.js '{"section": "feedback", "base": URL, "author": TOKEN,
//                           "reader": TOKEN, "category": ID}'
//        node feedback.js '{"section": "catalogues", "base": URL, "reader": TOKEN,
//                           "category": ID, "inactiveCategory": ID}'
// Prints one JSON object: `steps` maps each step's name to {ok: true, data} or {ok: false,
// status, contentType, data}; `log` lists every request as [who, METHOD, url, status].
'use strict';
const {
  http, Endpoints, FeedObjectService, ReactionService, CategoryService, UserService,
} = require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const {steps, step} = require('./record').recorder();
const log = [];
let who = null;

http.setBasePortal(args.base);
const axios = http.getClientInstance();
axios.interceptors.response.use(
  (response) => {
    log.push([who, response.config.method.toUpperCase(), response.config.url, response.status]);
    return response;
  },
  (error) => {
    const config = error.config || {};
    log.push([who, String(config.method).toUpperCase(), config.url,
      error.response ? error.response.status : String(error)]);
    return Promise.reject(error);
  },
);

function as(name) {
  who = name;
  http.setAuthorizeToken(args[name]);
}


// http.request answers with axios' whole response; keep what apiRequest would resolve with.
const raw = (config) => http.request(config).then((response) => response.data);

async function feedback() {
  const type = 'status';
  as('author');
  const created = await step('created', FeedObjectService.createFeedObject(type, {
    action: null, text: '<p>what readers do</p>', categories: [args.category],
  }));
  if (!created.ok) throw new Error('create failed: ' + JSON.stringify(created));
  const id = created.data.id;
  const get = (name) => step(name, FeedObjectService.getSpecificFeedObject(type, id));
  const list = (name) => step(name, FeedObjectService.getAllFeedObjects(type, {limit: 20, offset: 0}));

  // Restore: the author reads their deleted status and brings it back; the reader cannot.
  await step('delete', FeedObjectService.deleteFeedObject(type, id));
  await get('deletedAuthor');
  as('reader');
  await get('deletedReader');
  await step('restoreByReader', FeedObjectService.restoreFeedObject(type, id));
  as('author');
  await step('restore', FeedObjectService.restoreFeedObject(type, id));
  await get('restored');

  // Votes: react, switch the reaction, take it back, vote with the default.
  as('reader');
  await step('vote1', FeedObjectService.voteFeedObject(type, id, 1));
  await get('afterVote1');
  await step('vote2', FeedObjectService.voteFeedObject(type, id, 2));
  await get('afterVote2');
  await step('votes', FeedObjectService.feedObjectVotes(type, id, {limit: 10, offset: 0}));
  await step('votesReaction2', FeedObjectService.feedObjectVotes(type, id, {reaction: 2}));
  await step('votesReaction1', FeedObjectService.feedObjectVotes(type, id, {reaction: 1}));
  await step('vote2Again', FeedObjectService.voteFeedObject(type, id, 2));
  await get('afterUnvote');
  await step('voteDefault', FeedObjectService.voteFeedObject(type, id));
  await get('afterVoteDefault');

  // Flags: the SDK's bare-integer body, the documented object body, toggles, the lists.
  await step('flag0', FeedObjectService.flagFeedObject(type, id, 0));
  await step('flagStatus0', FeedObjectService.feedObjectFlagStatus(type, id));
  await get('afterFlag');
  // The SDK's list call is a POST with no body (spec 3.4): a 400, not a toggle.
  await step('flagListSdk', FeedObjectService.feedObjectFlagList(type, id));
  const flagsUrl = Endpoints.Flag.url({type, id});
  await step('flagListByReader', raw({url: flagsUrl, method: 'GET'}));
  as('author');
  await step('flagList', raw({url: flagsUrl, method: 'GET'}));
  as('reader');
  await step('unflag0', FeedObjectService.flagFeedObject(type, id, 0));
  await step('flagStatusAfterUnflag', FeedObjectService.feedObjectFlagStatus(type, id));
  await step('flag4', raw({url: flagsUrl, method: 'POST', data: {flag_type: 4}}));
  await step('flagStatus4', FeedObjectService.feedObjectFlagStatus(type, id));

  // Follow: the SDK's own call builds /api/v2/undefined/{id}/follow/ (spec 3.4); react-ui's
  // raw request is the working one.
  await step('followSdk', FeedObjectService.followFeedObject(type, id));
  const followUrl = Endpoints.FollowContribution.url({type, id});
  await step('follow', raw({url: followUrl, method: Endpoints.FollowContribution.method}));
  await step('following', FeedObjectService.checkIfFollowingFeedObject(type, id));
  await get('afterFollow');
  await step('unfollow', raw({url: followUrl, method: Endpoints.FollowContribution.method}));
  await step('followingAfterUnfollow', FeedObjectService.checkIfFollowingFeedObject(type, id));
  await step('refollow', raw({url: followUrl, method: Endpoints.FollowContribution.method}));

  // Notifications: suspend, resume, suspend again.
  await step('suspend', FeedObjectService.suspendFeedObject(type, id));
  await step('suspended', FeedObjectService.checkIfSuspendedFeedObject(type, id));
  await get('afterSuspend');
  await step('unsuspend', FeedObjectService.suspendFeedObject(type, id));
  await step('suspendedAfterUnsuspend', FeedObjectService.checkIfSuspendedFeedObject(type, id));
  await step('resuspend', FeedObjectService.suspendFeedObject(type, id));

  // Hide for me: out of the reader's list, not the author's; shown again; hidden again.
  await list('listBeforeHide');
  await step('hide', FeedObjectService.hideFeedObject(type, id));
  await step('hideStatus', FeedObjectService.feedObjectHideStatus(type, id));
  await list('listAfterHide');
  await get('hiddenGet');
  as('author');
  await list('authorListAfterHide');
  as('reader');
  await step('show', FeedObjectService.hideFeedObject(type, id));
  await step('hideStatusAfterShow', FeedObjectService.feedObjectHideStatus(type, id));
  await list('listAfterShow');
  await step('rehide', FeedObjectService.hideFeedObject(type, id));

  // What the author sees at the end: the counters of the reader's marks, none of their own.
  as('author');
  await get('authorView');
  return id;
}

async function catalogues() {
  as('reader');
  await step('reactions', ReactionService.getAllReactions());
  await step('reactionsList', ReactionService.getAllReactionsList());
  await step('reaction1', ReactionService.getSpecificReaction(1));
  await step('reactionMissing', ReactionService.getSpecificReaction(999999));
  await step('categories', CategoryService.getAllCategories());
  await step('category', CategoryService.getSpecificCategory(args.category));
  await step('inactiveCategory', CategoryService.getSpecificCategory(args.inactiveCategory));
  await step('addressingTags', UserService.userTagToAddressContribution());
}

async function main() {
  const sections = {feedback, catalogues};
  const id = await sections[args.section]();
  process.stdout.write(JSON.stringify({id: id === undefined ? null : id, steps, log}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
