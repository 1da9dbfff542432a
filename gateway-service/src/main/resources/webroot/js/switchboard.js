/**
 * Switchboard browser SDK: WebSocket echo, topics over Server-Sent Events and over WebSocket,
 * WebRTC signaling and perfect-negotiation peer connections. A dependency-free ES module; see
 * docs/client.md.
 *
 *   import { EchoClient, subscribe, TopicClient, SignalingClient, PeerConnection } from '/js/switchboard.js';
 */

/** The gateway this module was served from; every default URL is relative to it. */
const DEFAULT_BASE = new URL('/', import.meta.url);

/** Reconnect schedule: attempt n waits a random time in [0, min(capMs, baseMs * 2^n)). */
export const DEFAULT_BACKOFF = Object.freeze({ baseMs: 500, capMs: 15000 });

/** Messages a Connection keeps while disconnected; one more is rejected with `queue-full`. */
export const DEFAULT_MAX_QUEUE = 256;

/** How long an event stream stays open before its reconnect backoff starts over. */
const STREAM_STABLE_MS = 5000;

/** A topic refused as unavailable is asked for again within 1, 2, 4, then at most 8 s (with 500 ms base). */
const MAX_SUBSCRIBE_BACKOFF_ATTEMPT = 4;

/** An error the SDK reports: `code` is a documented string, `message` is for humans. */
export class SwitchboardError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
  }
}

/**
 * The delay before reconnect attempt `attempt` (0-based): exponential backoff with full jitter.
 * Full jitter spreads the clients of a restarted gateway over the whole window instead of
 * bringing them all back at the same instant.
 */
