// The notifications of one account, driven by SelfCommunity's official SDK (CommonJS): the
// aggregated list, the unseen count, marking read (and a refused mark), read again.
//
// Usage: node notifications.js '{"base": URL, "reader": TOKEN}'
// Prints one JSON object: `steps` maps each step's name to {ok: true, data} or {ok: false,
// status, contentType, data}.
'use strict';
const {http, NotificationService} = require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const {steps, step} = require('./record').recorder();

http.setBasePortal(args.base);
http.setAuthorizeToken(args.reader);

async function main() {
  await step('unseenBefore', NotificationService.getUnseenNotification());
  const list = await step('list', NotificationService.listUserNotification());
  const sids = list.ok ? list.data.results.map((aggregate) => aggregate.sid) : [];
  await step('markRead', NotificationService.markReadNotification(sids));
  await step('unseenAfter', NotificationService.getUnseenNotification());
  await step('listAfter', NotificationService.listUserNotification());
  await step('markReadRefused', NotificationService.markReadNotification('not a list'));
  process.stdout.write(JSON.stringify({steps}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
