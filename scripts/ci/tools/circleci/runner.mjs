// Runs jobs of .circleci/config.yml as CircleCI's Docker executor does: a fresh container of the
// job's resource class, a clean clone at ~/project and nothing beside it, each run step through
// `bash -eo pipefail` with the executor's, job's and step's environment, steps after a failure
// skipped unless `when: always` (or on_fail), CircleCI's ten-minute no-output timeout.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, expandJob, jobNames, loadConfig } from './config.mjs';

const USAGE = `usage: scripts/ci/circleci-local.sh [options] [JOB ...]
Runs CircleCI jobs from .circleci/config.yml in fresh bare Debian 12 containers (podman).
Without JOB: every job of the workflow that can run in a container, in workflow order.
  --list             print each job's steps and run nothing
  --env NAME=VALUE   a project environment variable (repeatable)
  --on-host          run the steps on this machine, in a clean clone (jobs that need docker)
  --revision REV     commit to check out (default HEAD)
  --build-num N      CIRCLE_BUILD_NUM (default 1)
  --keep             keep each job's container after it ends
  --times FILE       append one line per job and step: job, step, status, seconds
Environment: OCL_CI_IMAGE (bare image standing for debian:bookworm,
default localhost/ocl-base/debian:bookworm), CONTAINERS_CONF.`;

/** Images a local run may stand in for, and the local image each one maps to. */
function localImage(image) {
  const bare = process.env.OCL_CI_IMAGE || 'localhost/ocl-base/debian:bookworm';
  const known = { 'debian:bookworm': bare, 'debian:12': bare };
  return known[image];
}

function parseArguments(argv) {
  const options = { jobs: [], env: {}, onHost: false, revision: 'HEAD', buildNum: '1', keep: false, list: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const value = () => {
      if (index + 1 >= argv.length) throw new ConfigError(`${argument} needs a value`);
      index += 1;
      return argv[index];
    };
    if (argument === '--list') options.list = true;
    else if (argument === '--on-host') options.onHost = true;
    else if (argument === '--keep') options.keep = true;
    else if (argument === '--revision') options.revision = value();
    else if (argument === '--build-num') options.buildNum = value();
    else if (argument === '--times') options.times = value();
    else if (argument === '--env') {
      const pair = value();
      const equals = pair.indexOf('=');
      if (equals < 1) throw new ConfigError(`--env wants NAME=VALUE, got '${pair}'`);
      options.env[pair.slice(0, equals)] = pair.slice(equals + 1);
    } else if (argument === '-h' || argument === '--help') options.help = true;
    else if (argument.startsWith('-')) throw new ConfigError(`unknown option ${argument}`);
    else options.jobs.push(argument);
  }
  return options;
}

