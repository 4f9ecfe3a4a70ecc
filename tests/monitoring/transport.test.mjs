// A Sentry server that is down, slow or rate-limiting must not slow pages down nor grow memory.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { startReceiver, waitFor } from './receiver.mjs';
import { closedPort, get, residentKiB, startServer } from './server.mjs';

// These tests fill the sender's queue with /sentry-debug/ errors on purpose: lift its per-client limit.
const manyErrors = { SENTRY_DEBUG_PER_MINUTE: '100000' };

/** 20 requests (every third one an error) answered within 2 s in all, all with the right status. */
async function assertPagesUnaffected(port) {
  const started = Date.now();
  for (let i = 0; i < 20; i += 1) {
    const target = i % 3 === 0 ? '/sentry-debug/' : '/lettings/';
    const page = await get(port, target);
    assert.equal(page.status, target === '/lettings/' ? 200 : 500);
  }
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 2000, `20 requests took ${elapsed} ms`);
}

/** RSS growth over 300 more requests, in KiB, once the queue is already full. */
async function memoryGrowthKiB(server) {
  for (let i = 0; i < 150; i += 1) await get(server.port, '/sentry-debug/');
  const before = residentKiB(server.child.pid);
  for (let i = 0; i < 300; i += 1) await get(server.port, i % 2 ? '/lettings/' : '/sentry-debug/');
  return residentKiB(server.child.pid) - before;
}

describe('when Sentry is down', () => {
  test('pages answer as fast, memory stays bounded and SIGTERM still stops the server quickly', async () => {
    const port = await closedPort();
    const server = await startServer({ SENTRY_DSN: `http://public@127.0.0.1:${port}/1`, ...manyErrors });
    await assertPagesUnaffected(server.port);
    const growth = await memoryGrowthKiB(server);
    assert.ok(growth < 16 * 1024, `RSS grew by ${growth} KiB`);
    const stopped = await server.stop();
    assert.equal(stopped.code, 0);
    assert.ok(stopped.elapsedMs < 6000, `stopping took ${stopped.elapsedMs} ms`);
  });
});

describe('when Sentry answers in 10 s', () => {
  test('pages answer as fast and shutdown gives up after its flush timeout', async () => {
    const receiver = await startReceiver({
      respond: (record, response) => setTimeout(() => response.writeHead(200).end('{}'), 10000),
    });
    const server = await startServer({ SENTRY_DSN: `http://public@127.0.0.1:${receiver.port}/1`, ...manyErrors });
    try {
      await waitFor(() => receiver.envelopes.length > 0, 5000, 'the first envelope');
      await assertPagesUnaffected(server.port);
      const growth = await memoryGrowthKiB(server);
      assert.ok(growth < 16 * 1024, `RSS grew by ${growth} KiB`);
      assert.ok(receiver.envelopes.length < 5, 'one envelope at a time: the sender waits for the answer');
    } finally {
      const stopped = await server.stop();
      await receiver.close();
      assert.equal(stopped.code, 0);
      assert.ok(stopped.elapsedMs < 6000, `stopping took ${stopped.elapsedMs} ms`);
    }
  });
});

describe('when Sentry answers 429', () => {
  test('the limited category pauses and the drops are reported in a client report', async () => {
    let limited = false;
    const receiver = await startReceiver({
      respond: (record, response) => {
        const isTransaction = record.items.some(([header]) => header.type === 'transaction');
        if (isTransaction && !limited) {
          limited = true;
          response.writeHead(429, { 'X-Sentry-Rate-Limits': '60:transaction:key', 'Retry-After': '60' }).end();
          return;
        }
        response.writeHead(200).end('{}');
      },
    });
    const server = await startServer({ SENTRY_DSN: `http://public@127.0.0.1:${receiver.port}/1`, ...manyErrors });
    try {
      await get(server.port, '/lettings/');
      await waitFor(() => limited, 5000, 'the 429');
      const countTransactions = () =>
        receiver.items().filter((item) => item.type === 'transaction').length;
      const afterLimit = countTransactions();
      await assertPagesUnaffected(server.port);
      const reports = await waitFor(() => {
        const found = receiver.items().filter((item) => item.type === 'client_report');
        return found.length > 0 && found;
      }, 10000, 'a client report');
      const discarded = reports.flatMap((item) => item.payload.discarded_events);
      const transactionDrops = discarded.find(
        (entry) => entry.reason === 'ratelimit_backoff' && entry.category === 'transaction');
      assert.ok(transactionDrops && transactionDrops.quantity >= 1, JSON.stringify(discarded));
      assert.equal(countTransactions(), afterLimit, 'no transaction sent while limited');
      assert.ok(receiver.items().some((item) => item.type === 'event' && item.payload.exception),
        'errors still go through');
    } finally {
      const stopped = await server.stop();
      await receiver.close();
      assert.equal(stopped.code, 0);
    }
  });
});
