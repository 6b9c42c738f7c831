// SelfCommunity's moderation API through the official SDK's ModerationService (CommonJS):
// the flagged list, a contribution's flags and moderation status, hide (and again: unhide),
// ignore, and the same calls refused to a reader who is not a moderator.
//
// Usage: node moderation.js '{"base": URL, "moderator": TOKEN, "reader": TOKEN, "status": ID}'
// Prints one JSON object: `steps` maps each step's name to {ok: true, data} or {ok: false,
// status, contentType, data}.
'use strict';
const {http, ModerationService} = require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const {steps, step} = require('./record').recorder();

http.setBasePortal(args.base);

async function main() {
  const id = args.status;
  http.setAuthorizeToken(args.moderator);
  await step('list', ModerationService.getAllFlaggedContributions({contribution_type: 'status',
                                                                   limit: 20, offset: 0}));
  await step('flags', ModerationService.getAllFlagsForSpecificContribution(id, 'status'));
  await step('statusBefore', ModerationService.getContributionModerationStatus(id, 'status'));
  await step('hide', ModerationService.moderateAContribution(
    id, {contribution_type: 'status', action: 'hide', moderation_type: 0}));
  await step('statusHidden', ModerationService.getContributionModerationStatus(id, 'status'));
  await step('unhide', ModerationService.moderateAContribution(
    id, {contribution_type: 'status', action: 'hide'}));
  await step('ignore', ModerationService.moderateAContribution(
    id, {contribution_type: 'status', action: 'ignore'}));
  await step('badType', ModerationService.moderateAContribution(
    id, {contribution_type: 'status', action: 'hide', moderation_type: 9}));
  http.setAuthorizeToken(args.reader);
  await step('readerList', ModerationService.getAllFlaggedContributions());
  await step('readerHide', ModerationService.moderateAContribution(
    id, {contribution_type: 'status', action: 'hide', moderation_type: 0}));
  process.stdout.write(JSON.stringify({steps}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
