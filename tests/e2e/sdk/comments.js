// Comments on statuses through SelfCommunity's official SDK (CommonJS): CommentService's every
// call, plus the status calls a comment test needs beside them. Driven by a plan of named steps
// from tests/api/selfcommunity/test_e2e_sdk_comments.py, which checks the answers, the database
// and the Mastodon face (Mastodon.py) between plans.
//
// Usage: node comments.js BASE '[{"name": "top", "token": T, "call": "create",
//                                  "data": {"status": 1, "text": "<p>hi</p>"}}, ...]'
// A string value "$name.key" anywhere in a step's arguments is replaced by that key of the data
// an earlier step resolved with (e.g. "$top.id").
// Calls: list {params}, create {data}, get {id}, update {id, text}, delete {id}, restore {id},
//        upvote {id}, votes {id}, flag {id, flagType}, flags {id}, flagStatus {id},
//        status {id}, createStatus {data}.
// Prints {steps, log}: `steps` maps each name to {ok: true, data} or {ok: false, status,
// contentType, data}; `log` lists every request as [name, METHOD, url, status, body sent].
'use strict';
const {http, CommentService, FeedObjectService} = require('@selfcommunity/api-services');

const [base, plan] = process.argv.slice(2);
const steps = {};
const log = [];
let current = null;

http.setBasePortal(base);
const axios = http.getClientInstance();
const sent = (config) => {
  if (config.data === undefined || config.data === null) return null;
  if (typeof config.data !== 'string') return config.data;
  try {
    return JSON.parse(config.data);
  } catch (error) {
    return config.data;
  }
};
axios.interceptors.response.use(
  (response) => {
    const config = response.config;
    log.push([current, config.method.toUpperCase(), config.url, response.status, sent(config)]);
    return response;
  },
  (error) => {
    const config = error.config || {};
    log.push([current, String(config.method).toUpperCase(), config.url,
      error.response ? error.response.status : String(error), sent(config)]);
    return Promise.reject(error);
  },
);

const calls = {
  list: ({params}) => CommentService.getAllComments(params),
  create: ({data}) => CommentService.createComment(data),
  get: ({id}) => CommentService.getASpecificComment(id),
  update: ({id, text}) => CommentService.updateComment(id, text),
  delete: ({id}) => CommentService.deleteComment(id),
  restore: ({id}) => CommentService.restoreComment(id),
  upvote: ({id}) => CommentService.upvoteComment(id),
  votes: ({id}) => CommentService.getSpecificCommentVotesList(id),
  flag: ({id, flagType}) => CommentService.flagComment(id, flagType),
  flags: ({id}) => CommentService.getSpecificCommentFlags(id),
  flagStatus: ({id}) => CommentService.getSpecificCommentFlagStatus(id),
  status: ({id}) => FeedObjectService.getSpecificFeedObject('status', id),
  createStatus: ({data}) => FeedObjectService.createFeedObject('status', data),
};

// "$name.key" -> that key of what step `name` resolved with; objects and arrays recursively.
function resolve(value) {
  if (typeof value === 'string' && value.startsWith('$')) {
    const [name, key] = value.slice(1).split('.');
    const earlier = steps[name];
    if (!earlier || !earlier.ok) throw new Error(`step ${name} has no data for ${value}`);
    return key === undefined ? earlier.data : earlier.data[key];
  }
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}

async function main() {
  for (const step of JSON.parse(plan)) {
    const {name, token, call, ...args} = step;
    if (steps[name]) throw new Error(`step ${name} twice`);
    current = name;
    http.setAuthorizeToken(token);
    try {
      steps[name] = {ok: true, data: await calls[call](resolve(args))};
    } catch (error) {
      if (!error || !error.response) throw error;
      steps[name] = {ok: false, status: error.response.status,
        contentType: error.response.headers['content-type'] || null, data: error.response.data};
    }
  }
  process.stdout.write(JSON.stringify({steps, log}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
