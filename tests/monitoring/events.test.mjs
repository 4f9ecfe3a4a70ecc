// The server's errors, log records, transactions and sessions, as a real receiver gets them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startReceiver, waitFor } from './receiver.mjs';
import { get, startProxy, startServer } from './server.mjs';

const hex = (length) => new RegExp(`^[0-9a-f]{${length}}$`);
const secretHeaders = { Cookie: 'sessionid=secret-session', Authorization: 'Bearer secret-token', 'X-CSRFToken': 'tok' };
const lower = (object) => Object.fromEntries(Object.entries(object ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

describe('monitoring with a DSN', () => {
  let receiver;
  let server;
  let stopped;
  const pages = {};

  before(async () => {
    receiver = await startReceiver();
    server = await startServer({
      SENTRY_DSN: `http://public@127.0.0.1:${receiver.port}/1`,
      SENTRY_ENVIRONMENT: 'monitoring-test',
      SENTRY_RELEASE: 'oc-lettings@test',
    });
    pages.debug = await get(server.port, '/sentry-debug/', secretHeaders);
    pages.missing = await get(server.port, '/no-such-page/');
    pages.lettings = await get(server.port, '/lettings/');
    const detail = /href="(\/lettings\/\d+\/)"/.exec(pages.lettings.body)[1];
    pages.detail = await get(server.port, detail);
    pages.detailAgain = await get(server.port, detail);  // from the page cache
    pages.traced = await get(server.port, '/profiles/', {
      'sentry-trace': '0123456789abcdef0123456789abcdef-89abcdef01234567-1',
      baggage: 'other=1,sentry-trace_id=0123456789abcdef0123456789abcdef,sentry-public_key=upstream,'
        + 'sentry-sample_rate=0.5,sentry-sampled=true,sentry-release=upstream%401',
    });
    await waitFor(() => receiver.items().filter((item) => item.type === 'transaction').length >= 6, 10000,
      'six transactions');
    stopped = await server.stop();
  });

  after(async () => {
    await receiver?.close();
  });

  const events = () => receiver.items().filter((item) => item.type === 'event');
  const transactions = () => receiver.items().filter((item) => item.type === 'transaction');
  const transactionFor = (name) => transactions().find((item) => item.payload.transaction === name);

  test('every envelope is parsed by Sentry\'s parser and sent gzipped with X-Sentry-Auth', () => {
    assert.deepEqual(receiver.errors, []);
    assert.ok(receiver.envelopes.length > 0);
    for (const envelope of receiver.envelopes) {
      assert.equal(envelope.path, '/api/1/envelope/');
      assert.equal(envelope.encoding, 'gzip');
      assert.match(envelope.requestHeaders['x-sentry-auth'], /sentry_version=7, sentry_key=public, sentry_client=/);
      assert.equal(envelope.headers.dsn, `http://public@127.0.0.1:${receiver.port}/1`);
    }
  });

  test('/sentry-debug/ answers 500 with the id of an error event that has the exception and its stack', () => {
    assert.equal(pages.debug.status, 500);
    const id = events().map((item) => item.payload.event_id).find((eventId) => pages.debug.body.includes(eventId));
    assert.ok(id, 'the 500 page shows the event id');
    const { payload: event, envelope } = events().find((item) => item.payload.event_id === id);
    assert.equal(envelope.headers.event_id, id);
    assert.equal(event.level, 'error');
    const [exception] = event.exception.values;
    assert.equal(exception.type, 'std::domain_error');
    assert.equal(exception.value, 'division by zero');
    assert.equal(exception.mechanism.handled, false);
    const frames = exception.stacktrace.frames;
    const view = frames.find((frame) => frame.function.includes('sentry_debug'));
    assert.ok(view, `a frame of the view: ${JSON.stringify(frames.map((frame) => frame.function))}`);
    assert.match(view.filename, /site\/views\.cpp$/);
    assert.ok(view.lineno > 0);
    assert.equal(view.in_app, true);
    assert.ok(frames.indexOf(view) >= frames.length - 3, 'the stack is the one of the throw');
  });

  test('the error event carries request, contexts, tags, release, environment, server name and breadcrumbs', () => {
    const { payload: event, envelope } = events().find((item) => item.payload.exception);
    assert.match(event.request.url, /\/sentry-debug\/$/);
    assert.equal(event.request.method, 'GET');
    const headers = lower(event.request.headers);
    assert.equal(headers.cookie, undefined);
    assert.equal(headers.authorization, undefined);
    assert.equal(headers['x-csrftoken'], undefined);
    assert.ok(headers.host);
    assert.equal(event.user, undefined);
    assert.match(event.contexts.trace.trace_id, hex(32));
    assert.match(event.contexts.trace.span_id, hex(16));
    assert.equal(event.contexts.os.name, 'Linux');
    assert.equal(event.contexts.runtime.name, 'C++');
    assert.equal(event.tags['url.pattern'], '/sentry-debug/');
    assert.equal(event.transaction, '/sentry-debug/');
    assert.equal(event.release, 'oc-lettings@test');
    assert.equal(event.environment, 'monitoring-test');
    assert.ok(event.server_name);
    const crumbs = event.breadcrumbs.values.map((crumb) => `${crumb.level}:${crumb.message}`);
    assert.deepEqual(crumbs.slice(-2), ['info:info', 'error:error']);
    assert.equal(envelope.headers.trace.trace_id, event.contexts.trace.trace_id);
    assert.equal(envelope.headers.trace.public_key, 'public');
  });

  test('log records at INFO and above become events with logger and logentry', () => {
    const logs = events().filter((item) => item.payload.logentry);
    const info = logs.find((item) => item.payload.logentry.message === 'info');
    const error = logs.find((item) => item.payload.logentry.message === 'error');
    assert.equal(info.payload.level, 'info');
    assert.equal(error.payload.level, 'error');
    assert.equal(info.payload.logger, 'oc-lettings');
    assert.equal(info.payload.tags['url.pattern'], '/sentry-debug/');
    assert.ok(logs.some((item) => /listening on/.test(item.payload.logentry.message)), 'start-up records too');
    const internal = logs.filter((item) => /Internal Server Error/.test(item.payload.logentry.message));
    assert.equal(internal.length, 0, 'the exception is reported once, as its own event');
  });

  test('a page gets a transaction named by its route with db, template and middleware spans', () => {
    assert.equal(pages.detail.status, 200);
    const { payload: transaction, envelope } = transactionFor('/lettings/<int:letting_id>/');
    assert.equal(transaction.type, 'transaction');
    assert.equal(transaction.transaction_info.source, 'route');
    assert.equal(transaction.contexts.trace.op, 'http.server');
    assert.equal(transaction.contexts.trace.status, 'ok');
    assert.ok(transaction.start_timestamp <= transaction.timestamp);
    const ops = new Set(transaction.spans.map((span) => span.op));
    for (const op of ['db', 'template.render', 'middleware.http']) assert.ok(ops.has(op), `a ${op} span`);
    const query = transaction.spans.find((span) => span.op === 'db');
    assert.equal(query.data['db.system'], 'sqlite');
    assert.match(query.description, /SELECT/i);
    const spanIds = new Set([transaction.contexts.trace.span_id, ...transaction.spans.map((span) => span.span_id)]);
    for (const span of transaction.spans) assert.ok(spanIds.has(span.parent_span_id), 'spans form a tree');
    assert.equal(envelope.headers.trace.trace_id, transaction.contexts.trace.trace_id);
    assert.equal(envelope.headers.trace.sampled, 'true');
    assert.equal(envelope.headers.trace.sample_rate, '1');
    assert.equal(envelope.headers.trace.transaction, '/lettings/<int:letting_id>/');
  });

  test('the page cache shows as cache.get and cache.put spans, and a cached page needs no query', () => {
    assert.equal(pages.detailAgain.body, pages.detail.body);
    const detailTransactions = transactions()
      .map((item) => item.payload)
      .filter((payload) => payload.transaction === '/lettings/<int:letting_id>/');
    const lookup = (payload) => payload.spans.find((span) => span.op === 'cache.get');
    const rendered = detailTransactions.find((payload) => lookup(payload)?.data['cache.hit'] === false);
    const cached = detailTransactions.find((payload) => lookup(payload)?.data['cache.hit'] === true);
    assert.ok(rendered && cached, `one transaction missed the cache, the next one hit it: ${JSON.stringify(detailTransactions.map((payload) => payload.spans.map((span) => [span.op, span.data])))}`);
    assert.ok(rendered.spans.some((span) => span.op === 'cache.put' && span.data['cache.item_size'] > 0));
    assert.ok(rendered.spans.some((span) => span.op === 'db'));
    assert.ok(!cached.spans.some((span) => span.op === 'db' || span.op === 'template.render'));
    assert.match(lookup(cached).data['cache.key'], /^\/lettings\/\d+\/$/);
  });

  test('a 404 and a 500 set the transaction status', () => {
    assert.equal(pages.missing.status, 404);
    const missing = transactions().find((item) => item.payload.transaction === '/no-such-page/');
    assert.equal(missing.payload.contexts.trace.status, 'not_found');
    assert.equal(missing.payload.transaction_info.source, 'url');
    assert.equal(transactionFor('/sentry-debug/').payload.contexts.trace.status, 'internal_error');
    assert.ok(!events().some((item) => item.payload.exception && /no-such-page/.test(item.payload.request.url)));
  });

  test('sentry-trace and baggage continue the caller\'s trace and keep its sampling context', () => {
    const { payload: transaction, envelope } = transactionFor('/profiles/');
    assert.equal(transaction.contexts.trace.trace_id, '0123456789abcdef0123456789abcdef');
    assert.equal(transaction.contexts.trace.parent_span_id, '89abcdef01234567');
    assert.equal(envelope.headers.trace.public_key, 'upstream');
    assert.equal(envelope.headers.trace.release, 'upstream@1');
  });

  test('session aggregates count the requests, one crashed, and the server stops cleanly', () => {
    assert.equal(stopped.code, 0);
    const sessions = receiver.items().filter((item) => item.type === 'sessions');
    assert.ok(sessions.length > 0, 'a sessions item at shutdown');
    const totals = { exited: 0, errored: 0, crashed: 0 };
    for (const { payload } of sessions) {
      assert.equal(payload.attrs.release, 'oc-lettings@test');
      assert.equal(payload.attrs.environment, 'monitoring-test');
      for (const bucket of payload.aggregates) {
        for (const key of Object.keys(totals)) totals[key] += bucket[key] ?? 0;
      }
    }
    assert.equal(totals.crashed, 1);
    assert.equal(totals.exited + totals.errored + totals.crashed, 6);
  });
});

describe('monitoring with SENTRY_SEND_DEFAULT_PII=true', () => {
  test('keeps the request headers and adds the user\'s address, as the trusted proxy reports it', async () => {
    const receiver = await startReceiver();
    const server = await startServer({
      SENTRY_DSN: `http://public@127.0.0.1:${receiver.port}/1`,
      SENTRY_SEND_DEFAULT_PII: 'true',
      SENTRY_TRACES_SAMPLE_RATE: '0',
    });
    const proxy = await startProxy(server.port);
    try {
      // HAProxy, on loopback (trusted by default), reports the client's own address: a forged header is ignored.
      await get(proxy.port, '/sentry-debug/', { ...secretHeaders, 'X-Forwarded-For': '203.0.113.7' }, '127.0.0.5');
      const { payload: event } = await waitFor(
        () => receiver.items().find((item) => item.type === 'event' && item.payload.exception), 10000, 'the event');
      const headers = lower(event.request.headers);
      assert.equal(headers.cookie, secretHeaders.Cookie);
      assert.equal(headers.authorization, secretHeaders.Authorization);
      assert.equal(event.user.ip_address, '127.0.0.5');
    } finally {
      await proxy.stop();
      await server.stop();
      await receiver.close();
    }
    assert.ok(!receiver.items().some((item) => item.type === 'transaction'), 'no transaction at sample rate 0');
  });
});

describe('/sentry-debug/ with SENTRY_DEBUG_PER_MINUTE=2', () => {
  test('fails on purpose twice a minute per client, then answers 429 and sends nothing', async () => {
    const receiver = await startReceiver();
    const server = await startServer({
      SENTRY_DSN: `http://public@127.0.0.1:${receiver.port}/1`,
      SENTRY_DEBUG_PER_MINUTE: '2',
      SENTRY_TRACES_SAMPLE_RATE: '0',
    });
    const answers = [];
    try {
      for (let i = 0; i < 5; i += 1) answers.push(await get(server.port, '/sentry-debug/'));
      await waitFor(() => receiver.items().filter((item) => item.type === 'event' && item.payload.exception).length >= 2,
        10000, 'two error events');
      assert.equal((await get(server.port, '/lettings/')).status, 200, 'other pages are not limited');
    } finally {
      await server.stop();
      await receiver.close();
    }
    assert.deepEqual(answers.map((page) => page.status), [500, 500, 429, 429, 429]);
    const refused = answers[2];
    assert.match(refused.body, /Too many requests/);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${refused.headers['retry-after']}`);
    const errors = receiver.items().filter((item) => item.type === 'event' && item.payload.exception);
    assert.equal(errors.length, 2, 'the refused calls sent no event');
  });
});

describe('monitoring with SENTRY_SPOTLIGHT and no DSN', () => {
  test('sends every envelope, uncompressed, to the Spotlight sidecar', async () => {
    const spotlight = await startReceiver();
    const server = await startServer({ SENTRY_SPOTLIGHT: `http://127.0.0.1:${spotlight.port}/stream` });
    try {
      await get(server.port, '/sentry-debug/');
      await waitFor(() => spotlight.items().find((item) => item.type === 'event' && item.payload.exception), 10000,
        'the error event');
      await waitFor(() => spotlight.items().find((item) => item.type === 'transaction'), 10000, 'the transaction');
      for (const envelope of spotlight.envelopes) {
        assert.equal(envelope.path, '/stream');
        assert.equal(envelope.encoding, undefined);
      }
    } finally {
      await server.stop();
      await spotlight.close();
    }
  });
});
