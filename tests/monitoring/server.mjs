// Starts the real oc-lettings binary on a free port against a copy of the shared fixture database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export const binary = process.env.OCL_SERVER_BINARY;
export const fixture = process.env.OCL_FIXTURE_DATABASE;
export const staticRoot = process.env.OCL_STATIC_ROOT;

/** How a sanitizer build of the server starts a report on stderr. */
const sanitizerReport = /(Address|Leak|Thread|UndefinedBehavior)Sanitizer:/;

/** The runtime options of a sanitizer build, passed on to the server (its own defaults apply without them). */
function sanitizerOptions() {
  const names = ['ASAN_OPTIONS', 'LSAN_OPTIONS', 'UBSAN_OPTIONS', 'TSAN_OPTIONS'];
  return Object.fromEntries(names.filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
}

/** Runs `oc-lettings serve --port 0` with `env` added; resolves once it listens. */
export async function startServer(env = {}) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ocl-monitoring-'));
  const database = path.join(directory, 'db.sqlite3');
  fs.copyFileSync(fixture, database);
  const child = spawn(binary, ['serve', '--port', '0'], {
    cwd: directory,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      SECRET_KEY: 'monitoring-test-secret-key',
      ALLOWED_HOSTS: '127.0.0.1,localhost',
      DATABASE_URL: `sqlite:///${database}`,
      STATIC_ROOT: staticRoot ?? 'static',
      LOG_LEVEL: 'INFO',
      ...sanitizerOptions(),
      ...env,
    },
  });
  let log = '';
  child.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const closed = new Promise((resolve) => {
    child.on('close', resolve);
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => resolve({ code: -1, signal: null, error }));
  });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 10000);
    const check = () => {
      const match = /listening on http:\/\/[^\s:]+:(\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stderr.on('data', check);
    exited.then(({ code, error }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${error ?? log}`));
    });
  });
  return {
    port,
    child,
    log: () => log,
    /** SIGTERM, then resolves with the exit and how long it took (ms); rejects on a sanitizer report. */
    async stop() {
      const started = Date.now();
      child.kill('SIGTERM');
      const result = await exited;
      const elapsedMs = Date.now() - started;
      await closed;
      fs.rmSync(directory, { recursive: true, force: true });
      if (sanitizerReport.test(log)) {
        throw new Error(`the server reported a sanitizer error:\n${log}`);
      }
      return { ...result, elapsedMs };
    },
  };
}

/** One GET on a fresh connection from `localAddress` (any 127.x.y.z): { status, headers, body }. */
export function get(port, target, headers = {}, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, path: target, headers, localAddress, agent: false };
    const request = http.get(options, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
    });
    request.on('error', reject);
  });
}

/** A port nothing listens on (bound, then released). */
export async function closedPort() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The resident memory of a process, in KiB (Linux). */
export function residentKiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

/** HAProxy in front of the server on `serverPort`, adding X-Forwarded-For as a load balancer does. */
export async function startProxy(serverPort) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ocl-proxy-'));
  const config = path.join(directory, 'haproxy.cfg');
  const port = await closedPort();
  fs.writeFileSync(config, [
    'defaults', '  mode http', '  option forwardfor', '  timeout connect 1s', '  timeout client 10s',
    '  timeout server 10s', 'frontend site', `  bind 127.0.0.1:${port}`, '  default_backend instance',
    'backend instance', `  server only 127.0.0.1:${serverPort}`, '',
  ].join('\n'));
  const child = spawn('/usr/sbin/haproxy', ['-db', '-f', config], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const stop = async () => {
    child.kill();
    await exited;
    fs.rmSync(directory, { recursive: true, force: true });
  };
  for (const deadline = Date.now() + 10000; ;) {
    const answer = await get(port, '/healthz').catch(() => null);
    if (answer?.status === 200) return { port, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error('HAProxy did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
