/** Small DOM helpers shared by the demo pages; the SDK itself is js/switchboard.js. */

const LABELS = {
  idle: 'Idle',
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
  error: 'Error',
  token: 'Token needed',
};

/** Shows a connection state in a `.pill` element, ending any countdown `showConnection` runs in it. */
export function showState(pill, state, detail = '') {
  stopCountdown(pill);
  renderState(pill, state, detail);
}

function renderState(pill, state, detail) {
  pill.dataset.state = state;
  const label = document.createElement('span');
  label.className = 'pill-label';
  label.textContent = LABELS[state] ?? state;
  pill.replaceChildren(label);
  if (detail) {
    const more = document.createElement('span');
    more.className = 'pill-detail';
    more.textContent = detail;
    pill.append(' ', more);
  }
}

/** Shows a message in a `.banner` element, or hides it when `text` is empty. */
export function showBanner(banner, text, kind = 'error') {
  banner.className = 'banner ' + kind;
  banner.textContent = text || '';
  banner.hidden = !text;
}

/** What the error codes the pages meet mean to a user; others are shown with the server's message. */
const PLAIN_ERRORS = {
  timeout: 'the server did not answer in time',
  'service-unavailable': 'the server cannot take it right now',
  'no-quorum': 'the server cannot store it right now',
  internal: 'the server failed to handle it',
  'rate-limited': 'too many at once; slow down a little',
  forbidden: 'your access does not allow it',
  unauthorized: 'your access has expired or was refused',
  'too-large': 'it is too large',
  'network-error': 'the gateway cannot be reached',
  disconnected: 'the connection dropped before the answer came',
  'queue-full': 'too many are waiting to be sent already',
};

/** An error in words for a user, with its code for whoever reads the docs: "the server … (timeout)". */
export function plainError(err) {
  const code = err?.code ?? 'error';
  return `${PLAIN_ERRORS[code] ?? err?.message ?? String(err)} (${code})`;
}

/** Creates an element: el('li', {class: 'x', dataset: {id: 1}}, 'text', child). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') {
      node.className = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (value !== undefined && value !== null && value !== false) {
      node.setAttribute(key, value === true ? '' : value);
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/** A short human time, e.g. 14:03:27. */
export function clock(date = new Date()) {
  return date.toLocaleTimeString([], { hour12: false });
}

/** Keeps the newest `max` children of a list. */
export function trim(list, max) {
  while (list.children.length > max) {
    list.lastElementChild.remove();
  }
}

const countdowns = new WeakMap();

function stopCountdown(pill) {
  clearInterval(countdowns.get(pill));
  countdowns.delete(pill);
}

/**
 * Shows a connection's `state` event in a `.pill`: while reconnecting, the time left until the
 * next attempt, ticking down.
 */
export function showConnection(pill, { state, delayMs }) {
  stopCountdown(pill);
  if (state !== 'reconnecting' || delayMs === undefined) {
    renderState(pill, state, '');
    return;
  }
  const until = Date.now() + delayMs;
  const tick = () => {
    const left = until - Date.now();
    renderState(pill, state, left > 0 ? `retry in ${(left / 1000).toFixed(1)} s` : 'retrying…');
    if (left <= 0) stopCountdown(pill);
  };
  tick();
  countdowns.set(pill, setInterval(tick, 100));
}

/**
 * Connects a page's `TopicClient`: the `.pill` follows its connection, the banner says
 * `offlineText` while it reconnects with something open (`active()`), and clears once it is back;
 * errors show in the banner.
 */
export function connectTopicClient(client, { pill, banner, offlineText, active }) {
  client.on('state', ({ state, delayMs }) => {
    showConnection(pill, { state, delayMs });
    // What the page shows of others (who is present) may be out of date until it is back.
    document.querySelector('main')?.classList.toggle('stale', state === 'reconnecting');
    if (state === 'reconnecting' && active()) {
      showBanner(banner, typeof offlineText === 'function' ? offlineText() : offlineText, 'warn');
    } else if (state === 'open' && banner.classList.contains('warn')) {
      showBanner(banner, '');
    }
  });
  client.on('error', ({ error }) => {
    // A socket that failed to open or dropped: the pill and the reconnecting banner say so.
    if (error.code !== 'socket-error') showBanner(banner, plainError(error));
  });
  client.connect();
}

/**
 * Marks an element that scrolls sideways with `more-left` and `more-right` while there is more of
 * it that way, for the stylesheet to show a fade there.
 */
export function showScrollHints(scroller) {
  const hint = () => {
    scroller.classList.toggle('more-right', scroller.scrollLeft + scroller.clientWidth < scroller.scrollWidth - 2);
    scroller.classList.toggle('more-left', scroller.scrollLeft > 2);
  };
  scroller.addEventListener('scroll', hint, { passive: true });
  new ResizeObserver(hint).observe(scroller);
}

/**
 * On a phone the page links sit in one row that scrolls sideways: the current page's link is
 * brought into it, and a fade on either side says while there are more that way.
 */
function fitNav() {
  const nav = document.querySelector('.topbar .nav');
  if (!nav) return;
  showScrollHints(nav);
  const current = nav.querySelector('[aria-current="page"]');
  if (current && current.offsetLeft + current.offsetWidth > nav.clientWidth) {
    nav.scrollLeft = current.offsetLeft + current.offsetWidth - nav.clientWidth + 16;
  }
}
fitNav();
