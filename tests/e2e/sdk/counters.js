// The User counters of contributions, driven by SelfCommunity's official SDK (CommonJS): the
// author creates a post with a poll and a discussion without one (FeedObjectService, as the
// Composer does), adds a poll to the discussion by an update, deletes and restores the post;
// after each step the author reads themself (UserService.getCurrentUser) and a reader reads the
// author (UserService.getSpecificUser), as the React UI's user cards and profile do.
//
// Usage: node counters.js '{"base": URL, "author": TOKEN, "reader": TOKEN, "expiration": ISO}'
// Prints one JSON object: `steps` maps each step's name to {ok: true, data} or {ok: false,
// status, contentType, data}.
'use strict';
const {http, FeedObjectService, UserService} = require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const {steps, step} = require('./record').recorder();

http.setBasePortal(args.base);

function as(token) {
  http.setAuthorizeToken(token);
}

function body(title, text, poll) {
  const sent = {title, text, medias: [], categories: []};
  if (poll) {
    sent.poll = {title: 'Which?', multiple_choices: false, expiration_at: args.expiration,
      choices: [{choice: 'yes'}, {choice: 'no'}]};
  }
  return sent;
}

async function read(name, authorId) {
  as(args.author);
  await step(`${name}Me`, UserService.getCurrentUser());
  as(args.reader);
  await step(`${name}Public`, UserService.getSpecificUser(authorId));
  as(args.author);
}

async function main() {
  as(args.author);
  const me = await step('me', UserService.getCurrentUser());
  const authorId = me.ok ? me.data.id : 0;
  await read('before', authorId);
  const post = await step('createPost', FeedObjectService.createFeedObject(
    'post', body('', '<p>Yes or no?</p>', true)));
  const discussion = await step('createDiscussion', FeedObjectService.createFeedObject(
    'discussion', body('Plans', '<p>What next?</p>', false)));
  await read('created', authorId);
  const postId = post.ok ? post.data.id : 0;
  const discussionId = discussion.ok ? discussion.data.id : 0;
  await step('addPoll', FeedObjectService.updateFeedObject(
    'discussion', discussionId, body('Plans', '<p>What next?</p>', true)));
  await read('pollAdded', authorId);
  await step('delete', FeedObjectService.deleteFeedObject('post', postId));
  await read('deleted', authorId);
  await step('restore', FeedObjectService.restoreFeedObject('post', postId));
  await read('restored', authorId);
  process.stdout.write(JSON.stringify({steps}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
