// The deployment rehearsal's stand-ins in one process: Render (deploy hook, the deploy API, the
// service's instances behind HAProxy) and Sentry (releases, deploys, envelopes), on loopback ports.
// It writes their addresses to --ready-file once everything listens, and stops its instances and
// HAProxy on SIGTERM. Run by scripts/ci/rehearse-deploy.sh.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { command, startHaproxy } from './haproxy.mjs';
import { RenderService, readBlueprint } from './render.mjs';
import { SentryStandIn } from './sentry.mjs';

const { values: options } = parseArgs({
  options: {
    'state-dir': { type: 'string' },
    'render-yaml': { type: 'string' },
    service: { type: 'string', default: 'oc-lettings' },
    'image-url': { type: 'string' },
    'registry-credentials': { type: 'string' },
    'external-hostname': { type: 'string' },
    'front-port': { type: 'string' },
    certificate: { type: 'string' },
    'hook-key': { type: 'string' },
    'api-key': { type: 'string' },
    'sentry-token': { type: 'string' },
    'sentry-org': { type: 'string' },
    'sentry-project': { type: 'string' },
    env: { type: 'string', multiple: true, default: [] },
    'health-timeout': { type: 'string', default: '60' },
    'ready-file': { type: 'string' },
  },
});

function json(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Render's routes: the hook, the REST API the pipeline polls, and the stand-in's own state. */
function renderRoutes(service, request, url, body) {
  const hook = /^\/deploy\/([^/]+)$/.exec(url.pathname);
  if (hook && (request.method === 'GET' || request.method === 'POST')) {
    if (hook[1] !== service.id || url.searchParams.get('key') !== options['hook-key']) return [404, { message: 'Not Found' }];
    const { deploy, error } = service.trigger(url.searchParams.get('imgURL') ?? undefined);
    return error ? [400, { message: error }] : [200, { deploy: { id: deploy.id } }];
  }
  if (url.pathname.startsWith('/v1/')) {
    if (request.headers.authorization !== `Bearer ${options['api-key']}`) return [401, { message: 'unauthorized' }];
    const api = /^\/v1\/services\/([^/]+)\/(deploys|env-vars)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!api || api[1] !== service.id) return [404, { message: 'Not Found' }];
    if (api[2] === 'deploys' && request.method === 'GET') {
      if (!api[3]) return [200, service.deploys.map((deploy) => ({ deploy: RenderService.view(deploy), cursor: deploy.id }))];
      const deploy = service.find(api[3]);
      return deploy ? [200, RenderService.view(deploy)] : [404, { message: 'deploy not found' }];
    }
    if (api[2] === 'env-vars' && api[3] && request.method === 'PUT') {
      const { value } = JSON.parse(body.toString() || '{}');
      if (typeof value !== 'string') return [400, { message: 'value must be a string' }];
      service.dashboardEnv[api[3]] = value;
      return [200, { key: api[3], value }];
    }
  }
  if (url.pathname === '/standin/state' && request.method === 'GET') {
    return [200, { serviceId: service.id, deploys: service.deploys, instances: Object.fromEntries(service.instances) }];
  }
  return [404, { message: 'Not Found' }];
}

function listen(handler) {
  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      const [status, payload] = handler(request, new URL(request.url, 'http://127.0.0.1'), body);
      json(response, status, payload);
    } catch (error) {
      json(response, 400, { message: error.message });
    }
  });
  return new Promise((resolve) => { server.listen(0, '127.0.0.1', () => resolve(server)); });
}

async function main() {
  const stateDir = options['state-dir'];
  const { child: haproxy, socket } = startHaproxy(stateDir, {
    port: Number(options['front-port']), certificate: options.certificate,
  });
  const dashboardEnv = Object.fromEntries(options.env.map((pair) => {
    const equals = pair.indexOf('=');
    return [pair.slice(0, equals), pair.slice(equals + 1)];
  }));
  const service = new RenderService({
    stateDir,
    blueprint: readBlueprint(options['render-yaml'], options.service),
    imageUrl: options['image-url'],
    registryCredentials: options['registry-credentials'],
    dashboardEnv,
    externalHostname: options['external-hostname'],
    healthTimeoutMs: Number(options['health-timeout']) * 1000,
    socket,
    podmanArgs: [],
  });
  const sentry = new SentryStandIn({
    token: options['sentry-token'], organisation: options['sentry-org'], project: options['sentry-project'],
  });
  const render = await listen((request, url, body) => renderRoutes(service, request, url, body));
  const sentryServer = await listen((request, url, body) => sentry.handle(request, url, body));
  // HAProxy has bound its port once its runtime socket answers.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      await command(socket, 'show info');
      break;
    } catch {
      await new Promise((resolve) => { setTimeout(resolve, 100); });
    }
  }
  const stop = async () => {
    await service.stopAll();
    haproxy.kill('SIGTERM');
    render.close();
    sentryServer.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  haproxy.on('exit', (code) => {
    console.error(`[standins] HAProxy exited (${code})`);
    process.exit(1);
  });
  writeFileSync(options['ready-file'], JSON.stringify({
    render: `http://127.0.0.1:${render.address().port}`,
    sentry: `http://127.0.0.1:${sentryServer.address().port}`,
    serviceId: service.id,
    disk: service.disk,
  }));
}

main().catch((error) => {
  console.error(`[standins] ${error.message}`);
  process.exit(1);
});
