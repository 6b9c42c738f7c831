// What the SDK scripts share: each call's answer recorded by name, so one unexpected answer
// does not hide the ones after it.
'use strict';

function recorder() {
  const steps = {};
  async function step(name, promise) {
    try {
      steps[name] = {ok: true, data: await promise};
    } catch (error) {
      if (!error || !error.response) throw error;
      steps[name] = {ok: false, status: error.response.status,
        contentType: error.response.headers['content-type'] || null, data: error.response.data};
    }
    return steps[name];
  }
  return {steps, step};
}

module.exports = {recorder};
