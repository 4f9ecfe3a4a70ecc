// Unit tests of the CircleCI config expansion: node --test scripts/ci/tools/circleci/
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, expandJob, jobNames, loadConfig, parseDuration } from './config.mjs';

function configFrom(text) {
  const path = join(mkdtempSync(join(tmpdir(), 'circleci-config-')), 'config.yml');
  writeFileSync(path, text);
  return loadConfig(path);
}

const SAMPLE = `
version: 2.1
executors:
  bare:
    docker:
      - image: debian:bookworm
    resource_class: large
    environment:
      FROM_EXECUTOR: executor
      OVERRIDDEN: executor
commands:
  greet:
    parameters:
      who:
        type: string
        default: world
    steps:
      - run:
          name: Greet << parameters.who >>
          command: echo hello << parameters.who >>
  twice:
    steps:
      - greet
      - greet:
          who: again
jobs:
  first:
    executor: bare
    environment:
      OVERRIDDEN: job
    steps:
      - checkout
      - restore_cache:
          keys: [k]
      - twice
      - run:
          command: |
            # a comment line first

            make check
          no_output_timeout: 20m
          environment:
            STEP: "1"
      - run:
          name: Always
          when: always
          command: echo done
  second:
    docker:
      - image: debian:bookworm
    steps:
      - setup_remote_docker
      - run: echo second
workflows:
  main:
    jobs:
      - second
      - first:
          requires: [second]
`;

test('a job is expanded with its executor, environment and nested commands', () => {
  const job = expandJob(configFrom(SAMPLE), 'first', {});
  assert.equal(job.image, 'debian:bookworm');
  assert.deepEqual(job.resources, { cpus: 4, memory: '8g' });
  assert.deepEqual(job.environment, { FROM_EXECUTOR: 'executor', OVERRIDDEN: 'job' });
  assert.deepEqual(job.steps.map((step) => step.type), ['checkout', 'service', 'run', 'run', 'run', 'run']);
  assert.deepEqual(job.steps.slice(2, 4).map((step) => step.command), ['echo hello world', 'echo hello again']);
  assert.equal(job.steps[3].name, 'Greet again');
  assert.equal(job.steps[4].name, '# a comment line first');
  assert.equal(job.steps[4].noOutputTimeout, 1200);
  assert.deepEqual(job.steps[4].environment, { STEP: '1' });
  assert.equal(job.steps[2].noOutputTimeout, 600);
  assert.equal(job.steps[5].when, 'always');
  assert.equal(job.needsDocker, false);
  assert.deepEqual(job.requires, ['second']);
});

test('jobs come in workflow order and a docker-needing job is recognised', () => {
  const config = configFrom(SAMPLE);
  assert.deepEqual(jobNames(config), ['second', 'first']);
  assert.equal(expandJob(config, 'second', {}).needsDocker, true);
  assert.equal(expandJob(config, 'second', {}).resourceClass, 'medium');
});

test('unknown jobs, steps, parameters and references are configuration errors', () => {
  const config = configFrom(SAMPLE);
  assert.throws(() => expandJob(config, 'nope', {}), ConfigError);
  const broken = (steps) => configFrom(`
version: 2.1
commands:
  greet:
    parameters:
      who: { type: string }
    steps:
      - run: echo << parameters.who >>
jobs:
  job:
    docker: [{ image: debian:bookworm }]
    steps: ${steps}
`);
  assert.throws(() => expandJob(broken('[frobnicate]'), 'job', {}), /unknown step 'frobnicate'/);
  assert.throws(() => expandJob(broken('[greet]'), 'job', {}), /parameter 'who' has no value/);
  assert.throws(() => expandJob(broken('[{greet: {who: a, extra: b}}]'), 'job', {}), /unknown parameter 'extra'/);
  assert.throws(() => expandJob(broken('[{run: "echo << pipeline.nope >>"}]'), 'job', {}), /unknown reference/);
  assert.throws(() => configFrom('version: 2.1\norbs: { x: y/z@1 }\njobs: { a: {} }\n'), /orbs/);
  assert.throws(() => configFrom(': : :'), ConfigError);
});

test('durations read as CircleCI writes them', () => {
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('20m'), 1200);
  assert.equal(parseDuration('1h'), 3600);
  assert.equal(parseDuration('45'), 45);
  assert.throws(() => parseDuration('soon'), ConfigError);
});

test("the project's own configuration expands: every job runs on a bare Debian 12", () => {
  const path = fileURLToPath(new URL('../../../../.circleci/config.yml', import.meta.url));
  const config = loadConfig(path);
  for (const name of jobNames(config)) {
    const job = expandJob(config, name, { 'git.branch': 'main', 'git.revision': 'abc', number: '1' });
    assert.ok(job.steps.length > 0, name);
    assert.equal(job.steps[0].type, 'checkout', name);
    if (!job.needsDocker) assert.equal(job.image, 'debian:bookworm', name);
  }
});
