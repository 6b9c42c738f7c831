// One SelfCommunity client session, driven by the official SDK (CommonJS: its ESM build does not
// load in Node). Prints one JSON object with what each call returned, for the Python test.
'use strict';
const {http, FeedObjectService, MediaService} = require('@selfcommunity/api-services');

const [base, token, categoryId, sharedId] = process.argv.slice(2);
http.setBasePortal(base);
http.setAuthorizeToken(token);

// A 2x1 PNG (one red pixel, one blue), built here so the upload is a real picture.
function png() {
  const zlib = require('zlib');
  const crcTable = [...Array(256)].map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; header[9] = 2;
  const raw = Buffer.from([0, 255, 0, 0, 0, 0, 255]);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function failure(promise) {
  try {
    await promise;
    return {status: null};
  } catch (error) {
    return {status: error.response ? error.response.status : String(error), data: error.response ? error.response.data : null};
  }
}

async function main() {
  const out = {};
  const form = new FormData();
  form.append('type', 'image');
  form.append('image', new Blob([png()], {type: 'image/png'}), 'dot.png');
  // The SDK's client defaults POST bodies to JSON; a form upload says so in the call's config.
  out.image = await MediaService.createMedia(form, {headers: {'Content-Type': 'multipart/form-data'}});
  out.share = await MediaService.createMedia({type: 'share', shared_object: Number(sharedId)});
  out.created = await FeedObjectService.createFeedObject('status', {
    action: 'is testing', text: '<p>hello from the SDK @bob</p>', categories: [Number(categoryId)],
    medias: [out.image.id, out.share.id], location: {location: 'Trento', lat: 46.07, lng: 11.12},
    addressing: [],
  });
  out.fetched = await FeedObjectService.getSpecificFeedObject('status', out.created.id);
  out.list = await FeedObjectService.getAllFeedObjects('status', {limit: 5, offset: 0, ordering: '-last_activity_at'});
  out.secondShare = await MediaService.createMedia({type: 'share', shared_object: Number(sharedId)});
  out.thirdShare = await MediaService.createMedia({type: 'share', shared_object: Number(sharedId)});
  out.twoShares = await failure(FeedObjectService.createFeedObject('status', {
    action: null, text: 'two shares', categories: [], medias: [out.secondShare.id, out.thirdShare.id],
  }));
  out.missingCategories = await failure(FeedObjectService.createFeedObject('status', {action: null, text: 'x'}));
  out.updated = await FeedObjectService.updateFeedObject('status', out.created.id, {
    action: null, text: '<p>edited</p>', categories: [], medias: [out.image.id], location: null,
  });
  out.deleted = await FeedObjectService.deleteFeedObject('status', out.created.id);
  // Its author still reads it, marked deleted, so that a client can offer to restore it.
  out.afterDelete = await FeedObjectService.getSpecificFeedObject('status', out.created.id);
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  if (error && error.response) process.stderr.write(JSON.stringify(error.response.data) + '\n');
  process.exit(1);
});
