// @ts-check
/**
 * ClassCord's browser client: the TCP protocol's JSON messages, one per WebSocket text frame.
 * Text from the server (names, messages, errors) is only ever set with textContent, never as HTML.
 * No framework, no build step: the plugin serves this file as is.
 */
'use strict';

const DEFAULT_CHANNEL = '#général';
const GLOBAL = 'global'; // the one conversation when the server has no channels plugin
const MAX_ITEMS = 500; // per conversation, oldest dropped
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;
const USERS_REFRESH_MS = 30_000;

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {{ time: string, author?: string, text: string, kind: 'message'|'notice'|'error', history?: boolean }} Item
 * @typedef {{ key: string, title: string, kind: 'channel'|'private'|'global', items: Item[], unread: number }} Conversation
 */

const state = {
  /** @type {WebSocket | undefined} */ ws: undefined,
  /** @type {'user'|'guest'|undefined} */ mode: undefined,
  me: '',
  password: '', // kept in memory only, to log in again after a reconnect
  /** @type {'login'|'register'|undefined} */ pendingAuth: undefined,
  named: false,
  inChat: false,
  channelsSupported: true,
  expectChannelsReply: false,
  /** @type {string[]} */ channelList: [],
  /** @type {Set<string>} */ joined: new Set(),
  /** @type {Set<string>} */ rejoin: new Set(),
  /** The channel the user asked to join: shown once the server says ok. */
  requestedJoin: '',
  /** @type {Map<string, string>} */ online: new Map(),
  /** @type {Map<string, Conversation>} */ conversations: new Map(),
  active: '',
  reconnectDelay: RECONNECT_MIN_MS,
  /** @type {ReturnType<typeof setTimeout> | undefined} */ reconnectTimer: undefined,
  /** @type {ReturnType<typeof setInterval> | undefined} */ usersTimer: undefined,
};

// ---- connection -------------------------------------------------------------------------------

function wsUrl() {
  const path = document.body.dataset.wsPath || '/ws';
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}

function connect() {
  clearTimeout(state.reconnectTimer);
  const ws = new WebSocket(wsUrl());
  state.ws = ws;
  setConnection('connexion…', false);
  ws.addEventListener('open', () => {
    state.reconnectDelay = RECONNECT_MIN_MS;
    setConnection('connecté', true);
    state.named = false;
    if (state.mode === 'user') {
      state.pendingAuth = 'login';
      send({ type: 'login', username: state.me, password: state.password });
    } else if (state.mode === 'guest') {
      afterConnect();
    }
  });
  ws.addEventListener('message', (event) => {
    let msg;
    try {
      msg = JSON.parse(String(event.data));
    } catch {
      return; // the server only sends JSON; ignore anything else rather than stop reading
    }
    if (msg && typeof msg === 'object' && typeof msg.type === 'string') handle(msg);
  });
  ws.addEventListener('close', (event) => {
    if (state.ws !== ws) return;
    state.ws = undefined;
    clearInterval(state.usersTimer);
    if (event.code === 1009) notice('Message trop long : le serveur a fermé la connexion.', 'error');
    if (state.mode === undefined && !state.inChat) {
      // Not logged in yet: reconnect quietly so the form works when the user tries.
      scheduleReconnect();
      return;
    }
    state.rejoin = new Set(state.joined);
    scheduleReconnect();
  });
}

function scheduleReconnect() {
  const delay = state.reconnectDelay;
  state.reconnectDelay = Math.min(delay * 2, RECONNECT_MAX_MS);
  setConnection(`déconnecté, reconnexion dans ${Math.ceil(delay / 1000)} s…`, false);
  state.reconnectTimer = setTimeout(connect, delay);
}

/** @param {Record<string, unknown>} msg */
function send(msg) {
  if (!state.ws || state.ws.readyState !== WebSocket.OPEN) {
    notice("Pas de connexion au serveur : message non envoyé.", 'error');
    return false;
  }
  state.ws.send(JSON.stringify(msg));
  return true;
}

