// A stand-in for Render's image-backed web service, as Render documents it: a deploy hook that takes
// `imgURL` (same repository as the service's image, another tag or digest), the service's
// environment from render.yaml (generated values kept across deploys, `sync: false` ones from the
// dashboard), its persistent disk, and zero-downtime deploys: pull exactly that image, start it,
// wait for healthCheckPath to answer 2xx, move traffic to it, then stop the old instance once it
// has drained. A new instance that never gets healthy gets no traffic. The deploys are readable
// through the same REST paths as Render's API (GET /v1/services/{id}/deploys/{deployId}).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import YAML from 'yaml';
import * as haproxy from './haproxy.mjs';

const sleep = (milliseconds) => new Promise((resolve) => { setTimeout(resolve, milliseconds); });

function run(program, args, { input } = {}) {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.stderr.on('data', (chunk) => { out += chunk; });
    child.on('close', (code) => resolve({ code, out: out.trim() }));
    child.stdin.end(input ?? '');
  });
}

/** A loopback port free right now (the kernel's pick). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The repository part of an image reference: everything but the tag or digest. */
export function repositoryOf(reference) {
  const withoutDigest = reference.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** The one web service of a Blueprint, with what a deploy needs from it. */
export function readBlueprint(path, serviceName) {
  const blueprint = YAML.parse(readFileSync(path, 'utf8'));
  const service = (blueprint.services ?? []).find((candidate) => candidate.name === serviceName);
  if (!service) throw new Error(`${path}: no service named ${serviceName}`);
  if (service.runtime !== 'image') throw new Error(`${path}: ${serviceName} is not image-backed`);
  return {
    name: service.name,
    healthCheckPath: service.healthCheckPath ?? '/',
    envVars: service.envVars ?? [],
    disk: service.disk,
  };
}

export class RenderService {
  /**
   * @param {object} options stateDir, blueprint, imageUrl (the service's default image),
   *   registryCredentials ("user:password"), dashboardEnv (values entered in the dashboard),
   *   externalHostname, healthTimeoutMs, socket (HAProxy runtime API), podmanArgs
   */
  constructor(options) {
    this.options = options;
    this.id = `srv-${randomBytes(6).toString('hex')}`;
    this.deploys = [];
    this.instances = new Map();  // slot -> { name, port, deployId, image }
    this.queue = Promise.resolve();
    this.dashboardEnv = { ...options.dashboardEnv };
    this.generated = this.loadGenerated();
    // A named volume, as container platforms give a disk: the first mount copies in the image's
    // own /data (owned by the image's user), and it outlives every instance.
    this.disk = `ocl-render-disk-${this.id}`;
  }

  /** generateValue variables are made once for the service and kept, as Render keeps them. */
  loadGenerated() {
    const file = join(this.options.stateDir, 'generated.json');
    const values = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    for (const variable of this.options.blueprint.envVars) {
      if (variable.generateValue && !values[variable.key]) values[variable.key] = randomBytes(32).toString('base64url');
    }
    writeFileSync(file, JSON.stringify(values));
    return values;
  }

  /** The environment of a new instance: the Blueprint's, the dashboard's, then Render's own. */
  environment(port, deploy) {
    const env = {};
    for (const variable of this.options.blueprint.envVars) {
      if ('value' in variable) env[variable.key] = String(variable.value);
      else if (variable.generateValue) env[variable.key] = this.generated[variable.key];
    }
    Object.assign(env, this.dashboardEnv);
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined || value === null) delete env[key];
    }
    const host = this.options.externalHostname;
    return {
      ...env,
      RENDER: 'true',
      RENDER_SERVICE_ID: this.id,
      RENDER_SERVICE_NAME: this.options.blueprint.name,
      RENDER_EXTERNAL_HOSTNAME: host,
      RENDER_EXTERNAL_URL: `https://${host}`,
      RENDER_INSTANCE_ID: `${this.id}-${deploy.id}`,
      // Instances share this machine's network here, so each gets a port of its own.
      PORT: String(port),
      HOST: '127.0.0.1',
    };
  }

  /** Render's deploy hook: GET or POST, optional imgURL. */
  trigger(imageUrl) {
    const image = imageUrl ?? this.options.imageUrl;
    if (repositoryOf(image) !== repositoryOf(this.options.imageUrl)) {
      return { error: `imgURL must be an image of ${repositoryOf(this.options.imageUrl)}` };
    }
    const deploy = {
      id: `dep-${randomBytes(8).toString('hex')}`,
      status: 'created',
      trigger: 'deploy_hook',
      image: { ref: image },
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      finishedAt: null,
      log: [],
    };
    this.deploys.unshift(deploy);
    this.queue = this.queue.then(() => this.deploy(deploy)).catch((error) => {
      this.note(deploy, `deployer error: ${error.message}`);
      this.finish(deploy, 'update_failed');
    });
    return { deploy };
  }

  note(deploy, text) {
    const line = `${new Date().toISOString()} ${deploy.id} ${text}`;
    deploy.log.push(line);
    console.log(`[render] ${line}`);
  }

  status(deploy, status) {
    deploy.status = status;
    deploy.updatedAt = new Date().toISOString();
  }

  finish(deploy, status) {
    this.status(deploy, status);
    deploy.finishedAt = deploy.updatedAt;
  }

  async deploy(deploy) {
    const { socket } = this.options;
    const image = deploy.image.ref;
    this.status(deploy, 'build_in_progress');
    const pull = await run('podman', [...this.options.podmanArgs, 'pull', '--quiet', '--creds',
      this.options.registryCredentials, image]);
    if (pull.code !== 0) {
      this.note(deploy, `pull failed: ${pull.out}`);
      this.finish(deploy, 'build_failed');
      return;
    }
    this.note(deploy, `pulled ${image}`);
    this.status(deploy, 'update_in_progress');
    const slot = haproxy.SLOTS.find((candidate) => !this.instances.has(candidate));
    const port = await freePort();
    const name = `ocl-render-${deploy.id}`;
    const env = this.environment(port, deploy);
    const args = [...this.options.podmanArgs, 'run', '-d', '--name', name, '--network', 'host',
      '--health-interval=disable', '-v', `${this.disk}:${this.options.blueprint.disk?.mountPath ?? '/data'}`];
    for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`);
    args.push(image);
    const started = await run('podman', args);
    if (started.code !== 0) {
      this.note(deploy, `start failed: ${started.out}`);
      this.finish(deploy, 'update_failed');
      return;
    }
    const healthy = await this.waitHealthy(name, port);
    if (!healthy) {
      const logs = await run('podman', [...this.options.podmanArgs, 'logs', '--tail', '20', name]);
      this.note(deploy, `${this.options.blueprint.healthCheckPath} never answered 2xx: no traffic; instance log:\n${logs.out}`);
      await run('podman', [...this.options.podmanArgs, 'rm', '-f', '-t', '0', name]);
      this.finish(deploy, 'update_failed');
      return;
    }
    const previous = [...this.instances.entries()];
    this.instances.set(slot, { name, port, deployId: deploy.id, image });
    await haproxy.enable(socket, slot, port);
    this.note(deploy, `healthy on port ${port}: traffic switched to ${slot}`);
    for (const [oldSlot, instance] of previous) {
      await this.retire(deploy, oldSlot, instance);
    }
    for (const other of this.deploys) {
      if (other !== deploy && other.status === 'live') this.status(other, 'deactivated');
    }
    this.finish(deploy, 'live');
    this.note(deploy, 'live');
  }

  /** Health check as Render's: the path must answer 2xx within the bound, the instance must run. */
  async waitHealthy(name, port) {
    const deadline = Date.now() + this.options.healthTimeoutMs;
    while (Date.now() < deadline) {
      const state = await run('podman', [...this.options.podmanArgs, 'inspect', '--format', '{{.State.Running}}', name]);
      if (state.out !== 'true') return false;
      try {
        const response = await fetch(`http://127.0.0.1:${port}${this.options.blueprint.healthCheckPath}`,
          { signal: AbortSignal.timeout(2000) });
        if (response.status >= 200 && response.status < 300) return true;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    return false;
  }

  /** Drain, then SIGTERM (the server finishes what it has), then remove. */
  async retire(deploy, slot, instance) {
    const { socket } = this.options;
    await haproxy.drain(socket, slot);
    const deadline = Date.now() + 30000;
    let current = await haproxy.load(socket, slot);
    while ((current.sessions > 0 || current.queued > 0) && Date.now() < deadline) {
      await sleep(100);
      current = await haproxy.load(socket, slot);
    }
    await haproxy.disable(socket, slot);
    this.instances.delete(slot);
    const stopped = await run('podman', [...this.options.podmanArgs, 'stop', '-t', '30', instance.name]);
    const exit = await run('podman', [...this.options.podmanArgs, 'inspect', '--format', '{{.State.ExitCode}}', instance.name]);
    await run('podman', [...this.options.podmanArgs, 'rm', '-f', instance.name]);
    this.note(deploy, `drained ${slot} (${instance.image}), stopped it: ${stopped.code === 0 ? 'exit ' + exit.out : stopped.out}`);
  }

  find(deployId) {
    return this.deploys.find((deploy) => deploy.id === deployId);
  }

  /** What the API shows of a deploy (Render's fields; the log stays with the stand-in). */
  static view(deploy) {
    const { log, ...fields } = deploy;
    return fields;
  }

  async stopAll() {
    for (const instance of this.instances.values()) {
      await run('podman', [...this.options.podmanArgs, 'rm', '-f', '-t', '5', instance.name]);
    }
    this.instances.clear();
    await run('podman', [...this.options.podmanArgs, 'volume', 'rm', '-f', this.disk]);
  }
}
