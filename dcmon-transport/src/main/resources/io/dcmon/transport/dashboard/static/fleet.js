// Fleet view: one row per client from GET /api/fleet, sortable, filterable, refreshed in place.
'use strict';
(function () {
  const REFRESH_MS = 10000;
  const d = window.dcmon;
  // key: FleetRow field; num: right-aligned number; fmt: cell text; threshold: coloured by the server's thresholds
  const COLUMNS = [
    { key: 'status', label: 'status' },
    { key: 'hostname', label: 'host' },
    { key: 'last_seen', label: 'last seen', fmt: r => d.ago(r.last_seen) },
    { key: 'uptime_seconds', label: 'uptime', num: true, fmt: r => d.duration(r.uptime_seconds) },
    { key: 'cpu_temp_celsius', label: 'CPU °C', num: true, threshold: true },
    { key: 'board_temp_celsius', label: 'board °C', num: true, threshold: true },
    { key: 'gpu_count', label: 'GPUs', num: true },
    { key: 'gpu_temp_celsius', label: 'GPU °C', num: true, threshold: true },
    { key: 'gpu_util_percent', label: 'GPU %', num: true },
    { key: 'gpu_power_watts', label: 'GPU W', num: true },
    { key: 'memory_percent', label: 'mem %', num: true, threshold: true },
    { key: 'root_fs_percent', label: '/ %', num: true, threshold: true },
    { key: 'load1', label: 'load', num: true, threshold: true, fmt: r => d.num(r.load1, 2) },
    { key: 'updates_pending', label: 'updates', num: true,
      fmt: r => r.updates_pending === undefined ? '' : r.updates_pending + ' (' + (r.security_updates_pending || 0) + ' sec)' },
    { key: 'reboot_required', label: 'reboot', fmt: r => r.reboot_required === undefined ? '' : (r.reboot_required ? 'yes' : 'no') },
    { key: 'fan_mode', label: 'fan mode' },
    { key: 'failing_collectors', label: 'collectors', fmt: r => (r.failing_collectors || []).length ? 'failing: ' + r.failing_collectors.join(', ') : 'ok' }
  ];
  let data = null;
  let sortKey = 'hostname';
  let sortDir = 1;

  function buildHead() {
    const head = document.getElementById('fleet-head');
    for (const c of COLUMNS) {
      const th = d.el('th', c.label, c.num ? 'num' : '');
      th.dataset.key = c.key;
      th.addEventListener('click', function () {
        sortDir = sortKey === c.key ? -sortDir : 1;
        sortKey = c.key;
        render();
      });
      head.appendChild(th);
    }
  }

  /** The value a threshold is compared with: load per CPU, everything else as is. */
  function levelValue(row, key) {
    if (key === 'load1' && row.load1 !== undefined) {
      return row.load1 / (row.cpu_count || 1);
    }
    return row[key];
  }

  function level(row, key) {
    const t = data.thresholds && data.thresholds[key];
    const v = levelValue(row, key);
    if (!t || v === undefined || v === null) { return ''; }
    return v >= t.crit ? 'crit' : v >= t.warn ? 'warn' : '';
  }

  function compare(a, b) {
    let x = a[sortKey];
    let y = b[sortKey];
    if (Array.isArray(x)) { x = x.length; y = (y || []).length; }
    if (x === undefined || x === null) { return 1; }
    if (y === undefined || y === null) { return -1; }
    if (typeof x === 'string') { return sortDir * x.localeCompare(y); }
    return sortDir * (x - y);
  }

  function render() {
    if (!data) { return; }
    const text = document.getElementById('filter-text').value.trim().toLowerCase();
    const status = document.getElementById('filter-status').value;
    const rows = data.clients.filter(r => (!status || r.status === status)
      && (!text || r.hostname.toLowerCase().includes(text))).sort(compare);
    const body = document.createDocumentFragment();
    for (const r of rows) {
      const tr = document.createElement('tr');
      tr.dataset.clientId = r.client_id;
      for (const c of COLUMNS) {
        const td = d.el('td', null, c.num ? 'num' : '');
        td.dataset.key = c.key;
        if (c.key === 'hostname') {
          const a = d.el('a', r.hostname);
          a.href = 'machine?id=' + encodeURIComponent(r.client_id);
          td.appendChild(a);
        } else {
          td.textContent = c.fmt ? c.fmt(r) : (r[c.key] === undefined ? '' : (c.num ? d.num(r[c.key]) : r[c.key]));
        }
        if (c.key === 'status') { td.classList.add('status-' + r.status); }
        if (c.threshold) { const l = level(r, c.key); if (l) { td.classList.add(l); } }
        if (c.key === 'failing_collectors' && (r.failing_collectors || []).length) { td.classList.add('crit'); }
        if (c.key === 'reboot_required' && r.reboot_required) { td.classList.add('warn'); }
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    const tbody = document.getElementById('fleet-body');
    tbody.replaceChildren(body);
    for (const th of document.querySelectorAll('#fleet-head th')) {
      th.classList.toggle('sorted-asc', th.dataset.key === sortKey && sortDir > 0);
      th.classList.toggle('sorted-desc', th.dataset.key === sortKey && sortDir < 0);
    }
    const counts = { online: 0, stale: 0, offline: 0 };
    for (const r of data.clients) { counts[r.status] = (counts[r.status] || 0) + 1; }
    document.getElementById('summary').textContent = rows.length + ' of ' + data.clients.length + ' shown · '
      + counts.online + ' online, ' + counts.stale + ' stale, ' + counts.offline + ' offline';
  }

  async function refresh() {
    try {
      data = await d.get('fleet');
      document.getElementById('error').textContent = '';
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      document.body.dataset.loaded = String(Date.now());
      render();
    } catch (e) {
      document.getElementById('error').textContent = 'Refresh failed: ' + e.message;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    buildHead();
    document.getElementById('filter-text').addEventListener('input', render);
    document.getElementById('filter-status').addEventListener('change', render);
    refresh();
    setInterval(refresh, REFRESH_MS);
  });
})();
