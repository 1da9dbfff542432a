/**
 * The demo pages' access token. A gateway with AUTH_MODE=jwt answers 401 to a request without
 * one; a page that finds this out asks for a token with a small form under its heading (or takes
 * `?token=` from its own address), keeps it in sessionStorage for the tab, and hands the SDK a
 * getToken that asks again when the token expires or is refused. In open mode the page goes on
 * without a token, exactly as before.
 */
import { tokenExpiry } from '/js/switchboard.js';
import { el, showBanner, showState } from '/js/ui.js';

/** Where the tab keeps its token: every demo page of the gateway shares it. */
export const TOKEN_STORAGE_KEY = 'switchboard.token';

/** A token that expires sooner than this is replaced rather than presented again. */
const ASK_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

/** The command that mints a token, in parts that each stay on one line. */
const MINT = ['java -jar standalone/target/switchboard.jar token', '--sub you', '--ttl 3600',
  "--subscribe '*'", "--publish '*'", "--rooms '*'"];

/**
 * Finds out whether the gateway needs a token, with one request to `probe` (`/api/auth` unless the
 * page needs the rights of a path of its own); returns the SDK options for the page's clients: `{}`
 * when it needs none, otherwise `{token, getToken}` once the user gave a token the gateway accepts.
 * `admin` says the page needs the admin claim; `pill` is the page's connection-state pill.
 */
export async function pageAuth({ probe = '/api/auth', admin = false, pill = null }) {
  takeTokenFromAddress();
  if ((await ask(probe, null)).status !== 401) {
    // Open mode, or the gateway is unreachable and the SDK retries as it always does.
    return {};
  }
  const gate = new TokenGate(probe, admin, pill);
  // Nothing on the page works before there is a token, and its forms have no handlers yet.
  const rest = [...document.querySelectorAll('main > *:not(.page-head):not(.hero)')];
  rest.forEach((section) => { section.inert = true; });
  const token = await gate.accepted(stored());
  rest.forEach((section) => { section.inert = false; });
  return { token, getToken: () => gate.renew() };
}

/** `?token=` in the page's address: kept like a typed token, then removed from the address bar. */
function takeTokenFromAddress() {
  const url = new URL(location.href);
  const token = clean(url.searchParams.get('token'));
  if (!token) {
    return;
  }
  store(token);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

/** The status of a GET of `path` with `token`, and the gateway's error, if it sent one. */
async function ask(path, token) {
  try {
    const response = await fetch(path, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      cache: 'no-store',
    });
    const body = await response.json().catch(() => null);
    return { status: response.status, code: body?.code, message: body?.message };
  } catch (err) {
    return { status: 0 };
  }
}

function clean(token) {
  return (token ?? '').trim().replace(/^Bearer\s+/i, '').replace(/\s+/g, '');
}

function stored() {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch (err) {
    return null;
  }
}

function store(token) {
  try {
    if (token) {
      sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
    } else {
      sessionStorage.removeItem(TOKEN_STORAGE_KEY);
    }
  } catch (err) {
    // Storage disabled: the token lasts as long as the page.
  }
}

function time(ms) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

/**
 * TokenGate is the form that asks for a token and the check of what is typed into it: a token
 * is taken once the gateway answers the page's probe with it with neither 401 nor 403.
 */
class TokenGate {
  constructor(probe, admin, pill) {
    this.probe = probe;
    this.admin = admin;
    this.pill = pill;
    this.card = null;
    this._typed = null;
    this._renewing = null;
  }

  /** Resolves with the first token the gateway accepts, starting with `candidate`. */
  async accepted(candidate) {
    let token = clean(candidate);
    let problem = 'This gateway runs with AUTH_MODE=jwt: connecting needs a token.';
    let kind = 'warn';
    for (;;) {
      if (token) {
        const answer = await ask(this.probe, token);
        if (answer.status !== 401 && answer.status !== 403) {
          store(token);
          this._hide();
          return token;
        }
        problem = answer.status === 401
          ? `The gateway refused this token: ${answer.message ?? 'unauthorized'}`
          : `This token does not allow this page: ${answer.message ?? 'forbidden'}`;
        kind = 'error';
        if (answer.status === 401) {
          // Refused outright; a token that only lacks this page's rights still serves the others.
          store(null);
        }
      }
      token = clean(await this._typedToken(problem, kind));
    }
  }

  /**
   * The SDK's getToken: the stored token while the gateway takes it and it is not about to
   * expire, otherwise a new one from the form. Concurrent calls share one answer.
   */
  renew() {
    if (!this._renewing) {
      this._renewing = this._renew().finally(() => {
        this._renewing = null;
      });
    }
    return this._renewing;
  }

  async _renew() {
    const token = stored();
    const exp = tokenExpiry(token);
    if (token && exp !== null && exp - Date.now() < ASK_BEFORE_EXPIRY_MS) {
      const when = exp <= Date.now() ? `expired at ${time(exp)}` : `expires at ${time(exp)}`;
      const typed = await this._typedToken(`Your token ${when}. Paste a new one to stay connected.`);
      return this.accepted(typed);
    }
    return this.accepted(token);
  }

  /** Shows the form with `problem`; resolves with what the user submits next. */
  _typedToken(problem, kind = 'warn') {
    this._show(problem, kind);
    if (!this._typed) {
      this._typed = new Promise((resolve) => {
        this._resolveTyped = resolve;
      });
    }
    return this._typed;
  }

  _show(problem, kind) {
    if (!this.card) {
      this.card = this._build();
      const head = document.querySelector('.page-head, .hero');
      if (head) {
        head.after(this.card);
      } else {
        document.querySelector('main').prepend(this.card);
      }
    }
    this.card.hidden = false;
    showBanner(this.card.querySelector('.banner'), problem, kind);
    if (this.pill) {
      showState(this.pill, 'token');
    }
    this.card.querySelector('input').focus();
  }

  _hide() {
    if (this.card) {
      this.card.hidden = true;
      this.card.querySelector('input').value = '';
    }
  }

  _build() {
    const input = el('input', { id: 'token-input', class: 'mono', autocomplete: 'off',
      spellcheck: 'false', placeholder: 'eyJhbGciOiJIUzI1NiIs…', required: true,
      'aria-describedby': 'token-hint' });
    const form = el('form', { class: 'row', id: 'token-form' },
      el('label', { class: 'field grow' }, 'Token', input),
      el('button', { class: 'btn', type: 'submit', id: 'token-submit' }, 'Connect'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const resolve = this._resolveTyped;
      this._typed = null;
      resolve?.(input.value);
    });
    const parts = this.admin ? [...MINT, '--admin'] : MINT;
    const command = parts.flatMap((part, i) => [i ? ' ' : null, el('span', { class: 'arg' }, part)]);
    return el('section',
      { class: 'card token-gate', id: 'token-gate', 'aria-labelledby': 'token-title' },
      el('h2', { id: 'token-title' }, 'Access token'),
      el('div', { class: 'banner warn', role: 'status' }),
      form,
      el('div', { class: 'token-hint', id: 'token-hint' },
        el('p', {}, 'Mint one in the Switchboard directory, with the gateway\'s ',
          el('code', {}, 'AUTH_JWT_SECRET'), ' in the environment',
          this.admin ? ' (this page needs the admin claim):' : ':'),
        el('pre', { class: 'command' }, el('code', {}, ...command)),
        el('p', {}, 'Or open this page with ', el('code', {}, '?token=…'),
          ' in its address. The token is kept for this tab only.')));
  }
}
