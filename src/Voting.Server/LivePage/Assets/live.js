// XFactor live results: follows one episode over the /ws/voting WebSocket, or over Server-Sent
// Events (/api/v1/xfactor/voting/stream/{id}) when a WebSocket cannot connect (contract: every
// message is { type, seq, episode_id, sent_at, data }). Plain script, no dependencies. Every
// text from the server goes into the page as textContent, never as HTML.
(() => {
  'use strict';

  const RECONNECT_FIRST_MS = 500;
  const RECONNECT_MAX_MS = 8000;
  // TIME_UPDATE comes every 10 s while voting is open: this much silence means a dead link.
  const SILENCE_WHILE_OPEN_MS = 35000;
  const CHANGE_HOLD_MS = 10000;
  // WebSockets that fail this many times before any has ever delivered a message: a proxy or
  // network that refuses them, so the page follows the same messages over SSE instead. (Once a
  // WebSocket has worked, an outage is an outage: the page keeps reconnecting WebSockets.)
  const WS_FAILURES_BEFORE_SSE = 2;
  const SSE_TYPES = ['STATE_UPDATE', 'LIVE_RESULTS', 'VOTING_OPEN', 'TIME_UPDATE', 'WARNING', 'COUNTDOWN', 'VOTING_CLOSED', 'RESULTS_READY'];

  const TRENDS = {
    rising_fast: ['⇈', 'Rising fast'],
    rising: ['↑', 'Rising'],
    stable: ['→', 'Stable'],
    falling: ['↓', 'Falling'],
    falling_fast: ['⇊', 'Falling fast'],
  };
  const STATE_LABELS = {
    IDLE: 'Waiting for the show',
    SHOW_STARTED: 'The show is on',
    PERFORMANCE: 'On stage now',
    VOTING_OPEN: 'Voting is open',
    VOTING_CLOSED: 'Voting closed',
    RESULTS_READY: 'Final results',
    SHOW_ENDED: 'The show has ended',
  };

  const $ = id => document.getElementById(id);
  const body = document.body;
  const numbers = new Intl.NumberFormat('en-US');
  const graphemes = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

  const episodeId = (location.pathname.match(/\/live\/(\d+)\/?$/) || [])[1];
  const show = {
    state: 'IDLE',
    closesAt: null,          // server clock, ms since the epoch
    clockOffset: 0,          // server clock minus this browser's clock, ms (from sent_at)
    lastSeq: null,
    hasResults: false,
    rows: new Map(),         // contestant_id -> row element
    held: new Map(),         // contestant_id -> { change, until }: rank changes stay visible a while
    khmer: new Map(),        // contestant_id -> Khmer name (the push messages carry only the name)
    khmerAskedAt: 0,
  };
  let socket = null;
  let stream = null;
  let transport = 'ws';
  let failuresBeforeMessage = 0;
  let socketWorked = false;
  let attempt = 0;
  let retryTimer = 0;
  let silenceTimer = 0;

  // ---- connection ---------------------------------------------------------------------------

  function connect() {
    clearTimeout(retryTimer);
    body.dataset.transport = transport;
    if (transport === 'sse') {
      connectStream();
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let url = `${scheme}//${location.host}/ws/voting?episode_id=${episodeId}`;
    if (show.lastSeq !== null) url += `&last_seq=${show.lastSeq}`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      wsFailed();
      scheduleReconnect();
      return;
    }
    socket = ws;
    let heard = false;
    ws.onmessage = e => {
      if (ws !== socket) return;
      heard = true;
      socketWorked = true;
      attempt = 0;
      setConnection('live', 'Live');
      handle(e.data);
      armSilenceWatch(ws);
    };
    ws.onclose = () => lost(ws, heard);
    ws.onerror = () => lost(ws, heard);
  }

  function wsFailed() {
    if (!socketWorked && ++failuresBeforeMessage >= WS_FAILURES_BEFORE_SSE) transport = 'sse';
  }

  // EventSource reconnects by itself, sending Last-Event-ID; only a refused stream ends it.
  function connectStream() {
    const query = show.lastSeq !== null ? `?last_seq=${show.lastSeq}` : '';
    const es = new EventSource(`/api/v1/xfactor/voting/stream/${episodeId}${query}`);
    stream = es;
    const onEvent = e => {
      if (es !== stream) return;
      attempt = 0;
      setConnection('live', 'Live');
      handle(e.data);
    };
    for (const type of SSE_TYPES) es.addEventListener(type, onEvent);
    es.onerror = () => {
      if (es !== stream) return;
      if (es.readyState !== EventSource.CLOSED) {
        setConnection('reconnecting', 'Reconnecting…');
        return;
      }
      stream = null;
      scheduleReconnect();
    };
  }

  function lost(ws, heard) {
    if (ws !== socket) return;
    if (!heard) wsFailed();
    socket = null;
    clearTimeout(silenceTimer);
    try { ws.close(); } catch { /* already closing */ }
    scheduleReconnect();
  }

  function scheduleReconnect() {
    // Exponential backoff with jitter, so thousands of screens do not return in one burst.
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** attempt);
    const delay = Math.round(ceiling * (0.5 + Math.random() * 0.5));
    attempt++;
    setConnection('reconnecting', `Reconnecting… (try ${attempt})`);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  }

  function armSilenceWatch(ws) {
    clearTimeout(silenceTimer);
    if (show.state !== 'VOTING_OPEN') return;
    silenceTimer = setTimeout(() => lost(ws), SILENCE_WHILE_OPEN_MS);
  }

  function setConnection(kind, text) {
    body.dataset.connection = kind;
    $('connection').textContent = text;
  }

  window.addEventListener('online', () => {
    if (socket === null && stream === null && body.dataset.connection === 'reconnecting') connect();
  });

  // ---- messages -----------------------------------------------------------------------------

  function handle(text) {
    let m;
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    if (!m || typeof m !== 'object' || String(m.episode_id) !== String(episodeId)) return;
    if (Number.isFinite(m.seq)) {
      show.lastSeq = m.seq;
      body.dataset.lastSeq = String(m.seq);
    }
    const sent = Date.parse(m.sent_at);
    if (Number.isFinite(sent)) show.clockOffset = sent - Date.now();
    const d = m.data || {};
    switch (m.type) {
      case 'STATE_UPDATE':
        applyState(d);
        break;
      case 'LIVE_RESULTS':
        if (show.closesAt === null && show.state === 'VOTING_OPEN' && d.time_remaining_seconds > 0) setRemaining(d.time_remaining_seconds);
        renderResults(d.results, d.total_votes);
        break;
      case 'VOTING_OPEN':
        setState('VOTING_OPEN');
        setWindow(d.closes_at, d.remaining);
        if (!show.hasResults) renderLineup(d.contestants);
        break;
      case 'TIME_UPDATE':
      case 'WARNING':
      case 'COUNTDOWN':
        setWindow(d.closes_at, d.remaining);
        break;
      case 'VOTING_CLOSED':
        setState('VOTING_CLOSED');
        break;
      case 'RESULTS_READY':
        setState('RESULTS_READY');
        renderResults(d.results, d.total_votes);
        renderAudit(d.audit);
        break;
      default:
        break;
    }
    tick();
  }

  function applyState(d) {
    if (d.episode && d.episode.title) {
      $('title').textContent = d.episode.title;
      document.title = `${d.episode.title} · live results`;
    }
    setState(d.state);
    renderPerformer(d.performer);
    if (d.voting) setWindow(d.voting.closes_at, d.voting.remaining);
  }

  function setState(state) {
    if (!STATE_LABELS[state]) return;
    show.state = state;
    body.dataset.state = state;
    $('state-label').textContent = STATE_LABELS[state];
    if (state !== 'VOTING_OPEN') {
      clearTimeout(silenceTimer);
      if (state !== 'VOTING_CLOSED' && state !== 'RESULTS_READY' && state !== 'SHOW_ENDED') show.closesAt = null;
    }
  }

  function setWindow(closesAt, remaining) {
    const at = Date.parse(closesAt);
    if (Number.isFinite(at)) show.closesAt = at;
    else if (Number.isFinite(remaining)) setRemaining(remaining);
  }

  function setRemaining(seconds) {
    show.closesAt = Date.now() + show.clockOffset + seconds * 1000;
  }

  // ---- rendering ----------------------------------------------------------------------------

  function renderPerformer(p) {
    const box = $('performer');
    if (!p || !p.name) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    $('performer-name').textContent = p.ballot_number ? `${p.name}  #${p.ballot_number}` : p.name;
    $('performer-song').textContent = p.song_name ? `“${p.song_name}”` : '';
    setAvatar($('performer-avatar'), p.contestant_id, p.name, p.photo_url);
  }

  function renderLineup(contestants) {
    if (!Array.isArray(contestants) || contestants.length === 0) return;
    const sorted = [...contestants].sort((a, b) => (a.ballot_number || 0) - (b.ballot_number || 0));
    renderResults(sorted.map((c, i) => ({
      ...c, votes: 0, formatted_count: '0', percentage: 0, rank: i + 1, change: 0, trend: 'stable',
    })), 0);
  }

  function renderResults(results, total) {
    if (!Array.isArray(results)) return;
    show.hasResults = results.length > 0;
    const list = $('results');
    const before = new Map();
    for (const [id, row] of show.rows) before.set(id, row.getBoundingClientRect().top);

    if (results.some(r => !show.khmer.has(String(r.contestant_id)))) loadKhmerNames();
    const leaderPct = Math.max(0, ...results.map(r => Number(r.percentage) || 0));
    const now = Date.now();
    const seen = new Set();
    results.forEach((r, index) => {
      const id = String(r.contestant_id);
      seen.add(id);
      let row = show.rows.get(id);
      if (!row) {
        row = createRow();
        show.rows.set(id, row);
      }
      if (r.change) show.held.set(id, { change: r.change, until: now + CHANGE_HOLD_MS });
      updateRow(row, r, leaderPct);
      if (list.children[index] !== row) list.insertBefore(row, list.children[index] || null);
    });
    for (const [id, row] of show.rows) {
      if (seen.has(id)) continue;
      row.remove();
      show.rows.delete(id);
      show.held.delete(id);
    }
    if (Number.isFinite(total)) $('total').textContent = numbers.format(total);
    $('empty').hidden = results.length > 0;
    showChanges(now);
    slideFrom(before);
  }

  function createRow() {
    const row = document.createElement('li');
    row.className = 'row';
    row.innerHTML = '<span class="rank"></span><span class="change"></span><span class="avatar"></span>'
      + '<div class="who"><div class="line"><span class="name"></span><span class="khmer" lang="km"></span><span class="ballot"></span></div>'
      + '<div class="bar"><div class="fill"></div></div></div>'
      + '<div class="figures"><span class="pct"></span><span class="count"></span></div><span class="trend"></span>';
    return row;
  }

  function updateRow(row, r, leaderPct) {
    const q = sel => row.querySelector(sel);
    const pct = Number(r.percentage) || 0;
    row.dataset.contestantId = String(r.contestant_id);
    row.dataset.rank = String(r.rank);
    row.classList.toggle('lead', r.rank === 1 && r.votes > 0);
    q('.rank').textContent = String(r.rank);
    q('.name').textContent = r.name || '';
    q('.name').title = r.name || '';
    const khmer = show.khmer.get(String(r.contestant_id)) || '';
    q('.khmer').textContent = khmer && khmer !== r.name ? khmer : '';
    q('.ballot').textContent = r.ballot_number ? `#${r.ballot_number}` : '';
    q('.fill').style.width = `${leaderPct > 0 ? (pct / leaderPct) * 100 : 0}%`;
    q('.pct').textContent = `${pct.toFixed(2)}%`;
    q('.count').textContent = `${r.formatted_count ?? numbers.format(r.votes || 0)} ${r.votes === 1 ? 'vote' : 'votes'}`;
    const [arrow, label] = TRENDS[r.trend] || TRENDS.stable;
    const trend = q('.trend');
    trend.textContent = arrow;
    trend.title = label;
    trend.setAttribute('aria-label', label);
    trend.dataset.trend = TRENDS[r.trend] ? r.trend : 'stable';
    setAvatar(q('.avatar'), r.contestant_id, r.name, r.photo_url);
  }

  function showChanges(now) {
    for (const [id, row] of show.rows) {
      const held = show.held.get(id);
      const change = held && held.until > now ? held.change : 0;
      if (held && held.until <= now) show.held.delete(id);
      if (row.dataset.change === String(change)) continue;
      row.dataset.change = String(change);
      const marker = row.querySelector('.change');
      marker.className = `change${change > 0 ? ' up' : change < 0 ? ' down' : ''}`;
      marker.textContent = change > 0 ? `▲${change}` : change < 0 ? `▼${-change}` : '';
      marker.title = change > 0 ? `Up ${change}` : change < 0 ? `Down ${-change}` : '';
    }
  }

  // FLIP: rows jump to their new place in the list, then glide there from where they were.
  function slideFrom(before) {
    if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) return;
    for (const [id, row] of show.rows) {
      const top = before.get(id);
      if (top === undefined) continue;
      const dy = top - row.getBoundingClientRect().top;
      if (Math.abs(dy) < 1) continue;
      row.style.transition = 'none';
      row.style.transform = `translateY(${dy}px)`;
      row.getBoundingClientRect();
      row.style.transition = 'transform .6s ease-out';
      row.style.transform = '';
    }
  }

  // Khmer names come from the results endpoint, read again (at most every 5 s) when a
  // contestant the page has not seen appears.
  async function loadKhmerNames() {
    const now = Date.now();
    if (now - show.khmerAskedAt < 5000) return;
    show.khmerAskedAt = now;
    try {
      const res = await fetch(`/api/v1/xfactor/voting/results/${episodeId}`, { headers: { Accept: 'application/json' } });
      const envelope = await res.json();
      if (!res.ok || !envelope || !envelope.success) return;
      for (const r of envelope.data.results || []) show.khmer.set(String(r.contestant_id), r.khmer_name || '');
    } catch {
      return;
    }
    for (const [id, row] of show.rows) {
      const khmer = show.khmer.get(id) || '';
      row.querySelector('.khmer').textContent = khmer && khmer !== row.querySelector('.name').textContent ? khmer : '';
    }
  }

  function setAvatar(box, id, name, photoUrl) {
    const photo = typeof photoUrl === 'string' && /^(https?:\/\/|\/|data:image\/)/i.test(photoUrl) ? photoUrl : '';
    const key = `${photo}|${name}`;
    box.style.setProperty('--hue', String((Number(id) * 47) % 360));
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.textContent = initials(name);
    if (!photo) return;
    const img = document.createElement('img');
    img.alt = '';
    img.decoding = 'async';
    img.onload = () => {
      if (box.dataset.key === key) box.replaceChildren(img);
    };
    img.src = photo;
  }

  function initials(name) {
    const words = String(name || '').trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return '?';
    // Khmer has no capitals and stacks consonants: its "initial" is the first syllable
    // (a consonant, its subscripts after the coeng sign, and its vowel signs).
    if (/^\p{Script=Khmer}/u.test(words[0])) return words[0].match(/^\p{L}(?:\u17D2\p{L}|\p{M})*/u)[0];
    const first = word => {
      if (!graphemes) return word.charAt(0);
      for (const g of graphemes.segment(word)) return g.segment;
      return '';
    };
    return words.slice(0, 2).map(first).join('').toUpperCase();
  }

  function renderAudit(audit) {
    if (!audit || !audit.digest) return;
    $('audit').textContent = `Audited: ${numbers.format(audit.vote_count ?? 0)} votes · digest ${audit.digest}`;
  }

  // ---- clock --------------------------------------------------------------------------------

  function remainingSeconds() {
    if (show.closesAt === null) return null;
    return Math.max(0, Math.ceil((show.closesAt - (Date.now() + show.clockOffset)) / 1000));
  }

  function formatClock(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = String(seconds % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
  }

  function tick() {
    const open = show.state === 'VOTING_OPEN';
    const closed = show.state === 'VOTING_CLOSED' || show.state === 'RESULTS_READY' || show.state === 'SHOW_ENDED';
    const left = remainingSeconds();
    $('countdown').textContent = open && left !== null ? formatClock(left) : closed ? '0:00' : '--:--';
    $('countdown-label').textContent = open ? 'Voting closes in' : closed ? 'Voting closed' : 'Voting not open yet';
    body.dataset.urgency = open && left !== null ? (left <= 10 ? 'final' : left <= 60 ? 'warning' : 'calm') : 'calm';

    const banner = $('banner');
    const text = !open ? { VOTING_CLOSED: 'Voting is closed — counting the votes',
      RESULTS_READY: 'Final results', SHOW_ENDED: 'Thanks for watching' }[show.state]
      : left !== null && left <= 10 ? 'Last seconds to vote!'
        : left !== null && left <= 60 ? 'Less than a minute left to vote' : '';
    banner.hidden = !text;
    banner.textContent = text || '';
    showChanges(Date.now());
  }

  // ---- start --------------------------------------------------------------------------------

  async function start() {
    if (!episodeId) {
      setConnection('failed', 'No episode');
      return;
    }
    body.dataset.episodeId = episodeId;
    setInterval(tick, 250);
    try {
      // The show state over HTTP paints the page before the socket is up.
      const res = await fetch(`/api/v1/xfactor/show/${episodeId}`, { headers: { Accept: 'application/json' } });
      const envelope = await res.json();
      if (res.status === 404 && envelope && envelope.success === false) {
        setConnection('failed', 'Episode not found');
        return;
      }
      if (res.ok && envelope && envelope.success) applyState(envelope.data);
    } catch {
      // The socket brings the same state; a failed read only costs the early paint.
    }
    tick();
    connect();
  }

  start();
})();
