// Shared helpers of the dcmon dashboard. Every value that comes from an agent is put into the page with
// textContent (never innerHTML), so a host name or command output is always shown as text.
'use strict';
window.dcmon = (function () {
  let csrf = null;

  /** The API root: pages live under ui/, the API beside it. */
  function apiUrl(path) {
    return new URL('../api/' + path, document.baseURI);
  }

  /** The CSRF token of this page's session (asked once). */
  async function csrfToken() {
    if (csrf === null) {
      const s = await request(new URL('session', document.baseURI), {});
      csrf = s.csrf_token;
    }
    return csrf;
  }

  async function request(url, options) {
    const resp = await fetch(url, Object.assign({ credentials: 'same-origin', cache: 'no-store' }, options));
    if (resp.status === 401) {
      // the session ended: the page itself now answers with the login form
      location.reload();
      throw new Error('not logged in');
    }
    const text = await resp.text();
    let body = null;
    if (text) {
      try { body = JSON.parse(text); } catch (e) { body = { error: text }; }
    }
    if (!resp.ok) {
      throw new Error((body && body.error) || ('HTTP ' + resp.status));
    }
    return body;
  }

  /** GET an API route, e.g. get('fleet'). */
  function get(path) {
    return request(apiUrl(path), {});
  }

  /** POST JSON to an API route with the session's CSRF token. */
  async function post(path, body) {
    return request(apiUrl(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': await csrfToken() },
      body: JSON.stringify(body)
    });
  }

  async function logout() {
    await fetch(new URL('logout', document.baseURI), {
      method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': await csrfToken() }
    });
    location.href = new URL('login', document.baseURI).href;
  }

  /** A new element with text content only. */
  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function num(v, digits) {
    if (v === undefined || v === null) { return ''; }
    return Number(v).toFixed(digits === undefined ? 0 : digits);
  }

  function ago(unixSeconds) {
    if (!unixSeconds) { return 'never'; }
    const s = Math.max(0, Math.round(Date.now() / 1000 - unixSeconds));
    if (s < 90) { return s + ' s ago'; }
    if (s < 5400) { return Math.round(s / 60) + ' min ago'; }
    if (s < 172800) { return Math.round(s / 3600) + ' h ago'; }
    return Math.round(s / 86400) + ' d ago';
  }

  function duration(seconds) {
    if (seconds === undefined || seconds === null) { return ''; }
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    if (d > 0) { return d + 'd ' + h + 'h'; }
    return h + 'h ' + Math.floor((seconds % 3600) / 60) + 'm';
  }

  function time(unixSeconds) {
    return unixSeconds ? new Date(unixSeconds * 1000).toLocaleString() : '';
  }

  document.addEventListener('DOMContentLoaded', function () {
    const b = document.getElementById('logout');
    if (b) { b.addEventListener('click', logout); }
  });

  return { get: get, post: post, el: el, num: num, ago: ago, duration: duration, time: time, csrfToken: csrfToken };
})();
