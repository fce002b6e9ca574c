// XFactor viewer web app (/vote): phone sign-in with a one-time code, the open episode's
// line-up, free/paid/bundle votes (one Idempotency-Key per click), vote packages, history and
// the live results (WebSocket, SSE when it cannot connect). Phone-first.
(() => {
  'use strict';

  const { h, call, openFeed, numbers, formatTime } = window.XF;
  const TOKEN_STORAGE = 'xfactor.vote.session';
  // The live feed brings counts and the window's opening and closing; this slow re-read (with
  // jitter, so a whole audience does not ask at once) only catches what the feed does not carry.
  const REFRESH_MS = 60000;
  const $ = id => document.getElementById(id);
  const graphemes = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

  const state = {
    session: readSession(),   // { token, userId, phone, expiresAt }
    phone: null,
    episode: null,
    contestants: new Map(),   // id -> contestant (current_episode shape, votes kept live)
    status: null,             // user_voting_status
    bundleVotes: null,        // bundle votes left (vote_balance: current_episode does not carry them)
    packages: [],
    feed: null,
    feedEpisode: null,
    historyPage: 1,
    refreshTimer: 0,
    busy: new Set(),
  };

  function readSession() {
    try {
      const s = JSON.parse(localStorage.getItem(TOKEN_STORAGE) || 'null');
      return s && s.token && s.expiresAt > Date.now() ? s : null;
    } catch {
      return null;
    }
  }

  function viewer(method, path, options = {}) {
    const headers = { ...(options.headers || {}) };
    if (state.session) headers.Authorization = `Bearer ${state.session.token}`;
    return call(method, path, { ...options, headers }).then(res => {
      if (res.status === 401 && state.session) signOut('Your session has ended; sign in again.');
      return res;
    });
  }

  function say(text, kind = 'ok') {
    const box = $('message');
    box.textContent = text;
    box.dataset.kind = kind;
    box.hidden = !text;
  }

  function newKey() {
    if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
  }

  // ---- sign-in ------------------------------------------------------------------------------

  $('phone-form').addEventListener('submit', async e => {
    e.preventDefault();
    const phone = $('phone').value.trim();
    const res = await call('POST', '/api/v1/auth/otp', { body: { phone_number: phone } });
    if (!res.ok) {
      $('sign-in-error').textContent = res.code === 'INVALID_PHONE' ? 'That is not a Cambodian mobile number.' : res.message;
      return;
    }
    state.phone = phone;
    $('sign-in-error').textContent = '';
    $('phone-form').hidden = true;
    $('code-form').hidden = false;
    const dev = $('dev-code');
    dev.hidden = !res.data.dev_code;
    dev.textContent = res.data.dev_code ? `Development code: ${res.data.dev_code}` : '';
    dev.dataset.code = res.data.dev_code || '';
    $('code').focus();
  });

  $('change-phone').addEventListener('click', () => {
    $('code-form').hidden = true;
    $('phone-form').hidden = false;
    $('dev-code').hidden = true;
    $('sign-in-error').textContent = '';
  });

  $('code-form').addEventListener('submit', async e => {
    e.preventDefault();
    const res = await call('POST', '/api/v1/auth/token', { body: { phone_number: state.phone, code: $('code').value.trim() } });
    if (!res.ok) {
      $('sign-in-error').textContent = res.code === 'INVALID_CODE' ? 'That code is wrong or has expired.' : res.message;
      return;
    }
    state.session = { token: res.data.access_token, userId: res.data.user_id, phone: state.phone, expiresAt: Date.now() + (res.data.expires_in - 60) * 1000 };
    localStorage.setItem(TOKEN_STORAGE, JSON.stringify(state.session));
    $('code').value = '';
    enter();
  });

  function signOut(message) {
    localStorage.removeItem(TOKEN_STORAGE);
    state.session = null;
    clearInterval(state.refreshTimer);
    if (state.feed) state.feed.close();
    state.feed = null;
    state.feedEpisode = null;
    document.body.dataset.signedIn = 'false';
    $('app').hidden = true;
    $('sign-in').hidden = false;
    $('code-form').hidden = true;
    $('phone-form').hidden = false;
    $('dev-code').hidden = true;
    $('sign-in-error').textContent = message || '';
  }

  async function enter() {
    document.body.dataset.signedIn = 'true';
    $('sign-in').hidden = true;
    $('app').hidden = false;
    showView('vote');
    await loadEpisode();
    clearInterval(state.refreshTimer);
    state.refreshTimer = setInterval(loadEpisode, REFRESH_MS + Math.round(Math.random() * 10000));
  }

  // ---- views --------------------------------------------------------------------------------

  function showView(name) {
    document.body.dataset.view = name;
    for (const b of document.querySelectorAll('.bottom-nav button[data-view]')) b.setAttribute('aria-selected', String(b.dataset.view === name));
    for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== `view-${name}`;
    if (name === 'packages') loadPackages();
    if (name === 'history') loadHistory(1);
    if (name === 'results') renderRanking();
  }

  for (const b of document.querySelectorAll('.bottom-nav button[data-view]')) b.addEventListener('click', () => showView(b.dataset.view));
  $('sign-out').addEventListener('click', () => signOut(''));

  // ---- the open episode ---------------------------------------------------------------------

  async function loadEpisode() {
    const res = await viewer('GET', '/api/v1/xfactor/voting/current_episode');
    if (!state.session) return;
    if (!res.ok) {
      state.episode = null;
      $('contestants').replaceChildren();
      const next = res.body && res.body.next_episode;
      const box = $('no-episode');
      box.hidden = false;
      box.textContent = res.code === 'NO_ACTIVE_EPISODE'
        ? `Voting is not open right now.${next ? ` Next: ${next.title}${next.air_date ? `, ${formatTime(next.air_date)}` : ''}.` : ''}`
        : res.message;
      $('episode-title').textContent = 'XFactor';
      $('episode-sub').textContent = '';
      renderWallet();
      return;
    }
    $('no-episode').hidden = true;
    const d = res.data;
    state.episode = d.episode;
    state.status = d.user_voting_status;
    state.packages = d.vote_packages || [];
    state.contestants = new Map(d.contestants.map(c => [c.id, c]));
    $('episode-title').textContent = d.episode.title;
    $('episode-sub').textContent = `Episode ${d.episode.episode_number} · ${numbers.format(d.episode.total_votes || 0)} votes`;
    renderWallet();
    renderContestants();
    follow(d.episode.id);
    loadBalance();
  }

  // The paid balance and the bundle votes left, which current_episode's user_voting_status lacks.
  async function loadBalance() {
    const res = await viewer('GET', '/api/v1/xfactor/voting/vote_balance');
    if (!res.ok) {
      say(res.message, 'error');
      return null;
    }
    state.bundleVotes = res.data.bundle_votes;
    if (state.status) state.status.vote_balance = res.data.balance;
    renderWallet();
    return res.data;
  }

  function follow(episodeId) {
    if (state.feedEpisode === episodeId) return;
    if (state.feed) state.feed.close();
    state.feedEpisode = episodeId;
    state.feed = openFeed(episodeId, onLive, (kind, text, transport) => {
      const pill = $('live-status');
      pill.dataset.kind = kind;
      pill.dataset.transport = transport;
      pill.textContent = kind === 'live' ? 'Live' : text;
    });
  }

  function onLive(m) {
    const d = m.data || {};
    if ((m.type === 'LIVE_RESULTS' || m.type === 'RESULTS_READY') && Array.isArray(d.results)) {
      for (const r of d.results) {
        const c = state.contestants.get(r.contestant_id);
        if (!c) continue;
        c.votes = r.votes;
        c.percentage = r.percentage;
        c.rank = r.rank;
        updateFigures(c);
      }
      state.total = d.total_votes;
      if (state.episode) $('episode-sub').textContent = `Episode ${state.episode.episode_number} · ${numbers.format(d.total_votes || 0)} votes`;
      if (document.body.dataset.view === 'results') renderRanking();
    } else if (m.type === 'VOTING_CLOSED' || m.type === 'VOTING_OPEN') {
      loadEpisode();
    }
  }

  function renderWallet() {
    const s = state.status;
    const box = $('wallet');
    if (!s) {
      box.replaceChildren();
      return;
    }
    box.replaceChildren(
      h('div', { class: 'chip', id: 'free-left', dataset: { value: s.free_votes_remaining } }, h('b', {}, numbers.format(s.free_votes_remaining)), ' free left'),
      h('div', { class: 'chip', id: 'balance', dataset: { value: s.vote_balance } }, h('b', {}, numbers.format(s.vote_balance)), ' paid votes'),
      state.bundleVotes === null ? '' : h('div', { class: 'chip', id: 'bundle-left', dataset: { value: state.bundleVotes } },
        h('b', {}, numbers.format(state.bundleVotes)), ' bundle votes'),
      h('div', { class: 'chip', id: 'cast', dataset: { value: s.total_votes_cast } }, h('b', {}, numbers.format(s.total_votes_cast)), ' cast by you'));
    updateBundleButtons();
  }

  // Bundle buttons are off while the voter has no bundle votes (and for an eliminated contestant).
  function updateBundleButtons() {
    for (const b of document.querySelectorAll('#contestants button.vote.bundle'))
      b.disabled = b.closest('li').classList.contains('out') || state.bundleVotes === 0;
  }

  function renderContestants() {
    const list = $('contestants');
    const sorted = [...state.contestants.values()].sort((a, b) => (a.ballot_number || 0) - (b.ballot_number || 0));
    list.replaceChildren(...sorted.map(c => {
      const eliminated = c.status === 'eliminated';
      const li = h('li', { class: `contestant${eliminated ? ' out' : ''}`, dataset: { contestantId: c.id } },
        avatar(c),
        h('div', { class: 'who' },
          h('p', { class: 'name' }, c.name, c.ballot_number ? h('span', { class: 'ballot' }, ` #${c.ballot_number}`) : ''),
          c.khmer_name ? h('p', { class: 'khmer-name khmer', lang: 'km' }, c.khmer_name) : '',
          h('p', { class: 'figures' }, h('span', { class: 'votes' }), ' · ', h('span', { class: 'pct' })),
          h('div', { class: 'meter' }, h('div', { class: 'fill' }))),
        h('div', { class: 'actions' },
          voteButton(c, 'free', 'Free vote', eliminated),
          voteButton(c, 'paid', 'Paid', eliminated),
          voteButton(c, 'bundle', 'Bundle', eliminated)));
      return li;
    }));
    for (const c of sorted) updateFigures(c);
    updateBundleButtons();
  }

  function voteButton(c, type, label, disabled) {
    return h('button', { type: 'button', class: `vote ${type}`, dataset: { type }, disabled, onclick: () => vote(c, type) }, label);
  }

  function updateFigures(c) {
    const li = document.querySelector(`#contestants > li[data-contestant-id="${c.id}"]`);
    if (!li) return;
    const votes = Number(c.votes) || 0;
    li.querySelector('.votes').textContent = `${numbers.format(votes)} ${votes === 1 ? 'vote' : 'votes'}`;
    li.querySelector('.pct').textContent = `${Number(c.percentage || 0).toFixed(2)}%`;
    li.querySelector('.fill').style.width = `${Math.min(100, Number(c.percentage) || 0)}%`;
    li.dataset.votes = String(votes);
  }

  function avatar(c) {
    const box = h('span', { class: 'avatar', 'aria-hidden': 'true' });
    box.style.setProperty('--hue', String((Number(c.id) * 47) % 360));
    box.textContent = initials(c.khmer_name && !c.name ? c.khmer_name : c.name);
    const photo = typeof c.photo_url === 'string' && /^(https?:\/\/|\/|data:image\/)/i.test(c.photo_url) ? c.photo_url : '';
    if (photo) {
      const img = h('img', { alt: '', decoding: 'async' });
      img.onload = () => box.replaceChildren(img);
      img.src = photo;
    }
    return box;
  }

  function initials(name) {
    const words = String(name || '').trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return '?';
    if (/^\p{Script=Khmer}/u.test(words[0])) return words[0].match(/^\p{L}(?:\u17D2\p{L}|\p{M})*/u)[0];
    const first = word => {
      if (!graphemes) return word.charAt(0);
      for (const g of graphemes.segment(word)) return g.segment;
      return '';
    };
    return words.slice(0, 2).map(first).join('').toUpperCase();
  }

  const REFUSALS = {
    FREE_VOTE_LIMIT_EXCEEDED: 'No free votes left for this episode.',
    INSUFFICIENT_VOTE_BALANCE: 'Not enough paid votes: buy a package under “Votes”.',
    INSUFFICIENT_BUNDLE_VOTES: 'Not enough bundle votes.',
    VOTING_CLOSED: 'Voting has closed.',
    RATE_LIMITED: 'Too many votes at once: wait a moment.',
  };

  async function vote(c, type) {
    const busyKey = `${c.id}:${type}`;
    if (state.busy.has(busyKey)) return;
    state.busy.add(busyKey);
    const count = type === 'free' ? 1 : Number.parseInt($('vote-count').value, 10) || 1;
    try {
      const res = await viewer('POST', '/api/v1/xfactor/voting/cast_vote', {
        body: { contestant_id: c.id, vote_type: type, vote_count: count, episode_id: state.episode ? state.episode.id : undefined },
        headers: { 'Idempotency-Key': newKey() },
      });
      if (!res.ok) {
        say(REFUSALS[res.code] || res.message, 'error');
        return;
      }
      const d = res.data;
      if (d.contestant && Number.isFinite(d.contestant.current_votes) && d.contestant.current_votes >= (Number(c.votes) || 0)) {
        c.votes = d.contestant.current_votes;
        updateFigures(c);
      }
      const left = d.user_status && d.user_status.votes_remaining;
      if (state.status && left) {
        state.status.free_votes_remaining = left.free_votes;
        state.status.vote_balance = left.vote_balance;
        state.status.total_votes_cast += count;
        state.status.has_voted = true;
        if (type === 'bundle' && state.bundleVotes !== null) state.bundleVotes = Math.max(0, state.bundleVotes - count);
        renderWallet();
      }
      // The answer does not carry the bundle votes left: read them (the local count above shows at once).
      if (type === 'bundle') loadBalance();
      say(`${count} ${type} ${count === 1 ? 'vote' : 'votes'} for ${c.name} counted.`);
    } finally {
      state.busy.delete(busyKey);
    }
  }

  $('vote-count').addEventListener('change', () => say(''));

  // ---- live results -------------------------------------------------------------------------

  function renderRanking() {
    const rows = [...state.contestants.values()].sort((a, b) => (b.votes || 0) - (a.votes || 0) || (a.ballot_number || 0) - (b.ballot_number || 0));
    $('results-total').textContent = state.episode ? `${numbers.format(rows.reduce((s, c) => s + (Number(c.votes) || 0), 0))} votes` : 'Voting is not open right now.';
    $('ranking').replaceChildren(...rows.map((c, i) => h('li', { dataset: { contestantId: c.id } },
      h('span', { class: 'rank' }, i + 1), avatar(c),
      h('div', { class: 'who' }, h('p', { class: 'name' }, c.name), c.khmer_name ? h('p', { class: 'khmer-name khmer', lang: 'km' }, c.khmer_name) : '',
        h('div', { class: 'meter' }, h('div', { class: 'fill', style: { width: `${Math.min(100, Number(c.percentage) || 0)}%` } }))),
      h('span', { class: 'pct' }, `${Number(c.percentage || 0).toFixed(2)}%`))));
  }

  // ---- packages -----------------------------------------------------------------------------

  async function loadPackages() {
    const d = await loadBalance();
    if (!d) return;
    $('packages').replaceChildren(
      h('p', { class: 'balance-line' }, 'Balance: ', h('b', { id: 'package-balance' }, numbers.format(d.balance)), ' paid votes'),
      ...(d.available_packages || []).map(p => h('div', { class: 'package card', dataset: { packageId: p.id } },
        h('div', {}, h('p', { class: 'name' }, p.name), h('p', { class: 'muted' },
          `${numbers.format(p.vote_count)}${p.bonus_votes ? ` + ${numbers.format(p.bonus_votes)} bonus` : ''} votes`),
        p.badge_text ? h('span', { class: 'badge' }, p.badge_text) : ''),
        h('button', { type: 'button', onclick: () => buy(p) }, `${p.price} ${p.currency}`))));
    $('purchases').replaceChildren(...(d.recent_purchases || []).map(p => h('li', {},
      `${p.package_name}: ${numbers.format(p.total_votes)} votes, ${p.amount} ${p.currency} · ${p.status} · ${formatTime(p.purchased_at)}`)));
    if ((d.recent_purchases || []).length === 0) $('purchases').append(h('li', { class: 'muted' }, 'No purchases yet.'));
  }

  async function buy(p) {
    // The web app buys through the test store, which only a Development server has.
    const res = await viewer('POST', '/api/v1/xfactor/purchases', { body: { platform: 'test', package_id: p.id } });
    if (!res.ok) {
      say(res.status === 404 ? 'Buying votes on the web is not available here: use the app.' : res.message, 'error');
      return;
    }
    say(`${numbers.format(res.data.votes_credited)} votes added. Balance: ${numbers.format(res.data.balance)}.`);
    await loadPackages();
  }

  // ---- history ------------------------------------------------------------------------------

  async function loadHistory(page) {
    const res = await viewer('GET', `/api/v1/xfactor/voting/history?page=${page}`);
    if (!res.ok) return say(res.message, 'error');
    const d = res.data;
    state.historyPage = d.pagination.current_page;
    $('history').replaceChildren(...(d.votes.length === 0 ? [h('li', { class: 'muted' }, 'No votes yet.')] : d.votes.map(v => h('li', { dataset: { voteId: v.id, status: v.status || 'counted' } },
      h('b', {}, `${numbers.format(v.vote_count)} ${v.vote_type}`), ` for ${(v.contestant && v.contestant.name) || '?'}`,
      h('span', { class: 'muted' }, ` · ${(v.episode && v.episode.title) || ''} · ${formatTime(v.created_at)}${v.status === 'voided' ? ' · voided' : ''}`)))));
    $('history-page').textContent = `Page ${d.pagination.current_page} of ${Math.max(1, d.pagination.total_pages)}`;
    $('history-prev').disabled = d.pagination.current_page <= 1;
    $('history-next').disabled = d.pagination.current_page >= d.pagination.total_pages;
  }

  $('history-prev').addEventListener('click', () => loadHistory(Math.max(1, state.historyPage - 1)));
  $('history-next').addEventListener('click', () => loadHistory(state.historyPage + 1));

  // ---- start --------------------------------------------------------------------------------

  if (state.session) enter();
})();
