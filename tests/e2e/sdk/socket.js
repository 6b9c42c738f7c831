// SelfCommunity's notification socket as react-core 0.7.0-alpha.23 opens it: the WSClient of
// @selfcommunity/utils (the version react-core depends on), the URI `<ws>/ws/notify?subscribe-user`,
// the token as the subprotocol `__<token>`, react-core's heartbeat text. Once connected, a second
// account votes on the reader's status through the SDK; the first message the socket delivers is
// parsed as useSCWebSocket's receiveMessage parses it. Then, after one heartbeat interval (5 s),
// the client's missed-heartbeat counter says whether the server echoed it.
//
// Usage: node --experimental-websocket socket.js '{"base": URL, "ws": WS_URL, "reader": TOKEN,
//                                                 "voter": TOKEN, "status": ID}'
// Prints one JSON object: {connected, message, missedHeartbeats, stillOpen}.
'use strict';
const {WSClient} = require('@selfcommunity/utils');
const {http, Endpoints, apiRequest} = require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const HEARTBEAT = '--1a61c1de89b75ddfbb684b8d224ee3ae--';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const out = {connected: false, message: null};
  let connected;
  const opened = new Promise((resolve) => { connected = resolve; });
  let received;
  const arrived = new Promise((resolve) => { received = resolve; });
  const client = new WSClient({
    uri: `${args.ws}/ws/notify?subscribe-user`,
    heartbeatMsg: HEARTBEAT,
    protocols: [`__${args.reader}`],
    connected: () => connected(true),
    // react-core's receiveMessage: JSON.parse of the text frame.
    receiveMessage: (data) => received(JSON.parse(data)),
  });
  out.connected = await Promise.race([opened, sleep(5000).then(() => false)]);
  if (!out.connected) {
    process.stdout.write(JSON.stringify(out));
    process.exit(0);
  }
  out.protocol = client._ws.protocol;
  await sleep(500);  // the subscription reaches the channel layer
  http.setBasePortal(args.base);
  http.setAuthorizeToken(args.voter);
  await apiRequest({url: Endpoints.Vote.url({type: 'status', id: args.status}),
    method: Endpoints.Vote.method});
  out.message = await Promise.race([arrived, sleep(5000).then(() => null)]);
  await sleep(5600);  // one heartbeat sent (every 5 s) and, if echoed, counted back to 0
  out.missedHeartbeats = client._missedHeartbeats;
  out.stillOpen = client.isConnected();
  client.close();
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