function git(repo, ...args) {
  const result = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new ConfigError(`git ${args.join(' ')}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

function podman(...args) {
  const result = spawnSync('podman', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`podman ${args[0]}: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout.trim();
}

/** The host's CA bundle when this machine trusts CAs of its own (a TLS proxy in front of npm). */
function hostCaBundle() {
  const local = '/usr/local/share/ca-certificates';
  const bundle = '/etc/ssl/certs/ca-certificates.crt';
  const hasLocal = existsSync(local) && readdirSync(local).some((name) => name.endsWith('.crt'));
  return hasLocal && existsSync(bundle) ? bundle : undefined;
}

function formatSeconds(milliseconds) {
  return `${Math.round(milliseconds / 1000)} s`;
}

/** Where a job's steps run: a container (podman exec) or this machine (a clean clone). */
class ContainerPlace {
  constructor(job, options) {
    this.job = job;
    this.name = `ocl-ci-${job.name}-${process.pid}`;
    this.keep = options.keep;
    this.home = '/root';
  }

  start() {
    const image = localImage(this.job.image);
    if (!image) throw new ConfigError(`job ${this.job.name}: no local stand-in for image ${this.job.image}`);
    const { cpus, memory } = this.job.resources;
    const args = ['run', '-d', '--name', this.name, '--hostname', this.job.name,
      `--cpus=${cpus}`, `--memory=${memory}`, `--memory-swap=${memory}`];
    const bundle = hostCaBundle();
    if (bundle) {
      args.push('-v', `${bundle}:/run/host-ca/ca-certificates.crt:ro`,
        '-e', 'NODE_EXTRA_CA_CERTS=/run/host-ca/ca-certificates.crt');
    }
    // PID 1 is a shell, which reaps the orphans the tests leave (as CircleCI's agent does).
    args.push(image, 'bash', '-c', 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done');
    podman(...args);
    console.log(`==> container ${this.name}: ${image} (for ${this.job.image}), ${this.job.resourceClass}: `
      + `${cpus} CPUs, ${memory} memory${bundle ? ', host CA bundle handed in' : ''}`);
  }

  resolve(path) {
    return path.replace(/^~(?=\/|$)/, this.home);
  }

  /** Copies a directory's content into `target` (created when missing). */
  copyIn(source, target) {
    podman('exec', this.name, 'mkdir', '-p', target);
    podman('cp', `${source}/.`, `${this.name}:${target}`);
  }

  /** Spawns one step's shell; the step leads its own process group so a timeout can end it whole. */
  spawnStep(shell, command, environment, workingDirectory) {
    const args = ['exec', '-w', workingDirectory];
    for (const [key, value] of Object.entries(environment)) args.push('-e', `${key}=${value}`);
    args.push(this.name, 'setsid', '--wait', 'bash', '-c',
      'echo $$ > /tmp/.circleci-step.pid; exec "$@"', 'step', ...shell.split(/\s+/), '-c', command);
    return spawn('podman', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  killStep() {
    spawnSync('podman', ['exec', this.name, 'bash', '-c', 'kill -TERM -- -"$(cat /tmp/.circleci-step.pid)"']);
  }

  /** CircleCI creates the working directory and an empty $BASH_ENV before the first step. */
  prepare(environment, workingDirectory) {
    podman('exec', this.name, 'bash', '-c', 'mkdir -p "$1" && : > "$2"', 'prepare', workingDirectory, environment.BASH_ENV);
  }

  stop() {
    if (this.keep) {
      console.log(`==> container ${this.name} kept (podman rm -f ${this.name})`);
    } else {
      spawnSync('podman', ['rm', '-f', '-t', '0', this.name], { stdio: 'ignore' });
    }
  }
}

class HostPlace {
  constructor(job) {
    this.job = job;
    this.home = mkdtempSync(join(tmpdir(), `ocl-ci-${job.name}-`));
  }

  start() {
    console.log(`==> on this machine in ${this.home} (image ${this.job.image} not used)`);
  }

  resolve(path) {
    return path.replace(/^~(?=\/|$)/, this.home);
  }

  copyIn(source, target) {
    mkdirSync(target, { recursive: true });
    const result = spawnSync('cp', ['-a', `${source}/.`, target]);
    if (result.status !== 0) throw new Error(`cp ${source} ${target} failed`);
  }

  spawnStep(shell, command, environment, workingDirectory) {
    const [program, ...flags] = shell.split(/\s+/);
    return spawn(program, [...flags, '-c', command], {
      cwd: workingDirectory, env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
  }

  killStep(child) {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  }

  prepare(environment, workingDirectory) {
    mkdirSync(workingDirectory, { recursive: true });
    appendFileSync(environment.BASH_ENV, '');
  }

  stop() {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Runs one step to its end, echoing its output; fails it after its no-output timeout. */
function runProcess(place, step, shell, environment, workingDirectory) {
  return new Promise((resolve) => {
    const child = place.spawnStep(shell, step.command, environment, workingDirectory);
    let lastOutput = Date.now();
    let timedOut = false;
    const echo = (stream) => (chunk) => { lastOutput = Date.now(); stream.write(chunk); };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    const watchdog = setInterval(() => {
      if (Date.now() - lastOutput > step.noOutputTimeout * 1000 && !timedOut) {
        timedOut = true;
        console.log(`\nToo long with no output (exceeded ${step.noOutputTimeout} s): context deadline exceeded`);
        place.killStep(child);
      }
    }, 1000);
    child.on('error', (error) => {
      clearInterval(watchdog);
      console.error(`cannot start the step: ${error.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      resolve(timedOut ? 124 : code ?? (signal ? 128 : 1));
    });
  });
}

function builtinEnvironment(job, options, revision, branch, place) {
  return {
    CI: 'true',
    CIRCLECI: 'true',
    CIRCLE_JOB: job.name,
    CIRCLE_BRANCH: branch,
    CIRCLE_SHA1: revision,
    CIRCLE_BUILD_NUM: options.buildNum,
    CIRCLE_NODE_INDEX: '0',
    CIRCLE_NODE_TOTAL: '1',
    CIRCLE_PROJECT_REPONAME: 'oc-lettings',
    CIRCLE_WORKING_DIRECTORY: job.workingDirectory,
    BASH_ENV: place.resolve('~/.circleci-bash-env'),
  };
}

/** The place of the job under way, removed if the runner is interrupted. */
let currentPlace;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    currentPlace?.stop();
    process.exit(130);
  });
}

/** Runs one job; resolves to true when every step that ran passed. */
async function runJob(job, options, repo, log) {
  const revision = git(repo, 'rev-parse', options.revision);
  const branch = git(repo, 'rev-parse', '--abbrev-ref', 'HEAD');
  const place = options.onHost ? new HostPlace(job) : new ContainerPlace(job, options);
  currentPlace = place;
  const jobStarted = Date.now();
  let failed = false;
  console.log(`\n==== job ${job.name} (${new Date().toISOString()}) at ${revision.slice(0, 12)}`);
  try {
    place.start();
    // Precedence as CircleCI documents it: project < built-in < executor and job < step.
    const environment = { ...options.env, ...builtinEnvironment(job, options, revision, branch, place), ...job.environment };
    const jobDirectory = place.resolve(job.workingDirectory);
    place.prepare(environment, jobDirectory);
    for (const [index, step] of job.steps.entries()) {
      const label = `step ${index + 1}/${job.steps.length} "${step.name}"`;
      if (step.type === 'service') {
        console.log(`==> ${label}: skipped (${step.kind} is a CircleCI service; not run locally)`);
        log(job.name, step.name, 'skipped', 0);
        continue;
      }
      const runs = step.type === 'checkout' ? !failed
        : step.when === 'always' || (step.when === 'on_fail' ? failed : !failed);
      if (!runs) {
        console.log(`==> ${label}: not run (an earlier step failed)`);
        log(job.name, step.name, 'not-run', 0);
        continue;
      }
      console.log(`==> ${label}`);
      const started = Date.now();
      const code = step.type === 'checkout'
        ? checkout(place, repo, revision, step.path ? place.resolve(step.path) : jobDirectory)
        : await runProcess(place, step, step.shell ?? job.shell, { ...environment, ...step.environment },
          step.workingDirectory ? resolveIn(jobDirectory, place.resolve(step.workingDirectory)) : jobDirectory);
      const seconds = (Date.now() - started) / 1000;
      const status = code === 0 ? 'passed' : `failed (exit ${code})`;
      console.log(`==> ${label}: ${status} in ${formatSeconds(Date.now() - started)}`);
      log(job.name, step.name, code === 0 ? 'passed' : 'failed', seconds);
      if (code !== 0) failed = true;
    }
  } catch (error) {
    console.error(`circleci-local: job ${job.name}: ${error.message}`);
    failed = true;
  } finally {
    currentPlace = undefined;
    place.stop();
  }
  const seconds = (Date.now() - jobStarted) / 1000;
  console.log(`==== job ${job.name}: ${failed ? 'FAILED' : 'passed'} in ${formatSeconds(Date.now() - jobStarted)}`);
  log(job.name, '(job)', failed ? 'failed' : 'passed', seconds);
  return !failed;
}

function resolveIn(base, path) {
  return path.startsWith('/') ? path : `${base}/${path}`;
}

/** A clean clone of the revision, copied to where the job checks out; nothing else from the host. */
function checkout(place, repo, revision, target) {
  const scratch = mkdtempSync(join(tmpdir(), 'ocl-ci-checkout-'));
  try {
    const clone = join(scratch, 'project');
    const result = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', repo, clone], { stdio: 'inherit' });
    if (result.status !== 0) return 1;
    git(clone, 'checkout', '--quiet', '--detach', revision);
    place.copyIn(clone, target);
    return 0;
  } catch (error) {
    console.error(`checkout: ${error.message}`);
    return 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function describe(job) {
  console.log(`${job.name}: ${job.image}, ${job.resourceClass}${job.requires.length ? `, after ${job.requires.join(', ')}` : ''}`);
  job.steps.forEach((step, index) => {
    const detail = step.type === 'run' && step.when !== 'on_success' ? ` (when: ${step.when})` : '';
    console.log(`  ${index + 1}. [${step.kind ?? step.type}] ${step.name}${detail}`);
  });
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const repo = git(process.cwd(), 'rev-parse', '--show-toplevel');
  const config = loadConfig(join(repo, '.circleci/config.yml'));
  const pipeline = { 'git.branch': git(repo, 'rev-parse', '--abbrev-ref', 'HEAD'), 'git.revision': git(repo, 'rev-parse', options.revision), number: options.buildNum };
  const names = options.jobs.length ? options.jobs : jobNames(config);
  const jobs = names.map((name) => expandJob(config, name, pipeline));
  if (options.list) {
    jobs.forEach(describe);
    return 0;
  }
  const log = (job, step, status, seconds) => {
    if (options.times) appendFileSync(options.times, `${job}\t${step}\t${status}\t${seconds.toFixed(1)}\n`);
  };
  const outcome = new Map();
  for (const job of jobs) {
    if (job.needsDocker && !options.onHost && options.jobs.length === 0) {
      console.log(`\n==== job ${job.name}: skipped (needs a Docker engine: scripts/ci/rehearse-deploy.sh runs it)`);
      continue;
    }
    const blocked = job.requires.filter((name) => outcome.get(name) === false);
    if (blocked.length) {
      console.log(`\n==== job ${job.name}: not run (required job failed: ${blocked.join(', ')})`);
      outcome.set(job.name, false);
      continue;
    }
    outcome.set(job.name, await runJob(job, options, repo, log));
  }
  console.log('\n==== summary');
  for (const [name, passed] of outcome) console.log(`  ${passed ? 'passed' : 'FAILED'}  ${name}`);
  return [...outcome.values()].every(Boolean) ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error) => {
  console.error(`circleci-local: ${error.message}`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
});
