// Reads .circleci/config.yml the way CircleCI expands it for one job: executor, environment,
// reusable commands and their parameters, then a flat list of steps. No execution here: the
// local runner (circleci-local.mjs) and the deployment rehearsal both start from this list.
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

/** CPU and memory of CircleCI's Docker resource classes (CircleCI's pricing page). */
export const RESOURCE_CLASSES = {
  small: { cpus: 1, memory: '2g' },
  medium: { cpus: 2, memory: '4g' },
  'medium+': { cpus: 3, memory: '6g' },
  large: { cpus: 4, memory: '8g' },
  xlarge: { cpus: 8, memory: '16g' },
  '2xlarge': { cpus: 16, memory: '32g' },
};

/** Steps CircleCI runs with its own services, which a local run can only report. */
const SERVICE_STEPS = new Set([
  'restore_cache', 'save_cache', 'store_artifacts', 'store_test_results',
  'persist_to_workspace', 'attach_workspace', 'setup_remote_docker', 'add_ssh_keys',
]);

const DEFAULT_NO_OUTPUT_TIMEOUT_S = 600;

export class ConfigError extends Error {}

/** Parses the configuration file; YAML errors become ConfigError. */
export function loadConfig(path) {
  let config;
  try {
    config = YAML.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path}: ${error.message}`);
  }
  if (!config || typeof config !== 'object' || !config.jobs) {
    throw new ConfigError(`${path}: no jobs`);
  }
  if (config.orbs) {
    throw new ConfigError(`${path}: orbs are not supported by the local runner`);
  }
  return config;
}

/** Names of every job in the configuration, in the order of its workflows (then the rest). */
export function jobNames(config) {
  const names = [];
  for (const workflow of Object.values(config.workflows ?? {})) {
    for (const entry of workflow?.jobs ?? []) {
      const name = typeof entry === 'string' ? entry : Object.keys(entry)[0];
      if (!names.includes(name)) names.push(name);
    }
  }
  for (const name of Object.keys(config.jobs)) {
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The jobs a workflow entry requires, by job name. */
export function requiredJobs(config, jobName) {
  for (const workflow of Object.values(config.workflows ?? {})) {
    for (const entry of workflow?.jobs ?? []) {
      if (typeof entry === 'object' && entry[jobName]) return entry[jobName].requires ?? [];
    }
  }
  return [];
}

/** Seconds in a CircleCI duration such as "20m", "1h" or "90s". */
export function parseDuration(text) {
  const match = /^(\d+)(s|m|h)?$/.exec(String(text).trim());
  if (!match) throw new ConfigError(`not a duration: ${text}`);
  const unit = { s: 1, m: 60, h: 3600 }[match[2] ?? 's'];
  return Number(match[1]) * unit;
}

/** Replaces every << parameters.name >> and << pipeline.* >> in a string. */
function substitute(text, parameters, pipeline) {
  if (typeof text !== 'string') return text;
  return text.replace(/<<\s*([\w.-]+)\s*>>/g, (whole, reference) => {
    const [scope, ...rest] = reference.split('.');
    const key = rest.join('.');
    const table = scope === 'parameters' ? parameters : scope === 'pipeline' ? pipeline : undefined;
    if (!table || !(key in table)) throw new ConfigError(`unknown reference ${whole}`);
    return String(table[key]);
  });
}

/** Substitutes through a whole YAML value (strings inside maps and lists). */
function substituteDeep(value, parameters, pipeline) {
  if (Array.isArray(value)) return value.map((item) => substituteDeep(item, parameters, pipeline));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) =>
      [key, substituteDeep(item, parameters, pipeline)]));
  }
  return substitute(value, parameters, pipeline);
}

/** Parameter values: the declared defaults, overridden by the arguments given. */
function bindParameters(declared = {}, given = {}, where) {
  const bound = {};
  for (const [name, spec] of Object.entries(declared)) {
    if (name in given) bound[name] = given[name];
    else if (spec && 'default' in spec) bound[name] = spec.default;
    else throw new ConfigError(`${where}: parameter '${name}' has no value`);
  }
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new ConfigError(`${where}: unknown parameter '${name}'`);
  }
  return bound;
}

/** A run step's name as CircleCI shows it: its name, or the first line of its command. */
function runStepName(run) {
  return run.name ?? run.command.split('\n').find((line) => line.trim() !== '') ?? 'run';
}

function runStep(body) {
  const run = typeof body === 'string' ? { command: body } : body;
  if (typeof run.command !== 'string') throw new ConfigError('a run step has no command');
  return {
    type: 'run',
    name: runStepName(run),
    command: run.command,
    environment: stringValues(run.environment),
    when: run.when ?? 'on_success',
    workingDirectory: run.working_directory,
    shell: run.shell,
    background: run.background === true,
    noOutputTimeout: run.no_output_timeout === undefined
      ? DEFAULT_NO_OUTPUT_TIMEOUT_S : parseDuration(run.no_output_timeout),
  };
}

function stringValues(map = {}) {
  return Object.fromEntries(Object.entries(map ?? {}).map(([key, value]) => [key, String(value)]));
}

/** Flattens steps: reusable commands are expanded with their parameters, depth first. */
function expandSteps(config, steps, parameters, pipeline, depth = 0) {
  if (depth > 20) throw new ConfigError('commands nest more than 20 deep (a cycle?)');
  const flat = [];
  for (const raw of steps ?? []) {
    const [kind, body] = typeof raw === 'string' ? [raw, undefined] : Object.entries(raw)[0];
    const value = substituteDeep(body, parameters, pipeline);
    if (kind === 'run') flat.push(runStep(value));
    else if (kind === 'checkout') flat.push({ type: 'checkout', name: 'Checkout code', path: value?.path });
    else if (SERVICE_STEPS.has(kind)) flat.push({ type: 'service', kind, name: value?.name ?? kind });
    else if (kind === 'when' || kind === 'unless') {
      const holds = Boolean(value.condition) && value.condition !== 'false';
      if (holds === (kind === 'when')) flat.push(...expandSteps(config, value.steps, parameters, pipeline, depth + 1));
    } else if (config.commands?.[kind]) {
      const command = config.commands[kind];
      const bound = bindParameters(command.parameters, value ?? {}, `command ${kind}`);
      flat.push(...expandSteps(config, command.steps, bound, pipeline, depth + 1));
    } else {
      throw new ConfigError(`unknown step '${kind}'`);
    }
  }
  return flat;
}

/** The executor a job runs on: its named or inline docker image, resource class and environment. */
function resolveExecutor(config, job, jobName) {
  let executor = job;
  if (job.executor) {
    const name = typeof job.executor === 'string' ? job.executor : job.executor.name;
    executor = config.executors?.[name];
    if (!executor) throw new ConfigError(`job ${jobName}: unknown executor '${name}'`);
  }
  if (!executor.docker?.length) {
    throw new ConfigError(`job ${jobName}: only the docker executor runs locally`);
  }
  const resourceClass = job.resource_class ?? executor.resource_class ?? 'medium';
  const resources = RESOURCE_CLASSES[resourceClass];
  if (!resources) throw new ConfigError(`job ${jobName}: unknown resource class '${resourceClass}'`);
  return {
    image: executor.docker[0].image,
    resourceClass,
    resources,
    environment: { ...stringValues(executor.environment), ...stringValues(executor.docker[0].environment) },
    workingDirectory: executor.working_directory,
    shell: executor.shell,
  };
}

/** One job, expanded: where it runs, its environment and its flat list of steps. */
export function expandJob(config, jobName, pipeline = {}) {
  const job = config.jobs[jobName];
  if (!job) throw new ConfigError(`no job named '${jobName}' (jobs: ${Object.keys(config.jobs).join(', ')})`);
  const executor = resolveExecutor(config, job, jobName);
  const parameters = bindParameters(job.parameters, {}, `job ${jobName}`);
  const steps = expandSteps(config, job.steps, parameters, pipeline);
  return {
    name: jobName,
    image: executor.image,
    resourceClass: executor.resourceClass,
    resources: executor.resources,
    environment: { ...executor.environment, ...stringValues(job.environment) },
    workingDirectory: job.working_directory ?? executor.workingDirectory ?? '~/project',
    shell: job.shell ?? executor.shell ?? '/bin/bash -eo pipefail',
    needsDocker: steps.some((step) => step.kind === 'setup_remote_docker'),
    requires: requiredJobs(config, jobName),
    steps,
  };
}
