// Shared by /console and /vote: the API client, a tiny DOM builder and the live feed
// (WebSocket, falling back to Server-Sent Events). Plain script; every server text goes into
// the page as textContent, never as HTML.
(() => {
  'use strict';

  const numbers = new Intl.NumberFormat('en-US');
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

  /** Builds an element: h('li', { class: 'x', dataset: { id: 1 }, onclick: f }, 'text', child). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'dataset') Object.assign(el.dataset, value);
      // Through the CSSOM: a style attribute would be refused by the pages' Content-Security-Policy.
      else if (key === 'style') Object.assign(el.style, value);
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else if (key in el && typeof value !== 'string') el[key] = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  /**
   * One API call. Never throws: { status, ok, data, code, message } (status 0 when the network failed).
   * The envelope's first error message is the message shown to the user.
   */
  async function call(method, path, { body, headers, accept } = {}) {
    const init = { method, headers: { Accept: accept || 'application/json', ...(headers || {}) } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch {
      return { status: 0, ok: false, data: null, code: 'NETWORK', message: 'The server could not be reached' };
    }
    if (accept && accept !== 'application/json') {
      const blob = res.ok ? await res.blob() : null;
      return { status: res.status, ok: res.ok, blob, data: null, code: res.ok ? null : `HTTP_${res.status}`, message: res.ok ? '' : `HTTP ${res.status}` };
    }
    let json = null;
    try {
      json = await res.json();
    } catch {
      json = null;
    }
    const ok = res.ok && json !== null && json.success !== false;
    const code = ok ? null : (json && json.error_code) || `HTTP_${res.status}`;
    const message = ok ? '' : (json && Array.isArray(json.errors) && json.errors[0]) || `HTTP ${res.status}`;
    return { status: res.status, ok, data: json && 'data' in json ? json.data : json, code, message, body: json };
  }

  /**
   * Which operations this server has, from its OpenAPI document: screens whose endpoint is not
   * there say so instead of calling it (a 404 would also be a console error in the browser).
   */
  async function loadOperations() {
    const res = await call('GET', '/openapi/v1.json');
    if (!res.ok || !res.data || typeof res.data.paths !== 'object') return null;
    const ops = new Set();
    for (const [path, item] of Object.entries(res.data.paths)) {
      for (const method of Object.keys(item)) ops.add(`${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`);
    }
    return ops;
  }

  function hasOperation(ops, method, path) {
    return ops === null || ops.has(`${method} ${path.replace(/\{[^}]+\}/g, '{}')}`);
  }

  // ---- live feed ----------------------------------------------------------------------------

  const TYPES = ['STATE_UPDATE', 'LIVE_RESULTS', 'VOTING_OPEN', 'TIME_UPDATE', 'WARNING', 'COUNTDOWN',
    'VOTING_CLOSED', 'RESULTS_READY', 'vote_update', 'detailed_update'];
  // WebSockets that fail this many times before any has delivered a message: use SSE instead.
  // (Once one has worked, an outage is an outage, and WebSockets are tried again.)
  const WS_FAILURES_BEFORE_SSE = 2;

  /**
   * Follows one episode: onMessage(message) for every { type, seq, episode_id, sent_at, data },
   * onStatus(kind, text) with kind 'connecting' | 'live' | 'reconnecting'; transport 'ws' | 'sse'.
   * Returns { close(), transport() }.
   */
  function openFeed(episodeId, onMessage, onStatus) {
    let closed = false;
    let socket = null;
    let source = null;
    let attempt = 0;
    let failuresBeforeMessage = 0;
    let socketWorked = false;
    let lastSeq = null;
    let timer = 0;
    let mode = 'ws';

    const deliver = text => {
      let m;
      try {
        m = JSON.parse(text);
      } catch {
        return;
      }
      if (!m || typeof m !== 'object' || String(m.episode_id) !== String(episodeId)) return;
      if (Number.isFinite(m.seq)) lastSeq = m.seq;
      onMessage(m);
    };

    function retry() {
      if (closed) return;
      const ceiling = Math.min(8000, 500 * 2 ** attempt);
      attempt++;
      onStatus('reconnecting', `Reconnecting… (try ${attempt})`, mode);
      clearTimeout(timer);
      timer = setTimeout(connect, Math.round(ceiling * (0.5 + Math.random() * 0.5)));
    }

    function connectSocket() {
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      let url = `${scheme}//${location.host}/ws/voting?episode_id=${encodeURIComponent(episodeId)}`;
      if (lastSeq !== null) url += `&last_seq=${lastSeq}`;
      let ws;
      try {
        ws = new WebSocket(url);
      } catch {
        failed(null, false);
        return;
      }
      socket = ws;
      let gotMessage = false;
      ws.onmessage = e => {
        if (ws !== socket) return;
        gotMessage = true;
        socketWorked = true;
        attempt = 0;
        onStatus('live', 'Live', mode);
        deliver(e.data);
      };
      ws.onclose = () => failed(ws, gotMessage);
      ws.onerror = () => failed(ws, gotMessage);
    }

    function failed(ws, gotMessage) {
      if (ws !== socket) return;
      socket = null;
      if (ws) {
        try { ws.close(); } catch { /* already closing */ }
      }
      if (!gotMessage && !socketWorked && ++failuresBeforeMessage >= WS_FAILURES_BEFORE_SSE) mode = 'sse';
      retry();
    }

    function connectStream() {
      // EventSource reconnects by itself (sending Last-Event-ID); a fatal answer closes it.
      const es = new EventSource(`/api/v1/xfactor/voting/stream/${encodeURIComponent(episodeId)}${lastSeq !== null ? `?last_seq=${lastSeq}` : ''}`);
      source = es;
      const handler = e => {
        if (es !== source) return;
        attempt = 0;
        onStatus('live', 'Live', mode);
        deliver(e.data);
      };
      for (const type of TYPES) es.addEventListener(type, handler);
      es.onmessage = handler;
      es.onerror = () => {
        if (es !== source) return;
        if (es.readyState === EventSource.CLOSED) {
          source = null;
          retry();
        } else {
          onStatus('reconnecting', 'Reconnecting…', mode);
        }
      };
    }

    function connect() {
      if (closed) return;
      onStatus(attempt === 0 ? 'connecting' : 'reconnecting', attempt === 0 ? 'Connecting…' : `Reconnecting… (try ${attempt})`, mode);
      if (mode === 'ws') connectSocket();
      else connectStream();
    }

    connect();
    return {
      transport: () => mode,
      close() {
        closed = true;
        clearTimeout(timer);
        if (socket) {
          const ws = socket;
          socket = null;
          try { ws.close(); } catch { /* already closing */ }
        }
        if (source) {
          source.close();
          source = null;
        }
      },
    };
  }

  function formatTime(iso) {
    const t = Date.parse(iso);
    return Number.isFinite(t) ? new Date(t).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' }) : '';
  }

  window.XF = { h, call, loadOperations, hasOperation, openFeed, numbers, money, formatTime };
})();