/** What to ask once logged in (or, for a guest, connected). */
function afterConnect() {
  if (state.channelsSupported) {
    state.expectChannelsReply = true;
    send({ type: 'channels' });
  }
  send({ type: 'users' });
  clearInterval(state.usersTimer);
  state.usersTimer = setInterval(() => state.named && send({ type: 'users' }), USERS_REFRESH_MS);
}

/** After a reconnect: the server forgot our channels; join them again. */
function rejoinChannels() {
  for (const channel of state.rejoin) if (channel !== DEFAULT_CHANNEL) send({ type: 'join', channel });
  state.rejoin.clear();
}

// ---- incoming ---------------------------------------------------------------------------------

/** @param {any} msg */
function handle(msg) {
  switch (msg.type) {
    case 'register':
      if (msg.status === 'ok' && state.pendingAuth === 'register') {
        state.pendingAuth = 'login';
        send({ type: 'login', username: state.me, password: state.password });
      }
      return;
    case 'login':
      if (msg.status !== 'ok' || state.pendingAuth !== 'login') return;
      state.pendingAuth = undefined;
      state.mode = 'user';
      state.named = true;
      if (state.channelsSupported) state.joined.add(DEFAULT_CHANNEL);
      enterChat();
      afterConnect();
      rejoinChannels();
      return;
    case 'error':
      return handleError(String(msg.message ?? ''));
    case 'channels':
      state.expectChannelsReply = false;
      state.channelList = Array.isArray(msg.channels) ? msg.channels.map(String) : [];
      renderSidebar();
      return;
    case 'join':
      if (msg.status === 'ok' && typeof msg.channel === 'string') {
        state.joined.add(msg.channel);
        if (!state.channelList.includes(msg.channel)) state.channelList.push(msg.channel);
        conversation(msg.channel);
        if (msg.channel === state.requestedJoin) {
          state.requestedJoin = '';
          select(msg.channel);
        } else renderSidebar();
      }
      return;
    case 'leave':
      if (msg.status === 'ok' && typeof msg.channel === 'string') {
        state.joined.delete(msg.channel);
        select(DEFAULT_CHANNEL);
      }
      return;
    case 'users':
      state.online = new Map((Array.isArray(msg.users) ? msg.users : []).map((u) => [String(u), state.online.get(String(u)) ?? 'online']));
      renderOnline();
      return;
    case 'status':
      if (typeof msg.user !== 'string') return;
      if (msg.state === 'offline') state.online.delete(msg.user);
      else state.online.set(msg.user, String(msg.state ?? 'online'));
      renderOnline();
      return;
    case 'message':
      return receiveMessage(msg);
    case 'private': // walo's alias, should a server send it
      return receiveMessage({ ...msg, subtype: 'private' });
    case 'system':
      return add(typeof msg.channel === 'string' ? msg.channel : state.active || home(), {
        time: clock(msg.timestamp), author: 'serveur', text: String(msg.content ?? ''), kind: 'notice',
      });
    default:
      return; // who and future types: nothing to show
  }
}

/** @param {string} text */
function handleError(text) {
  if (state.pendingAuth) {
    state.pendingAuth = undefined;
    state.mode = undefined; // a refused login is not retried by the reconnect loop
    showAuth(text);
    return;
  }
  if (state.expectChannelsReply) {
    state.expectChannelsReply = false;
    if (text === 'Unknown message type.') {
      // Base server, no channels plugin: one global conversation.
      state.channelsSupported = false;
      state.joined.clear();
      renderSidebar();
      select(GLOBAL);
      return;
    }
  }
  notice(text, 'error');
}

