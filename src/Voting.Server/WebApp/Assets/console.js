// XFactor operator console (/console). The operator key is asked once and kept in this tab's
// session storage; every admin call sends it as X-Api-Key. Screens whose endpoint this server
// does not have (per its OpenAPI document) say so instead of calling it.
(() => {
  'use strict';

  const { h, call, loadOperations, hasOperation, openFeed, numbers, money, formatTime } = window.XF;
  const KEY_STORAGE = 'xfactor.console.key';
  const EPISODES_STORAGE = 'xfactor.console.episodes';
  const CHART_SECONDS = 300;
  const POLL_MS = 5000;
  const CSV_SECTIONS = ['timeline', 'demographics', 'geographic', 'payment_methods', 'contestant_analysis'];
  const $ = id => document.getElementById(id);

  const state = {
    key: sessionStorage.getItem(KEY_STORAGE),
    ops: null,
    episodeId: null,
    episode: null,          // { id, title, episode_number, season_id }
    lineup: [],             // { contestant_id, name, khmer_name, ballot_number, song_performed, status }
    show: null,             // STATE_UPDATE data
    feed: null,
    results: null,          // last LIVE_RESULTS data
    total: null,
    series: { t: [], rate: [] },
    lastSample: null,       // { at, total }
    chart: null,
    pollTimer: 0,
    sampleTimer: 0,
    tab: 'episodes',
  };

  // ---- plumbing -----------------------------------------------------------------------------

  async function admin(method, path, options = {}) {
    const res = await call(method, path, { ...options, headers: { 'X-Api-Key': state.key || '' } });
    if (res.status === 401) signOut('The operator key was refused; sign in again.');
    return res;
  }

  const has = (method, path) => hasOperation(state.ops, method, path);

  function notAvailable(what) {
    return h('p', { class: 'unavailable', dataset: { unavailable: what } }, `${what} is not available on this server yet.`);
  }

  // A 404 without a specific *_NOT_FOUND code is a route this server does not have (yet).
  function problem(res, what) {
    return res.status === 404 && (res.code === 'HTTP_404' || res.code === 'NOT_FOUND') ? notAvailable(what) : h('p', { class: 'error' }, res.message);
  }

  function flash(text, kind = 'ok') {
    const box = $('flash');
    box.textContent = text;
    box.dataset.kind = kind;
    box.hidden = !text;
  }

  function failure(res) {
    flash(`${res.message}${res.code ? ` (${res.code})` : ''}`, 'error');
  }

  function card(title, ...children) {
    return h('div', { class: 'card' }, h('h2', {}, title), ...children);
  }

  function table(headers, rows, attrs = {}) {
    return h('table', attrs, h('thead', {}, h('tr', {}, headers.map(x => h('th', {}, x)))), h('tbody', {}, rows));
  }

  function field(label, input) {
    return h('label', {}, label, input);
  }

  function formValues(form) {
    const out = {};
    for (const [k, v] of new FormData(form).entries()) out[k] = typeof v === 'string' ? v.trim() : v;
    return out;
  }

  const intOrNull = v => (v === '' || v === undefined ? null : Number.parseInt(v, 10));

  function rememberedEpisodes() {
    try {
      return JSON.parse(sessionStorage.getItem(EPISODES_STORAGE) || '[]');
    } catch {
      return [];
    }
  }

  function rememberEpisode(e) {
    const list = rememberedEpisodes().filter(x => x.id !== e.id);
    list.unshift(e);
    sessionStorage.setItem(EPISODES_STORAGE, JSON.stringify(list.slice(0, 50)));
  }

  // ---- sign-in ------------------------------------------------------------------------------

  async function signIn(key) {
    state.key = key;
    const res = await call('GET', '/api/v1/admin/vote_packages', { headers: { 'X-Api-Key': key } });
    if (!res.ok) {
      state.key = null;
      $('sign-in-error').textContent = res.status === 401 ? 'That key was not accepted.' : res.message;
      return false;
    }
    sessionStorage.setItem(KEY_STORAGE, key);
    return true;
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY_STORAGE);
    state.key = null;
    stopEpisode();
    document.body.dataset.signedIn = 'false';
    $('app').hidden = true;
    $('sign-in').hidden = false;
    $('sign-out').hidden = true;
    $('sign-in-error').textContent = message || '';
  }

  async function enter() {
    document.body.dataset.signedIn = 'true';
    $('sign-in').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    state.ops = await loadOperations();
    // /console?episode=N opens that episode (a link from a run sheet or the on-air screen).
    const linked = Number.parseInt(new URLSearchParams(location.search).get('episode') || '', 10);
    if (linked > 0 && !state.episodeId) await selectEpisode({ id: linked });
    showTab(state.tab);
  }

  // ---- tabs ---------------------------------------------------------------------------------

  const renderers = {
    episodes: renderEpisodes,
    monitor: renderMonitor,
    reviews: renderReviews,
    outbox: renderOutbox,
    catalog: renderCatalog,
    report: renderReport,
    audit: renderAuditLog,
  };

  function showTab(name) {
    state.tab = name;
    for (const button of document.querySelectorAll('.tabs button')) button.setAttribute('aria-selected', String(button.dataset.tab === name));
    for (const section of document.querySelectorAll('.tab')) section.hidden = section.id !== `tab-${name}`;
    flash('');
    renderers[name]();
  }

  function needEpisode(section) {
    if (state.episodeId) return false;
    section.replaceChildren(card('No episode selected', h('p', {}, 'Choose or create an episode on the Episodes screen first.')));
    return true;
  }

  // ---- episodes, line-ups and show control --------------------------------------------------

  async function renderEpisodes() {
    const section = $('tab-episodes');
    const seasonsBox = h('div', { id: 'seasons' });
    const episodesBox = h('div', { id: 'episodes' });
    const detailBox = h('div', { id: 'episode-detail' });
    section.replaceChildren(h('div', { class: 'columns' },
      h('div', {}, card('Seasons', seasonsBox, seasonForm()), card('Episodes', episodesBox, episodeForm())),
      detailBox));
    await Promise.all([loadSeasons(seasonsBox), loadEpisodes(episodesBox)]);
    renderEpisodeDetail();
  }

  async function loadSeasons(box) {
    if (!has('GET', '/api/v1/admin/seasons')) {
      box.replaceChildren(notAvailable('The season list'));
      return;
    }
    const res = await admin('GET', '/api/v1/admin/seasons');
    if (!res.ok) {
      box.replaceChildren(problem(res, 'The season list'));
      return;
    }
    const seasons = res.data.seasons || [];
    box.replaceChildren(seasons.length === 0 ? h('p', { class: 'muted' }, 'No seasons yet.')
      : table(['#', 'Name', 'Year', 'Status'], seasons.map(s => h('tr', {}, h('td', {}, s.id), h('td', {}, s.name), h('td', {}, s.year ?? ''), h('td', {}, s.status ?? '')))));
    const select = document.querySelector('#episode-form [name=season_id]');
    if (select && seasons.length > 0 && !select.value) select.value = String(seasons[seasons.length - 1].id);
  }

  function seasonForm() {
    const form = h('form', { id: 'season-form', class: 'inline' },
      field('Name', h('input', { name: 'name', required: true, maxlength: 200 })),
      field('Year', h('input', { name: 'year', type: 'number', min: 2000, max: 2100, value: new Date().getFullYear(), required: true })),
      field('Status', h('select', { name: 'status' }, ['active', 'upcoming', 'finished'].map(s => h('option', { value: s }, s)))),
      h('button', { type: 'submit' }, 'Create season'));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = formValues(form);
      const res = await admin('POST', '/api/v1/admin/seasons', { body: { name: v.name, year: intOrNull(v.year), status: v.status } });
      if (!res.ok) return failure(res);
      flash(`Season ${res.data.id} created.`);
      const input = document.querySelector('#episode-form [name=season_id]');
      if (input) input.value = String(res.data.id);
      await loadSeasons($('seasons'));
    });
    return form;
  }

  async function loadEpisodes(box) {
    let episodes = [];
    let note = null;
    if (has('GET', '/api/v1/admin/episodes')) {
      const res = await admin('GET', '/api/v1/admin/episodes');
      if (res.ok) episodes = res.data.episodes || [];
      else note = problem(res, 'The full episode list');
    } else {
      note = notAvailable('The full episode list');
    }
    const known = new Set(episodes.map(e => e.id));
    for (const e of rememberedEpisodes()) if (!known.has(e.id)) episodes.push(e);
    const rows = episodes.map(e => h('tr', { dataset: { episodeId: e.id }, class: e.id === state.episodeId ? 'selected' : '' },
      h('td', {}, e.id), h('td', {}, e.episode_number ?? ''), h('td', {}, e.title || ''),
      h('td', {}, e.voting_state || (e.voting_active ? 'voting open' : '')),
      h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => selectEpisode(e) }, 'Open'))));
    box.replaceChildren(...[note, episodes.length === 0 ? h('p', { class: 'muted' }, 'No episodes yet.')
      : table(['#', 'No.', 'Title', 'State', ''], rows, { id: 'episode-list' })].filter(Boolean));
  }

  function episodeForm() {
    const form = h('form', { id: 'episode-form', class: 'inline' },
      field('Season id', h('input', { name: 'season_id', type: 'number', min: 1, required: true })),
      field('Episode no.', h('input', { name: 'episode_number', type: 'number', min: 1, value: 1, required: true })),
      field('Title', h('input', { name: 'title', required: true, maxlength: 200 })),
      h('button', { type: 'submit' }, 'Create episode'));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = formValues(form);
      const body = { season_id: intOrNull(v.season_id), episode_number: intOrNull(v.episode_number), title: v.title };
      const res = await admin('POST', '/api/v1/admin/episodes', { body });
      if (!res.ok) return failure(res);
      const created = { id: res.data.id, season_id: body.season_id, episode_number: body.episode_number, title: body.title };
      rememberEpisode(created);
      flash(`Episode ${created.id} created.`);
      await selectEpisode(created);
      await loadEpisodes($('episodes'));
    });
    return form;
  }

  async function selectEpisode(e) {
    if (state.episodeId !== e.id) {
      stopEpisode();
      state.episodeId = e.id;
      state.episode = e;
      document.body.dataset.episodeId = String(e.id);
      state.lineup = [];
      rememberEpisode({ id: e.id, season_id: e.season_id, episode_number: e.episode_number, title: e.title });
      startEpisode();
    }
    await loadEpisodeDetail();
    const title = state.episode.title || (state.show && state.show.episode && state.show.episode.title) || '';
    $('episode-label').textContent = `Episode ${e.id}${title ? ` · ${title}` : ''}`;
    for (const row of document.querySelectorAll('#episode-list tr[data-episode-id]')) row.classList.toggle('selected', row.dataset.episodeId === String(e.id));
    renderEpisodeDetail();
  }

  async function loadEpisodeDetail() {
    const id = state.episodeId;
    if (has('GET', '/api/v1/admin/episodes/{id}')) {
      const res = await admin('GET', `/api/v1/admin/episodes/${id}`);
      if (res.ok && id === state.episodeId) {
        state.episode = { ...state.episode, ...res.data.episode };
        state.lineup = res.data.lineup || [];
        if (res.data.show) state.show = res.data.show;
        return;
      }
    }
    // Without the operator read: the public show state, and the line-up from the results.
    const [show, results] = await Promise.all([call('GET', `/api/v1/xfactor/show/${id}`), call('GET', `/api/v1/xfactor/voting/results/${id}`)]);
    if (id !== state.episodeId) return;
    if (show.ok) state.show = show.data;
    if (results.ok) {
      const known = new Map(state.lineup.map(c => [c.contestant_id, c]));
      state.lineup = (results.data.results || []).map(r => ({ ...(known.get(r.contestant_id) || {}), contestant_id: r.contestant_id, name: r.name, khmer_name: r.khmer_name }))
        .sort((a, b) => (a.ballot_number || 999) - (b.ballot_number || 999));
    }
  }

  function renderEpisodeDetail() {
    const box = $('episode-detail');
    if (!box) return;
    if (!state.episodeId) {
      box.replaceChildren(card('Episode', h('p', { class: 'muted' }, 'Create an episode or open one from the list.')));
      return;
    }
    const lineupRows = state.lineup.map(c => h('tr', { dataset: { contestantId: c.contestant_id } },
      h('td', {}, c.ballot_number ?? ''), h('td', {}, c.name || ''), h('td', { class: 'khmer' }, c.khmer_name || ''),
      h('td', {}, c.song_performed || ''), h('td', {}, c.status || '')));
    box.replaceChildren(
      card(`Line-up · episode ${state.episodeId}`,
        state.lineup.length === 0 ? h('p', { class: 'muted' }, 'Nobody in the line-up yet.')
          : table(['Ballot', 'Name', 'Khmer name', 'Song', 'Status'], lineupRows, { id: 'lineup' }),
        lineupForm()),
      card('Show control', showControl()));
  }

  function lineupForm() {
    const next = Math.max(0, ...state.lineup.map(c => c.ballot_number || 0)) + 1;
    const form = h('form', { id: 'lineup-form', class: 'inline' },
      field('Name', h('input', { name: 'name', required: true, maxlength: 200 })),
      field('Khmer name', h('input', { name: 'khmer_name', class: 'khmer', maxlength: 200 })),
      field('Photo URL', h('input', { name: 'photo_url', type: 'url', maxlength: 2000 })),
      field('Ballot no.', h('input', { name: 'performance_order', type: 'number', min: 1, value: next, required: true })),
      field('Song', h('input', { name: 'song_performed', maxlength: 200 })),
      h('button', { type: 'submit' }, 'Add to line-up'));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = formValues(form);
      const created = await admin('POST', '/api/v1/admin/contestants', {
        body: { name: v.name, khmer_name: v.khmer_name || undefined, photo_url: v.photo_url || undefined },
      });
      if (!created.ok) return failure(created);
      const order = intOrNull(v.performance_order);
      const added = await admin('POST', `/api/v1/admin/episodes/${state.episodeId}/contestants`, {
        body: { contestant_id: created.data.id, performance_order: order, song_performed: v.song_performed || undefined },
      });
      if (!added.ok) return failure(added);
      state.lineup.push({ contestant_id: created.data.id, name: v.name, khmer_name: v.khmer_name, ballot_number: added.data.ballot_number ?? order,
        song_performed: v.song_performed, status: 'active' });
      flash(`${v.name} added with ballot number ${added.data.ballot_number ?? order}.`);
      await loadEpisodeDetail();
      renderEpisodeDetail();
    });
    return form;
  }

  function showControl() {
    const s = state.show;
    const showApi = has('POST', '/api/v1/admin/episodes/{id}/show');
    const event = (name, extra) => async () => {
      const res = await admin('POST', `/api/v1/admin/episodes/${state.episodeId}/show`, { body: { event: name, ...extra() } });
      if (!res.ok) return failure(res);
      flash(`${name} sent.`);
      if (res.data && res.data.state) state.show = res.data;
      renderEpisodeDetail();
    };
    const performer = h('select', { id: 'performer-select', 'aria-label': 'Performer' },
      state.lineup.map(c => h('option', { value: c.contestant_id }, `${c.ballot_number ? `#${c.ballot_number} ` : ''}${c.name}`)));
    const song = h('input', { id: 'song', placeholder: 'Song', maxlength: 200, 'aria-label': 'Song' });
    const duration = h('input', { id: 'duration', type: 'number', min: 1, max: 86400, value: 1800, 'aria-label': 'Voting duration in seconds' });
    const openVoting = async () => {
      const res = await admin('POST', `/api/v1/admin/episodes/${state.episodeId}/voting/open`, { body: { duration_seconds: intOrNull(duration.value) } });
      if (!res.ok) return failure(res);
      flash(`Voting open until ${formatTime(res.data.voting_end)}.`);
      await refreshShow();
    };
    const closeVoting = async () => {
      const res = await admin('POST', `/api/v1/admin/episodes/${state.episodeId}/voting/close`);
      if (!res.ok) return failure(res);
      flash('Voting closed.');
      await refreshShow();
    };
    const showButtons = showApi
      ? h('div', { class: 'buttons' },
        h('button', { type: 'button', id: 'show-start', onclick: event('SHOW_START', () => ({})) }, 'Start show'),
        performer, song,
        h('button', { type: 'button', id: 'performance-start', onclick: event('PERFORMANCE_START', () => ({ contestant_id: intOrNull(performer.value), song_name: song.value.trim() || undefined })) }, 'Performance starts'),
        h('button', { type: 'button', id: 'performance-end', onclick: event('PERFORMANCE_END', () => ({})) }, 'Performance ends'),
        h('button', { type: 'button', id: 'show-end', class: 'danger', onclick: event('SHOW_END', () => ({})) }, 'End show'))
      : notAvailable('Show events (start, performances, end)');
    return h('div', {},
      h('p', { id: 'show-state', class: 'state', dataset: { state: (s && s.state) || 'UNKNOWN' } },
        `State: ${(s && s.state) || 'unknown'}`,
        s && s.performer ? ` · on stage: ${s.performer.name}` : '',
        s && s.voting ? ` · voting closes ${formatTime(s.voting.closes_at)}` : ''),
      h('div', { class: 'buttons' },
        field('Duration (s)', duration),
        h('button', { type: 'button', id: 'open-voting', onclick: openVoting }, 'Open voting'),
        h('button', { type: 'button', id: 'close-voting', class: 'danger', onclick: closeVoting }, 'Close voting')),
      showButtons,
      h('p', {}, h('a', { href: `/live/${state.episodeId}`, target: '_blank', rel: 'noopener' }, 'Open the on-air screen')));
  }

  async function refreshShow() {
    const res = await call('GET', `/api/v1/xfactor/show/${state.episodeId}`);
    if (res.ok) state.show = res.data;
    renderEpisodeDetail();
  }

  // ---- live monitor -------------------------------------------------------------------------

  function startEpisode() {
    state.results = null;
    state.total = null;
    state.series = { t: [], rate: [] };
    state.lastSample = null;
    state.feed = openFeed(state.episodeId, onLive, (kind, text, transport) => {
      const pill = $('feed-status');
      pill.dataset.kind = kind;
      pill.dataset.transport = transport;
      pill.textContent = `${text} (${transport === 'sse' ? 'SSE' : 'WebSocket'})`;
    });
    state.sampleTimer = setInterval(sample, 1000);
    state.pollTimer = setInterval(() => {
      if (state.tab === 'monitor') pollMonitor();
    }, POLL_MS);
  }

  function stopEpisode() {
    if (state.feed) state.feed.close();
    state.feed = null;
    clearInterval(state.sampleTimer);
    clearInterval(state.pollTimer);
    state.episodeId = null;
    delete document.body.dataset.episodeId;
    if (state.chart) state.chart.destroy();
    state.chart = null;
    const pill = $('feed-status');
    pill.dataset.kind = 'idle';
    pill.textContent = '';
  }

  function onLive(m) {
    const d = m.data || {};
    if (m.type === 'STATE_UPDATE') {
      state.show = d;
      if (state.tab === 'episodes') {
        const p = $('show-state');
        if (p) {
          p.dataset.state = d.state;
          p.textContent = `State: ${d.state}${d.performer ? ` · on stage: ${d.performer.name}` : ''}`;
        }
      }
    } else if (m.type === 'LIVE_RESULTS' || m.type === 'RESULTS_READY') {
      state.results = d;
      if (Number.isFinite(d.total_votes)) state.total = d.total_votes;
      if (state.tab === 'monitor') renderContestants();
    } else if (m.type === 'VOTING_OPEN' || m.type === 'VOTING_CLOSED') {
      if (state.show) state.show = { ...state.show, state: m.type };
    }
  }

  // Votes per second from the pushed totals, sampled once a second.
  function sample() {
    if (state.total === null) return;
    const now = Date.now() / 1000;
    if (state.lastSample) {
      const dt = now - state.lastSample.at;
      const rate = dt > 0 ? Math.max(0, (state.total - state.lastSample.total) / dt) : 0;
      state.series.t.push(now);
      state.series.rate.push(Math.round(rate * 100) / 100);
      while (state.series.t.length > CHART_SECONDS) {
        state.series.t.shift();
        state.series.rate.shift();
      }
    }
    state.lastSample = { at: now, total: state.total };
    drawChart();
  }

  function drawChart() {
    const box = $('vps-chart');
    if (!box) return;
    const rates = state.series.rate;
    box.dataset.samples = String(rates.length);
    box.dataset.lastRate = String(rates.length ? rates[rates.length - 1] : 0);
    box.dataset.peakRate = String(rates.length ? Math.max(...rates) : 0);
    box.dataset.total = String(state.total ?? 0);
    $('vps-now').textContent = `${numbers.format(rates.length ? rates[rates.length - 1] : 0)} votes/s · ${numbers.format(state.total ?? 0)} total`;
    if (!window.uPlot || box.hidden || box.clientWidth === 0) return;
    const data = [state.series.t.slice(), rates.slice()];
    if (!state.chart) {
      state.chart = new window.uPlot({
        width: box.clientWidth,
        height: 260,
        legend: { show: false },
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
        series: [{}, { label: 'votes/s', stroke: '#7c5cff', fill: 'rgba(124,92,255,.18)', width: 2 }],
        axes: [{ stroke: '#9aa3b2', grid: { stroke: '#2a3142' } }, { stroke: '#9aa3b2', grid: { stroke: '#2a3142' } }],
      }, data, box);
    } else {
      state.chart.setData(data);
    }
  }

  function renderMonitor() {
    const section = $('tab-monitor');
    if (state.chart) state.chart.destroy();
    state.chart = null;
    if (needEpisode(section)) return;
    section.replaceChildren(
      card('Votes per second', h('p', { id: 'vps-now', class: 'big' }), h('div', { id: 'vps-chart', class: 'chart' })),
      h('div', { class: 'columns' },
        card('Per contestant', h('div', { id: 'mon-contestants' })),
        card('By vote type', h('div', { id: 'mon-types' }))),
      h('div', { class: 'columns' },
        card('SMS by carrier', h('div', { id: 'mon-sms' })),
        card('Service (metrics)', h('div', { id: 'mon-metrics' }))));
    renderContestants();
    drawChart();
    pollMonitor();
  }

  function renderContestants() {
    const box = $('mon-contestants');
    if (!box) return;
    const results = (state.results && state.results.results) || [];
    const lead = Math.max(1, ...results.map(r => r.votes || 0));
    const khmer = new Map(state.lineup.map(c => [c.contestant_id, c.khmer_name]));
    box.replaceChildren(results.length === 0 ? h('p', { class: 'muted' }, 'No results yet.')
      : table(['Rank', 'Contestant', 'Votes', '%', ''], results.map(r => h('tr', { dataset: { contestantId: r.contestant_id } },
        h('td', {}, r.rank), h('td', {}, r.name, khmer.get(r.contestant_id) ? h('span', { class: 'khmer sub' }, ` ${khmer.get(r.contestant_id)}`) : ''),
        h('td', { class: 'num votes' }, numbers.format(r.votes || 0)), h('td', { class: 'num' }, `${Number(r.percentage || 0).toFixed(2)}%`),
        h('td', { class: 'barcell' }, h('span', { class: 'hbar', style: { width: `${((r.votes || 0) / lead) * 100}%` } }))))));
  }

  async function pollMonitor() {
    const id = state.episodeId;
    if (!id) return;
    const [results, sms, metrics] = await Promise.all([
      call('GET', `/api/v1/xfactor/voting/results/${id}`),
      has('GET', '/api/v1/admin/episodes/{id}/sms') ? admin('GET', `/api/v1/admin/episodes/${id}/sms`) : null,
      // With the key: a server may keep /metrics for operators (Metrics:RequireApiKey).
      has('GET', '/metrics') ? admin('GET', '/metrics', { accept: 'text/plain' }) : null,
    ]);
    if (id !== state.episodeId || state.tab !== 'monitor') return;
    const types = $('mon-types');
    if (results.ok) {
      const byType = (results.data.vote_breakdown && results.data.vote_breakdown.by_type) || {};
      types.replaceChildren(table(['Type', 'Votes'], Object.entries(byType).map(([k, v]) => h('tr', { dataset: { type: k } }, h('td', {}, k), h('td', { class: 'num' }, numbers.format(v))))),
        h('p', { class: 'muted' }, `Unique voters: ${numbers.format((results.data.vote_breakdown || {}).unique_voters || 0)}`));
    }
    const smsBox = $('mon-sms');
    if (sms === null) smsBox.replaceChildren(notAvailable('SMS by carrier'));
    else if (sms.ok) {
      const carriers = sms.data.carriers || [];
      smsBox.replaceChildren(carriers.length === 0 ? h('p', { class: 'muted' }, 'No SMS for this episode yet.')
        : table(['Carrier', 'Messages', 'Counted', 'Votes', 'Refused'], carriers.map(c => h('tr', {},
          h('td', {}, c.carrier), h('td', { class: 'num' }, numbers.format(c.messages)), h('td', { class: 'num' }, numbers.format(c.counted)),
          h('td', { class: 'num' }, numbers.format(c.votes)), h('td', { class: 'num' }, numbers.format((c.refusals || []).reduce((s, r) => s + r.count, 0)))))));
    }
    const metricsBox = $('mon-metrics');
    if (metrics === null) metricsBox.replaceChildren(notAvailable('The metrics feed (/metrics)'));
    else if (metrics.ok) renderMetrics(metricsBox, await metrics.blob.text());
    else metricsBox.replaceChildren(problem(metrics, 'The metrics feed (/metrics)'));
  }

  // Prometheus text: `name{label="value",...} number`; comments and histograms' buckets skipped.
  function parseMetrics(text) {
    const out = [];
    for (const line of text.split('\n')) {
      if (!line.startsWith('xfactor_') || line.includes('_bucket')) continue;
      const m = line.match(/^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/);
      if (!m) continue;
      const labels = {};
      for (const [, k, v] of (m[3] || '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
      const value = Number(m[4]);
      if (Number.isFinite(value)) out.push({ name: m[1], labels, value });
    }
    return out;
  }

  function renderMetrics(box, text) {
    const samples = parseMetrics(text);
    const pick = (re, label) => samples.filter(s => re.test(s.name) && (!label || s.labels[label] !== undefined));
    const labelText = s => Object.entries(s.labels).filter(([k]) => k !== 'otel_scope_name').map(([k, v]) => `${k}=${v}`).join(', ');
    const rows = (title, list) => list.length === 0 ? [] : [h('tr', { class: 'group' }, h('th', { colspan: 2 }, title)),
      ...list.map(s => h('tr', {}, h('td', {}, `${s.name.replace(/^xfactor_/, '')}${labelText(s) ? ` {${labelText(s)}}` : ''}`), h('td', { class: 'num' }, numbers.format(s.value))))];
    box.replaceChildren(samples.length === 0 ? h('p', { class: 'muted' }, 'No xfactor_ metrics yet.')
      : table(['Metric', 'Value'], [
        ...rows('Refusals by code', pick(/refus|reject/)),
        ...rows('Open connections', pick(/connection/)),
        ...rows('Writer queue', pick(/queue/)),
        ...rows('SMS by carrier', pick(/sms/)),
        ...rows('Votes committed', pick(/votes_committed/)),
        ...rows('Outbox', pick(/outbox/)),
      ], { id: 'metrics-table' }));
  }

  // ---- review queue -------------------------------------------------------------------------

  async function renderReviews(status = 'open') {
    const section = $('tab-reviews');
    if (!has('GET', '/api/v1/admin/fraud/reviews')) {
      section.replaceChildren(card('Review queue', notAvailable('The fraud review queue')));
      return;
    }
    const select = h('select', { 'aria-label': 'Status', onchange: () => renderReviews(select.value) },
      ['open', 'approved', 'voided'].map(s => h('option', { value: s, selected: s === status }, s)));
    const query = new URLSearchParams({ status, limit: '200' });
    if (state.episodeId) query.set('episode_id', String(state.episodeId));
    const res = await admin('GET', `/api/v1/admin/fraud/reviews?${query}`);
    const body = !res.ok ? problem(res, 'The fraud review queue')
      : (res.data.reviews || []).length === 0 ? h('p', { class: 'muted' }, `No ${status} reviews.`)
        : table(['#', 'Vote', 'Voter', 'Score', 'Reasons', 'Created', ''], res.data.reviews.map(r => h('tr', { dataset: { reviewId: r.id } },
          h('td', {}, r.id), h('td', {}, r.vote_id), h('td', {}, r.voter_id), h('td', { class: 'num' }, Number(r.score).toFixed(2)),
          h('td', {}, (r.reasons || []).join(', ')), h('td', {}, formatTime(r.created_at)),
          h('td', {}, r.status === 'open' ? reviewActions(r, status) : r.status))));
    section.replaceChildren(card('Review queue', h('div', { class: 'buttons' }, field('Status', select),
      h('span', { class: 'muted' }, state.episodeId ? `episode ${state.episodeId}` : 'all episodes')), body));
  }

  function reviewActions(r, status) {
    const reason = h('input', { placeholder: 'Reason for voiding', maxlength: 500, 'aria-label': 'Reason' });
    const act = (path, body) => async () => {
      const res = await admin('POST', `/api/v1/admin/fraud/reviews/${r.id}/${path}`, { body });
      if (!res.ok) return failure(res);
      flash(`Review ${r.id}: ${path === 'approve' ? 'approved' : 'voided'}.`);
      renderReviews(status);
    };
    return h('span', { class: 'buttons' },
      h('button', { type: 'button', class: 'small', onclick: act('approve') }, 'Approve'),
      reason,
      h('button', { type: 'button', class: 'small danger', onclick: () => (reason.value.trim() ? act('void', { reason: reason.value.trim() })() : flash('Give a reason to void.', 'error')) }, 'Void'));
  }

  // ---- dead letters -------------------------------------------------------------------------

  async function renderOutbox(status = 'dead') {
    const section = $('tab-outbox');
    const select = h('select', { 'aria-label': 'Status', onchange: () => renderOutbox(select.value) },
      ['dead', 'pending', 'delivered'].map(s => h('option', { value: s, selected: s === status }, s)));
    const res = await admin('GET', `/api/v1/admin/outbox?status=${encodeURIComponent(status)}&limit=200`);
    const entries = res.ok ? res.data.entries || [] : [];
    const body = !res.ok ? h('p', { class: 'error' }, res.message)
      : entries.length === 0 ? h('p', { class: 'muted' }, status === 'dead' ? 'No dead letters.' : `Nothing ${status}.`)
        : table(['#', 'Kind', 'To', 'Recipient', 'Attempts', 'Last error', 'Created', ''], entries.map(e => h('tr', { dataset: { outboxId: e.id } },
          h('td', {}, e.id), h('td', {}, e.kind), h('td', {}, e.carrier), h('td', {}, e.recipient), h('td', { class: 'num' }, e.attempts),
          h('td', { class: 'wrap' }, e.last_error || ''), h('td', {}, formatTime(e.created_at)),
          h('td', {}, e.status === 'dead' ? h('button', { type: 'button', class: 'small', onclick: () => retry(e.id, status) }, 'Retry') : e.status))));
    section.replaceChildren(card('Outbox', h('div', { class: 'buttons' }, field('Status', select)), body));
  }

  async function retry(id, status) {
    const res = await admin('POST', `/api/v1/admin/outbox/${id}/retry`);
    if (!res.ok) return failure(res);
    flash(`Row ${id} queued again.`);
    renderOutbox(status);
  }

  // ---- catalog ------------------------------------------------------------------------------

  async function renderCatalog() {
    const section = $('tab-catalog');
    const res = await admin('GET', '/api/v1/admin/vote_packages');
    const packages = res.ok ? res.data.packages || [] : [];
    const list = !res.ok ? h('p', { class: 'error' }, res.message)
      : table(['#', 'Name', 'Votes', 'Bonus', 'Price', 'Badge', 'iOS product', 'Android product', 'Order', 'Active', ''], packages.map(p => h('tr', { dataset: { packageId: p.id } },
        h('td', {}, p.id), h('td', {}, p.name), h('td', { class: 'num' }, numbers.format(p.vote_count)), h('td', { class: 'num' }, numbers.format(p.bonus_votes)),
        h('td', { class: 'num' }, `${p.price} ${p.currency}`), h('td', {}, p.badge_text || ''), h('td', {}, p.ios_product_id || ''),
        h('td', {}, p.android_product_id || ''), h('td', { class: 'num' }, p.sort_order), h('td', {}, p.active ? 'yes' : 'no'),
        h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => setActive(p, !p.active) }, p.active ? 'Deactivate' : 'Activate')))));
    const form = h('form', { id: 'package-form', class: 'inline' },
      field('Name', h('input', { name: 'name', required: true, maxlength: 100 })),
      field('Votes', h('input', { name: 'vote_count', type: 'number', min: 1, required: true })),
      field('Bonus', h('input', { name: 'bonus_votes', type: 'number', min: 0, value: 0 })),
      field('Price (USD)', h('input', { name: 'price', type: 'number', min: 0, step: '0.01', required: true })),
      field('Badge', h('input', { name: 'badge_text', maxlength: 50 })),
      field('iOS product id', h('input', { name: 'ios_product_id', maxlength: 200 })),
      field('Android product id', h('input', { name: 'android_product_id', maxlength: 200 })),
      field('Order', h('input', { name: 'sort_order', type: 'number', value: packages.length + 1 })),
      h('button', { type: 'submit' }, 'Add package'));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = formValues(form);
      const created = await admin('POST', '/api/v1/admin/vote_packages', {
        body: { name: v.name, vote_count: intOrNull(v.vote_count), bonus_votes: intOrNull(v.bonus_votes) ?? 0, price: Number(v.price), currency: 'USD',
          badge_text: v.badge_text || undefined, ios_product_id: v.ios_product_id || undefined, android_product_id: v.android_product_id || undefined,
          sort_order: intOrNull(v.sort_order) ?? 0 },
      });
      if (!created.ok) return failure(created);
      flash(`Package ${created.data.id} added.`);
      renderCatalog();
    });
    section.replaceChildren(card('Vote packages', list), card('New package', form));
  }

  async function setActive(p, active) {
    const res = await admin('PATCH', `/api/v1/admin/vote_packages/${p.id}`, { body: { active } });
    if (!res.ok) return failure(res);
    flash(`${p.name} ${active ? 'activated' : 'deactivated'}.`);
    renderCatalog();
  }

  // ---- post-show report ---------------------------------------------------------------------

  async function renderReport() {
    const section = $('tab-report');
    if (needEpisode(section)) return;
    const id = state.episodeId;
    const audit = await admin('GET', `/api/v1/admin/episodes/${id}/audit`);
    const auditCard = card('Audit', !audit.ok ? h('p', { class: 'error' }, audit.message)
      : h('dl', { id: 'audit', class: 'facts' },
        h('dt', {}, 'Ledger votes'), h('dd', {}, numbers.format(audit.data.ledger_votes)),
        h('dt', {}, 'Tally votes'), h('dd', {}, numbers.format(audit.data.tally_votes)),
        h('dt', {}, 'Voided'), h('dd', {}, numbers.format(audit.data.voided_votes ?? 0)),
        h('dt', {}, 'Consistent'), h('dd', { dataset: { consistent: String(audit.data.consistent) } }, audit.data.consistent ? 'yes' : 'NO'),
        h('dt', {}, 'Digest'), h('dd', { class: 'mono' }, audit.data.digest)));
    if (!has('GET', '/api/v1/admin/episodes/{id}/analytics')) {
      section.replaceChildren(card('Analytics', notAvailable('The analytics report')), auditCard);
      return;
    }
    const res = await admin('GET', `/api/v1/admin/episodes/${id}/analytics`);
    if (id !== state.episodeId) return;
    if (!res.ok) {
      section.replaceChildren(card('Analytics', problem(res, 'The analytics report')), auditCard);
      return;
    }
    const a = res.data;
    const s = a.summary || {};
    const revenue = s.revenue || {};
    const downloads = h('div', { class: 'buttons', id: 'csv-downloads' },
      CSV_SECTIONS.map(name => h('button', { type: 'button', class: 'small', dataset: { section: name }, onclick: () => downloadCsv(id, name) }, `${name}.csv`)));
    const timelineBox = h('div', { id: 'report-chart', class: 'chart' });
    section.replaceChildren(
      card('Summary', h('div', { class: 'stats', id: 'report-summary' },
        stat('Total votes', numbers.format(s.total_votes || 0)), stat('Unique voters', numbers.format(s.unique_voters || 0)),
        stat('Votes per voter', Number(s.average_votes_per_user || 0).toFixed(2)), stat('SMS revenue', money.format(revenue.sms || 0)),
        stat('Package revenue', money.format(revenue.paid_packages || 0)), stat('Total revenue', money.format(revenue.total || 0)),
        stat('Engagement', `${Number(s.engagement_rate || 0).toFixed(2)}%`)), h('h3', {}, 'CSV downloads'), downloads),
      card('Votes per minute', timelineBox),
      card('Contestants', table(['Contestant', 'Votes', 'Voters', 'Momentum', 'Predicted rank'], (a.contestant_analysis || []).map(c => h('tr', {},
        h('td', {}, c.name), h('td', { class: 'num' }, numbers.format(c.total_votes || 0)), h('td', { class: 'num' }, numbers.format(c.unique_voters || 0)),
        h('td', { class: 'num' }, Number(c.momentum_score || 0).toFixed(2)), h('td', { class: 'num' }, c.predicted_rank ?? ''))))),
      h('div', { class: 'columns' },
        card('Demographics', keyed('By tier', (a.demographics || {}).by_tier), keyed('By age group', (a.demographics || {}).by_age_group),
          keyed('By gender', (a.demographics || {}).by_gender), keyed('New vs returning', (a.demographics || {}).new_vs_returning)),
        card('Geography', keyed('Votes by province', (a.geographic || {}).by_province), keyed('Urban vs rural', (a.geographic || {}).urban_vs_rural)),
        card('Payments', keyed('By type', (a.payment_methods || {}).by_type), keyed('By amount', (a.payment_methods || {}).by_amount))),
      predictions(a.predictions),
      auditCard);
    drawTimeline(timelineBox, (a.timeline || {}).per_minute || []);
  }

  function stat(label, value) {
    return h('div', { class: 'stat' }, h('span', { class: 'label' }, label), h('span', { class: 'value' }, value));
  }

  function keyed(title, obj) {
    if (!obj || typeof obj !== 'object') return '';
    return h('div', {}, h('h3', {}, title), table(['', ''], Object.entries(obj).map(([k, v]) =>
      h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, typeof v === 'number' ? numbers.format(v) : JSON.stringify(v))))));
  }

  function predictions(p) {
    if (!p) return card('Predictions', h('p', { class: 'muted' }, 'Predictions are shown while voting is open.'));
    const w = p.projected_winner || {};
    return card('Predictions', h('p', {}, `Projected winner: ${w.name || '?'} (${numbers.format(w.projected_votes || 0)} votes), confidence ${p.confidence_level ?? 0}%`),
      table(['Contestant', 'Win probability'], (p.win_probability || []).map(x => h('tr', {}, h('td', {}, nameOf(x.contestant_id)),
        h('td', { class: 'num' }, `${(x.probability * 100).toFixed(1)}%`)))));
  }

  function nameOf(contestantId) {
    const c = state.lineup.find(x => x.contestant_id === contestantId);
    return c ? c.name : `#${contestantId}`;
  }

  function drawTimeline(box, perMinute) {
    if (!window.uPlot || perMinute.length === 0) {
      box.replaceChildren(h('p', { class: 'muted' }, 'No votes per minute yet.'));
      return;
    }
    const t = perMinute.map(x => Date.parse(x.time) / 1000);
    const v = perMinute.map(x => x.votes);
    new window.uPlot({
      width: Math.max(300, box.clientWidth),
      height: 240,
      legend: { show: false },
      // One minute alone would otherwise be spread over years.
      scales: { x: { time: true, range: (u, min, max) => (max - min < 600 ? [min - 300, max + 300] : [min, max]) } },
      series: [{}, { label: 'votes', stroke: '#22c39a', fill: 'rgba(34,195,154,.2)', width: 2 }],
      axes: [{ stroke: '#9aa3b2', grid: { stroke: '#2a3142' } }, { stroke: '#9aa3b2', grid: { stroke: '#2a3142' } }],
    }, [t, v], box);
  }

  async function downloadCsv(id, section) {
    const res = await admin('GET', `/api/v1/admin/episodes/${id}/analytics?section=${section}&format=csv`, { accept: 'text/csv' });
    if (!res.ok) return failure(res);
    const url = URL.createObjectURL(res.blob);
    const a = h('a', { href: url, download: `episode-${id}-${section}.csv`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    flash(`Downloaded ${section}.csv.`);
  }

  // ---- audit log ----------------------------------------------------------------------------

  async function renderAuditLog() {
    const section = $('tab-audit');
    if (!has('GET', '/api/v1/admin/audit_log')) {
      section.replaceChildren(card('Audit log', notAvailable('The operator audit log')));
      return;
    }
    const res = await admin('GET', '/api/v1/admin/audit_log?limit=200');
    section.replaceChildren(card('Audit log', !res.ok ? problem(res, 'The operator audit log')
      : table(['#', 'When', 'Operator', 'Action', 'Target', 'Request'], (res.data.entries || []).map(e => h('tr', {},
        h('td', {}, e.id), h('td', {}, formatTime(e.at)), h('td', {}, e.actor), h('td', {}, e.action), h('td', {}, e.target ?? ''), h('td', { class: 'mono' }, e.request_id || ''))))));
  }

  // ---- start --------------------------------------------------------------------------------

  $('sign-in-form').addEventListener('submit', async e => {
    e.preventDefault();
    const key = $('key').value.trim();
    if (!key) return;
    if (await signIn(key)) {
      $('key').value = '';
      await enter();
    }
  });
  $('sign-out').addEventListener('click', () => signOut(''));
  for (const button of document.querySelectorAll('.tabs button')) button.addEventListener('click', () => showTab(button.dataset.tab));
  window.addEventListener('resize', () => {
    const box = $('vps-chart');
    if (state.chart && box) state.chart.setSize({ width: box.clientWidth, height: 260 });
  });

  if (state.key) {
    signIn(state.key).then(ok => (ok ? enter() : signOut('')));
  }
})();