export function backoffDelay(attempt, backoff = DEFAULT_BACKOFF, random = Math.random) {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Resolves a path against the gateway's base URL; `ws: true` gives a ws:// or wss:// URL. */
export function gatewayUrl(path, { base = DEFAULT_BASE, ws = false } = {}) {
  const url = new URL(path, base);
  if (ws) {
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  }
  return url.toString();
}

/** A tiny event emitter: `on` returns a function that removes the listener. */
class Emitter {
  constructor() {
    this._listeners = new Map();
  }

  on(type, listener) {
    if (!this._listeners.has(type)) {
      this._listeners.set(type, new Set());
    }
    this._listeners.get(type).add(listener);
    return () => this.off(type, listener);
  }

  off(type, listener) {
    const set = this._listeners.get(type);
    if (set) {
      set.delete(listener);
    }
  }

  _emit(type, detail) {
    const set = this._listeners.get(type);
    if (!set) {
      return;
    }
    for (const listener of [...set]) {
      try {
        listener(detail);
      } catch (err) {
        // A failing listener must not break the SDK's own state machine or the other listeners.
        setTimeout(() => { throw err; });
      }
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Tokens                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/**
 * What a `getToken` callback throws when the user may not connect at all (signed out, say): the
 * SDK stops instead of retrying. Returning an empty token means the same. Any other error from
 * getToken is taken as passing: the SDK retries with the reconnect backoff.
 */
export class UnauthorizedError extends SwitchboardError {
  constructor(message = 'No token: not allowed to connect') {
    super('unauthorized', message);
    this.name = 'UnauthorizedError';
  }
}

/** The WebSocket close status of a connection whose token expired (protocol.md). */
export const CLOSE_TOKEN_EXPIRED = 4001;

/** A token whose `exp` is this close is not presented again when getToken can replace it. */
const EXPIRY_MARGIN_MS = 5000;

/** Frames a WebSocket may carry about its token; others are not parsed to find out. */
const TOKEN_FRAME = /"(token-expiring|refreshed|unauthorized|forbidden|bad-request|service-unavailable|internal)"/;

/**
 * The error codes with which a gateway refuses a `refresh`: another user's token is forbidden, and
 * one it could not check (its issuer's keys unreachable) service-unavailable or internal.
 */
const REFRESH_REFUSALS = ['unauthorized', 'forbidden', 'bad-request', 'service-unavailable', 'internal'];

/** The `exp` of a JWT as epoch milliseconds, or null when the token is not a readable JWT. */
export function tokenExpiry(token) {
  const payload = typeof token === 'string' ? token.split('.')[1] : undefined;
  if (!payload) {
    return null;
  }
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch (err) {
    return null;
  }
}

function isUnauthorized(err) {
  return err instanceof SwitchboardError && err.code === 'unauthorized';
}

/** Whether a token error ends the client: no token to be had, or one that expired for good. */
function stopsClient(err) {
  return isUnauthorized(err) || (err instanceof SwitchboardError && err.code === 'token-expired');
}

function expiredForGood() {
  return new SwitchboardError('token-expired',
    'The token expired and there is no getToken to ask for another');
}

/**
 * TokenSource is the token of one client: the app's static `token`, or what its `getToken()`
 * callback gives, kept until it expires or the gateway refuses it. Concurrent refreshes share
 * one call to getToken.
 */
class TokenSource {
  constructor(token, getToken) {
    this.token = token || null;
    this.getToken = getToken || null;
    this._pending = null;
  }

  /** Whether a new token can be had when this one expires or is refused. */
  get refreshable() {
    return this.getToken !== null;
  }

  /**
   * The token to present: the one held, unless there is none or it expired and can be replaced.
   * A static token whose `exp` has passed rejects with `token-expired`: the gateway would refuse it.
   */
  current() {
    const exp = tokenExpiry(this.token);
    const stale = !this.token || (exp !== null && exp - EXPIRY_MARGIN_MS <= Date.now());
    if (stale && this.refreshable) {
      return this.refresh();
    }
    return exp !== null && exp <= Date.now() ? Promise.reject(expiredForGood())
      : Promise.resolve(this.token);
  }

  /** Asks getToken() for a new token; rejects with UnauthorizedError when it gives none. */
  refresh() {
    if (!this.refreshable) {
      return Promise.resolve(this.token);
    }
    if (!this._pending) {
      this._pending = Promise.resolve()
        .then(() => this.getToken())
        .then((token) => {
          if (token === '' || token === null || token === undefined) {
            throw new UnauthorizedError('getToken() gave no token: not allowed to connect');
          }
          if (typeof token !== 'string') {
            throw new TypeError('getToken() must return a string or a promise of one');
          }
          this.token = token;
          return token;
        })
        .catch((err) => {
          // Its backend down, say: a SwitchboardError the application can tell from the others.
          if (err instanceof SwitchboardError) {
            throw err;
          }
          const failure = new SwitchboardError('token-unavailable', `getToken() failed: ${err?.message ?? err}`);
          failure.cause = err;
          throw failure;
        })
        .finally(() => {
          this._pending = null;
        });
    }
    return this._pending;
  }

  /** The token now, or a fresh one when `fresh`. */
  get(fresh) {
    return fresh ? this.refresh() : this.current();
  }
}

/** The TokenSource of a client's `token` and `getToken` options, or null when it has neither. */
function tokenSource({ token = null, getToken = null, _tokens = null } = {}) {
  if (_tokens) {
    return _tokens;
  }
  return token || getToken ? new TokenSource(token, getToken) : null;
}

/** `url` with the token as its `token` query parameter: for WebSocket and EventSource. */
function withToken(url, token) {
  const withParam = new URL(url);
  withParam.searchParams.set('token', token);
  return withParam.toString();
}

/**
 * fetch with the token in `Authorization: Bearer`. A 401 gets one fresh token from getToken and
 * one retry. Without tokens it is plain fetch.
 */
async function fetchWithToken(url, init, tokens) {
  if (!tokens) {
    return fetch(url, init);
  }
  const send = (token) => fetch(url,
    { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });
  const response = await send(await tokens.current());
  if (response.status !== 401 || !tokens.refreshable) {
    return response;
  }
  return send(await tokens.refresh());
}

/* ------------------------------------------------------------------------------------------ */
/* WebSocket                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/**
 * A page the browser keeps in its back/forward cache, after the user navigated away, stays alive,
 * frozen, with its connections open: others would see it present for as long as it is kept. So
 * every connection of a page hidden that way is dropped, and comes back by itself, as after any
 * drop, resuming where it was, once the page is shown again.
 */
const shownPageClients = new Set();
let pageHideHooked = false;

function whilePageShown(client) {
  if (!pageHideHooked && typeof globalThis.addEventListener === 'function') {
    pageHideHooked = true;
    globalThis.addEventListener('pagehide', (event) => {
      if (event.persisted) {
        for (const each of [...shownPageClients]) {
          if (each.state === 'closed') {
            shownPageClients.delete(each);
            continue;
          }
          each._hidden = true;
          // Whatever attempt is on its way (a token, a history read) is abandoned.
          each._generation = (each._generation ?? 0) + 1;
          clearTimeout(each._timer);
          each._pageHidden();
        }
      }
    });
    globalThis.addEventListener('pageshow', (event) => {
      if (event.persisted) {
        for (const each of [...shownPageClients]) {
          each._hidden = false;
          each.attempt = 0;
          if (each.state !== 'closed') {
            each._pageShown();
          }
        }
      }
    });
  }
  shownPageClients.add(client);
}

/**
 * A WebSocket that reconnects by itself.
 *
 * States: `connecting` (first attempt), `open`, `reconnecting` (waiting or retrying after a
 * drop), `closed` (after close(); final). Messages sent while not open are queued, up to
 * `maxQueue`, and sent in order once open; beyond that `send` throws `queue-full`.
 *
 * With a `token` or `getToken` option the token goes in the `token` query parameter. When the
 * gateway warns that it expires (`token-expiring`) the connection asks getToken for a new one
 * and sends `refresh`; after a close with 4001, or an attempt that never opened (the browser
 * hides a 401), the next attempt asks getToken first.
 *
 * Events: `state` {state, attempt, delayMs}, `open`, `message` {data}, `close` {code, reason},
 * `error` {error}, and with tokens `token-expiring` {exp} and `refreshed` {exp}.
 */
export class Connection extends Emitter {
  constructor(url, { backoff = DEFAULT_BACKOFF, maxQueue = DEFAULT_MAX_QUEUE,
    binaryType = 'arraybuffer', reconnect = true, token = null, getToken = null } = {}) {
    super();
    this.url = url;
    this.backoff = backoff;
    this.maxQueue = maxQueue;
    this.binaryType = binaryType;
    this.reconnect = reconnect;
    this.state = 'idle';
    this.attempt = 0;
    this._queue = [];
    this._ws = null;
    this._timer = null;
    const tokens = tokenSource({ token, getToken });
    this._tokens = tokens ? new SocketTokens(tokens, this) : null;
  }

  /** Opens the connection; returns this for chaining. */
  connect() {
    if (this.state === 'idle') {
      this._open('connecting');
    }
    return this;
  }

  /** Messages waiting for the connection to open. */
  get queued() {
    return this._queue.length;
  }

  /**
   * Sends a text or binary message. Returns `'sent'` when it went out at once and `'queued'` when
   * it waits for the connection; throws SwitchboardError `queue-full` or `closed`.
   */
  send(data) {
    if (this.state === 'closed') {
      throw new SwitchboardError('closed', 'The connection was closed');
    }
    if (this.state === 'open' && this._ws.readyState === WebSocket.OPEN) {
      this._write(data);
      return 'sent';
    }
    if (this._queue.length >= this.maxQueue) {
      throw new SwitchboardError('queue-full',
        `Not connected and ${this.maxQueue} messages are already queued`);
    }
    this._queue.push(data);
    return 'queued';
  }

  /** Closes for good: no reconnect; queued messages are dropped. */
  close(code = 1000, reason = '') {
    clearTimeout(this._timer);
    shownPageClients.delete(this);
    this._queue = [];
    const ws = this._ws;
    this._setState('closed');
    if (ws && ws.readyState <= WebSocket.OPEN) {
      ws.close(code, reason);
    }
  }

  _write(data) {
    this._ws.send(data);
    this._onWire(data);
  }

  /** Called for each message as it is written to the socket; subclasses track requests here. */
  _onWire(data) { }

  /** Replies the gateway owes, in order, to messages already written; none but the echo's. */
  _repliesOwed() {
    return 0;
  }

  _setState(state, extra = {}) {
    this.state = state;
    this._emit('state', { state, attempt: this.attempt, ...extra });
  }

  /** The page went into the back/forward cache: drop the socket, as the network would. */
  _pageHidden() {
    const ws = this._ws;
    // One that does not reconnect would be gone for good: it stays as it is.
    if (this.reconnect && ws && ws.readyState <= WebSocket.OPEN) {
      // 1001, going away, is the browser's own to send; a page may close with 1000 or 3000 to 4999.
      ws.close(1000, 'Page hidden');
    }
  }

  /**
   * The page is shown again: reconnect at once. A socket whose close is still to come reconnects
   * when it comes, after the first, shortest, wait.
   */
  _pageShown() {
    if (!this._ws && this.state !== 'idle') {
      this._open('reconnecting');
    }
  }

  _open(state) {
    whilePageShown(this);
    this._setState(state);
    if (this._hidden) {
      return;
    }
    if (!this._tokens) {
      this._dial(this.url);
      return;
    }
    const generation = this._generation;
    this._tokens.nextUrl(this.url).then((url) => {
      if (this.state !== 'closed' && generation === this._generation && !this._ws) {
        this._dial(url);
      }
    }, (err) => {
      if (generation === this._generation) {
        this._tokenFailed(err);
      }
    });
  }

  /** getToken failed: stop when it says unauthorized, otherwise try again later. */
  _tokenFailed(err) {
    if (this.state === 'closed') {
      return;
    }
    if (stopsClient(err)) {
      this._stop(err);
    } else {
      this._emit('error', { error: err });
      this._scheduleReconnect();
    }
  }

  /**
   * Closes for good for want of a token; the error follows the `closed` state, and stays as
   * `stopError` for what the closing leaves unanswered.
   */
  _stop(error) {
    this.stopError = error;
    this.close();
    this._emit('error', { error });
  }

  _dial(url) {
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (err) {
      this._emit('error', { error: err });
      this._scheduleReconnect();
      return;
    }
    ws.binaryType = this.binaryType;
    this._ws = ws;
    let opened = false;
    ws.onopen = () => {
      if (this._ws !== ws) {
        return;
      }
      opened = true;
      this.attempt = 0;
      // Queued messages go first, in order, before anything sent from an 'open' listener.
      const queue = this._queue;
      this._queue = [];
      this.state = 'open';
      for (const data of queue) {
        this._write(data);
      }
      this._setState('open');
      this._emit('open', {});
    };
    ws.onmessage = (event) => {
      if (this._ws === ws && !(this._tokens && this._tokens.handleFrame(event.data, ws))) {
        this._emit('message', { data: event.data });
      }
    };
    ws.onerror = () => {
      if (this._ws === ws) {
        this._emit('error', { error: new SwitchboardError('socket-error', 'WebSocket error') });
      }
    };
    ws.onclose = (event) => {
      if (this._ws === ws) {
        this._ws = null;
        this._closed(event, opened);
      }
    };
  }

  _closed(event, opened) {
    const closedForGood = this.state === 'closed';
    const expired = !closedForGood && this._tokens !== null
      && this._tokens.afterClose(event.code, opened);
    this._emit('close', { code: event.code, reason: event.reason,
      willReconnect: !closedForGood && !expired && this.reconnect });
    if (closedForGood) {
      return;
    }
    if (expired) {
      this._stop(expiredForGood());
    } else if (this.reconnect) {
      this._scheduleReconnect();
    } else {
      this._setState('closed');
    }
  }

  _scheduleReconnect() {
    if (this._hidden) {
      // The page is in the back/forward cache: it reconnects once shown again.
      this._setState('reconnecting');
      return;
    }
    const delayMs = backoffDelay(this.attempt, this.backoff);
    this.attempt += 1;
    this._setState('reconnecting', { delayMs });
    this._timer = setTimeout(() => {
      if (this.state !== 'closed') {
        this._open('reconnecting');
      }
    }, delayMs);
  }
}

/**
 * SocketTokens is the token side of one reconnecting WebSocket: the token the next attempt
 * presents, the gateway's frames about it (`token-expiring`, `refreshed`, a refused `refresh`),
 * and what a close means for it. It reports through its connection's events.
 */
class SocketTokens {
  constructor(tokens, connection) {
    this.tokens = tokens;
    this.connection = connection;
    this._fresh = false;
    this._refreshing = false;
    this._repliesBefore = 0;
  }

  /** The URL of the next attempt: `url` with the token, a new one when the last was refused. */
  nextUrl(url) {
    return this.tokens.get(this._fresh).then((token) => {
      this._fresh = false;
      return withToken(url, token);
    });
  }

  /**
   * After a close: whether the token expired for good (a static token); otherwise notes whether
   * the next attempt needs a new token: after 4001, or when the socket never opened, which is how
   * a browser shows a refused upgrade (401) as well as an unreachable gateway.
   */
  afterClose(code, opened) {
    this._refreshing = false;
    if (code === CLOSE_TOKEN_EXPIRED && !this.tokens.refreshable) {
      return true;
    }
    if (code === CLOSE_TOKEN_EXPIRED || !opened) {
      this._fresh = this.tokens.refreshable;
    }
    return false;
  }

  /** Handles a frame of `ws` about the token; returns false for every other frame. */
  handleFrame(data, ws) {
    if (typeof data !== 'string' || !TOKEN_FRAME.test(data)) {
      this._replyPassed();
      return false;
    }
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (err) {
      this._replyPassed();
      return false;
    }
    if (frame?.type === 'token-expiring') {
      this.connection._emit('token-expiring', { exp: frame.exp });
      this._refresh(frame.exp, ws);
      return true;
    }
    if (frame?.type === 'refreshed') {
      this._refreshing = false;
      this.connection._emit('refreshed', { exp: frame.exp });
      return true;
    }
    if (frame?.type === 'error' && REFRESH_REFUSALS.includes(frame.code) && this._refreshing
        && this._repliesBefore === 0 && frame.topic === undefined && frame.ref === undefined) {
      // The answer to our refresh, not to anything of the application's: the old token still
      // holds until the gateway closes with 4001, and the reconnect then asks getToken again.
      this._refreshing = false;
      this.connection._emit('error', { error: new SwitchboardError(frame.code, frame.message) });
      return true;
    }
    this._replyPassed();
    return false;
  }

  /**
   * A frame that is not about the token went by: while a refresh waits for its answer, it may be
   * one of the replies owed, in order, to requests sent before the refresh (the echo endpoint's).
   */
  _replyPassed() {
    if (this._refreshing && this._repliesBefore > 0) {
      this._repliesBefore -= 1;
    }
  }

  /**
   * Answers `token-expiring` (about a token expiring at `exp`, in seconds): a new token from
   * getToken, sent as a `refresh` frame. A new token that would not outlive the warned one by more
   * than the margin is not sent: the gateway, whose tokens then live shorter than its warning,
   * would warn about it at once, and about the next. The reconnect after the 4001 close uses it.
   */
  _refresh(exp, ws) {
    if (!this.tokens.refreshable) {
      return;
    }
    const warnedLife = typeof exp === 'number' ? exp * 1000 - Date.now() : null;
    this.tokens.refresh().then((token) => {
      const newExp = tokenExpiry(token);
      const outlives = newExp === null || warnedLife === null
        || newExp - Date.now() > warnedLife + EXPIRY_MARGIN_MS;
      if (!outlives) {
        return;
      }
      if (this.connection._ws === ws && ws.readyState === WebSocket.OPEN) {
        this._refreshing = true;
        // The gateway answers the refresh after the replies it owes requests already sent.
        this._repliesBefore = this.connection._repliesOwed();
        // Straight to the socket: a refresh is no request of the subclass's to pair with a reply.
        ws.send(JSON.stringify({ type: 'refresh', token }));
      }
    }, (err) => {
      if (isUnauthorized(err) && this.connection.state !== 'closed') {
        this.connection._stop(err);
      } else {
        // Not now: the gateway closes with 4001 at expiry, and the reconnect asks getToken again.
        this.connection._emit('error', { error: err });
      }
    });
  }
}

/**
 * The echo endpoint (`/ws/echo`) as request and reply: replies come back in the order messages
 * were sent, so `request` pairs them first in, first out. An error frame rejects its request.
 */
export class EchoClient extends Connection {
  constructor({ url = gatewayUrl('/ws/echo', { ws: true }), ...options } = {}) {
    super(url, options);
    this._waiting = [];
    this.on('message', ({ data }) => this._answer(data));
    this.on('close', () => this._dropUnanswered());
  }

  /** Sends text (or binary) and resolves with the reply; see Connection.send for queueing. */
  request(data) {
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject, onWire: false };
      this._waiting.push(entry);
      try {
        this.send(data);
      } catch (err) {
        this._waiting.splice(this._waiting.indexOf(entry), 1);
        reject(err);
      }
    });
  }

  close(code, reason) {
    super.close(code, reason);
    for (const entry of this._waiting.splice(0)) {
      entry.reject(new SwitchboardError('closed', 'The connection was closed'));
    }
  }

  _repliesOwed() {
    return this._waiting.filter((e) => e.onWire).length;
  }

  _onWire() {
    const entry = this._waiting.find((e) => !e.onWire);
    if (entry) {
      entry.onWire = true;
    }
  }

  _answer(data) {
    const entry = this._waiting.shift();
    if (!entry) {
      return;
    }
    const error = parseErrorFrame(data);
    if (error) {
      entry.reject(error);
    } else {
      entry.resolve(data);
    }
  }

  /** Requests on the wire when the socket dropped will never be answered; queued ones will. */
  _dropUnanswered() {
    while (this._waiting.length && this._waiting[0].onWire) {
      this._waiting.shift().reject(
        new SwitchboardError('disconnected', 'The connection dropped before the reply arrived'));
    }
  }
}

/** The SwitchboardError in an error frame, or null when `data` is not one. */
export function parseErrorFrame(data) {
  if (typeof data !== 'string' || !data.startsWith('{')) {
    return null;
  }
  try {
    const frame = JSON.parse(data);
    if (frame && frame.type === 'error') {
      return new SwitchboardError(frame.code, frame.message);
    }
  } catch (err) {
    // Not JSON: an ordinary reply that happens to start with a brace.
  }
  return null;
}

/* ------------------------------------------------------------------------------------------ */
/* Server-Sent Events                                                                           */
/* ------------------------------------------------------------------------------------------ */

/** The event a stream starts with when the requested id is no longer retained. */
export const HISTORY_LOST_EVENT = 'history-lost';

/** The event that ends a stream when its token expires. */
export const TOKEN_EXPIRED_EVENT = 'token-expired';

/** The event that ends a stream when its gateway goes away: reconnect, to another gateway. */
export const RECONNECT_EVENT = 'reconnect';

/** Pages of history (up to 1,000 events each) a subscription reads at most when it starts. */
const REPLAY_MAX_PAGES = 10;

/** The stream path of a topic; the default stream (ticks) has no topic. */
function streamPath(topic) {
  return topic ? `/sse/${encodeURIComponent(topic)}` : '/sse';
}

/**
 * Fetches the retained events of a topic after `after` (all retained events when omitted), as
 * served by `GET /api/topics/{topic}/events?after=`. With `token` or `getToken`, the token goes in
 * `Authorization: Bearer`.
 */
export async function history(topic, { after = null, base = DEFAULT_BASE, ...auth } = {}) {
  const url = new URL(`/api/topics/${encodeURIComponent(topic)}/events`, base);
  if (after !== null && after !== undefined) {
    url.searchParams.set('after', after);
  }
  let response;
  try {
    response = await fetchWithToken(url, { headers: { Accept: 'application/json' } }, tokenSource(auth));
  } catch (err) {
    throw stopsClient(err) ? err : networkError(err);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new SwitchboardError(body?.code ?? 'http-' + response.status,
      body?.message ?? `History request failed with HTTP ${response.status}`);
  }
  return body;
}

/** A request that got no answer at all: the gateway could not be reached, or the connection broke. */
function networkError(err) {
  if (err instanceof SwitchboardError) {
    return err;
  }
  return new SwitchboardError('network-error', `Could not reach the gateway: ${err?.message ?? err}`);
}

/** Retries of a publish after a 503, a 504 or a network error, following the backoff schedule. */
export const DEFAULT_PUBLISH_RETRIES = 4;

/** A random idempotency key: 128 bits as 32 lowercase hex characters. */
export function newIdempotencyKey() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Publishes an event to a topic: `POST /api/topics/{topic}/events`; resolves with {topic, id}.
 *
 * Every attempt carries the same `Idempotency-Key` (a random one unless `idempotencyKey` is
 * given), so a retry after an answer that never arrived, or a 504 after which the event may have
 * been stored, is stored once: the server answers a repeated key with the first attempt's id. A
 * 503, a 504 or a network error is retried up to `retries` times, waiting as the backoff schedule
 * says, and at least as long as a 503's `Retry-After`; any other error rejects at once. `onRetry`,
 * when given, is called before each wait with {attempt, retries, delayMs, error}. With `token` or `getToken`, the token goes in
 * `Authorization: Bearer`, and a 401 gets one fresh token from getToken and one more try.
 */
export async function publish(topic, data, { event = undefined, base = DEFAULT_BASE,
  idempotencyKey = newIdempotencyKey(), retries = DEFAULT_PUBLISH_RETRIES,
  backoff = DEFAULT_BACKOFF, onRetry = null, ...auth } = {}) {
  const url = new URL(`/api/topics/${encodeURIComponent(topic)}/events`, base);
  const tokens = tokenSource(auth);
  const request = {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json',
      'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(event ? { event, data } : { data }),
  };
  for (let attempt = 0; ; attempt += 1) {
    let response;
    let failure;
    try {
      response = await fetchWithToken(url, request, tokens);
    } catch (err) {
      // No answer: the event may or may not be stored; only a retry with the same key can tell.
      if (stopsClient(err)) {
        throw err;
      }
      failure = networkError(err);
      if (attempt >= retries) {
        throw failure;
      }
    }
    if (response) {
      const body = await response.json().catch(() => null);
      if (response.ok) {
        return body;
      }
      failure = new SwitchboardError(body?.code ?? 'http-' + response.status,
        body?.message ?? `Publish failed with HTTP ${response.status}`);
      if (attempt >= retries || (response.status !== 503 && response.status !== 504)) {
        throw failure;
      }
    }
    // A 503's Retry-After is the least the server asks to wait.
    const delayMs = Math.max(backoffDelay(attempt, backoff), retryAfterMs(response));
    try {
      onRetry?.({ attempt: attempt + 1, retries, delayMs, error: failure });
    } catch (err) {
      console.error('publish onRetry listener failed', err);
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** A response's `Retry-After` in seconds, as milliseconds capped at a minute; 0 without one. */
function retryAfterMs(response) {
  const seconds = Number(response?.headers.get('Retry-After') ?? NaN);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 0;
}

/**
 * EventStream is an EventSource that reconnects by itself, with the same backoff as WebSockets
 * rather than EventSource's fixed retry, and presents a token when it has one. Subclasses say
 * which URL to open (`_streamUrl`), what to listen to (`_attach`) and how to come back
 * (`_resume`).
 *
 * With a `token` or `getToken` option the token goes in the `token` query parameter. When the
 * gateway ends the stream with a `token-expired` event, or refuses a connection attempt, the
 * next attempt asks getToken first. Without getToken an expired token stops the stream.
 *
 * A `reconnect` event (the gateway shuts down) closes the EventSource at once and reconnects
 * after a delay of the backoff schedule, like a drop, but is not reported as an error.
 */
class EventStream extends Emitter {
  constructor({ backoff = DEFAULT_BACKOFF, token = null, getToken = null } = {}) {
    super();
    this.backoff = backoff;
    this.state = 'idle';
    this.attempt = 0;
    this._source = null;
    this._timer = null;
    this._tokens = tokenSource({ token, getToken });
    this._freshToken = false;
  }

  /** Stops for good. */
  close() {
    clearTimeout(this._timer);
    shownPageClients.delete(this);
    if (this._source) {
      this._source.close();
      this._source = null;
    }
    this._setState('closed');
  }

  /**
   * The page went into the back/forward cache: drop the stream, or what was on its way to one (a
   * token, a history read); it resumes after the page is back.
   */
  _pageHidden() {
    if (this._source) {
      this._source.close();
      this._source = null;
    }
    if (this.state !== 'idle') {
      this._scheduleReconnect();
    }
  }

  /** The page is shown again: resume at once. */
  _pageShown() {
    if (!this._source && this.state !== 'idle') {
      this._resume();
    }
  }

  _setState(state, extra = {}) {
    this.state = state;
    this._emit('state', { state, attempt: this.attempt, ...extra });
  }

  /** Where to connect now: the URL of the stream, without the token. */
  _streamUrl() {
    throw new Error('abstract');
  }

  /** Adds the stream's own listeners to a new EventSource. */
  _attach(source) { }

  /** Comes back after a drop. */
  _resume() {
    this._connect();
  }

  _connect() {
    if (this._hidden) {
      return;
    }
    const url = this._streamUrl();
    if (!this._tokens) {
      this._listen(url);
      return;
    }
    const generation = this._generation;
    this._tokens.get(this._freshToken).then((token) => {
      this._freshToken = false;
      if (this.state !== 'closed' && generation === this._generation && !this._source) {
        this._listen(withToken(url, token));
      }
    }, (err) => {
      if (generation === this._generation) {
        this._tokenFailed(err);
      }
    });
  }

  _listen(url) {
    whilePageShown(this);
    if (this._source) {
      this._source.close();
    }
    const source = new EventSource(url);
    this._source = source;
    source.onopen = () => {
      if (this._source === source) {
        this._setState('open');
        // The backoff starts over once the stream stays open: one that the gateway ends at once
        // (no sse-service answers) is retried ever more slowly, not a few times a second.
        setTimeout(() => {
          if (this._source === source && this.state === 'open') {
            this.attempt = 0;
          }
        }, STREAM_STABLE_MS);
      }
    };
    source.onerror = () => {
      if (this._source !== source) {
        return;
      }
      // A stream the browser gave up on was refused (a 401, say), not dropped: new token first.
      if (this._tokens && source.readyState === EventSource.CLOSED) {
        this._freshToken = this._tokens.refreshable;
      }
      // Reconnect ourselves: the next request carries the newest position, and the delay is jittered.
      source.close();
      this._source = null;
      this._emit('error', { error: new SwitchboardError('stream-error', 'The event stream dropped') });
      this._scheduleReconnect();
    };
    if (this._tokens) {
      source.addEventListener(TOKEN_EXPIRED_EVENT, () => this._expired(source));
    }
    source.addEventListener(RECONNECT_EVENT, () => this._reconnectAsked(source));
    this._attach(source);
  }

  /**
   * The gateway is going away and ends the stream. Closing the EventSource keeps the browser from
   * reconnecting by itself; the delay drawn from the backoff spreads the clients of that gateway
   * over the whole window. The event has no id: the next request resumes after the last event.
   */
  _reconnectAsked(source) {
    if (this._source !== source) {
      return;
    }
    source.close();
    this._source = null;
    this._scheduleReconnect();
  }

  /** The gateway ends the stream at the token's expiry: reconnect with a new token, or stop. */
  _expired(source) {
    if (this._source !== source) {
      return;
    }
    source.close();
    this._source = null;
    if (this._tokens.refreshable) {
      this._freshToken = true;
      this._scheduleReconnect();
    } else {
      this._tokenFailed(expiredForGood());
    }
  }

  /** No token to present: stop when getToken says unauthorized (or cannot be asked), else retry. */
  _tokenFailed(err) {
    if (this.state === 'closed') {
      return;
    }
    const stop = stopsClient(err);
    if (stop) {
      this.close();
    }
    // As for WebSockets, an error that stops the stream follows the `closed` state.
    this._emit('error', { error: err });
    if (!stop) {
      this._scheduleReconnect();
    }
  }

  _scheduleReconnect() {
    if (this._hidden) {
      // The page is in the back/forward cache: it resumes once shown again.
      this._setState('reconnecting');
      return;
    }
    const delayMs = backoffDelay(this.attempt, this.backoff);
    this.attempt += 1;
    this._setState('reconnecting', { delayMs });
    this._timer = setTimeout(() => {
      if (this.state !== 'closed') {
        this._resume();
      }
    }, delayMs);
  }
}

/**
 * A subscription to one topic over EventSource.
 *
 * It remembers the id of the last event (in sessionStorage by default, so a reload resumes), and
 * every (re)connect asks for what came after it with `?lastEventId=`. It reconnects by itself
 * with the same backoff as WebSockets rather than EventSource's fixed retry. With a token, the
 * history reads send it in `Authorization: Bearer` and the stream as EventStream says.
 *
 * States: `connecting`, `open`, `reconnecting`, `closed`.
 * Events: `event` {id, type, data, replayed}, `history-lost` {data}, `state` {state, attempt},
 * `error` {error}.
 */
export class Subscription extends EventStream {
  constructor(topic, { base = DEFAULT_BASE, types = [], lastEventId = undefined,
    storage = globalThis.sessionStorage, backoff = DEFAULT_BACKOFF, replay = false,
    token = null, getToken = null } = {}) {
    super({ backoff, token, getToken });
    this.topic = topic;
    this.base = base;
    this.types = types;
    this.storage = storage;
    this.replay = replay;
    this.storageKey = `switchboard.sse.${topic || '(default)'}.lastEventId`;
    this.lastEventId = lastEventId !== undefined ? lastEventId : this._stored();
  }

  /** Starts receiving; returns this. */
  start() {
    if (this.state !== 'idle') {
      return this;
    }
    this._setState('connecting');
    if (this.topic && (!this.lastEventId || this.replay)) {
      this._catchUpThenStream(this.replay);
    } else {
      this._connect();
    }
    return this;
  }

  /** Forgets the stored position: the next subscription starts with live events only. */
  forget() {
    this.lastEventId = null;
    try {
      this.storage?.removeItem(this.storageKey);
    } catch (err) {
      // Storage may be disabled; then there is nothing to forget.
    }
  }

  /**
   * Reads the topic's history after the last id (all of it without one), then streams from where
   * it ends, so even a subscriber that has not received anything yet has a position to resume
   * from. With `deliver`, the events read are delivered too, flagged `replayed`: those of the
   * default type and of `types`, as the stream would; a loss of history is told as the stream
   * tells it.
   */
  async _catchUpThenStream(deliver) {
    whilePageShown(this);
    // A newer attempt (the page was hidden and shown again meanwhile) takes over from this one.
    const generation = this._generation;
    const superseded = () => this.state === 'closed' || generation !== this._generation;
    try {
      const from = this.lastEventId ?? null;
      let after = from;
      for (let page = 0; page < REPLAY_MAX_PAGES; page += 1) {
        const body = await history(this.topic, { after, base: this.base, _tokens: this._tokens });
        if (superseded()) {
          return;
        }
        if (deliver && page === 0 && from && body.historyLost) {
          this._emit('history-lost', { id: null, data: { topic: this.topic, lastEventId: from, reason: body.reason } });
        }
        for (const event of deliver ? body.events ?? [] : []) {
          if (superseded()) {
            return;
          }
          const type = event.event ?? 'message';
          if (type === 'message' || this.types.includes(type)) {
            this._deliver(event.id, type, event.data, true);
          }
        }
        after = body.lastEventId ?? after;
        if (!body.more || !after) {
          break;
        }
      }
      if (after && after !== this.lastEventId) {
        this._remember(after);
      }
    } catch (err) {
      if (superseded()) {
        return;
      }
      // Without history the stream still works; only the position before the first event is unknown.
      this._emit('error', { error: err });
    }
    if (!superseded()) {
      this._connect();
    }
  }

  _stored() {
    try {
      return this.storage?.getItem(this.storageKey) ?? null;
    } catch (err) {
      return null;
    }
  }

  _remember(id) {
    this.lastEventId = id;
    try {
      this.storage?.setItem(this.storageKey, id);
    } catch (err) {
      // Storage full or disabled: resume then only works within this page's lifetime.
    }
  }

  _streamUrl() {
    const url = new URL(streamPath(this.topic), this.base);
    if (this.lastEventId) {
      url.searchParams.set('lastEventId', this.lastEventId);
    }
    return url;
  }

  _resume() {
    if (!this.topic || (this.lastEventId && !this.replay)) {
      this._connect();
    } else {
      // Without an id, the topic was empty when we started and nothing arrived since: whatever
      // is retained now was published after we started, so all of it is new to us. With `replay`,
      // what was missed is read back from history, flagged `replayed`.
      this._catchUpThenStream(true);
    }
  }

  _attach(source) {
    const onEvent = (event) => {
      if (this._source === source) {
        this._deliver(event.lastEventId, event.type, parseData(event.data), false);
      }
    };
    source.addEventListener('message', onEvent);
    for (const type of this.types) {
      source.addEventListener(type, onEvent);
    }
    source.addEventListener(HISTORY_LOST_EVENT, (event) => {
      if (this._source !== source) {
        return;
      }
      if (event.lastEventId) {
        this._remember(event.lastEventId);
      }
      this._emit('history-lost', { id: event.lastEventId, data: parseData(event.data) });
    });
  }

  _deliver(id, type, data, replayed) {
    if (id) {
      this._remember(id);
    }
    this._emit('event', { id, type, data, replayed });
  }
}

function parseData(text) {
  try {
    return JSON.parse(text);
  } catch (err) {
    return text;
  }
}

/**
 * Subscribes to a topic (or to the default stream when `topic` is empty) and calls `handler` with
 * each event {id, type, data}. Returns the started Subscription; call `close()` to stop.
 */
export function subscribe(topic, handler, options = {}) {
  const subscription = new Subscription(topic, options);
  if (handler) {
    subscription.on('event', handler);
  }
  return subscription.start();
}

/** ClusterWatch is the stream of cluster views, `GET /api/cluster/stream`; see watchCluster. */
class ClusterWatch extends EventStream {
  constructor(handler, { base = DEFAULT_BASE, ...options } = {}) {
    super(options);
    this.handler = handler;
    this.base = base;
  }

  _streamUrl() {
    return new URL('/api/cluster/stream', this.base);
  }

  _attach(source) {
    source.addEventListener('cluster', (event) => {
      if (this._source === source) {
        const view = parseData(event.data);
        this.handler(view);
        this._emit('view', view);
      }
    });
  }
}

/**
 * Watches the cluster view pushed by `GET /api/cluster/stream` (one `cluster` event per second)
 * and calls `handler(view)` with each; the view has the shape of `GET /api/cluster`. Reconnects
 * with backoff. Returns the watch: `state`, `close()`, and `state`, `view` and `error` events.
 * `token` and `getToken` work as for a Subscription.
 */
export function watchCluster(handler, options = {}) {
  const watch = new ClusterWatch(handler, options);
  watch.state = 'connecting';
  // Listeners attach after this returns: tell them the starting state unless it changed already.
  setTimeout(() => {
    if (watch.state === 'connecting') {
      watch._setState('connecting');
    }
  });
  watch._connect();
  return watch;
}

/* ------------------------------------------------------------------------------------------ */
/* Signaling                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/** `detail` with `value` as its `field` when the gateway sent one (in jwt mode); as it was otherwise. */
function withUser(detail, field, value) {
  if (value !== undefined) {
    detail[field] = value;
  }
  return detail;
}

/** Error frames that refuse a join. */
const JOIN_ERRORS = ['room-full', 'bad-request', 'forbidden', 'no-quorum'];

/**
 * A client of `/ws/signaling`: rooms, presence, relay to a peer and broadcast.
 *
 * After a reconnect the server gives this client a new id; the client rejoins its room by itself
 * and emits `joined` with `rejoined: true` and the current peer list, so apps rebuild their view.
 *
 * Events: `state`, `welcome` {id, iceServers}, `joined` {room, id, peers, rejoined},
 * `peer-joined` {room, peer}, `peer-left` {room, peer}, `broadcast` {room, from, data},
 * `signal` {type, from, ...frame} for `sdp` and `ice-candidate`, `left` {room, reason},
 * `error` {error} (SwitchboardError with the server's code).
 */
export class SignalingClient extends Emitter {
  constructor({ url = gatewayUrl('/ws/signaling', { ws: true }), backoff = DEFAULT_BACKOFF,
    maxQueue = DEFAULT_MAX_QUEUE, token = null, getToken = null } = {}) {
    super();
    this.id = null;
    this.iceServers = [];
    this.room = null;
    this.peers = new Set();
    this.users = new Map();
    this._wantedRoom = null;
    this._joinWaiters = [];
    this._leaveWaiters = [];
    this._welcomed = 0;
    this.connection = new Connection(url, { backoff, maxQueue, token, getToken });
    this.connection.on('state', (detail) => this._emit('state', detail));
    this.connection.on('message', ({ data }) => this._receive(data));
    this.connection.on('close', ({ willReconnect }) => this._lost(willReconnect !== false));
    this.connection.on('token-expiring', (detail) => this._emit('token-expiring', detail));
    this.connection.on('refreshed', (detail) => this._emit('refreshed', detail));
    // Socket errors stay the connection's own; with a token, what concerns the token (getToken
    // failing, a refused refresh, the stop for want of a token) is the application's business.
    this.connection.on('error', ({ error }) => {
      if (this.connection._tokens && error.code !== 'socket-error') {
        this._emit('error', { error });
      }
    });
  }

  get state() {
    return this.connection.state;
  }

  /**
   * Connects; resolves once the server's welcome has arrived. Rejects when the client stops for
   * want of a token (`unauthorized`, `token-expired`) before that.
   */
  connect() {
    const welcomed = this.id ? Promise.resolve(this) : new Promise((resolve, reject) => {
      const offs = [
        this.on('welcome', () => { offs.forEach((off) => off()); resolve(this); }),
        this.on('error', ({ error }) => {
          if (this.state === 'closed') {
            offs.forEach((off) => off());
            reject(error);
          }
        }),
      ];
    });
    this.connection.connect();
    return welcomed;
  }

  /** Joins a room (leaving the current one); resolves with {room, id, peers}. */
  join(room) {
    this._wantedRoom = room;
    return new Promise((resolve, reject) => {
      this._joinWaiters.push({ resolve, reject });
      if (this.id) {
        this._send({ type: 'join', room });
      }
    });
  }

  /** Leaves the room; resolves once the server confirms. */
  leave() {
    this._wantedRoom = null;
    if (!this.room) {
      return Promise.resolve({ room: null });
    }
    return new Promise((resolve) => {
      this._leaveWaiters.push(resolve);
      this._send({ type: 'leave' });
    });
  }

  /** Relays a frame of `type` (`sdp` or `ice-candidate`) with `fields` to one peer of the room. */
  sendTo(peer, type, fields = {}) {
    // Out of the room (reconnected, not joined again yet) a relay would only be refused.
    if (!this.room) {
      return;
    }
    this._send({ ...fields, type, target: peer });
  }

  /** Delivers `data` to every other member of the room. */
  broadcast(data) {
    this._send({ type: 'broadcast', data });
  }

  /** Closes for good. */
  close() {
    this._wantedRoom = null;
    this.connection.close();
  }

  _send(frame) {
    this.connection.send(JSON.stringify(frame));
  }

  _receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (err) {
      this._emit('error', { error: new SwitchboardError('bad-json', 'Unreadable frame from server') });
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.id = frame.id;
        this.iceServers = frame.iceServers ?? [];
        this._welcomed += 1;
        this._emit('welcome', { id: this.id, iceServers: this.iceServers });
        if (this._wantedRoom) {
          this._send({ type: 'join', room: this._wantedRoom });
        }
        break;
      case 'joined': {
        const rejoined = this._welcomed > 1 && this.room === null && this._lostRoom === frame.room;
        this.room = frame.room;
        this._lostRoom = null;
        this.peers = new Set(frame.peers ?? []);
        this.users = new Map(Object.entries(frame.users ?? {}));
        const detail = { room: frame.room, id: frame.id, peers: [...this.peers], rejoined };
        if (frame.users) {
          detail.users = { ...frame.users };
        }
        this._emit('joined', detail);
        for (const waiter of this._joinWaiters.splice(0)) {
          waiter.resolve(detail);
        }
        break;
      }
      case 'peer-joined':
        this.peers.add(frame.data);
        if (frame.user !== undefined) {
          this.users.set(frame.data, frame.user);
        }
        this._emit('peer-joined', withUser({ room: frame.room, peer: frame.data }, 'user', frame.user));
        break;
      case 'peer-left':
        this.peers.delete(frame.data);
        this.users.delete(frame.data);
        this._emit('peer-left', withUser({ room: frame.room, peer: frame.data }, 'user', frame.user));
        break;
      case 'left': {
        this.room = null;
        this.peers = new Set();
        this.users = new Map();
        const detail = { room: frame.room };
        if (frame.reason !== undefined) {
          // Removed by the server (over-capacity, kicked, evicted or forbidden): not rejoined on reconnect.
          detail.reason = frame.reason;
          this._wantedRoom = null;
        }
        this._emit('left', detail);
        for (const waiter of this._leaveWaiters.splice(0)) {
          waiter({ room: frame.room });
        }
        break;
      }
      case 'broadcast':
        this._emit('broadcast', withUser({ room: frame.room, from: frame.from, data: frame.data },
          'fromUser', frame.fromUser));
        break;
      case 'sdp':
      case 'ice-candidate':
        this._emit('signal', frame);
        break;
      case 'error': {
        const error = new SwitchboardError(frame.code, frame.message);
        this._emit('error', { error });
        if (this._joinWaiters.length && JOIN_ERRORS.includes(frame.code)) {
          this._wantedRoom = this.room;
          for (const waiter of this._joinWaiters.splice(0)) {
            waiter.reject(error);
          }
        }
        break;
      }
      default:
        break;
    }
  }

  /**
   * The socket closed: our id and membership are gone; the peers see us leave. `reconnecting` when
   * it dropped and comes back, not after close().
   */
  _lost(reconnecting) {
    if (this.room) {
      this._lostRoom = this.room;
      for (const peer of this.peers) {
        this._emit('peer-left', withUser({ room: this.room, peer, reconnecting },
          'user', this.users.get(peer)));
      }
    }
    this.id = null;
    this.room = null;
    this.peers = new Set();
    this.users = new Map();
    // A pending leave is done: a dropped connection is out of every room.
    for (const waiter of this._leaveWaiters.splice(0)) {
      waiter({ room: null });
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* WebRTC                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/** How long ICE may stay checking or disconnected before the connection restarts ICE. */
export const ICE_STALL_MS = 8000;

/**
 * One RTCPeerConnection to one peer, negotiated with the "perfect negotiation" pattern: both
 * sides may start negotiating at any time; when their offers collide, the polite peer rolls back
 * and answers, the impolite one ignores the other's offer. Politeness is decided without a
 * round trip: the peer with the smaller id is polite.
 *
 * A data channel (negotiated, id 0) carries text both ways as soon as the connection is up.
 *
 * Events: `track` {track, stream}, `message` {data}, `channel` {state}, `state` {state}.
 */
export class PeerConnection extends Emitter {
  constructor(signaling, peer, { stream = null, iceServers = signaling.iceServers,
    polite = signaling.id < peer } = {}) {
    super();
    this.signaling = signaling;
    this.peer = peer;
    this.localId = signaling.id;
    this.polite = polite;
    this.remoteStream = new MediaStream();
    this.pc = new RTCPeerConnection({ iceServers });
    this._makingOffer = false;
    this._ignoreOffer = false;
    this._settingRemoteAnswer = false;
    this._closed = false;

    this.channel = this.pc.createDataChannel('switchboard', { negotiated: true, id: 0 });
    this.channel.onopen = () => this._emit('channel', { state: 'open' });
    this.channel.onclose = () => this._emit('channel', { state: 'closed' });
    this.channel.onmessage = (event) => this._emit('message', { data: event.data });
    // The SDK's own messages, peer to peer: a peer's new signaling id after it reconnected.
    this._control = this.pc.createDataChannel('switchboard-control', { negotiated: true, id: 1 });
    this._control.onmessage = (event) => this._onControl(event.data);

    this.pc.ontrack = ({ track }) => {
      this.remoteStream.addTrack(track);
      track.onunmute = () => this._emit('track', { track, stream: this.remoteStream });
      this._emit('track', { track, stream: this.remoteStream });
    };
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) {
        this._signal('ice-candidate', { candidate: candidate.toJSON() });
      }
    };
    this.pc.onnegotiationneeded = () => this._negotiate();
    this.pc.oniceconnectionstatechange = () => {
      const state = this.pc.iceConnectionState;
      if (state === 'failed') {
        this.pc.restartIce();
      }
      clearTimeout(this._iceWatchdog);
      if (state === 'checking' || state === 'disconnected') {
        // Connectivity checks that never succeed (a candidate lost in a glare, a network change)
        // are retried with an ICE restart rather than left hanging.
        this._iceWatchdog = setTimeout(() => {
          if (!this._closed && ['checking', 'disconnected'].includes(this.pc.iceConnectionState)) {
            this.pc.restartIce();
          }
        }, ICE_STALL_MS);
      }
    };
    this.pc.onconnectionstatechange = () => this._emit('state', { state: this.pc.connectionState });
    this._offSignal = signaling.on('signal', (frame) => {
      if (frame.from === this.peer) {
        this._onSignal(frame).catch((err) => this._emit('error', { error: err }));
      }
    });
    if (stream) {
      for (const track of stream.getTracks()) {
        this.pc.addTrack(track, stream);
      }
    }
  }

  /** Sends text over the data channel; throws when it is not open yet. */
  send(text) {
    if (this.channel.readyState !== 'open') {
      throw new SwitchboardError('channel-not-open', 'The data channel is not open yet');
    }
    this.channel.send(text);
  }

  /** Whether media and data flow now, peer to peer, whatever the signaling does. */
  get connected() {
    return !this._closed && this.pc.connectionState === 'connected';
  }

  /**
   * Our signaling connection came back under a new id: tell the peer, over the connection itself,
   * so that it relays to the new id and keeps this connection. Returns whether it could be told.
   */
  rekey(localId) {
    if (this._control.readyState !== 'open') {
      return false;
    }
    this._control.send(JSON.stringify({ type: 'rekey', from: localId, was: this.localId }));
    this.localId = localId;
    return true;
  }

  _onControl(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch (err) {
      return;
    }
    if (message?.type === 'rekey' && typeof message.from === 'string' && message.was === this.peer) {
      this._emit('rekey', { from: message.from, was: message.was });
    } else if (message?.type === 'bye') {
      this._emit('bye', {});
    }
  }

  /**
   * Closes the connection. With `farewell`, the peer is first told over the connection that this
   * side hung up, so that it drops the connection at once instead of waiting for the peer to come
   * back (see Mesh); the connection closes once that has had time to leave.
   */
  close({ farewell = false } = {}) {
    if (this._closed) {
      return;
    }
    this._closed = true;
    clearTimeout(this._iceWatchdog);
    this._offSignal();
    const shut = () => {
      this.channel.close();
      this._control.close();
      this.pc.close();
    };
    if (farewell && this._control.readyState === 'open') {
      this._control.send(JSON.stringify({ type: 'bye' }));
      setTimeout(shut, FAREWELL_MS);
    } else {
      shut();
    }
    this._emit('state', { state: 'closed' });
  }

  _signal(type, fields) {
    if (this._closed) {
      return;
    }
    try {
      this.signaling.sendTo(this.peer, type, fields);
    } catch (err) {
      this._emit('error', { error: err });
    }
  }

  async _negotiate() {
    try {
      this._makingOffer = true;
      await this.pc.setLocalDescription();
      this._signal('sdp', { sdp: this.pc.localDescription.toJSON() });
    } catch (err) {
      this._emit('error', { error: err });
    } finally {
      this._makingOffer = false;
    }
  }

  async _onSignal(frame) {
    if (this._closed) {
      return;
    }
    if (frame.type === 'sdp') {
      // The documented shape is {sdp: {type, sdp}}; `data` is accepted from older clients.
      const description = frame.sdp ?? frame.data;
      if (!description || typeof description.type !== 'string') {
        return;
      }
      const readyForOffer = !this._makingOffer
        && (this.pc.signalingState === 'stable' || this._settingRemoteAnswer);
      const collision = description.type === 'offer' && !readyForOffer;
      this._ignoreOffer = !this.polite && collision;
      if (this._ignoreOffer) {
        return;
      }
      this._settingRemoteAnswer = description.type === 'answer';
      await this.pc.setRemoteDescription(description);
      this._settingRemoteAnswer = false;
      if (description.type === 'offer') {
        await this.pc.setLocalDescription();
        this._signal('sdp', { sdp: this.pc.localDescription.toJSON() });
      }
    } else if (frame.type === 'ice-candidate') {
      try {
        await this.pc.addIceCandidate(frame.candidate ?? frame.data);
      } catch (err) {
        // Candidates of an offer we ignored fail to apply; that is expected, anything else is not.
        if (!this._ignoreOffer) {
          throw err;
        }
      }
    }
  }
}

/** How long a member waits for a newcomer's offer before offering itself. */
export const NEWCOMER_OFFER_WAIT_MS = 5000;

/**
 * How long a connection that still carries media is kept after its peer left the room, for the
 * peer to come back under a new id (its gateway restarted) and say so over the connection.
 */
export const AWAY_PEER_WAIT_MS = 30000;
/** How long a connection to an away peer may stay `disconnected` before the peer is taken for gone. */
export const AWAY_DISCONNECTED_MS = 5000;

/** How long a connection closed with a farewell stays open for the farewell to leave. */
const FAREWELL_MS = 250;

/** How long a signal from an unknown member waits for a member away to say it is that one. */
const REKEY_WAIT_MS = 1000;

/**
 * A full mesh call in one room: a PeerConnection to every other member, created as members
 * arrive and closed as they leave. The member who joins calls everyone already there, and they
 * answer: the first offers never cross, so no connection starts by rolling an offer back. A
 * member that hears of a newcomer but gets no offer from it within NEWCOMER_OFFER_WAIT_MS offers
 * itself; perfect negotiation settles any collision then and in every later renegotiation.
 *
 * A call outlives the signaling: media flows peer to peer. When a member's signaling connection
 * drops (its gateway restarted) and comes back under a new id, it keeps its connections that
 * still carry media and tells each peer its new id over the connection itself; the others keep
 * theirs to it meanwhile, for up to AWAY_PEER_WAIT_MS, and then relay to the new id. So nobody's
 * tile goes, and no call is set up again.
 *
 * Events: `peer-added` {peer, connection}, `peer-removed` {peer}, `peer-rekeyed` {was, peer,
 * connection}: a peer came back under a new id with its connection.
 */
export class Mesh extends Emitter {
  constructor(signaling, { stream = null } = {}) {
    super();
    this.signaling = signaling;
    this.stream = stream;
    this.connections = new Map();
    this._gone = new Set();
    this._awaitingOffer = new Map();
    this._offs = [
      signaling.on('joined', ({ peers }) => {
        // After a reconnect we have a new id. A connection made under the old one goes on while
        // it still carries media, once its peer is told our new id; any other is stale. One whose
        // peer is not in the room (it is reconnecting too) waits for the peer's new id.
        // Connections made under the current id stay: an offer may have come first.
        this._tryRekeys();
        for (const [peer, connection] of [...this.connections]) {
          if (connection.localId === this.signaling.id) {
            continue;
          }
          if (connection.connected && connection.rekey(this.signaling.id)) {
            if (!peers.includes(peer)) {
              this._away(peer);
            }
          } else {
            this._remove(peer);
          }
        }
        this._stopAwaiting();
        const waiting = [...this.connections.values()].some((c) => c._away);
        for (const peer of peers) {
          // A member we do not know may be one of those away under a new id: its word first.
          if (waiting && !this.connections.has(peer)) {
            this._awaitOffer(peer);
          } else {
            this._add(peer);
          }
        }
      }),
      signaling.on('peer-joined', ({ peer }) => {
        this._tryRekeys();
        this._awaitOffer(peer);
      }),
      // A peer that left is closed, or kept while media still flows to it (see _away). While our
      // own signaling connection is down the peers are reported gone too (reconnecting), but
      // media flows peer to peer all the same: those connections stay up until we rejoin under
      // a new id, when 'joined' keeps or replaces each.
      signaling.on('peer-left', ({ peer, reconnecting }) => {
        if (!reconnecting) {
          this._away(peer);
        }
      }),
      signaling.on('left', () => {
        for (const peer of [...this.connections.keys()]) {
          this._remove(peer);
        }
        this._stopAwaiting();
      }),
      // A newcomer's offer creates the connection that answers it. It can also overtake the
      // presence event when the peers sit on different gateways; the server relays only within
      // a room, so the sender is a member even if not announced yet.
      signaling.on('signal', (frame) => this._signalFromNewcomer(frame)),
    ];
  }

  /**
   * A peer left the room. Its connection is closed, unless media still flows on it: then it waits
   * for the peer to come back under a new id, until it fails or AWAY_PEER_WAIT_MS pass.
   */
  _away(peer) {
    const connection = this.connections.get(peer);
    // A peer whose channel closed already (its page was closed) is gone, not away.
    if (!connection || !connection.connected || connection.channel.readyState !== 'open') {
      this._remove(peer);
      return;
    }
    if (!connection._away) {
      connection._away = true;
      connection._awayTimer = setTimeout(() => {
        if (this.connections.get(connection.peer) === connection && connection._away) {
          this._remove(connection.peer);
        }
      }, AWAY_PEER_WAIT_MS);
    }
    this._tryRekeys();
  }

  /**
   * A peer says, over its connection, that it is back under a new id. Taken once the new id is in
   * the room, for the same user (with tokens): until then it waits.
   */
  _rekeyed(connection, { from, was }) {
    if (this.connections.get(was) === connection) {
      connection._rekey = { from, was };
      this._tryRekeys();
    }
  }

  _tryRekeys() {
    for (const connection of [...this.connections.values()]) {
      const rekey = connection._rekey;
      if (rekey && this.connections.get(rekey.was) === connection && !this.connections.has(rekey.from)
          && this.signaling.peers.has(rekey.from) && this.signaling.users.get(rekey.from) === connection.user) {
        this._moveTo(connection, rekey.from);
      }
    }
  }

  /** The connection is its peer's new id's now. */
  _moveTo(connection, peer) {
    const was = connection.peer;
    clearTimeout(connection._awayTimer);
    connection._away = false;
    connection._rekey = null;
    this.connections.delete(was);
    connection.peer = peer;
    this.connections.set(peer, connection);
    this._stopAwaiting(peer);
    this._gone.delete(peer);
    this._emit('peer-rekeyed', { was, peer, connection });
  }

  /**
   * A signal from a member without a connection: a newcomer's offer, which creates the connection
   * that answers it. It can overtake the presence event when the peers sit on different gateways;
   * the server relays only within a room, so the sender is a member even if not announced yet. A
   * member back under a new id may signal before its word comes over its connection: then the
   * signal waits a moment for it.
   */
  _signalFromNewcomer(frame, waited = false) {
    if (this._gone.has(frame.from)) {
      return;
    }
    const existing = this.connections.get(frame.from);
    if (existing) {
      // Moved to that id meanwhile: its own listener did not take the signal then.
      if (waited) {
        existing._onSignal(frame).catch((err) => this._emit('error', { error: err }));
      }
      return;
    }
    const announced = [...this.connections.values()].find((c) => c._rekey?.from === frame.from);
    if (announced) {
      // Its own listener, after this one, takes the signal under the new id.
      this._moveTo(announced, frame.from);
      if (waited) {
        announced._onSignal(frame).catch((err) => this._emit('error', { error: err }));
      }
      return;
    }
    if (!waited && [...this.connections.values()].some((c) => c._away)) {
      setTimeout(() => this._signalFromNewcomer(frame, true), REKEY_WAIT_MS);
      return;
    }
    this._add(frame.from).connection._onSignal(frame)
      .catch((err) => this._emit('error', { error: err }));
  }

  _awaitOffer(peer) {
    if (this.connections.has(peer) || this._awaitingOffer.has(peer)) {
      return;
    }
    this._awaitingOffer.set(peer, setTimeout(() => {
      this._awaitingOffer.delete(peer);
      this._tryRekeys();
      if (this.signaling.peers.has(peer)) {
        this._add(peer);
      }
    }, NEWCOMER_OFFER_WAIT_MS));
  }

  _stopAwaiting(peer) {
    const peers = peer === undefined ? [...this._awaitingOffer.keys()] : [peer];
    for (const p of peers) {
      clearTimeout(this._awaitingOffer.get(p));
      this._awaitingOffer.delete(p);
    }
  }

  /** Sends text to every peer whose data channel is open; returns how many got it. */
  sendToAll(text) {
    let sent = 0;
    for (const connection of this.connections.values()) {
      if (connection.channel.readyState === 'open') {
        connection.send(text);
        sent += 1;
      }
    }
    return sent;
  }

  /**
   * Hangs up: closes every connection, telling each peer over it first, so that their tile of this
   * member goes at once; and stops listening to the signaling client.
   */
  close() {
    for (const off of this._offs) {
      off();
    }
    for (const peer of [...this.connections.keys()]) {
      this._remove(peer, { farewell: true });
    }
    this._stopAwaiting();
  }

  _add(peer) {
    if (this.connections.has(peer) || peer === this.signaling.id) {
      return { connection: this.connections.get(peer) };
    }
    this._stopAwaiting(peer);
    this._gone.delete(peer);
    const connection = new PeerConnection(this.signaling, peer, { stream: this.stream });
    connection.user = this.signaling.users.get(peer);
    this.connections.set(peer, connection);
    connection.on('rekey', (detail) => this._rekeyed(connection, detail));
    // The peer hung up: nothing to wait for.
    connection.on('bye', () => {
      if (this.connections.get(connection.peer) === connection) {
        this._remove(connection.peer);
      }
    });
    // A connection kept for a peer that left goes once it stops carrying anything: a peer that is
    // only away keeps its media flowing, so a connection that stays `disconnected` too (from
    // seconds after the peer's page closed) for AWAY_DISCONNECTED_MS is given up; ICE often
    // recovers from a shorter loss.
    connection.on('state', ({ state }) => {
      clearTimeout(connection._lostTimer);
      if (!connection._away) return;
      if (['failed', 'closed'].includes(state)) {
        this._remove(connection.peer);
      } else if (state === 'disconnected') {
        connection._lostTimer = setTimeout(() => {
          if (connection._away && connection.pc.connectionState === 'disconnected'
              && this.connections.get(connection.peer) === connection) {
            this._remove(connection.peer);
          }
        }, AWAY_DISCONNECTED_MS);
      }
    });
    connection.channel.addEventListener('close', () => {
      if (connection._away) {
        this._remove(connection.peer);
      }
    });
    this._emit('peer-added', { peer, connection });
    return { connection };
  }

  _remove(peer, { farewell = false } = {}) {
    this._stopAwaiting(peer);
    const connection = this.connections.get(peer);
    // Candidates still in flight from a departed peer must not resurrect its connection.
    this._gone.add(peer);
    if (connection) {
      clearTimeout(connection._awayTimer);
      clearTimeout(connection._lostTimer);
      this.connections.delete(peer);
      connection.close({ farewell });
      this._emit('peer-removed', { peer });
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Topics over WebSocket                                                                        */
/* ------------------------------------------------------------------------------------------ */

/** Publishes a TopicClient holds while it cannot send them; one more rejects with `queue-full`. */
export const DEFAULT_MAX_PENDING_PUBLISHES = 256;

/** Codes after which a topic publish is sent again, with the same `ref`, after a backoff delay. */
const RETRIED_PUBLISH_CODES = new Set(['service-unavailable', 'timeout', 'no-quorum', 'internal',
  'rate-limited']);

/** The position before a topic's first event: a subscription that found its topic empty resumes after it. */
const TOPIC_START = '0-0';

/** A topic name: 1 to 128 characters of `A-Z a-z 0-9 . _ -` (docs/protocol.md). */
function isTopicName(name) {
  return typeof name === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(name);
}

function badTopic(name) {
  return new SwitchboardError('bad-topic',
    `'${String(name).slice(0, 64)}' is not a topic name: 1 to 128 characters of A-Z a-z 0-9 . _ -`);
}

/** History pages the SSE fallback reads, at most, to fill one gap in the ids. */
const MAX_GAP_PAGES = 10;

/** An event id's history and position: `{epoch, position}`; null for a value that is not an id. */
function idParts(id) {
  const at = typeof id === 'string' ? id.lastIndexOf('-') : -1;
  const position = at > 0 ? Number(id.slice(at + 1)) : NaN;
  return Number.isSafeInteger(position) ? { epoch: id.slice(0, at), position } : null;
}

/**
 * Whether events were skipped between `last`, the id delivered last, and `next`, of the same
 * history: their positions follow each other. From the start of a topic (`0-0`), its first event
 * is position 1 of whatever history.
 */
function idGap(last, next) {
  const a = idParts(last);
  const b = idParts(next);
  if (!a || !b) {
    return false;
  }
  if (last === TOPIC_START) {
    return b.position > 1;
  }
  return a.epoch === b.epoch && b.position > a.position + 1;
}

/** Whether `id` comes after `other` in the same history. */
function idAfter(id, other) {
  const a = idParts(id);
  const b = idParts(other);
  return !!a && !!b && a.epoch === b.epoch && a.position > b.position;
}

/** How long publishes to a topic wait for its subscribe to be answered before they go anyway. */
const HELD_PUBLISH_MAX_WAIT_MS = 5000;

/** Attempts of the WebSocket that never opened after which subscriptions fall back to SSE. */
export const DEFAULT_SSE_FALLBACK_AFTER = 3;

/**
 * TopicClient speaks `/ws/topics`: many topics over one WebSocket that reconnects by itself.
 * `client.topic(name)` gives the Topic to subscribe and publish with.
 *
 * After a reconnect, every subscription resumes by itself after the last event it delivered (or
 * from where it stood when it subscribed), so nothing is missed or repeated. Publishes made while
 * disconnected wait, up to `maxPending`, and go out with their `ref` once connected again, as do
 * those sent but not yet acknowledged when the connection dropped: the gateway stores each `ref`
 * once, so none is lost or stored twice. Where WebSockets never open (a proxy that blocks them),
 * subscriptions carry on over SSE, with the same ids, after `sseFallbackAfter` failed attempts,
 * and return to the WebSocket once it opens.
 *
 * Events: `state` {state, attempt}, `welcome` {id, user}, `error` {error}.
 */
export class TopicClient extends Emitter {
  constructor({ url = gatewayUrl('/ws/topics', { ws: true }), base = DEFAULT_BASE,
    maxPending = DEFAULT_MAX_PENDING_PUBLISHES, sseFallbackAfter = DEFAULT_SSE_FALLBACK_AFTER,
    backoff = DEFAULT_BACKOFF, token = null, getToken = null } = {}) {
    super();
    this.base = base;
    this.maxPending = maxPending;
    this.sseFallbackAfter = sseFallbackAfter;
    this.backoff = backoff;
    this._auth = { token, getToken };
    this._topics = new Map();
    this._pending = new Map();
    this._failedAttempts = 0;
    this.id = null;
    this.user = null;
    this.connection = new Connection(url, { backoff, token, getToken });
    this.connection.on('state', (detail) => {
      if (detail.state === 'closed') {
        this._closed();
      }
      this._emit('state', detail);
    });
    this.connection.on('error', (detail) => this._emit('error', detail));
    this.connection.on('open', () => this._opened());
    this.connection.on('close', ({ willReconnect }) => this._dropped(willReconnect));
    this.connection.on('message', ({ data }) => this._frame(data));
  }

  /** Opens the connection; returns this. */
  connect() {
    this.connection.connect();
    return this;
  }

  get state() {
    return this.connection.state;
  }

  /** The Topic named `name`, the same object for the same name. */
  topic(name) {
    if (!this._topics.has(name)) {
      this._topics.set(name, new Topic(this, name));
    }
    return this._topics.get(name);
  }

  /** Publishes waiting to be sent or acknowledged. */
  get pending() {
    return this._pending.size;
  }

  /** Closes for good; unacknowledged publishes reject with `closed`. */
  close() {
    this.connection.close();
  }

  /**
   * The connection closed for good, by `close()` or for want of a token: unacknowledged publishes
   * reject, with `closed` or with the error it stopped with (`unauthorized`, `token-expired`).
   */
  _closed() {
    for (const topic of this._topics.values()) {
      topic._stopFallback();
    }
    const error = this._closedError('The client was closed before the publish was acknowledged');
    for (const entry of this._pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this._pending.clear();
  }

  _closedError(message) {
    return this.connection.stopError ?? new SwitchboardError('closed', message);
  }

  _send(frame) {
    if (this.connection.state !== 'open') {
      return false;
    }
    this.connection.send(JSON.stringify(frame));
    return true;
  }

  _publish(frame) {
    if (this.connection.state === 'closed') {
      return Promise.reject(this._closedError('The client was closed'));
    }
    if (this._pending.size >= this.maxPending) {
      return Promise.reject(new SwitchboardError('queue-full',
        `${this.maxPending} publishes are already waiting to be acknowledged`));
    }
    if (frame.store === false) {
      // Ephemeral: at most once, to the subscribers of the moment; nothing to send again later.
      if (!this._send(frame)) {
        return Promise.reject(new SwitchboardError('disconnected', 'Ephemeral events are not queued'));
      }
      return new Promise((resolve, reject) => this._pending.set(frame.ref, { frame, resolve, reject, attempt: 0 }));
    }
    return new Promise((resolve, reject) => {
      const entry = { frame, resolve, reject, attempt: 0, held: false };
      this._pending.set(frame.ref, entry);
      this._dispatch(entry);
    });
  }

  /**
   * Sends a stored publish, unless its topic's subscribe is still unanswered: then it waits for
   * the answer (`_release`), so that, after a reconnect, the others see this connection join the
   * topic before they see what it queued, and publishes keep their order.
   */
  _dispatch(entry) {
    if (this._topics.get(entry.frame.topic)?._answerDue) {
      entry.held = true;
      return;
    }
    entry.held = false;
    this._send(entry.frame);
  }

  /** Sends the publishes held for `topic`'s subscribe, in the order they were made. */
  _release(topic) {
    for (const entry of this._pending.values()) {
      if (entry.held && entry.frame.topic === topic) {
        this._dispatch(entry);
      }
    }
  }

  _opened() {
    this._failedAttempts = 0;
    for (const topic of this._topics.values()) {
      topic._stopFallback();
      topic._resubscribe();
    }
    for (const [ref, entry] of this._pending) {
      if (entry.frame.store === false) {
        this._pending.delete(ref);
        entry.reject(new SwitchboardError('disconnected', 'The connection dropped before the ephemeral event was sent'));
      } else if (!entry.timer) {
        this._dispatch(entry);
      }
    }
  }

  _dropped(willReconnect) {
    for (const topic of this._topics.values()) {
      topic._disconnected();
    }
    if (this.connection.state === 'open' || !willReconnect) {
      return;
    }
    // Opened sockets reset the count; attempts that never opened add up.
    this._failedAttempts += 1;
    if (this._failedAttempts >= this.sseFallbackAfter) {
      for (const topic of this._topics.values()) {
        topic._fallBackToSse();
      }
    }
  }

  _frame(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (err) {
      return;
    }
    const topic = typeof frame.topic === 'string' ? this._topics.get(frame.topic) : undefined;
    switch (frame.type) {
      case 'welcome':
        this.id = frame.id;
        this.user = frame.user ?? null;
        this._emit('welcome', { id: frame.id, user: this.user });
        break;
      case 'published':
        this._acknowledged(frame.ref, frame.id ?? null);
        break;
      case 'error':
        if (frame.ref !== undefined && this._pending.has(frame.ref)) {
          this._refused(frame);
        } else if (topic) {
          topic._refused(frame);
        } else {
          this._emit('error', { error: new SwitchboardError(frame.code, frame.message) });
        }
        break;
      default:
        topic?._frame(frame);
    }
  }

  _acknowledged(ref, id) {
    const entry = this._pending.get(ref);
    if (entry) {
      this._pending.delete(ref);
      entry.resolve(id);
    }
  }

  _refused(frame) {
    const entry = this._pending.get(frame.ref);
    if (RETRIED_PUBLISH_CODES.has(frame.code) && entry.attempt < DEFAULT_PUBLISH_RETRIES
        && entry.frame.store !== false) {
      const delay = backoffDelay(entry.attempt, this.backoff);
      entry.attempt += 1;
      entry.timer = setTimeout(() => {
        entry.timer = null;
        this._send(entry.frame);
      }, delay);
      return;
    }
    this._pending.delete(frame.ref);
    entry.reject(new SwitchboardError(frame.code, frame.message));
  }
}

/**
 * Topic is one topic of a TopicClient. `subscribe(handler, {since, history, presence})` delivers
 * each event to `handler` as {topic, id, event, data, ephemeral}; `publish(data, {event, store})`
 * resolves with the stored event's id (null for an ephemeral one) once the gateway acknowledged it.
 *
 * Events: `subscribed` {position}, `history-lost` {reason, since}, `presence` {present: Map of
 * connection id to user}, `join` {id, user}, `leave` {id, user}, `error` {error}, and `transport`
 * {transport: 'websocket' | 'sse'} when events start coming over SSE, or back over the WebSocket.
 */
export class Topic extends Emitter {
  constructor(client, name) {
    super();
    this.client = client;
    this.name = name;
    this.lastId = null;
    this.present = new Map();
    this.subscribed = false;
    this._options = null;
    this._handlers = new Set();
    this._fallback = null;
    this._retry = null;
    this._refusals = 0;
    /** Whether lastId is the position a `subscribed` gave, and no event has come since. */
    this._positionOnly = false;
    /** Whether a subscribe was sent on the open connection and not answered yet. */
    this._answerDue = false;
    this._answerTimer = null;
  }

  /**
   * Subscribes, once per topic: later calls add handlers. `since` resumes after an id, `history`
   * asks for the last N retained events first, `presence` for who is present. Returns a function
   * that removes the handler.
   */
  subscribe(handler, { since = null, history = null, presence = false } = {}) {
    if (!isTopicName(this.name)) {
      // Refused here, as the gateway would: its refusal cannot name a topic that is not one.
      setTimeout(() => this._emit('error', { error: badTopic(this.name) }));
      return () => {};
    }
    if (handler) {
      this._handlers.add(handler);
    }
    if (!this._options) {
      this._options = { since, history, presence };
      this.lastId = since;
      this._positionOnly = false;
      this._lostAt = undefined;
      this._resubscribe();
    }
    return () => this._handlers.delete(handler);
  }

  /** Ends the subscription; handlers are forgotten. */
  unsubscribe() {
    if (this._options) {
      this.client._send({ type: 'unsubscribe', topic: this.name });
    }
    this._options = null;
    this.subscribed = false;
    this._handlers.clear();
    clearTimeout(this._retry);
    this._stopFallback();
    this._answered();
  }

  /** The subscribe is answered (or no longer awaited): publishes held for it go. */
  _answered() {
    clearTimeout(this._answerTimer);
    if (this._answerDue) {
      this._answerDue = false;
      this.client._release(this.name);
    }
  }

  /**
   * Publishes `data`; resolves with the event's id once stored (null for `store: false`). The
   * `ref`, a random 128-bit value unless given, makes every resend safe.
   */
  publish(data, { event = undefined, store = true, ref = newIdempotencyKey() } = {}) {
    if (!isTopicName(this.name)) {
      return Promise.reject(badTopic(this.name));
    }
    const frame = { type: 'publish', topic: this.name, data, ref };
    if (event !== undefined) {
      frame.event = event;
    }
    if (store === false) {
      frame.store = false;
    }
    return this.client._publish(frame);
  }

  _resubscribe() {
    // One subscribe at a time: a retry still waiting is this one.
    clearTimeout(this._retry);
    this._retry = null;
    if (!this._options) {
      return;
    }
    const frame = { type: 'subscribe', topic: this.name };
    if (this.lastId) {
      frame.since = this.lastId;
    } else if (this._options.history) {
      frame.history = this._options.history;
    }
    if (this._options.presence) {
      frame.presence = true;
    }
    this._answerDue = this.client._send(frame);
    if (this._answerDue) {
      // Publishes held for the answer go anyway if it is slow to come.
      clearTimeout(this._answerTimer);
      this._answerTimer = setTimeout(() => this._answered(), HELD_PUBLISH_MAX_WAIT_MS);
    }
  }

  _disconnected() {
    this.subscribed = false;
    // Held publishes stay pending: the reconnect sends them.
    this._answerDue = false;
    clearTimeout(this._answerTimer);
    // The reconnect subscribes again.
    clearTimeout(this._retry);
    this._retry = null;
  }

  _frame(frame) {
    switch (frame.type) {
      case 'subscribed':
        this.subscribed = true;
        this._refusals = 0;
        if (!this.lastId) {
          // A subscription that has seen nothing yet resumes from where the topic stood: after its
          // newest event, or from its first when it had none. History asked for comes after this
          // frame, older first, and moves lastId as it is delivered.
          this.lastId = frame.position ?? TOPIC_START;
          this._positionOnly = true;
        }
        if (frame.present) {
          this.present = new Map(frame.present.map((p) => [p.id, p.user]));
          this._emit('presence', { present: this.present });
        }
        this._emit('subscribed', { position: frame.position });
        this._answered();
        break;
      case 'event':
        this._deliver(frame);
        break;
      case 'history-lost':
        this._lost(frame.reason, frame.since);
        break;
      case 'join':
        this.present.set(frame.id, frame.user);
        this._emit('join', { id: frame.id, user: frame.user });
        break;
      case 'leave':
        this.present.delete(frame.id);
        this._emit('leave', { id: frame.id, user: frame.user });
        break;
      default:
    }
  }

  /**
   * A loss of history, told once per position: resumed again from the same id, over the WebSocket
   * or the SSE fallback, before any event came, the same loss is not told again.
   */
  _lost(reason, since) {
    if (this._lostAt !== undefined && this._lostAt === this.lastId) {
      return;
    }
    this._lostAt = this.lastId;
    this._emit('history-lost', { reason, since });
  }

  _deliver(frame) {
    if (!frame.ephemeral) {
      this.lastId = frame.id;
      this._positionOnly = false;
    }
    const event = { topic: this.name, id: frame.id ?? null, event: frame.event ?? null, data: frame.data,
      ephemeral: frame.ephemeral === true };
    for (const handler of [...this._handlers]) {
      try {
        handler(event);
      } catch (err) {
        setTimeout(() => { throw err; });
      }
    }
  }

  /** A subscription the gateway refused: retried when it may pass later, else given up. */
  _refused(frame) {
    const error = new SwitchboardError(frame.code, frame.message);
    this._answered();
    this._emit('error', { error });
    if (!this._options) {
      return;
    }
    if (frame.code === 'service-unavailable' || frame.code === 'timeout' || frame.code === 'rate-limited') {
      // The gateway holds no subscription to this topic now: it is asked for again later.
      this.subscribed = false;
      if (this._positionOnly && this._options.history) {
        // Refused after `subscribed`, before the history asked for came: asked for again.
        this.lastId = null;
        this._positionOnly = false;
      }
      clearTimeout(this._retry);
      // Backs off while refusals go on, up to a few seconds between tries.
      this._refusals = Math.min(this._refusals + 1, MAX_SUBSCRIBE_BACKOFF_ATTEMPT);
      this._retry = setTimeout(() => this._resubscribe(), backoffDelay(this._refusals, this.client.backoff));
    } else if (frame.code !== 'bad-request' || !this.subscribed) {
      this._options = null;
      this._handlers.clear();
    }
  }

  /** WebSockets do not open: events come over SSE meanwhile, from the last id. */
  _fallBackToSse() {
    if (!this._options || this._fallback) {
      return;
    }
    const { token, getToken } = this.client._auth;
    this._fallback = subscribe(this.name, ({ id, type, data }) => {
      this._fromSse({ id, event: type === 'message' ? null : type, data });
    }, { base: this.client.base, lastEventId: this.lastId, storage: null, replay: false, token, getToken });
    this._fallback.on('history-lost', ({ id, data }) => {
      this._lost(data?.reason ?? 'unknown', data?.lastEventId ?? null);
      // The stream goes on after the loss: the next event follows this id, not the last one seen.
      if (id) {
        this.lastId = id;
      }
    });
    const fallback = this._fallback;
    const off = fallback.on('state', ({ state }) => {
      if (state === 'open' && this._fallback === fallback) {
        off();
        this._emit('transport', { transport: 'sse' });
      }
    });
  }

  /**
   * An event of the SSE fallback. EventSource hands on only the types it listens to, and the
   * fallback cannot know them all: an event of another type shows as a gap in the ids, which follow
   * each other within a history. The events of the gap are read from the history API and delivered
   * first; the events that come meanwhile wait, in order.
   */
  _fromSse(event) {
    if (this._filling) {
      this._filling.push(event);
      return;
    }
    if (!idGap(this.lastId, event.id)) {
      this._deliverOnce(event);
      return;
    }
    const held = [event];
    this._filling = held;
    const fallback = this._fallback;
    this._fillGap(fallback, event.id)
      .catch((err) => {
        if (this._fallback === fallback) {
          this._emit('error', { error: err });
        }
      })
      .finally(() => {
        if (this._filling !== held || this._fallback !== fallback) {
          // The fallback ended: the WebSocket resumes from the last event delivered.
          return;
        }
        this._filling = null;
        if (idGap(this.lastId, event.id)) {
          // History could not give the gap (it failed, or the events left it): told, not waited for.
          this._lost('unknown', this.lastId);
        }
        this._deliverOnce(held.shift());
        held.forEach((each) => this._fromSse(each));
      });
  }

  /**
   * Delivers the retained events between the last one delivered and `upTo`, read from history
   * with the fallback's token, while that fallback lasts.
   */
  async _fillGap(fallback, upTo) {
    for (let pages = 0; pages < MAX_GAP_PAGES && idGap(this.lastId, upTo); pages += 1) {
      const after = this.lastId;
      const page = await history(this.name, { after, base: this.client.base, _tokens: fallback._tokens });
      if (this._fallback !== fallback) {
        return;
      }
      if (page.historyLost) {
        this._lost(page.reason ?? 'unknown', after);
      }
      for (const { id, event, data } of page.events) {
        if (!idAfter(id, upTo)) {
          this._deliverOnce({ id, event: event ?? null, data });
        }
      }
      if (!page.more || this.lastId === after) {
        return;
      }
    }
  }

  /** Delivers an event unless one at or after its id was delivered already. */
  _deliverOnce(event) {
    if (!idAfter(this.lastId, event.id) && this.lastId !== event.id) {
      this._deliver(event);
    }
  }

  _stopFallback() {
    this._filling = null;
    if (this._fallback) {
      this._fallback.close();
      this._fallback = null;
      this._emit('transport', { transport: 'websocket' });
    }
  }
}
