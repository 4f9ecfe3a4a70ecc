// HAProxy as the platform's edge: TLS terminated on a loopback port, X-Forwarded-* added, requests
// balanced over a few server slots that the deployer fills, drains and empties through HAProxy's
// runtime API (a Unix socket), so traffic moves without a reload.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

export const SLOTS = ['app1', 'app2', 'app3', 'app4'];

function configuration({ port, certificate, socket }) {
  return `global
  stats socket ${socket} mode 600 level admin
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout queue 15s
  # A request whose server vanished under it goes to another: the switch loses nothing.
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout
  option forwardfor

frontend public
  bind 127.0.0.1:${port} ssl crt ${certificate}
  http-request set-header X-Forwarded-Proto https
  http-request set-header X-Forwarded-Port 443
  default_backend web

backend web
  balance roundrobin
  server-template app 1-${SLOTS.length} 127.0.0.1:9 disabled
`;
}

/** Sends one runtime API command and resolves to HAProxy's answer. */
export function command(socket, line) {
  return new Promise((resolve, reject) => {
    const connection = createConnection(socket);
    let answer = '';
    connection.on('connect', () => connection.write(`${line}\n`));
    connection.on('data', (chunk) => { answer += chunk; });
    connection.on('end', () => resolve(answer));
    connection.on('error', reject);
  });
}

/** Current sessions and queued requests of one server slot (`show stat`). */
export async function load(socket, slot) {
  const csv = await command(socket, 'show stat');
  const [header, ...rows] = csv.trim().split('\n');
  const names = header.replace(/^# /, '').split(',');
  for (const row of rows) {
    const fields = Object.fromEntries(row.split(',').map((value, index) => [names[index], value]));
    if (fields.pxname === 'web' && fields.svname === slot) {
      return { sessions: Number(fields.scur), queued: Number(fields.qcur), status: fields.status };
    }
  }
  throw new Error(`no server web/${slot} in HAProxy's statistics`);
}

/** Points a slot at a local port and lets it take traffic. */
export async function enable(socket, slot, port) {
  await command(socket, `set server web/${slot} addr 127.0.0.1 port ${port}`);
  await command(socket, `set server web/${slot} state ready`);
}

/** Takes a slot out of the rotation; requests already on it finish. */
export function drain(socket, slot) {
  return command(socket, `set server web/${slot} state drain`);
}

export function disable(socket, slot) {
  return command(socket, `set server web/${slot} state maint`);
}

/** Starts HAProxy in the foreground as a child; the caller kills it when done. */
export function startHaproxy(directory, { port, certificate }) {
  const socket = join(directory, 'haproxy.sock');
  const file = join(directory, 'haproxy.cfg');
  writeFileSync(file, configuration({ port, certificate, socket }));
  const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'inherit', 'inherit'] });
  return { child, socket };
}
