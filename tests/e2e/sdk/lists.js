// SelfCommunity's status lists and feeds, read through SelfCommunity's official SDK (CommonJS):
// search, uncommented, followed, suspended, contributors, shares, their authors, related, and
// the home and explore feeds.
//
// Usage: node lists.js '{"base": URL, "reader": TOKEN, "topic": ID}'
// Prints one JSON object: `steps` maps each step's name to {ok: true, data} or {ok: false,
// status, contentType, data}.
'use strict';
const {http, FeedObjectService, FeedService} = require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const {steps, step} = require('./record').recorder();

http.setBasePortal(args.base);


async function main() {
  const type = 'status';
  const page = {limit: 20, offset: 0};
  const id = args.topic;
  http.setAuthorizeToken(args.reader);
  await step('search', FeedObjectService.searchFeedObject(type, {search: 'apples', ...page}));
  await step('searchOdd', FeedObjectService.searchFeedObject(type, {search: "%_'\\&|!:*()"}));
  await step('uncommented', FeedObjectService.getUncommentedFeedObjects(type, page));
  await step('following', FeedObjectService.feedObjectFollowingList(type, page));
  await step('suspended', FeedObjectService.feedObjectSuspendedList(type, page));
  await step('contributors', FeedObjectService.feedObjectContributorsList(type, id, page));
  await step('shares', FeedObjectService.feedObjectSharesList(type, id, page));
  await step('sharesUsers', FeedObjectService.feedObjectUserSharesList(type, id, page));
  await step('related', FeedObjectService.relatedFeedObjects(type, id, page));
  await step('missingRelated', FeedObjectService.relatedFeedObjects(type, 999999999, page));
  await step('home', FeedService.getMainFeed(page));
  await step('explore', FeedService.getExploreFeed(page));
  http.setAuthorizeToken(null);
  await step('homeAnonymous', FeedService.getMainFeed(page));
  await step('exploreAnonymous', FeedService.getExploreFeed(page));
  process.stdout.write(JSON.stringify({steps}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
