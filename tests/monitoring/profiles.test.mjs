// Profiling: with SENTRY_PROFILES_SAMPLE_RATE=1, a request long enough to be sampled (a sign-in, which
// hashes the password on the slow lane) sends a `profile` item beside its transaction, in Sentry's
// sampled format, whose stacks show where the time went.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { startReceiver, waitFor } from './receiver.mjs';
import { get, startServer } from './server.mjs';

/** One urlencoded POST on a fresh connection: { status, headers, body }. */
function post(port, target, fields, headers = {}) {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port,
      path: target,
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), ...headers },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('monitoring with SENTRY_PROFILES_SAMPLE_RATE=1', () => {
  let receiver;
  let server;
  let signIn;
  let pages;

  before(async () => {
    receiver = await startReceiver();
    server = await startServer({
      SENTRY_DSN: `http://public@127.0.0.1:${receiver.port}/1`,
      SENTRY_PROFILES_SAMPLE_RATE: '1',
    });
    const form = await get(server.port, '/admin/login/');
    const cookie = form.headers['set-cookie'].map((line) => line.split(';')[0]).join('; ');
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.body)[1];
    signIn = await post(server.port, '/admin/login/',
      { csrfmiddlewaretoken: token, username: 'admin', password: 'Abc1234!', next: '/admin/' }, { Cookie: cookie });
    // The first render of a page may last two samples on a slow build; the cached answers after it
    // take microseconds.
    pages = [];
    for (let index = 0; index < 20; index += 1) pages.push(await get(server.port, '/lettings/'));
    await waitFor(signInEnvelope, 10000, 'the sign-in\'s profile');
    await server.stop();
  });

  after(async () => {
    await receiver?.close();
  });

  // The envelope of the sign-in (the POST) with its profile: on a slow build the form's GET, which
  // opens the first database connection, can last long enough to be profiled too.
  const signInEnvelope = () => receiver.envelopes.find((envelope) =>
    envelope.items.some(([header]) => header.type === 'profile')
    && envelope.items.some(([header, payload]) => header.type === 'transaction' && payload.request?.method === 'POST'));

  test('the sign-in sends a profile beside its transaction, in the sampled format', () => {
    assert.equal(signIn.status, 302, 'signed in');
    const envelope = signInEnvelope();
    assert.ok(envelope, 'an envelope with a profile');
    const transaction = envelope.items.find(([header]) => header.type === 'transaction')[1];
    const profile = envelope.items.find(([header]) => header.type === 'profile')[1];
    assert.equal(transaction.transaction, '/admin/login/');
    assert.equal(profile.version, '1');
    assert.equal(profile.transaction.id, transaction.event_id);
    assert.equal(profile.transaction.trace_id, transaction.contexts.trace.trace_id);
    assert.equal(profile.transaction.name, '/admin/login/');
    assert.match(profile.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.match(profile.event_id, /^[0-9a-f]{32}$/);
  });

  test('its samples, stacks and frames are consistent and show the password hashing', () => {
    const profile = signInEnvelope().items.find(([header]) => header.type === 'profile')[1];
    const { samples, stacks, frames, thread_metadata: threads } = profile.profile;
    assert.ok(samples.length >= 2, `${samples.length} samples`);
    let previous = -1;
    for (const sample of samples) {
      assert.ok(sample.stack_id < stacks.length);
      assert.equal(sample.thread_id, profile.transaction.active_thread_id);
      assert.ok(Number(sample.elapsed_since_start_ns) >= previous, 'in time order');
      previous = Number(sample.elapsed_since_start_ns);
    }
    for (const stack of stacks) {
      for (const index of stack) assert.ok(index < frames.length);
    }
    assert.ok(threads[profile.transaction.active_thread_id], 'the thread is described');
    const names = frames.map((frame) => frame.function);
    // ThreadSanitizer runs a signal handler only when the thread next calls into its runtime, so
    // code it does not instrument (OpenSSL's PBKDF2) is never on a sample's stack in that build.
    if (!(process.env.OCL_SANITIZE ?? '').includes('thread')) {
      assert.ok(names.some((name) => /check_password|pbkdf2/i.test(name)), `hashing frames among ${names.slice(0, 40)}`);
    }
    assert.ok(frames.some((frame) => frame.in_app && frame.filename && frame.lineno > 0), 'in-app frames with lines');
  });

  test('a request too short to sample sends no profile, and says why in a client report', () => {
    assert.ok(pages.every((page) => page.status === 200));
    const profiled = new Set(receiver.items().filter((item) => item.type === 'profile')
      .map((item) => item.payload.transaction.id));
    const unprofiled = receiver.items()
      .filter((item) => item.type === 'transaction' && !profiled.has(item.payload.event_id));
    assert.ok(unprofiled.some((item) => item.payload.transaction === '/lettings/'), 'a page too short to profile');
    const insufficient = receiver.items()
      .filter((item) => item.type === 'client_report')
      .flatMap((item) => item.payload.discarded_events ?? [])
      .filter((entry) => entry.reason === 'insufficient_data' && entry.category === 'profile')
      .reduce((sum, entry) => sum + entry.quantity, 0);
    assert.equal(insufficient, unprofiled.length, 'each transaction sent without its profile is counted');
  });
});
