// The runner's step semantics on this machine (--on-host): a failing step stops the job, later
// steps run only with `when: always`, environments stack, the no-output timeout ends a silent step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./runner.mjs', import.meta.url));

/** A git repository holding only a CircleCI config; the runner is run from it. */
function repositoryWith(config) {
  const repo = mkdtempSync(join(tmpdir(), 'circleci-runner-'));
  mkdirSync(join(repo, '.circleci'));
  writeFileSync(join(repo, '.circleci/config.yml'), config);
  writeFileSync(join(repo, 'marker.txt'), 'checked out\n');
  const git = (...args) => spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'config');
  return repo;
}

function run(repo, ...args) {
  const result = spawnSync('node', [RUNNER, '--on-host', ...args], { cwd: repo, encoding: 'utf8', timeout: 60000 });
  return { code: result.status, out: result.stdout + result.stderr };
}

const CONFIG = `
version: 2.1
executors:
  bare:
    docker: [{ image: debian:bookworm }]
    environment: { LAYER: executor, EXECUTOR_ONLY: "yes" }
jobs:
  good:
    executor: bare
    environment: { LAYER: job }
    steps:
      - checkout
      - run:
          name: Show
          environment: { STEP_ONLY: step }
          command: |
            echo "layer=$LAYER executor=$EXECUTOR_ONLY step=$STEP_ONLY project=$PROJECT ci=$CI build=$CIRCLE_BUILD_NUM"
            cat marker.txt
            echo 'export FROM_BASH_ENV=kept' >> "$BASH_ENV"
      - run:
          name: Pipefail
          command: |
            if false | true; then echo "pipefail is off"; else echo "pipefail is on"; fi
            echo "bash env=$FROM_BASH_ENV"
      - store_test_results: { path: results }
  bad:
    executor: bare
    steps:
      - checkout
      - run: { name: Fails, command: "echo failing; exit 7" }
      - run: { name: Skipped, command: "echo must not run" }
      - run: { name: Cleanup, when: always, command: "echo cleanup ran" }
  silent:
    executor: bare
    steps:
      - run: { name: Quiet, no_output_timeout: 2s, command: "sleep 30" }
  after-bad:
    executor: bare
    steps:
      - run: echo must not run either
workflows:
  all:
    jobs:
      - good
      - bad
      - after-bad: { requires: [bad] }
`;

test('a passing job: stacked environments, the checkout, pipefail, BASH_ENV and skipped services', () => {
  const result = run(repositoryWith(CONFIG), '--env', 'PROJECT=project', '--build-num', '42', 'good');
  assert.equal(result.code, 0, result.out);
  assert.match(result.out, /layer=job executor=yes step=step project=project ci=true build=42/);
  assert.match(result.out, /checked out/);
  assert.match(result.out, /pipefail is on/);
  assert.match(result.out, /bash env=kept/);
  assert.match(result.out, /"store_test_results": skipped \(store_test_results is a CircleCI service/);
  assert.match(result.out, /step 2\/4 "Show": passed in \d+ s/);
});

test('a failing step fails the job: later steps are not run, `when: always` ones are', () => {
  const result = run(repositoryWith(CONFIG), 'bad');
  assert.equal(result.code, 1, result.out);
  assert.match(result.out, /"Fails": failed \(exit 7\)/);
  assert.doesNotMatch(result.out, /must not run/);
  assert.match(result.out, /"Skipped": not run/);
  assert.match(result.out, /cleanup ran/);
  assert.match(result.out, /job bad: FAILED/);
});

test('a job whose required job failed is not run', () => {
  const result = run(repositoryWith(CONFIG), 'bad', 'after-bad');
  assert.equal(result.code, 1, result.out);
  assert.match(result.out, /job after-bad: not run \(required job failed: bad\)/);
  assert.doesNotMatch(result.out, /must not run either/);
});

test('a step silent for longer than its no_output_timeout is ended and fails', () => {
  const started = Date.now();
  const result = run(repositoryWith(CONFIG), 'silent');
  assert.equal(result.code, 1, result.out);
  assert.match(result.out, /Too long with no output/);
  assert.ok(Date.now() - started < 20000, 'the step was ended, not waited for');
});

test('usage errors exit 2', () => {
  const repo = repositoryWith(CONFIG);
  assert.equal(run(repo, '--bogus').code, 2);
  assert.equal(run(repo, 'no-such-job').code, 2);
  assert.equal(run(repo, '--env', 'novalue').code, 2);
});
