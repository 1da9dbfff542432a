// Client side of compose-test.sh: drives a running docker-compose deployment of Switchboard
// through its load balancer, kills a gateway container, scales out and in, with --partition 1
// cuts one sse and one gateway container off the network for a while (see partition()), and
// prints a report. With --prometheus (the compose file's monitoring profile running), it also
// checks through Prometheus's HTTP API that every replica is an `up` target, and that the targets
// follow the scaling (see Monitoring below).
//
//   node check.mjs --base http://127.0.0.1:18080 --project switchboard-test \
//     [--compose "docker compose"] [--scale "gateway=3 signaling=2 sse=2 echo=2"] \
//     [--partition 1] [--partition-s 30] [--room-capacity 16] [--prometheus http://127.0.0.1:19090]
//
// It expects the deployment to have been started all at once (one `up -d --scale ...`), and
// first checks that it formed one cluster: right after /ready answers 200, every gateway must
// count every Java container as a member.
//
// Which gateway container holds a connection is read from nginx's own TCP table: the upstream
// socket that appears when a connection opens points at one gateway container, whose /health
// names its cluster node. Nothing in the deployment is changed for the test.
//
// The gateways run with AUTH_MODE=jwt. compose-test.sh mints the tokens with the token CLI and
// passes them in the environment, each for the topics and rooms compose-* and a user of its own,
// so that no user reaches the deployment's connection limit per user: SWITCHBOARD_TOKEN for event
// streams and publishing, SWITCHBOARD_ECHO_TOKEN and SWITCHBOARD_SIGNALING_TOKEN for the two
// WebSockets; SWITCHBOARD_ADMIN_TOKEN reads the cluster view; SWITCHBOARD_PARTITION_TOKEN, for the
// partition's signaling peers, is needed with --partition 1 only. Tokens go in `Authorization: Bearer`
// for HTTP and event streams, and in the `token` query parameter for WebSockets, as browsers send
// them. Only /health and /ready are read without a token.

import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { promisify } from 'node:util';
import WebSocket from 'ws';

const run = promisify(execFile);

const args = parseArgs(process.argv.slice(2));
const BASE = args.base ?? 'http://127.0.0.1:8080';
const PROJECT = args.project ?? 'switchboard';
const READY_DEADLINE_MS = Number(args['ready-timeout-s'] ?? 300) * 1000;
// Once every container has joined a cluster, the time allowed for every member to see all of them.
const ONE_CLUSTER_SETTLE_MS = Number(args['settle-s'] ?? 5) * 1000;
// After a split, how long the test waits for the cluster to become whole before it gives up.
const HEAL_DEADLINE_MS = Number(args['heal-timeout-s'] ?? 120) * 1000;
const PEER_LEFT_DEADLINE_MS = 10_000;
// nginx notices a dead upstream through TCP keepalive (10 s idle + 3 probes of 3 s) or an error.
const DEAD_STREAM_DEADLINE_MS = 60_000;
const JAVA_SERVICES = ['gateway', 'echo', 'sse', 'signaling'];
// The network partition step (see partition()): whether it runs, how long it lasts, and the room
// capacity of the deployment (SIGNALING_ROOM_CAPACITY, not set by docker-compose.yml).
const PARTITION = args.partition === '1';
const PARTITION_MS = Number(args['partition-s'] ?? 30) * 1000;
const ROOM_CAPACITY = Number(args['room-capacity'] ?? 16);
const COMPOSE = (args.compose ?? 'docker-compose').split(' ').filter(Boolean);
const COMPOSE_FILE = args.file ?? 'docker-compose.yml';
// Prometheus of the monitoring profile, on the host; unset, the monitoring checks do not run.
const PROMETHEUS = args.prometheus ?? null;
// A new or removed replica shows in Prometheus's targets after a DNS refresh and a scrape (5 s each
// in deploy/prometheus/prometheus.yml), and a JVM's first scrape once its management port is open.
const TARGETS_DEADLINE_MS = 60_000;
const SCALE = Object.fromEntries((args.scale ?? 'gateway=3 signaling=2 sse=2 echo=2')
  .split(/\s+/).filter(Boolean).map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));

const TOKEN = process.env.SWITCHBOARD_TOKEN;
const ADMIN_TOKEN = process.env.SWITCHBOARD_ADMIN_TOKEN;
// The partition step's signaling peers: a user of their own, as it fills a room to capacity.
const PARTITION_TOKEN = process.env.SWITCHBOARD_PARTITION_TOKEN;
const SOCKET_TOKENS = {
  '/ws/echo': process.env.SWITCHBOARD_ECHO_TOKEN,
  '/ws/signaling': process.env.SWITCHBOARD_SIGNALING_TOKEN,
};
if (!TOKEN || !ADMIN_TOKEN || Object.values(SOCKET_TOKENS).some((t) => !t)) {
  process.stderr.write('check.mjs needs SWITCHBOARD_TOKEN, SWITCHBOARD_ECHO_TOKEN, '
    + 'SWITCHBOARD_SIGNALING_TOKEN and SWITCHBOARD_ADMIN_TOKEN (compose-test.sh mints them)\n');
  process.exit(2);
}
if (PARTITION && !PARTITION_TOKEN) {
  process.stderr.write('check.mjs --partition 1 needs SWITCHBOARD_PARTITION_TOKEN (compose-test.sh mints it)\n');
  process.exit(2);
}

const checks = [];
const notes = [];

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    out[argv[i].replace(/^--/, '')] = argv[i + 1];
  }
  return out;
}

