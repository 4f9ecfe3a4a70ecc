// A stand-in for the parts of Sentry a deployment talks to: the releases and deploys of the web API
// (bearer token, organisation, project, as Sentry's API documents them) and envelope ingestion, whose
// envelopes are parsed with @sentry/core's own parser.
import { parseEnvelope } from '@sentry/core';
import { gunzipSync } from 'node:zlib';

const KEPT_ITEMS = new Set(['event', 'session', 'sessions']);

/** Items that declare their length come back from the parser as bytes: exactly one JSON document. */
function json(payload) {
  return payload instanceof Uint8Array ? JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) : payload;
}

export class SentryStandIn {
  constructor({ token, organisation, project }) {
    this.token = token;
    this.organisation = organisation;
    this.project = project;
    this.releases = new Map();
    this.calls = [];
    this.envelopes = [];
    this.otherItems = 0;
  }

  authorised(request) {
    return request.headers.authorization === `Bearer ${this.token}`;
  }

  /** Answers one request: [status, JSON body]. */
  handle(request, url, body) {
    const api = /^\/api\/0\/organizations\/([^/]+)\/releases\/(?:([^/]+)\/deploys\/)?$/.exec(url.pathname);
    if (api && request.method === 'POST') {
      this.calls.push({ path: url.pathname, body: JSON.parse(body.toString() || '{}'), authorised: this.authorised(request) });
      if (!this.authorised(request)) return [401, { detail: 'Invalid token' }];
      if (decodeURIComponent(api[1]) !== this.organisation) return [404, { detail: 'The requested resource does not exist' }];
      const payload = JSON.parse(body.toString());
      return api[2] === undefined ? this.createRelease(payload) : this.createDeploy(decodeURIComponent(api[2]), payload);
    }
    const ingest = /^\/api\/(\d+)\/envelope\/$/.exec(url.pathname);
    if (ingest && request.method === 'POST') {
      const raw = request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
      const [headers, items] = parseEnvelope(new Uint8Array(raw));
      // Events and sessions are kept; transactions, profiles and client reports come with nearly every
      // request under load: counted, not kept.
      const kept = items.filter(([itemHeaders]) => KEPT_ITEMS.has(itemHeaders.type));
      this.otherItems += items.length - kept.length;
      if (kept.length > 0) {
        this.envelopes.push({ headers, items: kept.map(([itemHeaders, payload]) => ({ headers: itemHeaders, payload: json(payload) })) });
      }
      return [200, { id: headers.event_id ?? null }];
    }
    if (url.pathname === '/standin/sentry' && request.method === 'GET') {
      return [200, { calls: this.calls, releases: [...this.releases.values()], envelopes: this.envelopes,
        otherItems: this.otherItems }];
    }
    return [404, { detail: 'not found' }];
  }

  createRelease(payload) {
    if (typeof payload.version !== 'string' || !payload.version || !Array.isArray(payload.projects)) {
      return [400, { detail: 'version and projects are required' }];
    }
    if (!payload.projects.includes(this.project)) return [400, { projects: ['Invalid project slugs'] }];
    const existing = this.releases.get(payload.version);
    if (existing) return [208, existing];
    const release = { version: payload.version, projects: payload.projects, ref: payload.ref ?? null,
      dateCreated: new Date().toISOString(), dateReleased: payload.dateReleased ?? null, deploys: [] };
    this.releases.set(payload.version, release);
    return [201, release];
  }

  createDeploy(version, payload) {
    const release = this.releases.get(version);
    if (!release) return [404, { detail: 'The requested resource does not exist' }];
    if (typeof payload.environment !== 'string' || !payload.environment) return [400, { environment: ['This field is required.'] }];
    const deploy = { id: String(release.deploys.length + 1), environment: payload.environment, name: payload.name ?? null,
      url: payload.url ?? null, dateStarted: payload.dateStarted ?? null, dateFinished: payload.dateFinished ?? new Date().toISOString() };
    release.deploys.push(deploy);
    return [201, deploy];
  }
}
