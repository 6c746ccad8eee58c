// dcmon dashboard login: posts the admin token as JSON; the server answers with an HttpOnly session cookie.
'use strict';
(function () {
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    error.textContent = '';
    // every page of the dashboard lives directly under ui/, so "login" is always the login route
    const url = new URL('login', document.baseURI);
    let resp;
    try {
      resp = await fetch(url, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: document.getElementById('token').value })
      });
    } catch (e) {
      error.textContent = 'The server cannot be reached: ' + e.message;
      return;
    }
    if (resp.ok) {
      if (location.pathname.endsWith('/login')) {
        location.href = new URL('./', document.baseURI).href;
      } else {
        location.reload();
      }
      return;
    }
    let message = 'Login failed (' + resp.status + ')';
    try { message = (await resp.json()).error || message; } catch (e) { /* not JSON */ }
    error.textContent = message;
  });
})();
