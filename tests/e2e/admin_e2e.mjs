// End to end in a real browser: log in to the admin, add an address and a letting, edit the letting,
// see it on /lettings/, delete it through the confirmation page, log out.
// Runs the real server on a copy of the shared database; keeps a screenshot of the failing step.

import { spawn } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} must be set`);
  }
  return value;
};

const serverBinary = required('OCL_SERVER_BINARY');
const djangoDatabase = required('OCL_DJANGO_DATABASE');
const staticRoot = required('OCL_STATIC_ROOT');
const artifacts = required('OCL_E2E_ARTIFACTS');

const street = 'Harbour Lights Road';
const title = 'Harbour Lights Cottage';
const renamed = 'Harbour Lights Cottage & Garden';

function startServer(directory) {
  const database = join(directory, 'db.sqlite3');
  copyFileSync(djangoDatabase, database);
  chmodSync(database, 0o600);
  const server = spawn(serverBinary, ['serve', '--port', '0'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      SECRET_KEY: 'e2e-secret-key-for-the-admin-test',
      DEBUG: 'true',
      ALLOWED_HOSTS: '127.0.0.1,localhost',
      DATABASE_URL: `sqlite:///${database}`,
      STATIC_ROOT: staticRoot,
      LOG_LEVEL: 'INFO',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15000);
    const read = (chunk) => {
      output += chunk.toString();
      const match = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ server, base: match[1] });
      }
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    server.exited = new Promise((done) => {
      server.on('close', (code, signal) => done({ code, signal, output }));
    });
  });
}

/** SIGTERM, then throws unless the server stopped cleanly (a sanitizer build reports errors at exit too). */
async function stopServer(server) {
  server.kill('SIGTERM');
  const { code, signal, output } = await server.exited;
  if (code !== 0 || /(Address|Leak|Thread|UndefinedBehavior)Sanitizer:/.test(output)) {
    throw new Error(`server stopped with ${code ?? signal}:\n${output}`);
  }
}

async function expectText(page, text) {
  await page.getByText(text, { exact: false }).first().waitFor({ state: 'visible', timeout: 5000 });
}

async function run(page, base) {
  const steps = [
    ['log in', async () => {
      await page.goto(`${base}/admin/`);
      await page.waitForURL(/\/admin\/login\/\?next=/);
      await page.fill('#id_username', 'admin');
      await page.fill('#id_password', 'Abc1234!');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`${base}/admin/`);
      await expectText(page, 'Site administration');
    }],
    ['add an address', async () => {
      await page.click('a[href="/admin/lettings/address/add/"]');
      await page.fill('#id_number', '18');
      await page.fill('#id_street', street);
      await page.fill('#id_city', 'Dana Point');
      await page.fill('#id_state', 'CA');
      await page.fill('#id_zip_code', '92629');
      await page.fill('#id_country_iso_code', 'USA');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(`${base}/admin/lettings/address/`);
      await expectText(page, `The address “18 ${street}” was added successfully.`);
    }],
    ['add a letting', async () => {
      await page.goto(`${base}/admin/lettings/letting/add/`);
      await page.fill('#id_title', title);
      await page.selectOption('#id_address', { label: `18 ${street}` });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expectText(page, `The letting “${title}” was added successfully.`);
    }],
    ['edit the letting', async () => {
      await page.getByRole('link', { name: title, exact: true }).click();
      await page.fill('#id_title', renamed);
      await page.getByRole('button', { name: 'Save and continue editing' }).click();
      await expectText(page, `The letting “${renamed}” was changed successfully. You may edit it again below.`);
    }],
    ['see it on the public site', async () => {
      await page.getByRole('link', { name: 'View on site' }).click();
      await expectText(page, renamed);
      await expectText(page, street);
      await page.goto(`${base}/lettings/`);
      await page.getByRole('link', { name: renamed }).waitFor();
    }],
    ['delete it through the confirmation', async () => {
      await page.goto(`${base}/admin/lettings/letting/?q=${encodeURIComponent('Harbour Lights')}`);
      await page.getByRole('link', { name: renamed, exact: true }).click();
      await page.getByRole('link', { name: 'Delete' }).click();
      await expectText(page, 'Are you sure you want to delete the letting');
      await page.getByRole('button', { name: 'Yes, I’m sure' }).click();
      await expectText(page, `The letting “${renamed}” was deleted successfully.`);
      await page.goto(`${base}/lettings/`);
      if ((await page.getByText(renamed).count()) !== 0) {
        throw new Error('the deleted letting is still listed');
      }
    }],
    ['log out', async () => {
      await page.goto(`${base}/admin/`);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.goto(`${base}/admin/`);
      await page.waitForURL(/\/admin\/login\//);
    }],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
      console.log(`ok - ${name}`);
    } catch (error) {
      mkdirSync(artifacts, { recursive: true });
      const file = join(artifacts, `failed-${name.replaceAll(' ', '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.error(`not ok - ${name}: ${error.message}\nscreenshot: ${file}`);
      throw error;
    }
  }
}

const directory = mkdtempSync(join(tmpdir(), 'ocl-e2e-'));
let server;
let browser;
let failed = false;
try {
  const started = await startServer(directory);
  server = started.server;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(10000);
  await run(page, started.base);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await browser?.close();
  if (server) {
    await stopServer(server).catch((error) => {
      failed = true;
      console.error(error);
    });
  }
  rmSync(directory, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
