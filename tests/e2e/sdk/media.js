// SelfCommunity's chunked upload and one media's routes, driven by the official SDK's
// MediaService: a picture in three pieces (chunkUploadMedia with its Content-Range, the
// upload_id of the first answer sent with the next ones), a piece at the wrong offset,
// chunkUploadMediaComplete with the md5 of the whole file (as react-ui sends it, a form), a
// wrong md5, getSpecificMedia, clickMedia and deleteMedia, by the owner and by someone else.
//
// Usage: node media.js '{"base": URL, "owner": TOKEN, "other": TOKEN, "file": PATH}'
// Prints one JSON object: `steps` maps each step's name to {ok: true, data} or {ok: false,
// status, contentType, data}.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const {http, FeedObjectService, MediaService} = require('@selfcommunity/api-services');

const args = JSON.parse(process.argv[2]);
const {steps, step} = require('./record').recorder();
const FORM = {headers: {'Content-Type': 'multipart/form-data'}};

http.setBasePortal(args.base);

function piece(data, uploadId) {
  const form = new FormData();
  if (uploadId) form.append('upload_id', uploadId);
  form.append('image', new Blob([data], {type: 'application/octet-stream'}), 'blob');
  return form;
}

function completion(uploadId, md5) {
  const form = new FormData();
  form.append('upload_id', uploadId);
  form.append('type', 'image');
  form.append('md5', md5);
  return form;
}

// chunkUploadMedia replaces the call's headers with its Content-Range alone, so the client's
// default `Content-Type: application/json` for POST stays, and axios then turns a FormData body
// into JSON (the file part is lost). A caller of the SDK must drop that default for the call,
// as here; react-ui does not meet this, its uploader (@rpldy) sends the pieces itself.
async function chunk(form, start, end, total) {
  http.deleteDefaultHeader({name: 'Content-Type', methods: ['post']});
  try {
    return await MediaService.chunkUploadMedia(form, start, end, total);
  } finally {
    http.setDefaultHeader({name: 'Content-Type', value: 'application/json', methods: ['post']});
  }
}

// The whole file in `count` pieces; returns the upload_id.
async function upload(prefix, data, count) {
  const size = Math.ceil(data.length / count);
  let uploadId = null;
  for (let index = 0, start = 0; start < data.length; index++, start += size) {
    const end = Math.min(start + size, data.length);
    const answer = await step(`${prefix}${index}`, chunk(
      piece(data.subarray(start, end), uploadId), start, end - 1, data.length));
    if (!answer.ok) return uploadId;
    uploadId = answer.data.upload_id;
  }
  return uploadId;
}

async function main() {
  const data = fs.readFileSync(args.file);
  const md5 = crypto.createHash('md5').update(data).digest('hex');
  http.setAuthorizeToken(args.owner);
  const uploadId = await upload('chunk', data, 3);
  await step('wrongOffset', chunk(
    piece(data.subarray(0, 10), uploadId), 0, 9, data.length));
  const media = await step('complete', MediaService.chunkUploadMediaComplete(
    completion(uploadId, md5), FORM));
  const id = media.ok ? media.data.id : 0;
  await step('get', MediaService.getSpecificMedia(id));
  await step('click', MediaService.clickMedia(id));

  const spareId = await upload('spare', data, 1);
  await step('completeWrongMd5', MediaService.chunkUploadMediaComplete(
    completion(spareId, 'f'.repeat(32)), FORM));
  const loneId = await upload('lone', data, 1);
  const lone = await step('completeLone', MediaService.chunkUploadMediaComplete(
    completion(loneId, md5), FORM));
  const loneMedia = lone.ok ? lone.data.id : 0;
  await step('post', FeedObjectService.createFeedObject('status', {
    action: null, text: '<p>a picture in pieces</p>', categories: [], medias: [id]}));
  const half = Math.ceil(data.length / 2);
  const pending = await step('pending', chunk(
    piece(data.subarray(0, half)), 0, half - 1, data.length));
  const pendingId = pending.ok ? pending.data.upload_id : '';

  http.setAuthorizeToken(args.other);
  await step('otherGetPosted', MediaService.getSpecificMedia(id));
  await step('otherClickPosted', MediaService.clickMedia(id, '203.0.113.7'));
  await step('otherGetUnposted', MediaService.getSpecificMedia(loneMedia));
  await step('otherDelete', MediaService.deleteMedia(loneMedia));
  await step('otherPiece', chunk(
    piece(data.subarray(half), pendingId), half, data.length - 1, data.length));
  await step('otherComplete', MediaService.chunkUploadMediaComplete(
    completion(pendingId, md5), FORM));

  http.setAuthorizeToken(args.owner);
  await step('deletePosted', MediaService.deleteMedia(id));
  await step('delete', MediaService.deleteMedia(loneMedia));
  await step('getDeleted', MediaService.getSpecificMedia(loneMedia));
  process.stdout.write(JSON.stringify({steps}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