/** @param {any} msg */
function receiveMessage(msg) {
  const from = String(msg.from ?? '?');
  const to = typeof msg.to === 'string' ? msg.to : '';
  const isPrivate = msg.subtype === 'private';
  const key = isPrivate ? '@' + (from === state.me ? to : from) : !state.channelsSupported ? GLOBAL : typeof msg.channel === 'string' ? msg.channel : DEFAULT_CHANNEL;
  if (!msg.history && !isPrivate && from !== state.me && !state.online.has(from)) {
    state.online.set(from, 'online');
    renderOnline();
  }
  add(key, { time: clock(msg.timestamp), author: from, text: String(msg.content ?? ''), kind: 'message', history: msg.history === true });
}

// ---- conversations ----------------------------------------------------------------------------

function home() {
  return state.channelsSupported ? DEFAULT_CHANNEL : GLOBAL;
}

/** @param {string} key */
function conversation(key) {
  let c = state.conversations.get(key);
  if (!c) {
    const kind = key === GLOBAL ? 'global' : key.startsWith('@') ? 'private' : 'channel';
    c = { key, title: key === GLOBAL ? 'Tout le monde' : key, kind, items: [], unread: 0 };
    state.conversations.set(key, c);
  }
  return c;
}

/** @param {string} key @param {Item} item */
function add(key, item) {
  const c = conversation(key);
  c.items.push(item);
  if (c.items.length > MAX_ITEMS) c.items.shift();
  if (key === state.active) appendItem(item);
  else c.unread++;
  renderSidebar();
}

/** @param {string} text @param {'notice'|'error'} kind */
function notice(text, kind = 'notice') {
  if (!state.inChat) return showAuth(text);
  add(state.active || home(), { time: clock(), text, kind });
}

/** @param {string} key */
function select(key) {
  const c = conversation(key);
  state.active = key;
  c.unread = 0;
  $('title').textContent = c.title;
  $('leave').hidden = !(c.kind === 'channel' && key !== DEFAULT_CHANNEL && state.joined.has(key));
  const list = $('messages');
  list.replaceChildren();
  for (const item of c.items) appendItem(item);
  renderSidebar();
  /** @type {HTMLInputElement} */ ($('text')).focus();
}

/** @param {Item} item */
function appendItem(item) {
  const li = document.createElement('li');
  li.className = item.kind + (item.history ? ' history' : '');
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = item.time;
  li.append(time);
  if (item.author !== undefined) {
    const author = document.createElement('span');
    author.className = 'author';
    author.textContent = item.author;
    li.append(author);
  }
  const text = document.createElement('span');
  text.className = 'content';
  text.textContent = item.text;
  li.append(text);
  const list = $('messages');
  list.append(li);
  list.scrollTop = list.scrollHeight;
}

/** HH:MM:SS of a wire timestamp (server local time), or of now. @param {unknown} [timestamp] */
function clock(timestamp) {
  if (typeof timestamp === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(timestamp)) return timestamp.slice(11, 19);
  return new Date().toTimeString().slice(0, 8);
}

// ---- rendering --------------------------------------------------------------------------------

/** @param {string} label @param {string} key @param {string} [dataKey] @param {string} [dataValue] */
function item(label, key, dataKey, dataValue) {
  const li = document.createElement('li');
  const name = document.createElement('span');
  name.textContent = label;
  li.append(name);
  const c = state.conversations.get(key);
  if (c && c.unread > 0) {
    const badge = document.createElement('span');
    badge.className = 'unread';
    badge.textContent = String(c.unread);
    li.append(badge);
  }
  if (key === state.active) li.classList.add('active');
  if (dataKey && dataValue !== undefined) li.dataset[dataKey] = dataValue;
  return li;
}

