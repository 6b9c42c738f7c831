// SelfCommunity's feeds driven by its official SDK (CommonJS): the main feed's unseen count,
// marking a feed object read (and refused marks), "like this", an account's feed and a
// category's (newest and trending), each through the service method the React UI calls.
//
// Usage: node feeds.js '{"base": URL, "reader": TOKEN, "author": ID, "category": ID,
//                       "first": ID}'
// Prints one JSON object: `steps` maps each step's name to {ok: true, data} or {ok: false,
// status, contentType, data}.
'use strict';
const {http, FeedService, UserService, CategoryService} = require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const {steps, step} = require('./record').recorder();

http.setBasePortal(args.base);
http.setAuthorizeToken(args.reader);

const MISSING = 999999999;

async function main() {
  await step('unseenBefore', FeedService.getMainFeedUnseenCount());
  await step('feedBefore', FeedService.getMainFeed({limit: 10}));
  await step('markRead', FeedService.markReadASpecificFeedObj([args.first]));
  await step('unseenAfter', FeedService.getMainFeedUnseenCount());
  await step('feedAfter', FeedService.getMainFeed({limit: 10}));
  await step('markReadRefused', FeedService.markReadASpecificFeedObj('not a list'));
  await step('markReadMissing', FeedService.markReadASpecificFeedObj([MISSING]));
  await step('likeThis', FeedService.likeFeedObjs([args.first]));
  await step('userFeed', UserService.getUserFeed(args.author, {limit: 2}));
  await step('userFeedNext', UserService.getUserFeed(args.author, {limit: 2, offset: 2}));
  await step('userFeedMissing', UserService.getUserFeed(MISSING));
  await step('categoryFeed', CategoryService.getCategoryFeed(args.category, {limit: 10}));
  await step('categoryTrending', CategoryService.getCategoryTrendingFeed(args.category));
  await step('categoryMissing', CategoryService.getCategoryFeed(MISSING));
  await step('categoryTrendingMissing', CategoryService.getCategoryTrendingFeed(MISSING));
  process.stdout.write(JSON.stringify({steps}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