function log(message) {
  process.stdout.write(`[compose-test ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function token() {
  return randomBytes(6).toString('hex');
}

async function check(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    checks.push({ name, ok: true, detail });
    log(`PASS ${name} (${Date.now() - started} ms)${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (err) {
    checks.push({ name, ok: false, detail: err.message });
    log(`FAIL ${name}: ${err.message}`);
    return false;
  }
}

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Polls fn until it returns a truthy value or the deadline passes; returns the value. */
async function until(what, deadlineMs, fn, intervalMs = 500) {
  const end = Date.now() + deadlineMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value) {
        return value;
      }
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      throw new Error(`${what}: not within ${deadlineMs} ms${last ? ` (last error: ${last.message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Docker

async function docker(...argv) {
  const { stdout } = await run('docker', argv, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function compose(...argv) {
  const [cmd, ...rest] = COMPOSE;
  const { stdout } = await run(cmd, [...rest, '-p', PROJECT, '-f', COMPOSE_FILE, ...argv],
    { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

function scaleArgs(scale) {
  return Object.entries(scale).flatMap(([service, n]) => ['--scale', `${service}=${n}`]);
}

/** Running containers of one compose service, with name, IP and id. */
async function containers(service) {
  const ids = (await docker('ps', '-q',
    '--filter', `label=com.docker.compose.project=${PROJECT}`,
    '--filter', `label=com.docker.compose.service=${service}`)).split('\n').filter(Boolean);
  const result = [];
  for (const id of ids) {
    const [info] = JSON.parse(await docker('inspect', id));
    const networks = Object.values(info.NetworkSettings.Networks ?? {});
    result.push({
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      ip: networks.map((n) => n.IPAddress).find(Boolean),
      service,
    });
  }
  return result.sort((a, b) => a.name.localeCompare(b.name));
}

async function containerLog(container) {
  const { stdout, stderr } = await run('docker', ['logs', container.id], { maxBuffer: 64 * 1024 * 1024 });
  return `${stdout}\n${stderr}`;
}

/** The last cluster size a node logged ("Members {size:N, ...}"), or null. */
async function loggedClusterSize(container) {
  return (await loggedClusterView(container)).size;
}

/**
 * What a node's log says about its cluster: the size and the member addresses of the last member
 * list it logged (size null before it has joined or formed a cluster), and whether Hazelcast
 * merged it into another cluster, which happens only after the members had split.
 */
async function loggedClusterView(container) {
  const text = await containerLog(container);
  const start = text.lastIndexOf('Members {size:');
  let size = null;
  let members = [];
  if (start >= 0) {
    size = Number(/^Members \{size:(\d+)/.exec(text.slice(start))[1]);
    const block = text.slice(start, text.indexOf('\n]', start) >= 0 ? text.indexOf('\n]', start) : undefined);
    members = [...block.matchAll(/Member \[([^\]]+)\]:(\d+)/g)].map((m) => `${m[1]}:${m[2]}`).sort();
  }
  const merged = /\bis merging\b|\bis MERG(ING|ED)\b/i.test(text);
  return { size, members, merged };
}

function hexToIp(hex) {
  // /proc/net/tcp prints IPv4 addresses as host-order hex (little-endian on x86 and arm).
  const bytes = hex.match(/../g).map((b) => parseInt(b, 16)).reverse();
  return bytes.join('.');
}

/** Established upstream sockets from nginx to port 8080 of other containers: "ip:localport". */
async function nginxUpstreamSockets(nginx) {
  const table = await docker('exec', nginx.id, 'cat', '/proc/net/tcp');
  const sockets = new Set();
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4 || cols[3] !== '01') {
      continue;
    }
    const [localIp, localPort] = cols[1].split(':');
    const [remoteIp, remotePort] = cols[2].split(':');
    if (parseInt(remotePort, 16) === 8080 && hexToIp(remoteIp) !== '127.0.0.1') {
      sockets.add(`${hexToIp(remoteIp)}:${parseInt(localPort, 16)}|${hexToIp(localIp)}`);
    }
  }
  return sockets;
}

// ---------------------------------------------------------------------------------------------
// HTTP, WebSocket and SSE clients

function bearer(token) {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** GET of a JSON resource; `token` goes in `Authorization: Bearer` (public routes need none). */
async function getJson(url, timeoutMs = 5000, token = null) {
  const res = await fetch(url, { headers: bearer(token), signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

async function publish(topic, data, attempts = 5) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${BASE}/api/topics/${topic}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(TOKEN) },
      body: JSON.stringify({ data }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    // 502 from nginx means no gateway took the request (a dead replica refused the connection),
    // so nothing was published and a retry cannot duplicate the event.
    if (res.status === 502 && attempt < attempts) {
      await sleep(500);
      continue;
    }
    if (res.status !== 202) {
      const err = new Error(`publish to ${topic}: expected 202, got ${res.status} ${text}`);
      err.status = res.status;
      throw err;
    }
    const body = JSON.parse(text);
    assert(body.topic === topic && typeof body.id === 'string' && body.id.length > 0,
      `publish to ${topic}: unexpected body ${text}`);
    return body.id;
  }
}

/** A WebSocket client that queues JSON or text frames and waits for matching ones. */
class Socket {
  /** Opens `path` with `token` in the `token` query parameter, as a browser does; null for none. */
  static open(path, timeoutMs = 10_000, token = SOCKET_TOKENS[path]) {
    return new Promise((resolve, reject) => {
      const url = new URL(path, BASE.replace(/^http/, 'ws'));
      if (token) {
        url.searchParams.set('token', token);
      }
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
      const socket = new Socket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
      ws.once('unexpected-response', (req, res) => {
        const err = new Error(`${path}: HTTP ${res.statusCode}`);
        err.status = res.statusCode;
        res.resume();
        reject(err);
      });
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    this.waiters = [];
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    this.isClosed = false;
    this.closed.then(() => {
      this.isClosed = true;
    });
    ws.on('error', () => {});
    ws.on('message', (data, binary) => {
      const text = binary ? data : data.toString();
      let frame = text;
      try {
        frame = JSON.parse(text);
      } catch {
        // Echo answers are plain text.
      }
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => !w.offer(frame));
    });
  }

  send(value) {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** The first frame, queued or future, that matches; it is removed from the queue. */
  next(predicate, timeoutMs, what) {
    const index = this.frames.findIndex(predicate);
    if (index >= 0) {
      return Promise.resolve(this.frames.splice(index, 1)[0]);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${what}: nothing within ${timeoutMs} ms; frames seen: ${JSON.stringify(this.frames).slice(0, 400)}`));
      }, timeoutMs);
      const waiter = {
        offer: (frame) => {
          if (!predicate(frame)) {
            return false;
          }
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(frame), 1);
          resolve(frame);
          return true;
        },
      };
      this.waiters.push(waiter);
    });
  }

  close() {
    this.ws.terminate();
  }
}

/** An EventSource-like client: parses the stream and records every event with its id. */
class SseClient {
  static open(topic, lastEventId, timeoutMs = 10_000, token = TOKEN) {
    return new Promise((resolve, reject) => {
      const headers = { accept: 'text/event-stream', ...bearer(token) };
      if (lastEventId) {
        headers['last-event-id'] = lastEventId;
      }
      const req = http.get(`${BASE}/sse/${topic}`, { headers, timeout: timeoutMs }, (res) => {
        if (res.statusCode !== 200) {
          const err = new Error(`GET /sse/${topic}: HTTP ${res.statusCode}`);
          err.status = res.statusCode;
          reject(err);
          res.resume();
          return;
        }
        const type = res.headers['content-type'] ?? '';
        if (!type.startsWith('text/event-stream')) {
          reject(new Error(`GET /sse/${topic}: content-type ${type}`));
          res.destroy();
          return;
        }
        req.setTimeout(0);
        resolve(new SseClient(req, res, lastEventId));
      });
      req.once('timeout', () => req.destroy(new Error(`GET /sse/${topic}: no response within ${timeoutMs} ms`)));
      req.once('error', reject);
    });
  }

  constructor(req, res, resumedFrom) {
    this.req = req;
    this.resumedFrom = resumedFrom;
    this.events = [];
    this.buffer = '';
    this.ended = new Promise((resolve) => {
      res.once('close', resolve);
      res.once('error', resolve);
      req.once('error', resolve);
    });
    this.isEnded = false;
    this.ended.then(() => {
      this.isEnded = true;
    });
    res.setEncoding('utf8');
    res.on('data', (chunk) => this.feed(chunk));
  }

  feed(chunk) {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    let end;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event = { data: [] };
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line === '') {
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') {
          event.data.push(value);
        } else {
          event[field] = value;
        }
      }
      if (event.data.length || event.id || event.event) {
        event.data = event.data.join('\n');
        this.events.push(event);
      }
    }
  }

  /** Payloads of the events carrying our test data, in arrival order. */
  payloads() {
    return this.events.flatMap((e) => {
      try {
        const data = JSON.parse(e.data);
        return data && typeof data.seq === 'number' ? [data] : [];
      } catch {
        return [];
      }
    });
  }

  lastId() {
    const withId = this.events.filter((e) => e.id);
    // A stream that carried no event yet resumes from where it started.
    return withId.length ? withId[withId.length - 1].id : this.resumedFrom;
  }

  close() {
    this.req.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Topology

const topology = { byService: {}, nginx: null, gatewayByIp: new Map() };

async function discover() {
  for (const service of JAVA_SERVICES) {
    topology.byService[service] = await containers(service);
  }
  [topology.nginx] = await containers('nginx');
  assert(topology.nginx, 'no nginx container is running');
  topology.gatewayByIp.clear();
  for (const gateway of topology.byService.gateway) {
    topology.gatewayByIp.set(gateway.ip, gateway);
  }
}

function expectedMembers() {
  return JAVA_SERVICES.reduce((sum, s) => sum + topology.byService[s].length, 0);
}

async function gatewayNode(gateway) {
  const { status, body } = await getJson(`http://${gateway.ip}:8080/health`, 3000);
  assert(status === 200 && body.node, `${gateway.name}: /health answered ${status}`);
  gateway.node = body.node;
  return body.node;
}

/**
 * Opens a connection with `open` and returns it with the gateway container that serves it, found
 * as the one upstream socket of nginx that appeared meanwhile.
 */
async function openTracked(open) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const before = await nginxUpstreamSockets(topology.nginx);
    const conn = await open();
    const after = await nginxUpstreamSockets(topology.nginx);
    const added = [...after].filter((s) => !before.has(s));
    if (added.length === 1) {
      const ip = added[0].split(':')[0];
      const gateway = topology.gatewayByIp.get(ip);
      assert(gateway, `nginx holds a connection to ${ip}, which is no gateway container of ${PROJECT}`);
      return { conn, gateway };
    }
    conn.close();
  }
  throw new Error('could not tell which gateway serves a new connection (nginx upstream sockets kept changing)');
}

/** Opens connections until one lands on the given gateway container; others are closed. */
async function openOn(target, open, attempts = 25) {
  for (let i = 0; i < attempts; i++) {
    const { conn, gateway } = await openTracked(open);
    if (gateway.name === target.name) {
      return conn;
    }
    conn.close();
  }
  throw new Error(`no connection landed on ${target.name} in ${attempts} attempts`);
}

/**
 * What is wrong with the events one subscriber received, or null. Every event confirmed by a 202
 * after `after` must be there, once, in publish order. An event whose publish timed out (504) was
 * reported to the publisher as of unknown outcome: it may be there, at most once.
 */
function streamProblem(seqs, after) {
  if (new Set(seqs).size !== seqs.length) {
    return `duplicates in ${seqs}`;
  }
  const known = new Map(sse.published.map((p) => [p.seq, p]));
  const unknown = seqs.filter((seq) => !known.has(seq));
  if (unknown.length) {
    return `events never published: ${unknown}`;
  }
  const confirmed = seqs.filter((seq) => known.get(seq).confirmed);
  if (confirmed.some((seq, i) => i > 0 && seq < confirmed[i - 1])) {
    return `out of order: ${seqs}`;
  }
  const missing = sse.published.filter((p) => p.confirmed && p.seq > after && !seqs.includes(p.seq));
  return missing.length ? `missing ${missing.map((p) => p.seq)} in ${seqs}` : null;
}

function lastConfirmed() {
  const confirmed = sse.published.filter((p) => p.confirmed);
  return confirmed[confirmed.length - 1];
}

/** True once the subscriber has the last confirmed event. */
function caughtUp(seqs) {
  const last = lastConfirmed();
  return !last || seqs.includes(last.seq);
}

function describe(client) {
  return JSON.stringify(client.events.slice(-4).map((e) => ({ id: e.id, event: e.event, data: e.data.slice(0, 60) })));
}

// ---------------------------------------------------------------------------------------------
// Checks

/**
 * The deployment started all at once must be one cluster by the time it says it is ready. Once
 * /ready answers 200 through the load balancer, and every Java container has logged a member list
 * (it has joined or formed a cluster) and every gateway serves HTTP, every gateway must report
 * every Java container as a member, in /ready and in /api/cluster, and so must the other
 * containers' logs. A few seconds are allowed for the last join to reach every member. A merge
 * logged before then (clusters that formed apart and found each other) is reported in a note.
 */
async function checkOneCluster() {
  let readyAt = null;
  let notStarted = null;
  try {
    await until('the load balancer answers /ready with 200', READY_DEADLINE_MS, async () => {
      const { status } = await getJson(`${BASE}/ready`);
      return status === 200;
    }, 1000);
    readyAt = Date.now();
    await until('every container has joined a cluster and every gateway answers /ready', READY_DEADLINE_MS, async () => {
      for (const c of JAVA_SERVICES.flatMap((s) => topology.byService[s])) {
        if ((await loggedClusterView(c)).size === null) {
          return false;
        }
      }
      for (const gateway of topology.byService.gateway) {
        const { body } = await getJson(`http://${gateway.ip}:8080/ready`, 3000);
        if (typeof body?.cluster?.members !== 'number') {
          return false;
        }
      }
      return true;
    }, 1000);
  } catch (err) {
    notStarted = err;
  }
  const total = expectedMembers();
  let rows;
  const settleEnd = Date.now() + ONE_CLUSTER_SETTLE_MS;
  for (;;) {
    rows = await oneClusterRows();
    if (notStarted || rows.every((r) => r.ok(total)) || Date.now() > settleEnd) {
      break;
    }
    await sleep(500);
  }
  const describeRow = (r) => r.service === 'gateway'
    ? `${r.name} /ready ${r.ready}, /api/cluster ${r.api}`
    : `${r.name} ${r.logged}`;
  const wrong = rows.filter((r) => !r.ok(total));
  const groups = new Map();
  for (const r of rows) {
    const key = r.members.join(',');
    groups.set(key, [...(groups.get(key) ?? []), r.name]);
  }
  const merged = rows.filter((r) => r.merged).map((r) => r.name);
  const split = groups.size > 1
    ? `; the containers logged ${groups.size} different member lists: ${[...groups.values()].map((names) => `[${names.join(' ')}]`).join(' ')}`
    : '';
  assert(!notStarted, `${notStarted?.message}; member counts: ${rows.map(describeRow).join(', ')}${split}`);
  assert(!wrong.length, `expected every node to count ${total} members; ${wrong.map(describeRow).join(', ')}${split}`);
  // Every replica starts at once and must join one cluster from the start: a merge means clusters
  // formed apart first, which is what the one-line start must never do.
  assert(!merged.length, `${merged.join(', ')} logged a cluster merge: clusters formed apart before joining${split}`);
  return `every gateway counts ${total} members in /ready and /api/cluster, and so do the others' logs (every container up ${Date.now() - readyAt} ms after the first 200)`;
}

async function oneClusterRows() {
  const rows = [];
  for (const service of JAVA_SERVICES) {
    for (const c of topology.byService[service]) {
      const view = await loggedClusterView(c);
      const row = { service, name: c.name, logged: view.size, members: view.members, merged: view.merged };
      if (service === 'gateway') {
        const ready = await getJson(`http://${c.ip}:8080/ready`, 3000).catch((err) => ({ body: { error: err.message } }));
        const api = await getJson(`http://${c.ip}:8080/api/cluster`, 3000, ADMIN_TOKEN).catch((err) => ({ body: { error: err.message } }));
        row.ready = ready.body?.cluster?.members ?? null;
        row.api = api.body?.members ?? null;
        row.ok = (total) => row.ready === total && row.api === total;
      } else {
        row.ok = (total) => row.logged === total;
      }
      rows.push(row);
    }
  }
  return rows;
}

async function waitForCluster(deadlineMs = READY_DEADLINE_MS) {
  const total = expectedMembers();
  await until(`every gateway ready with ${total} cluster members`, deadlineMs, async () => {
    for (const gateway of topology.byService.gateway) {
      const { status, body } = await getJson(`http://${gateway.ip}:8080/ready`, 3000);
      if (status !== 200 || body.cluster?.members !== total) {
        return false;
      }
    }
    return true;
  }, 2000);
  await until('the load balancer answers /ready with 200', 60_000, async () => {
    const { status } = await getJson(`${BASE}/ready`);
    return status === 200;
  });
}

async function clusterSizes() {
  const rows = [];
  for (const service of JAVA_SERVICES) {
    for (const c of topology.byService[service]) {
      let seen = await loggedClusterSize(c);
      let node = '';
      if (service === 'gateway') {
        const { body } = await getJson(`http://${c.ip}:8080/ready`, 3000);
        seen = body.cluster?.members ?? seen;
        node = body.node ?? '';
      }
      rows.push({ service, name: c.name, ip: c.ip, node, members: seen });
    }
  }
  return rows;
}

async function checkClusterFormed() {
  const total = expectedMembers();
  const rows = await clusterSizes();
  const wrong = rows.filter((r) => r.members !== total);
  assert(!wrong.length, `expected ${total} members everywhere; ${wrong.map((r) => `${r.name} sees ${r.members}`).join(', ')}`);
  return `${rows.length} nodes, each sees ${total} members`;
}

async function checkLoadBalancing() {
  const gateways = topology.byService.gateway;
  const seen = new Set();
  for (let i = 0; i < gateways.length * 15 && seen.size < gateways.length; i++) {
    const { status, body } = await getJson(`${BASE}/health`);
    assert(status === 200, `/health through nginx answered ${status}`);
    seen.add(body.node);
  }
  assert(seen.size === gateways.length, `requests reached ${seen.size} of ${gateways.length} gateways`);
  return `requests reached all ${seen.size} gateways`;
}

async function checkEcho() {
  const served = new Set();
  const rounds = topology.byService.gateway.length * 2;
  for (let i = 0; i < rounds; i++) {
    const { conn, gateway } = await openTracked(() => Socket.open('/ws/echo'));
    try {
      const text = `hello ${i} ${token()}`;
      conn.send(text);
      const reply = await conn.next(() => true, 10_000, 'echo reply');
      assert(reply === `Server received: ${text}`, `echo answered ${JSON.stringify(reply)}`);
      served.add(gateway.name);
    } finally {
      conn.close();
    }
  }
  return `${rounds} echo round trips through ${served.size} gateways`;
}

const sse = { topic: `compose-${token()}`, subscribers: [], seq: 0, published: [], timeouts: 0 };

async function publishNext() {
  sse.seq += 1;
  const seq = sse.seq;
  try {
    const id = await publish(sse.topic, { seq, text: `event ${seq}` });
    sse.published.push({ seq, id, confirmed: true });
    return id;
  } catch (err) {
    if (err.status !== 504) {
      throw err;
    }
    sse.published.push({ seq, confirmed: false });
    sse.timeouts += 1;
    return null;
  }
}

async function checkSseFanout() {
  const gateways = topology.byService.gateway;
  const covered = new Set();
  for (let i = 0; i < gateways.length * 4 && (covered.size < gateways.length || i < gateways.length); i++) {
    const { conn, gateway } = await openTracked(() => SseClient.open(sse.topic));
    sse.subscribers.push({ client: conn, gateway });
    covered.add(gateway.name);
  }
  assert(covered.size >= 2, `subscribers reached only ${covered.size} gateway(s)`);
  for (let i = 0; i < 5; i++) {
    assert(await publishNext(), `publish ${sse.seq} timed out (504) with every member up`);
  }
  const expected = sse.published.map((p) => p.seq);
  for (const { client, gateway } of sse.subscribers) {
    await until(`subscriber on ${gateway.name} receives ${expected.length} events`, 15_000,
      () => client.payloads().length >= expected.length, 200);
    const got = client.payloads().map((p) => p.seq);
    assert(JSON.stringify(got) === JSON.stringify(expected), `subscriber on ${gateway.name} got ${got} instead of ${expected}`);
    const ids = client.events.filter((e) => e.id).map((e) => e.id);
    assert(JSON.stringify(ids.slice(-expected.length)) === JSON.stringify(sse.published.map((p) => p.id)),
      `subscriber on ${gateway.name} saw ids ${ids} for published ${sse.published.map((p) => p.id)}`);
  }
  return `${sse.subscribers.length} subscribers on ${covered.size} gateways each got 5 events published through separate requests, in order`;
}

const sig = { room: `compose-${token()}` };

/** A token with every claim, signed with a secret that is not the deployment's. */
function forgedToken() {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'intruder',
    exp: Math.floor(Date.now() / 1000) + 600, subscribe: '*', publish: '*', rooms: '*', admin: true })}`;
  return `${unsigned}.${createHmac('sha256', randomBytes(32)).update(unsigned).digest('base64url')}`;
}

/** Expects `opening` (a Socket or SseClient being opened) to be refused with HTTP `status`. */
async function expectRefused(what, opening, status) {
  let conn;
  try {
    conn = await opening;
  } catch (err) {
    assert(err.status === status, `${what}: expected HTTP ${status}, got ${err.message}`);
    return;
  }
  conn.close();
  throw new Error(`${what}: opened, expected HTTP ${status}`);
}

async function expectError(what, response, status, code) {
  const text = await response.text();
  assert(response.status === status && JSON.parse(text || 'null')?.code === code,
    `${what}: expected ${status} ${code}, got ${response.status} ${text.slice(0, 200)}`);
}

/**
 * The deployment runs with AUTH_MODE=jwt. Without a token the probes, the pages and the SDK
 * answer; every other request gets 401 before anything starts: publishing, history, the cluster
 * view, an event stream, a WebSocket. A token signed with another secret gets 401 too, and a good
 * one is held to its claims: no cluster view without admin, no publishing outside compose-*.
 */
async function checkAccessControl() {
  for (const path of ['/health', '/ready', '/', '/chat.html', '/js/switchboard.js']) {
    const res = await fetch(`${BASE}${path}`, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    assert(res.status === 200, `${path} without a token: HTTP ${res.status}`);
  }
  const topic = `compose-${token()}`;
  const post = (headers) => fetch(`${BASE}/api/topics/${topic}/events`, { method: 'POST',
    headers: { 'content-type': 'application/json', ...headers }, body: '{"data":1}' });
  await expectError('publish without a token', await post({}), 401, 'unauthorized');
  await expectError('history without a token', await fetch(`${BASE}/api/topics/${topic}/events`), 401, 'unauthorized');
  await expectError('cluster view without a token', await fetch(`${BASE}/api/cluster`), 401, 'unauthorized');
  await expectError('publish with a forged token', await post(bearer(forgedToken())), 401, 'unauthorized');
  await expectRefused('event stream without a token', SseClient.open(topic, null, 10_000, null), 401);
  await expectRefused('echo WebSocket without a token', Socket.open('/ws/echo', 10_000, null), 401);
  await expectRefused('signaling WebSocket with a forged token', Socket.open('/ws/signaling', 10_000, forgedToken()), 401);
  await expectError('cluster view with a token without admin', await fetch(`${BASE}/api/cluster`,
    { headers: bearer(TOKEN) }), 403, 'forbidden');
  await expectError('publish outside the token\'s topics', await fetch(`${BASE}/api/topics/other-${token()}/events`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...bearer(TOKEN) }, body: '{"data":1}' }),
  403, 'forbidden');
  const published = await publish(topic, { seq: 0 });
  return `public routes answer without a token; 401 without one or with a forged one (HTTP, SSE, WebSocket); 403 outside the claims; event ${published} published with the token`;
}

async function openPeer(token = SOCKET_TOKENS['/ws/signaling']) {
  const tracked = await openTracked(() => Socket.open('/ws/signaling', 10_000, token));
  const welcome = await tracked.conn.next((f) => f.type === 'welcome', 10_000, 'welcome');
  assert(typeof welcome.id === 'string' && welcome.id.length >= 16, `welcome without a usable id: ${JSON.stringify(welcome)}`);
  assert(Array.isArray(welcome.iceServers), `welcome without iceServers: ${JSON.stringify(welcome)}`);
  return { socket: tracked.conn, gateway: tracked.gateway, id: welcome.id };
}

async function join(peer, room) {
  peer.socket.send({ type: 'join', room });
  return peer.socket.next((f) => f.type === 'joined' || f.type === 'error', 10_000, `joined ${room}`);
}

async function relay(from, to, type, payload) {
  from.socket.send({ type, target: to.id, ...payload });
  const got = await to.socket.next((f) => f.type === type && f.from === from.id, 10_000, `${type} from ${from.id}`);
  for (const [key, value] of Object.entries(payload)) {
    assert(JSON.stringify(got[key]) === JSON.stringify(value), `${type}.${key} arrived as ${JSON.stringify(got[key])}`);
  }
}

async function checkSignalingAcrossGateways() {
  const a = await openPeer();
  let b;
  const spare = [];
  for (let i = 0; i < 12 && !b; i++) {
    const peer = await openPeer();
    if (peer.gateway.name !== a.gateway.name) {
      b = peer;
    } else {
      spare.push(peer);
    }
  }
  spare.forEach((p) => p.socket.close());
  assert(b, `every signaling connection landed on ${a.gateway.name}`);
  sig.a = a;
  sig.b = b;
  const joinedA = await join(a, sig.room);
  assert(joinedA.type === 'joined' && joinedA.id === a.id && joinedA.peers.length === 0, `first join: ${JSON.stringify(joinedA)}`);
  const joinedB = await join(b, sig.room);
  assert(joinedB.type === 'joined' && JSON.stringify(joinedB.peers) === JSON.stringify([a.id]), `second join: ${JSON.stringify(joinedB)}`);
  const arrived = await a.socket.next((f) => f.type === 'peer-joined', 10_000, 'peer-joined');
  assert(arrived.data === b.id && arrived.room === sig.room, `peer-joined: ${JSON.stringify(arrived)}`);
  const offer = { type: 'offer', sdp: `v=0\r\no=- ${token()} 2 IN IP4 127.0.0.1\r\ns=-\r\n` };
  const answer = { type: 'answer', sdp: `v=0\r\no=- ${token()} 2 IN IP4 127.0.0.1\r\ns=-\r\n` };
  await relay(a, b, 'sdp', { sdp: offer });
  await relay(b, a, 'sdp', { sdp: answer });
  const candidate = { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 };
  await relay(a, b, 'ice-candidate', { candidate });
  await relay(b, a, 'ice-candidate', { candidate: { ...candidate, candidate: candidate.candidate.replace('54400', '54401') } });
  return `peers on ${a.gateway.name} (${a.gateway.node}) and ${b.gateway.name} (${b.gateway.node}) exchanged sdp and ice-candidate both ways`;
}

async function faults() {
  // The victim is the gateway of signaling peer A; make sure an SSE subscriber sits on it too.
  const victim = sig.a?.gateway ?? topology.byService.gateway[0];
  let onVictim = sse.subscribers.find((s) => s.gateway.name === victim.name);
  for (let i = 0; i < 20 && !onVictim && sse.published.length; i++) {
    // It resumes after the last confirmed event, so it is owed only the events after that one.
    const from = lastConfirmed();
    const { conn, gateway } = await openTracked(() => SseClient.open(sse.topic, from?.id));
    const entry = { client: conn, gateway, after: from?.seq ?? 0 };
    if (gateway.name === victim.name) {
      sse.subscribers.push(entry);
      onVictim = entry;
    } else {
      conn.close();
    }
  }
  const survivors = sse.subscribers.filter((s) => s.gateway.name !== victim.name);
  const echoOnVictim = await openOn(victim, () => Socket.open('/ws/echo')).catch(() => null);

  log(`killing ${victim.name} (node ${victim.node})`);
  const killedAt = Date.now();
  await docker('kill', victim.id);
  notes.push(`killed ${victim.name} (node ${victim.node})`);

  // Wait past the deadline so that a late peer-left is reported with its real delay.
  const peerLeft = sig.b
    ? sig.b.socket.next((f) => f.type === 'peer-left' && f.data === sig.a.id, 3 * PEER_LEFT_DEADLINE_MS, 'peer-left')
      .then((f) => {
        assert(f.room === sig.room, `peer-left: ${JSON.stringify(f)}`);
        return Date.now() - killedAt;
      })
    : Promise.reject(new Error('no signaling peers to watch'));
  peerLeft.catch(() => {});

  // Events published while the victim's subscriber is cut off must reach it after it resumes.
  const whileDown = [];
  for (let i = 0; i < 5; i++) {
    whileDown.push(publishNext());
    await whileDown[whileDown.length - 1].catch(() => {});
  }
  const publishedWhileDown = await Promise.allSettled(whileDown);

  await check('signaling: room-mate of a killed gateway\'s peer gets peer-left within 10 s', async () => {
    const ms = await peerLeft;
    assert(ms <= PEER_LEFT_DEADLINE_MS, `peer-left arrived ${ms} ms after the kill`);
    return `peer-left after ${ms} ms`;
  });

  await check('sse: publishing during the failure is accepted or times out, never refused', async () => {
    const failed = publishedWhileDown.filter((r) => r.status === 'rejected');
    assert(!failed.length, failed.map((r) => r.reason.message).join('; '));
    const timedOut = publishedWhileDown.filter((r) => r.value === null).length;
    return `${publishedWhileDown.length - timedOut} accepted, ${timedOut} timed out (504) while the cluster detected the dead member`;
  });

  await check('sse: subscribers on surviving gateways see every event without interruption', async () => {
    assert(survivors.length, 'no subscriber on a surviving gateway');
    for (const { client, gateway } of survivors) {
      await until(`subscriber on ${gateway.name} catches up`, 15_000, () => caughtUp(client.payloads().map((p) => p.seq)), 200);
      const got = client.payloads().map((p) => p.seq);
      assert(!client.isEnded, `stream on ${gateway.name} ended`);
      const problem = streamProblem(got, 0);
      assert(!problem, `subscriber on ${gateway.name}: ${problem}`);
    }
    return `${survivors.length} subscribers on surviving gateways`;
  });

  await check('sse: a client of the killed gateway resumes through the load balancer with no gap and no duplicate', async () => {
    assert(onVictim, `no SSE subscriber landed on ${victim.name}`);
    const { client } = onVictim;
    await until('nginx closes the stream of the killed gateway', DEAD_STREAM_DEADLINE_MS, () => client.isEnded, 250);
    const lastId = client.lastId();
    const before = client.payloads().map((p) => p.seq);
    assert(lastId, 'the stream carried no event id');
    const { conn, gateway } = await openTracked(() => SseClient.open(sse.topic, lastId));
    sse.subscribers.push({ client: conn, gateway });
    const node = await gatewayNode(gateway);
    assert(node !== victim.node, `resumed on the killed node ${node}`);
    await publishNext();
    const closedAfter = Date.now() - killedAt;
    await until('resumed stream delivers the missed and the live events', 15_000,
      () => caughtUp(conn.payloads().map((p) => p.seq)), 200)
      .catch((err) => { throw new Error(`${err.message}; last events ${describe(conn)}`); });
    const got = conn.payloads().map((p) => p.seq);
    const problem = streamProblem([...before, ...got], onVictim.after ?? 0);
    assert(!problem, `before the kill ${before}, after Last-Event-ID ${lastId}: ${problem}`);
    return `stream closed after ${closedAfter} ms, resumed on ${gateway.name} with events ${got}`;
  });

  await check('echo: a client of the killed gateway is disconnected and reconnects to a remaining gateway', async () => {
    assert(echoOnVictim, `no echo connection landed on ${victim.name}`);
    await until('nginx closes the WebSocket of the killed gateway', DEAD_STREAM_DEADLINE_MS, () => echoOnVictim.isClosed, 250);
    const closedAfter = Date.now() - killedAt;
    const { conn, gateway } = await openTracked(() => Socket.open('/ws/echo'));
    try {
      const node = await gatewayNode(gateway);
      assert(node !== victim.node, `reconnected to the killed node ${node}`);
      conn.send('reconnected');
      const reply = await conn.next(() => true, 10_000, 'echo reply');
      assert(reply === 'Server received: reconnected', `echo answered ${JSON.stringify(reply)}`);
      return `closed ${closedAfter} ms after the kill, reconnected on ${gateway.name}`;
    } finally {
      conn.close();
    }
  });

  await check('cluster drops the killed gateway', async () => {
    topology.byService.gateway = topology.byService.gateway.filter((g) => g.name !== victim.name);
    topology.gatewayByIp.delete(victim.ip);
    await waitForCluster(30_000);
    return `every remaining gateway sees ${expectedMembers()} members`;
  });

  await check('signaling: a reconnecting peer is served by a remaining gateway and relays again', async () => {
    assert(sig.a && sig.b, 'no signaling peers');
    await until('nginx closes the WebSocket of the killed gateway', DEAD_STREAM_DEADLINE_MS, () => sig.a.socket.isClosed, 250);
    const again = await openPeer();
    const node = await gatewayNode(again.gateway);
    assert(node !== victim.node, `reconnected to the killed node ${node}`);
    const joined = await join(again, sig.room);
    assert(joined.type === 'joined' && JSON.stringify(joined.peers) === JSON.stringify([sig.b.id]),
      `rejoin: ${JSON.stringify(joined)} (the killed peer must be gone)`);
    const arrived = await sig.b.socket.next((f) => f.type === 'peer-joined' && f.data === again.id, 10_000, 'peer-joined after reconnect');
    assert(arrived.room === sig.room, `peer-joined: ${JSON.stringify(arrived)}`);
    await relay(again, sig.b, 'sdp', { sdp: { type: 'offer', sdp: `v=0\r\no=- ${token()} 3 IN IP4 127.0.0.1\r\n` } });
    await relay(sig.b, again, 'ice-candidate', { candidate: { candidate: 'candidate:2 1 udp 1 192.0.2.2 1 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
    sig.a.socket.close();
    sig.a = again;
    return `reconnected on ${again.gateway.name} (${node})`;
  });

  await check('echo works through the load balancer after the kill', async () => {
    for (let i = 0; i < topology.byService.gateway.length * 2; i++) {
      const socket = await Socket.open('/ws/echo');
      const text = `after kill ${i}`;
      socket.send(text);
      const reply = await socket.next(() => true, 10_000, 'echo reply');
      socket.close();
      assert(reply === `Server received: ${text}`, `echo answered ${JSON.stringify(reply)}`);
    }
    return 'echo answered on fresh connections';
  });
}

async function crashAndRestart() {
  await check('restart policy: a crashed echo container is restarted and rejoins the cluster', async () => {
    const [victim] = topology.byService.echo;
    const [info] = JSON.parse(await docker('inspect', victim.id));
    const restartsBefore = info.RestartCount;
    // SIGKILL from the host, like the kernel's OOM killer: Docker treats `docker kill` as a manual
    // stop and does not restart it, but it does restart a container whose process died.
    process.kill(info.State.Pid, 'SIGKILL');
    const startedAt = await until(`${victim.name} restarted`, 60_000, async () => {
      const [now] = JSON.parse(await docker('inspect', victim.id));
      return now.RestartCount > restartsBefore && now.State.Running && now.State.StartedAt;
    });
    // The new JVM is a new cluster member: wait until it has joined, not only until the old
    // member's absence is noticed.
    await until(`${victim.name} joins the cluster again`, 180_000, async () => {
      const { stdout } = await run('docker', ['logs', '--since', startedAt, victim.id], { maxBuffer: 16 * 1024 * 1024 });
      return /Started echo-service/.test(stdout);
    }, 1000);
    await discover();
    await waitForCluster(60_000);
    const seen = await loggedClusterSize(victim);
    assert(seen === expectedMembers(), `${victim.name} sees ${seen} members, expected ${expectedMembers()}`);
    return `${victim.name} restarted and rejoined; every gateway sees ${expectedMembers()} members again`;
  });
}

async function scaling() {
  const out = { ...SCALE, gateway: SCALE.gateway + 1 };
  await check(`scale out to gateway=${out.gateway} while clients stay connected`, async () => {
    // `up` also starts the gateway container killed earlier: it was stopped, not removed.
    await compose('up', '-d', '--no-recreate', ...scaleArgs(out));
    await discover();
    assert(topology.byService.gateway.length === out.gateway,
      `${topology.byService.gateway.length} gateways running, expected ${out.gateway}`);
    await waitForCluster(240_000);
    for (const gateway of topology.byService.gateway) {
      await gatewayNode(gateway);
    }
    await checkLoadBalancing();
    await publishNext();
    const live = sse.subscribers.filter((s) => !s.client.isEnded);
    for (const { client, gateway } of live) {
      const seqs = () => client.payloads().map((p) => p.seq);
      await until(`subscriber on ${gateway.name} receives event ${sse.seq}`, 15_000, () => caughtUp(seqs()), 200);
      const problem = streamProblem(seqs(), seqs()[0] - 1);
      assert(!problem, `subscriber on ${gateway.name}: ${problem}`);
    }
    if (sig.a && sig.b) {
      await relay(sig.a, sig.b, 'sdp', { sdp: { type: 'offer', sdp: `v=0\r\no=- ${token()} 4 IN IP4 127.0.0.1\r\n` } });
    }
    return `${out.gateway} gateways, ${expectedMembers()} members everywhere, ${live.length} SSE streams kept every event`;
  });
  if (PROMETHEUS) {
    await check(`monitoring: the gateways added by --scale gateway=${out.gateway} are up targets of Prometheus`, async () => {
      const replicas = await awaitTargets();
      return `${replicas}: ${topology.byService.gateway.map((g) => g.ip).join(', ')} scraped`;
    });
  }

  const inScale = { ...SCALE, gateway: Math.max(2, SCALE.gateway - 1) };
  await check(`scale in to gateway=${inScale.gateway}: clients of removed gateways resume on the others`, async () => {
    // One subscriber per gateway, so that some sit on the gateways about to be removed.
    for (const gateway of topology.byService.gateway) {
      if (!sse.subscribers.some((s) => !s.client.isEnded && s.gateway.name === gateway.name)) {
        const client = await openOn(gateway, () => SseClient.open(sse.topic, lastConfirmed().id));
        sse.subscribers.push({ client, gateway });
      }
    }
    const before = new Set(topology.byService.gateway.map((g) => g.name));
    const live = sse.subscribers.filter((s) => !s.client.isEnded);
    // Compose returns once the removed containers have stopped, their streams closed.
    await compose('up', '-d', '--no-recreate', ...scaleArgs(inScale));
    await discover();
    const removed = [...before].filter((name) => !topology.byService.gateway.some((g) => g.name === name));
    assert(removed.length === before.size - inScale.gateway, `removed ${removed}`);
    const cut = live.filter((s) => removed.includes(s.gateway.name));
    const kept = live.filter((s) => !removed.includes(s.gateway.name));
    assert(cut.length > 0, 'no subscriber sat on a removed gateway');
    await waitForCluster(60_000);
    for (const entry of cut) {
      await until(`stream on removed ${entry.gateway.name} ends`, 15_000, () => entry.client.isEnded, 200);
    }
    await publishNext();
    for (const entry of cut) {
      const { conn, gateway } = await openTracked(() => SseClient.open(sse.topic, entry.client.lastId()));
      assert(!removed.includes(gateway.name), `resumed on removed ${gateway.name}`);
      sse.subscribers.push({ client: conn, gateway });
      const seqs = () => [...entry.client.payloads(), ...conn.payloads()].map((p) => p.seq);
      await until(`subscriber resumed from ${entry.gateway.name} catches up`, 15_000, () => caughtUp(seqs()), 200)
        .catch((err) => { throw new Error(`${err.message}; resumed after ${entry.client.lastId()}, last events ${describe(conn)}`); });
      const problem = streamProblem(seqs(), seqs()[0] - 1);
      assert(!problem, `resumed stream from ${entry.gateway.name}: ${problem}`);
    }
    for (const { client, gateway } of kept) {
      const seqs = () => client.payloads().map((p) => p.seq);
      await until(`subscriber on ${gateway.name} receives event ${sse.seq}`, 15_000, () => caughtUp(seqs()), 200);
      const problem = streamProblem(seqs(), seqs()[0] - 1);
      assert(!client.isEnded && !problem, `subscriber on ${gateway.name}: ${problem ?? 'stream ended'}`);
    }
    return `removed ${removed.join(', ')}; ${cut.length} streams resumed without a gap, ${kept.length} kept streaming; ${expectedMembers()} members everywhere`;
  });
  if (PROMETHEUS) {
    await check(`monitoring: after the scale in to gateway=${inScale.gateway}, Prometheus drops the removed gateways' targets`, async () => {
      const replicas = await awaitTargets();
      return `${replicas}, every one up`;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Monitoring: Prometheus of the compose file's `monitoring` profile finds every replica through
// DNS service discovery on the service names (deploy/prometheus/prometheus.yml), one job per
// service, and scrapes its management port. Only its HTTP API on the host is used.

async function prometheusApi(path) {
  const { status, body } = await getJson(`${PROMETHEUS}${path}`, 5000);
  assert(status === 200 && body.status === 'success', `GET ${path} on Prometheus: ${status} ${JSON.stringify(body).slice(0, 200)}`);
  return body.data;
}

/**
 * What is wrong with Prometheus's targets of the Java services against the running containers, or
 * null: each job must have exactly one target per container, at its address on port 9464, and
 * every one of them `up`.
 */
async function targetsProblem() {
  const active = (await prometheusApi('/api/v1/targets?state=active')).activeTargets;
  const problems = [];
  for (const service of JAVA_SERVICES) {
    const targets = active.filter((t) => t.labels.job === service);
    const want = topology.byService[service].map((c) => `${c.ip}:9464`).sort();
    const got = targets.map((t) => t.labels.instance).sort();
    const down = targets.filter((t) => t.health !== 'up');
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      problems.push(`${service}: targets ${got.join(' ') || 'none'}, containers ${want.join(' ')}`);
    } else if (down.length) {
      problems.push(`${service}: ${down.map((t) => `${t.labels.instance} ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join(', ')}`);
    }
  }
  return problems.length ? problems.join('; ') : null;
}

async function awaitTargets() {
  let problem = null;
  await until('Prometheus targets match the containers', TARGETS_DEADLINE_MS, async () => {
    await discover();
    problem = await targetsProblem();
    return !problem;
  }, 1000).catch((err) => { throw new Error(`${err.message}: ${problem ?? 'no answer'}`); });
  return JAVA_SERVICES.map((s) => `${s}=${topology.byService[s].length}`).join(' ');
}

async function checkPrometheusTargets() {
  const started = Date.now();
  const replicas = await awaitTargets();
  // Every process is scraped, not only reached: each reports the whole cluster (a scrape of 5 s
  // ago may predate the last join).
  const total = expectedMembers();
  let members = [];
  await until(`switchboard_cluster_members ${total} from each of ${total} processes`, 30_000, async () => {
    members = (await prometheusApi(`/api/v1/query?query=${encodeURIComponent('switchboard_cluster_members')}`)).result;
    return members.length === total && members.every((r) => Number(r.value[1]) === total);
  }, 1000).catch((err) => {
    throw new Error(`${err.message}: ${members.map((r) => `${r.metric.instance}=${r.value[1]}`).join(' ')}`);
  });
  const groups = (await prometheusApi('/api/v1/rules')).groups;
  const alerts = groups.flatMap((g) => g.rules).filter((r) => r.type === 'alerting');
  const broken = groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok' && r.health !== 'unknown');
  assert(alerts.length > 0, 'no alert rule loaded');
  assert(!broken.length, `rules failing: ${broken.map((r) => `${r.name}: ${r.lastError}`).join('; ')}`);
  const served = new Set((await prometheusApi(`/api/v1/label/__name__/values?match[]=${encodeURIComponent('{__name__=~"switchboard_.*"}')}`)));
  const ruleText = groups.flatMap((g) => g.rules).map((r) => r.query).join('\n');
  const unserved = [...new Set(ruleText.match(/switchboard_[a-z_]+/g) ?? [])].filter((n) => !served.has(n));
  if (unserved.length) {
    notes.push(`monitoring: names the alert rules use that no process serves yet: ${unserved.sort().join(', ')}`);
  }
  return `every replica up within ${Date.now() - started} ms (${replicas}), each reporting ${total} members; `
    + `${alerts.length} alert rules loaded`;
}

// ---------------------------------------------------------------------------------------------
// Network partition: `docker network disconnect` of one sse container and one gateway container
// for PARTITION_MS, then `docker network connect`. With CLUSTER_MIN_DATA_MEMBERS a majority of the
// data members, the rest keep quorum and accept writes; the isolated sse-service is alone, below
// the minimum, and refuses them; the isolated gateway has no data member at all. nginx looks the
// gateways up by name every 5 s, and a disconnected container has no name on the network, so
// browsers reach only the majority: what its clients see is their connections cut (nginx's TCP
// keepalive gives up on the silent gateway) and their reconnects served by the others.

/** One publish of the partition's ledger: an `Idempotency-Key`, retried on any 5xx or lost answer. */
async function ledgerPublish(part, seq, deadlineMs = 30_000) {
  const key = `compose-${token()}-${seq}`;
  const entry = { seq, key, id: null, acked: false, attempts: 0, statuses: [] };
  part.ledger.push(entry);
  const end = Date.now() + deadlineMs;
  for (;;) {
    entry.attempts += 1;
    let status;
    let text = '';
    try {
      const res = await fetch(`${BASE}/api/topics/${part.topic}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, ...bearer(TOKEN) },
        body: JSON.stringify({ data: { seq, text: `partition event ${seq}` } }),
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      status = `lost (${err.name})`;
    }
    entry.statuses.push(status);
    if (status === 202) {
      const body = JSON.parse(text);
      assert(body.topic === part.topic && typeof body.id === 'string', `publish ${seq}: unexpected body ${text}`);
      entry.id = body.id;
      entry.acked = true;
      return entry;
    }
    if (typeof status === 'number' && status < 500) {
      throw new Error(`publish ${seq}: refused with ${status} ${text.slice(0, 200)}`);
    }
    if (Date.now() > end) {
      return entry;
    }
    await sleep(500);
  }
}

/**
 * What is wrong with the partition topic's events one reader got (payloads with `seq`, in order),
 * or null: every acknowledged event after `after` exactly once, in publish order, and nothing
 * that was never published; an event never acknowledged may be there, at most once.
 */
function ledgerProblem(part, seqs, after = 0) {
  if (new Set(seqs).size !== seqs.length) {
    return `duplicates in ${seqs}`;
  }
  const bySeq = new Map(part.ledger.map((e) => [e.seq, e]));
  const unknown = seqs.filter((s) => !bySeq.has(s));
  if (unknown.length) {
    return `events never published: ${unknown}`;
  }
  if (seqs.some((s, i) => i > 0 && s < seqs[i - 1])) {
    return `out of order: ${seqs}`;
  }
  const missing = part.ledger.filter((e) => e.acked && e.seq > after && !seqs.includes(e.seq)).map((e) => e.seq);
  return missing.length ? `acknowledged but missing: ${missing} (got ${seqs})` : null;
}

function ledgerCaughtUp(part, seqs) {
  const acked = part.ledger.filter((e) => e.acked);
  return !acked.length || seqs.includes(acked[acked.length - 1].seq);
}

/** The whole retained history of a topic through the load balancer, page by page. */
async function readHistory(topic) {
  const events = [];
  let after = null;
  for (;;) {
    const query = after ? `?after=${encodeURIComponent(after)}` : '';
    const { status, body } = await getJson(`${BASE}/api/topics/${topic}/events${query}`, 10_000, TOKEN);
    assert(status === 200, `history of ${topic}: HTTP ${status} ${JSON.stringify(body).slice(0, 200)}`);
    assert(!body.historyLost, `history of ${topic} says historyLost: ${JSON.stringify(body).slice(0, 200)}`);
    events.push(...body.events);
    if (!body.more) {
      return events;
    }
    after = body.lastEventId;
  }
}

/** A publish sent from inside a container to its own gateway on 127.0.0.1 (bash, no curl there). */
async function publishInside(container, topic) {
  const body = JSON.stringify({ data: { seq: -1, text: 'isolated' } });
  const request = [`POST /api/topics/${topic}/events HTTP/1.1`, 'Host: localhost',
    `Authorization: Bearer ${TOKEN}`, 'Content-Type: application/json', `Idempotency-Key: isolated-${token()}`,
    `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body].join('\r\n');
  const out = await docker('exec', container.id, 'bash', '-c',
    'exec 3<>/dev/tcp/127.0.0.1/8080; printf "%s" "$1" >&3; timeout 15 cat <&3', 'publish', request);
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(out)?.[1]);
  const code = /"code"\s*:\s*"([^"]+)"/.exec(out)?.[1];
  return { status, code };
}

/** Opens signaling peers until one is served by `gateway`; the others are closed. */
async function openPeerOn(gateway, open = openPeer) {
  for (let i = 0; i < 25; i++) {
    const peer = await open();
    if (peer.gateway.name === gateway.name) {
      return peer;
    }
    peer.socket.close();
  }
  throw new Error(`no signaling connection landed on ${gateway.name}`);
}

function ipOrder(ip) {
  return ip.split('.').reduce((n, b) => n * 256 + Number(b), 0);
}

/** Every running Java container is back, and every gateway is ready and counts all `total`. */
async function oneClusterAgain(names, total) {
  await discover();
  const running = JAVA_SERVICES.flatMap((s) => topology.byService[s]);
  if (running.length !== total || !names.every((n) => running.some((c) => c.name === n))) {
    return false;
  }
  for (const gateway of topology.byService.gateway) {
    const { status, body } = await getJson(`http://${gateway.ip}:8080/ready`, 3000);
    if (status !== 200 || body.cluster?.members !== total) {
      return false;
    }
  }
  const { status, body } = await getJson(`${BASE}/api/cluster`, 5000, ADMIN_TOKEN);
  return status === 200 && body.members === total;
}

async function partition() {
  const part = { topic: `compose-part-${token()}`, room: `compose-part-${token()}`, ledger: [], seq: 0 };
  await discover();
  await waitForCluster(60_000);
  // Docker gives a reconnected container the lowest free address of the network, so the containers
  // with the lowest addresses, reconnected lowest first, are the likeliest to get theirs back and
  // merge; one that gets another exits with code 4 and is restarted. Either is checked.
  const byAddress = (list) => [...list].sort((x, y) => ipOrder(x.ip) - ipOrder(y.ip));
  const [gwVictim, ...gwRest] = byAddress(topology.byService.gateway);
  const [sseVictim] = byAddress(topology.byService.sse);
  const reconnectOrder = byAddress([sseVictim, gwVictim]);
  assert(gwRest.length, 'the partition needs two gateways');
  const total = expectedMembers();
  const names = JAVA_SERVICES.flatMap((s) => topology.byService[s]).map((c) => c.name);
  const restartsBefore = new Map();
  let network;
  for (const victim of [sseVictim, gwVictim]) {
    const [info] = JSON.parse(await docker('inspect', victim.id));
    network = Object.keys(info.NetworkSettings.Networks)[0];
    restartsBefore.set(victim.id, info.RestartCount);
  }

  // Before: a subscriber on each side, three events, and a room with a peer on each side.
  const cut = await openOn(gwVictim, () => SseClient.open(part.topic));
  const kept = await openOn(gwRest[0], () => SseClient.open(part.topic));
  for (let i = 0; i < 3; i++) {
    const e = await ledgerPublish(part, ++part.seq);
    assert(e.acked, `publish ${e.seq} before the partition: ${e.statuses}`);
  }
  await until('both subscribers get the first events', 15_000,
    () => [cut, kept].every((c) => ledgerCaughtUp(part, c.payloads().map((p) => p.seq))), 200);
  const a = await openPeerOn(gwVictim);
  const b = await openPeerOn(gwRest[0]);
  assert((await join(a, part.room)).type === 'joined', 'A could not join');
  assert((await join(b, part.room)).type === 'joined', 'B could not join');
  await a.socket.next((f) => f.type === 'peer-joined' && f.data === b.id, 10_000, 'peer-joined B');
  await relay(a, b, 'sdp', { sdp: { type: 'offer', sdp: `v=0\r\no=- ${token()} 5 IN IP4 127.0.0.1\r\n` } });

  log(`partition: disconnecting ${sseVictim.name} and ${gwVictim.name} from ${network} for ${PARTITION_MS} ms`);
  // Where the isolated sse-service member's log stands before the cut: its refusals come after.
  const sseLogBeforeCut = (await containerLog(sseVictim)).length;
  const cutAt = Date.now();
  await docker('network', 'disconnect', network, sseVictim.id);
  await docker('network', 'disconnect', network, gwVictim.id);
  notes.push(`partition: ${sseVictim.name} (${sseVictim.ip}) and ${gwVictim.name} (${gwVictim.ip}) disconnected from ${network} for ${PARTITION_MS} ms`);
  const peerLeft = b.socket.next((f) => f.type === 'peer-left' && f.data === a.id, PARTITION_MS, 'peer-left of A')
    .then(() => Date.now() - cutAt);
  peerLeft.catch(() => {});

  // During: publish through nginx all along; ask the isolated gateway to publish halfway.
  const during = [];
  let isolated = null;
  while (Date.now() - cutAt < PARTITION_MS) {
    during.push(await ledgerPublish(part, ++part.seq));
    if (!isolated && Date.now() - cutAt > PARTITION_MS / 2) {
      isolated = await publishInside(gwVictim, part.topic).catch((err) => ({ error: err.message }));
    }
    await sleep(300);
  }
  const streamEndedDuring = cut.isEnded;
  const socketClosedDuring = a.socket.isClosed;
  const majorityView = await getJson(`http://${gwRest[0].ip}:8080/ready`, 3000).catch(() => ({}));

  log(`partition: reconnecting ${sseVictim.name} and ${gwVictim.name}`);
  const healAt = Date.now();
  for (const c of reconnectOrder) {
    // Back under its service's name too, as the container had it: Prometheus and nginx find it by that name.
    await docker('network', 'connect', '--alias', c.service, network, c.id);
  }

  await check('partition: the majority side accepts every publish through nginx, with Idempotency-Key and retries on 5xx', async () => {
    const failed = during.filter((e) => !e.acked);
    assert(!failed.length, `not acknowledged within 30 s: ${failed.map((e) => `${e.seq} [${e.statuses}]`).join('; ')}`);
    const retried = during.filter((e) => e.attempts > 1);
    return `${during.length} publishes during the partition, all 202; ${retried.length} needed retries`
      + `${retried.length ? ` (${retried.map((e) => `${e.seq}: ${e.statuses.join(',')}`).join('; ')})` : ''}`
      + `; majority gateway /ready ${majorityView.status} with ${majorityView.body?.cluster?.dataMembers} data members`;
  });

  await check('partition: the isolated side refuses writes instead of diverging', async () => {
    assert(isolated && !isolated.error, `publish on the isolated ${gwVictim.name}: ${isolated?.error ?? 'not tried'}`);
    // 503 no-quorum once the gateway counts no data member left; 504 while its member list still
    // holds the members it cannot reach (only a master removes them). Never 202: the history check
    // below proves its event was not stored, on either side.
    assert(isolated.status === 503 || isolated.status === 504,
      `the isolated ${gwVictim.name} answered a publish with ${isolated.status} ${isolated.code}, expected 503 or 504`);
    // The isolated sse-service member first claims to lead the members it can still reach, and
    // waits for their answers for up to the mastership claim's timeout (docs/configuration.md,
    // failure detection): until then it is in its old member list, where its writes time out
    // rather than land. Once it logs a cluster of its own, it refuses them with no-quorum.
    const text = await containerLog(sseVictim);
    const since = text.lastIndexOf('Members {size:1,');
    if (since < 0) {
      const claim = /Starting mastership claim process[^\n]*/.test(text);
      return `isolated gateway: ${isolated.status} ${isolated.code}; isolated ${sseVictim.name} still in its old`
        + ` member list${claim ? ', claiming the lead' : ''}: nothing it could store (the history check proves it)`;
    }
    // Its writes (the ticker's every second, the isolated gateway's publish) are refused from when it
    // counts too few data members. The refusal is logged at most once per 10 s, so the line may come
    // before the member list that says it is alone, or a moment after it, after the reconnect too:
    // any refusal since the cut counts.
    const refusalIn = (log) => /(limit no-quorum:|PublishRefusal: Too few data members)[^\n]*/.exec(log.slice(sseLogBeforeCut));
    let refusal = refusalIn(text);
    const waitUntil = Date.now() + 5000;
    while (!refusal && Date.now() < waitUntil) {
      await sleep(250);
      refusal = refusalIn(await containerLog(sseVictim));
    }
    assert(refusal, `${sseVictim.name} logged no refused write while alone`);
    return `isolated gateway: ${isolated.status} ${isolated.code}; isolated ${sseVictim.name}: "${refusal[0].slice(0, 120)}"`;
  });

  await check('partition: after reconnect, one cluster with every member within 60 s', async () => {
    await until(`every gateway ready with ${total} members after the reconnect`, 60_000, () => oneClusterAgain(names, total), 1000)
      .catch(async (err) => {
        const views = [];
        for (const c of JAVA_SERVICES.flatMap((s) => topology.byService[s])) {
          views.push(`${c.name} ${c.ip} ${(await loggedClusterView(c)).size}`);
        }
        throw new Error(`${err.message}; logged member counts: ${views.join(', ')}`);
      });
    const healedAfter = Date.now() - healAt;
    const outcomes = [];
    for (const victim of [sseVictim, gwVictim]) {
      const [now] = JSON.parse(await docker('inspect', victim.id));
      const address = Object.values(now.NetworkSettings.Networks)[0]?.IPAddress;
      const restarted = now.RestartCount - restartsBefore.get(victim.id);
      outcomes.push(`${victim.name} ${address === victim.ip ? `kept ${address}` : `came back at ${address} (was ${victim.ip})`}`
        + `${restarted ? `, restarted ${restarted}x` : ', merged without a restart'}`);
    }
    notes.push(`partition: ${outcomes.join('; ')}`);
    // The last poll may end past the deadline: what counts is when it saw one cluster.
    assert(healedAfter <= 60_000, `one cluster only ${healedAfter} ms after the reconnect; ${outcomes.join('; ')}`);
    return `${total} members everywhere ${healedAfter} ms after the reconnect; ${outcomes.join('; ')}`;
  });

  await check('partition: every acknowledged event is in history exactly once, in order, with its id', async () => {
    await ledgerPublish(part, ++part.seq);
    const history = await readHistory(part.topic);
    const seqs = history.map((e) => e.data?.seq);
    assert(!seqs.includes(-1), `the event published on the isolated ${gwVictim.name} is in history`);
    const problem = ledgerProblem(part, seqs);
    assert(!problem, problem);
    const wrongId = part.ledger.filter((e) => e.acked && history.find((h) => h.data.seq === e.seq)?.id !== e.id);
    assert(!wrongId.length, `ids differ from the 202s for ${wrongId.map((e) => e.seq)}`);
    const unacked = part.ledger.filter((e) => !e.acked).length;
    return `${history.length} events in history, ${part.ledger.filter((e) => e.acked).length} acknowledged, ${unacked} never answered`;
  });

  await check('partition: a subscriber on the majority side gets every acknowledged event once, in order', async () => {
    await until('the kept subscriber catches up', 15_000, () => ledgerCaughtUp(part, kept.payloads().map((p) => p.seq)), 200);
    assert(!kept.isEnded, 'its stream ended');
    const problem = ledgerProblem(part, kept.payloads().map((p) => p.seq));
    assert(!problem, problem);
    return `${kept.payloads().length} events on ${gwRest[0].name}`;
  });

  await check('partition: a subscriber cut off by it resumes by Last-Event-ID with exactly what it missed, or history-lost', async () => {
    assert(streamEndedDuring || cut.isEnded, `the stream through ${gwVictim.name} did not end`);
    const before = cut.payloads().map((p) => p.seq);
    const lastId = cut.lastId();
    const resumed = await SseClient.open(part.topic, lastId);
    try {
      await ledgerPublish(part, ++part.seq);
      await until('the resumed stream catches up', 15_000, () => ledgerCaughtUp(part, resumed.payloads().map((p) => p.seq)), 200)
        .catch((err) => { throw new Error(`${err.message}; last events ${describe(resumed)}`); });
      const lost = resumed.events.find((e) => e.event === 'history-lost');
      const after = resumed.payloads().map((p) => p.seq);
      const problem = lost ? ledgerProblem(part, after) : ledgerProblem(part, [...before, ...after]);
      assert(!problem, `before ${before}, after Last-Event-ID ${lastId}: ${problem}`);
      return lost
        ? `history-lost (${lost.data}), then ${after.length} events`
        : `had ${before.length} events, resumed with the ${after.length} it missed`;
    } finally {
      resumed.close();
      cut.close();
      kept.close();
    }
  });

  await check('partition: a room joined before it works after it, holds no stale member, and keeps its capacity', async () => {
    const leftAfter = await peerLeft.catch(() => null);
    assert(socketClosedDuring || a.socket.isClosed, `A's WebSocket through ${gwVictim.name} is still open`);
    const listed = async () => (await getJson(`${BASE}/api/rooms/${part.room}`, 5000, ADMIN_TOKEN)).body?.peers;
    // The merge joins both copies of the room; A's gateway takes A out again when the reconciliation
    // reaches it (docs/operations.md, Rooms after a merge), within SIGNALING_MERGE_SETTLE_MS (15 s)
    // and a retry or two: the room must come to list B alone.
    let peers = await listed();
    const settleBy = Date.now() + 30_000;
    while (JSON.stringify(peers) !== JSON.stringify([b.id]) && Date.now() < settleBy) {
      await sleep(500);
      peers = await listed();
    }
    assert(JSON.stringify(peers) === JSON.stringify([b.id]), `30 s after the merge the room lists ${JSON.stringify(peers)}, expected only B ${b.id}`);
    const again = await openPeer(PARTITION_TOKEN);
    const joined = await join(again, part.room);
    assert(joined.type === 'joined' && JSON.stringify(joined.peers) === JSON.stringify([b.id]), `rejoin: ${JSON.stringify(joined)}`);
    await b.socket.next((f) => f.type === 'peer-joined' && f.data === again.id, 10_000, 'peer-joined after the partition');
    await relay(again, b, 'sdp', { sdp: { type: 'offer', sdp: `v=0\r\no=- ${token()} 6 IN IP4 127.0.0.1\r\n` } });
    await relay(b, again, 'ice-candidate', { candidate: { candidate: 'candidate:3 1 udp 1 192.0.2.3 1 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
    const fillers = [again];
    try {
      while (fillers.length + 1 < ROOM_CAPACITY) {
        const peer = await openPeer(PARTITION_TOKEN);
        fillers.push(peer);
        const reply = await join(peer, part.room);
        assert(reply.type === 'joined', `peer ${fillers.length + 1} of ${ROOM_CAPACITY}: ${JSON.stringify(reply)}`);
      }
      const extra = await openPeer(PARTITION_TOKEN);
      fillers.push(extra);
      const refused = await join(extra, part.room);
      assert(refused.type === 'error' && refused.code === 'room-full', `peer ${ROOM_CAPACITY + 1}: ${JSON.stringify(refused)}`);
      const full = await listed();
      assert(full.length === ROOM_CAPACITY && full.includes(b.id) && !full.includes(a.id),
        `the full room lists ${full.length} peers: ${JSON.stringify(full)}`);
    } finally {
      fillers.forEach((p) => p.socket.close());
      a.socket.close();
      b.socket.close();
    }
    return `peer-left for A after ${leftAfter ?? '?'} ms; after the merge the room held only B; A rejoined and relayed both ways; `
      + `${ROOM_CAPACITY} peers fill it and one more gets room-full`;
  });
}

async function report(initial, final) {
  const lines = [];
  lines.push('');
  lines.push('== compose test report ==');
  for (const [title, sizes] of [['at start', initial], ['at the end', final]]) {
    const replicas = JAVA_SERVICES.map((s) => `${s}=${sizes.filter((r) => r.service === s).length}`).join(' ');
    lines.push(`replicas ${title}: ${replicas} nginx=1`);
    lines.push(`cluster size as seen by each node ${title}:`);
    for (const r of sizes) {
      lines.push(`  ${r.name.padEnd(38)} ${(r.ip ?? '').padEnd(15)} members=${r.members}${r.node ? ` node=${r.node}` : ''}`);
    }
  }
  for (const note of notes) {
    lines.push(`note: ${note}`);
  }
  lines.push('checks:');
  for (const c of checks) {
    lines.push(`  ${c.ok ? 'PASS' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
  }
  const passed = checks.filter((c) => c.ok).length;
  lines.push(`${passed} passed, ${checks.length - passed} failed`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return passed === checks.length;
}

async function main() {
  await discover();
  for (const service of JAVA_SERVICES) {
    assert(topology.byService[service].length >= 1, `no ${service} container is running`);
  }
  log(`compose command: ${COMPOSE.join(' ')}; replicas: ${JAVA_SERVICES.map((s) => `${s}=${topology.byService[s].length}`).join(' ')}`);
  let sizes = [];
  const one = await check(`one cluster: right after /ready answers 200, every gateway counts all ${expectedMembers()} Java containers`,
    checkOneCluster);
  const formed = await check('cluster forms: every gateway is ready and sees every container', async () => {
    // After a split, wait only as long as it takes to see whether the clusters merge.
    await waitForCluster(one ? READY_DEADLINE_MS : HEAL_DEADLINE_MS);
    for (const gateway of topology.byService.gateway) {
      await gatewayNode(gateway);
    }
    return checkClusterFormed();
  });
  sizes = await clusterSizes().catch(() => []);
  if (formed) {
    if (PROMETHEUS) {
      await check('monitoring: Prometheus scrapes every replica of every service, all up', checkPrometheusTargets);
    }
    await check('load balancer spreads requests over every gateway', checkLoadBalancing);
    await check('access control: AUTH_MODE=jwt refuses requests without a valid token, and holds tokens to their claims', checkAccessControl);
    await check('echo works through the load balancer', checkEcho);
    await check('sse: an event published through one request reaches subscribers on other gateways', checkSseFanout);
    await check('signaling: peers on different gateways exchange sdp and ice-candidate', checkSignalingAcrossGateways);
    await faults();
    await crashAndRestart();
    await scaling();
    if (PARTITION) {
      // A set-up that fails (the cluster not whole, a client refused) is a failed check, not a crash.
      await partition().catch((err) => {
        checks.push({ name: 'partition', ok: false, detail: err.message });
        log(`FAIL partition: ${err.message}`);
      });
    }
  }
  for (const s of sse.subscribers) {
    s.client.close();
  }
  sig.a?.socket.close();
  sig.b?.socket.close();
  await discover().catch(() => {});
  const finalSizes = await clusterSizes().catch(() => []);
  const ok = await report(sizes, finalSizes);
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  log(`error: ${err.stack ?? err}`);
  process.exit(2);
});