function renderSidebar() {
  const channels = $('channels');
  channels.replaceChildren();
  const names = state.channelsSupported ? [...new Set([...state.channelList, ...state.joined])] : [GLOBAL];
  for (const name of names) {
    const member = !state.channelsSupported || state.joined.has(name);
    const li = item(name === GLOBAL ? 'Tout le monde' : name + (member ? '' : ' (rejoindre)'), name, 'channel', name);
    li.addEventListener('click', () => (member ? select(name) : join(name)));
    channels.append(li);
  }
  $('join-form').hidden = !state.channelsSupported;
  const privates = $('privates');
  privates.replaceChildren();
  for (const c of state.conversations.values()) {
    if (c.kind !== 'private') continue;
    const li = item(c.title, c.key, 'peer', c.key.slice(1));
    li.addEventListener('click', () => select(c.key));
    privates.append(li);
  }
  if (state.active) $('leave').hidden = !(state.active !== DEFAULT_CHANNEL && state.joined.has(state.active));
}

function renderOnline() {
  const online = $('online');
  online.replaceChildren();
  for (const [name, st] of state.online) {
    const li = item(st === 'online' ? name : `${name} (${st})`, '', 'user', name);
    if (name !== state.me) li.addEventListener('click', () => select('@' + name));
    online.append(li);
  }
}

/** @param {string} text @param {boolean} ok */
function setConnection(text, ok) {
  const el = $('connection');
  el.textContent = text;
  el.classList.toggle('ok', ok);
}

function enterChat() {
  state.inChat = true;
  $('auth').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = state.mode === 'guest' ? `${state.me} (invité)` : state.me;
  if (!state.active) select(home());
  else renderSidebar();
}

/** @param {string} text */
function showAuth(text) {
  state.inChat = false;
  $('chat').hidden = true;
  $('auth').hidden = false;
  $('auth-error').textContent = text;
}

// ---- user actions -----------------------------------------------------------------------------

/** @param {'login'|'register'} kind */
function authenticate(kind) {
  const username = /** @type {HTMLInputElement} */ ($('username')).value.trim();
  const password = /** @type {HTMLInputElement} */ ($('password')).value;
  if (!username || !password) return showAuth("Nom d'utilisateur et mot de passe requis.");
  state.me = username;
  state.password = password;
  state.pendingAuth = kind;
  $('auth-error').textContent = '';
  send({ type: kind, username, password });
}

function enterAsGuest() {
  const pseudo = /** @type {HTMLInputElement} */ ($('username')).value.trim() || 'invité';
  state.mode = 'guest';
  state.me = pseudo;
  state.password = '';
  if (state.channelsSupported) state.joined.add(DEFAULT_CHANNEL); // where its first message goes
  enterChat();
  afterConnect();
  notice('Vous êtes invité : votre nom apparaîtra aux autres à votre premier message.');
}

/** @param {string} channel */
function join(channel) {
  state.requestedJoin = channel;
  return send({ type: 'join', channel });
}

function sendMessage() {
  const input = /** @type {HTMLInputElement} */ ($('text'));
  const content = input.value;
  if (content.trim() === '') return;
  const c = conversation(state.active || home());
  /** @type {Record<string, unknown>} */
  const msg = { type: 'message', content };
  if (c.kind === 'private') Object.assign(msg, { subtype: 'private', to: c.key.slice(1) });
  else {
    msg.subtype = 'global';
    if (c.kind === 'channel') msg.channel = c.key;
  }
  if (state.mode === 'guest') msg.from = state.me; // names the guest on its first message (§6)
  if (!send(msg)) return;
  input.value = '';
  add(c.key, { time: clock(), author: state.me, text: content, kind: 'message' }); // the server does not echo
  if (state.mode === 'guest' && !state.named) {
    state.named = true;
    if (c.kind === 'channel') state.joined.add(c.key);
    rejoinChannels();
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    authenticate('login');
  });
  $('register').addEventListener('click', () => authenticate('register'));
  $('guest').addEventListener('click', enterAsGuest);
  $('send-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sendMessage();
  });
  $('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($('join-name'));
    const channel = input.value.trim();
    if (channel && join(channel)) input.value = '';
  });
  $('leave').addEventListener('click', () => send({ type: 'leave', channel: state.active }));
  connect();
});
