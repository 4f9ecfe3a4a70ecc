// A small Sentry-compatible receiver: stores every envelope it gets, each parsed with Sentry's
// own parser (`parseEnvelope` from @sentry/core). Tests import startReceiver(); run directly
// (`node receiver.mjs [port]`) it prints each envelope, for trying the server by hand.
import http from 'node:http';
import zlib from 'node:zlib';
import { parseEnvelope } from '@sentry/core';

/** One received request: its path, headers and parsed envelope ([headers, [[itemHeader, payload], ...]]). */
function parseRequest(request, body) {
  const encoding = request.headers['content-encoding'];
  const raw = encoding === 'gzip' ? zlib.gunzipSync(body) : body;
  const [headers, rawItems] = parseEnvelope(new Uint8Array(raw));
  // Items that declare their length come back as bytes: exactly that many must hold one JSON document.
  const items = rawItems.map(([header, payload]) => [
    header,
    payload instanceof Uint8Array ? JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) : payload,
  ]);
  return { path: request.url, requestHeaders: request.headers, encoding, headers, items };
}

/**
 * Starts the receiver on 127.0.0.1. `respond(record, response)` may answer differently
 * (slow, 429...); by default every envelope gets 200 `{}`.
 */
export async function startReceiver({ port = 0, respond } = {}) {
  const envelopes = [];
  const errors = [];
  const pending = new Set();
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      let record;
      try {
        record = parseRequest(request, Buffer.concat(chunks));
        envelopes.push(record);
      } catch (error) {
        errors.push(error);
        response.writeHead(400).end();
        return;
      }
      if (respond) {
        pending.add(response);
        response.on('close', () => pending.delete(response));
        respond(record, response);
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    envelopes,
    errors,
    /** Every item of every envelope, with its envelope: { type, header, payload, envelope }. */
    items() {
      return envelopes.flatMap((envelope) =>
        envelope.items.map(([header, payload]) => ({ type: header.type, header, payload, envelope })),
      );
    },
    async close() {
      for (const response of pending) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Polls `predicate` every 50 ms until it returns a truthy value, at most `timeoutMs`. */
export async function waitFor(predicate, timeoutMs = 10000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `node receiver.mjs [port] [--count]`: prints each envelope, or with --count only how many
  // envelopes and transactions arrived and how many transactions the client reports as dropped,
  // when stopped (SIGTERM).
  const receiver = await startReceiver({ port: Number(process.argv[2] ?? 8969) });
  const countOnly = process.argv.includes('--count');
  console.log(`receiver listening on http://127.0.0.1:${receiver.port}`);
  let envelopes = 0;
  let transactions = 0;
  let droppedTransactions = 0;
  setInterval(() => {
    for (const envelope of receiver.envelopes.splice(0)) {
      envelopes += 1;
      for (const [header, payload] of envelope.items) {
        if (header.type === 'transaction') transactions += 1;
        if (header.type !== 'client_report') continue;
        const report = typeof payload === 'string' ? JSON.parse(payload) : payload;
        for (const discarded of report.discarded_events ?? []) {
          if (discarded.category === 'transaction') droppedTransactions += discarded.quantity;
        }
      }
      if (!countOnly) console.log(JSON.stringify(envelope, null, 2));
    }
  }, 200);
  process.on('SIGTERM', () => {
    console.log(JSON.stringify({ envelopes, transactions, droppedTransactions }));
    process.exit(0);
  });
}
