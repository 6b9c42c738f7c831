// Posts and discussions, driven by SelfCommunity's official SDK (CommonJS): the author creates a
// post with a poll and a discussion with a poll the way the React UI's Composer sends them
// (FeedObjectService.createFeedObject), a reader reads, lists, votes in both polls (and
// withdraws a vote), comments, follows, suspends, flags, hides; cross-type reads are refused.
//
// Usage: node posts.js '{"base": URL, "author": TOKEN, "reader": TOKEN, "expiration": ISO}'
// Prints one JSON object: `steps` maps each step's name to {ok: true, data} or {ok: false,
// status, contentType, data}.
'use strict';
const {http, Endpoints, FeedObjectService, CommentService, FeedService} =
  require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const {steps, step} = require('./record').recorder();

http.setBasePortal(args.base);

function as(token) {
  http.setAuthorizeToken(token);
}

// What the Composer posts (react-ui Composer.js): title (empty for a post), text, medias,
// categories, and the poll as ContentPoll edits it.
function composer(title, text, pollTitle, choices, multiple) {
  return {
    title,
    text,
    medias: [],
    categories: [],
    poll: {title: pollTitle, multiple_choices: multiple, expiration_at: args.expiration,
      choices: choices.map((choice) => ({choice}))},
  };
}

async function main() {
  as(args.author);
  const post = await step('createPost', FeedObjectService.createFeedObject(
    'post', composer('', '<p>Pick a colour</p>', 'Which colour?', ['red', 'blue'], false)));
  const discussion = await step('createDiscussion', FeedObjectService.createFeedObject(
    'discussion', composer('Roadmap', '<p>What next?</p>', 'Which first?',
      ['search', 'polls', 'groups'], true)));
  await step('createDiscussionWithoutTitle', FeedObjectService.createFeedObject(
    'discussion', composer('', '<p>no title</p>', 'q', ['a', 'b'], false)));
  const postId = post.ok ? post.data.id : 0;
  const discussionId = discussion.ok ? discussion.data.id : 0;
  const postChoices = post.ok ? post.data.poll.choices : [];
  const discussionChoices = discussion.ok ? discussion.data.poll.choices : [];
  await step('ownVote', FeedObjectService.feedObjectPollVote('post', postId, postChoices[0].id));
  await step('update', FeedObjectService.updateFeedObject('discussion', discussionId, {
    ...composer('Roadmap 2027', '<p>What next, then?</p>', 'Which first?',
      ['search', 'polls', 'groups'], true)}));

  as(args.reader);
  await step('getPost', FeedObjectService.getSpecificFeedObject('post', postId));
  await step('getDiscussion', FeedObjectService.getSpecificFeedObject('discussion', discussionId));
  await step('postAsDiscussion', FeedObjectService.getSpecificFeedObject('discussion', postId));
  await step('postAsStatus', FeedObjectService.getSpecificFeedObject('status', postId));
  await step('listPosts', FeedObjectService.getAllFeedObjects('post', {limit: 10, offset: 0}));
  await step('listDiscussions', FeedObjectService.getAllFeedObjects('discussion'));
  await step('searchPosts', FeedObjectService.searchFeedObject('post', {search: 'colour'}));
  await step('uncommentedDiscussions',
    FeedObjectService.getUncommentedFeedObjects('discussion'));

  // The polls: a vote, a switch (single choice), a withdrawal; two choices of a multiple one.
  await step('votePost', FeedObjectService.feedObjectPollVote('post', postId, postChoices[1].id));
  await step('afterVote', FeedObjectService.getSpecificFeedObject('post', postId));
  await step('switchPost',
    FeedObjectService.feedObjectPollVote('post', postId, postChoices[0].id));
  await step('pollVotes', FeedObjectService.feedObjectPollVotesList('post', postId, {}));
  await step('withdrawPost',
    FeedObjectService.feedObjectPollVote('post', postId, postChoices[0].id));
  await step('afterWithdraw', FeedObjectService.getSpecificFeedObject('post', postId));
  for (const index of [0, 2]) {
    await step(`voteDiscussion${index}`, FeedObjectService.feedObjectPollVote(
      'discussion', discussionId, discussionChoices[index].id));
  }
  await step('discussionPollVotes',
    FeedObjectService.feedObjectPollVotesList('discussion', discussionId, {limit: 10}));
  await step('badChoice', FeedObjectService.feedObjectPollVote('post', postId, 1));

  // What readers do to a post: react, follow (the SDK's own call lacks the type, spec 3.4:
  // the Endpoint the UI uses), suspend, flag, hide; and the lists of them.
  await step('vote', FeedObjectService.voteFeedObject('post', postId));
  await step('votes', FeedObjectService.feedObjectVotes('post', postId, {}));
  await step('follow', http.request({url: Endpoints.FollowContribution.url({type: 'post', id: postId}),
    method: Endpoints.FollowContribution.method}).then((res) => res.data));
  await step('following', FeedObjectService.checkIfFollowingFeedObject('post', postId));
  await step('followingList', FeedObjectService.feedObjectFollowingList('post', {}));
  await step('suspend', FeedObjectService.suspendFeedObject('discussion', discussionId));
  await step('suspended', FeedObjectService.checkIfSuspendedFeedObject('discussion', discussionId));
  await step('suspendedList', FeedObjectService.feedObjectSuspendedList('discussion', {}));
  await step('flag', FeedObjectService.flagFeedObject('discussion', discussionId, 1));
  await step('flagStatus', FeedObjectService.feedObjectFlagStatus('discussion', discussionId));
  await step('contributorsBefore', FeedObjectService.feedObjectContributorsList('post', postId));

  // Comments under the contribution's own key.
  await step('comment', CommentService.createComment({post: postId, text: '<p>red!</p>'}));
  await step('comments', CommentService.getAllComments({post: postId}));
  await step('commentsWrongKey', CommentService.getAllComments({discussion: postId}));
  await step('contributors', FeedObjectService.feedObjectContributorsList('post', postId));
  await step('shares', FeedObjectService.feedObjectSharesList('post', postId));
  await step('sharesUsers', FeedObjectService.feedObjectUserSharesList('post', postId));
  await step('related', FeedObjectService.relatedFeedObjects('discussion', discussionId));

  await step('feed', FeedService.getMainFeed({limit: 10}));
  await step('explore', FeedService.getExploreFeed({limit: 10}));
  await step('hide', FeedObjectService.hideFeedObject('discussion', discussionId));
  await step('hideStatus', FeedObjectService.feedObjectHideStatus('discussion', discussionId));
  await step('listDiscussionsAfterHide', FeedObjectService.getAllFeedObjects('discussion'));

  as(args.author);
  await step('delete', FeedObjectService.deleteFeedObject('post', postId));
  await step('restoreAsDiscussion', FeedObjectService.restoreFeedObject('discussion', postId));
  await step('restore', FeedObjectService.restoreFeedObject('post', postId));
  process.stdout.write(JSON.stringify({steps}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
