// Machine view: hardware summary, uPlot charts over a chosen range (downsampled by the server), recent commands,
// and actions (fan mode, zone duty, reboot) whose progress is followed without reloading.
'use strict';
(function () {
  const d = window.dcmon;
  const MIN_DUTY = 25;  // the server refuses less (CommandService.MIN_DUTY_PERCENT)
  const id = new URLSearchParams(location.search).get('id');
  let client = null;
  let range = 3600;
  let commandTimer = null;
  const GIB = 1024 * 1024 * 1024;

  // One chart per entry; each query is one GET /api/metrics. name(labels) names a line; scale divides values.
  const CHARTS = [
    { title: 'CPU busy %', cpu: true },
    { title: 'Load', queries: [{ metric: 'node_load1', name: () => 'load1' }] },
    { title: 'Memory (GiB)', queries: [
      { metric: 'node_memory_used_bytes', name: () => 'used', scale: GIB },
      { metric: 'node_memory_total_bytes', name: () => 'total', scale: GIB }] },
    { title: 'GPU temperature °C', queries: [{ metric: 'nvidia_gpu_temperature_celsius', name: l => 'gpu ' + l.gpu }] },
    { title: 'GPU utilisation %', queries: [{ metric: 'nvidia_gpu_utilization_percent', name: l => 'gpu ' + l.gpu }] },
    { title: 'GPU power W', queries: [{ metric: 'nvidia_gpu_power_draw_watts', name: l => 'gpu ' + l.gpu }] },
    { title: 'IPMI temperatures °C', queries: [{ metric: 'ipmi_temperature_celsius', name: l => l.sensor }] },
    { title: 'Fans RPM', queries: [{ metric: 'ipmi_fan_speed_rpm', name: l => l.sensor }] },
    { title: 'Disk MiB/s', queries: [
      { metric: 'node_disk_read_bytes_total', agg: 'rate', name: l => l.device + ' read', scale: 1048576 },
      { metric: 'node_disk_written_bytes_total', agg: 'rate', name: l => l.device + ' write', scale: 1048576 }] },
    { title: 'Network MiB/s', queries: [
      { metric: 'node_network_receive_bytes_total', agg: 'rate', name: l => l.device + ' rx', scale: 1048576 },
      { metric: 'node_network_transmit_bytes_total', agg: 'rate', name: l => l.device + ' tx', scale: 1048576 }] }
  ];
  const COLORS = ['#1a5fb4', '#c5221f', '#1e8e3e', '#b7791f', '#8e24aa', '#00838f', '#6d4c41', '#5f6368'];

  function step() {
    return Math.max(30, Math.round(range / 360));
  }

  async function series(metric, agg, labelFilter) {
    const to = Math.floor(Date.now() / 1000);
    let q = 'metrics?metric=' + encodeURIComponent(metric) + '&client_id=' + encodeURIComponent(id)
      + '&from=' + (to - range) + '&to=' + to + '&step=' + step() + '&agg=' + (agg || 'avg');
    if (labelFilter) { q += '&label=' + encodeURIComponent(labelFilter); }
    return (await d.get(q)).series;
  }

  /** Lines {name, points: Map(tsSeconds -> value)} for one chart. */
  async function lines(chart) {
    if (chart.cpu) {
      // busy share = non-idle seconds / all seconds, from per-mode rates of the all-CPU counters
      const s = await series('node_cpu_seconds_total', 'rate', 'cpu:all');
      const total = new Map();
      const idle = new Map();
      for (const one of s) {
        for (const p of one.points) {
          const t = Math.round(p.ts_ms / 1000);
          total.set(t, (total.get(t) || 0) + Number(p.value));
          if (one.labels.mode === 'idle' || one.labels.mode === 'iowait') { idle.set(t, (idle.get(t) || 0) + Number(p.value)); }
        }
      }
      const busy = new Map();
      for (const [t, v] of total) { if (v > 0) { busy.set(t, 100 * (1 - (idle.get(t) || 0) / v)); } }
      return busy.size ? [{ name: 'busy', points: busy }] : [];
    }
    const out = [];
    for (const q of chart.queries) {
      for (const one of await series(q.metric, q.agg)) {
        const m = new Map();
        for (const p of one.points) { m.set(Math.round(p.ts_ms / 1000), Number(p.value) / (q.scale || 1)); }
        out.push({ name: String(q.name(one.labels) || q.metric), points: m });
      }
    }
    return out;
  }

  async function drawChart(chart, box) {
    const ls = await lines(chart);
    box.replaceChildren(d.el('h3', chart.title));
    const xs = Array.from(new Set(ls.flatMap(l => Array.from(l.points.keys())))).sort((a, b) => a - b);
    if (!xs.length) {
      box.appendChild(d.el('div', 'no data in this range', 'empty'));
      box.dataset.points = '0';
      return;
    }
    const data = [xs].concat(ls.map(l => xs.map(x => l.points.has(x) ? l.points.get(x) : null)));
    const opts = {
      width: Math.max(480, box.clientWidth - 12), height: 220, spanGaps: false,
      series: [{}].concat(ls.map((l, i) => ({ label: l.name, stroke: COLORS[i % COLORS.length], width: 1.5 }))),
      axes: [{}, { size: 60 }]
    };
    const holder = d.el('div');
    box.appendChild(holder);
    new window.uPlot(opts, data, holder);
    box.dataset.points = String(ls.reduce((n, l) => n + l.points.size, 0));
  }

  async function drawCharts() {
    const host = document.getElementById('charts');
    host.replaceChildren();
    await Promise.all(CHARTS.map(async function (c, i) {
      const box = d.el('div', null, 'chart');
      box.id = 'chart-' + i;
      host.appendChild(box);
      try {
        await drawChart(c, box);
      } catch (e) {
        box.replaceChildren(d.el('h3', c.title), d.el('div', 'failed: ' + e.message, 'empty'));
      }
    }));
    document.body.dataset.charts = 'drawn';
  }

  async function loadClient() {
    const clients = await d.get('clients');
    client = clients.find(c => String(c.client_id) === String(id));
    if (!client) {
      throw new Error('client ' + id + ' is not registered');
    }
    document.title = 'dcmon · ' + client.hostname;
    document.getElementById('hostname').textContent = client.hostname;
    const st = document.getElementById('status');
    st.textContent = client.status;
    st.className = 'status status-' + client.status;
    document.getElementById('last-seen').textContent = 'last seen ' + d.ago(client.last_seen);
    const dl = document.getElementById('hardware');
    dl.replaceChildren();
    const hw = Object.assign({ 'machine id': client.machine_id, 'registered': d.time(client.registered_at),
      'key fingerprint': client.key_fingerprint }, client.hardware || {});
    for (const k of Object.keys(hw)) {
      dl.appendChild(d.el('dt', k));
      dl.appendChild(d.el('dd', hw[k]));
    }
  }

  function resultText(c) {
    if (!c.result) { return ''; }
    const r = c.result;
    let s = 'exit ' + r.exit_status;
    if (r.output) { s += '\n' + r.output; }
    if (r.error) { s += '\n' + r.error; }
    return s;
  }

  async function loadCommands() {
    const list = (await d.get('commands?client_id=' + encodeURIComponent(id) + '&limit=20')).commands;
    const body = document.createDocumentFragment();
    let pending = false;
    for (const c of list) {
      const tr = document.createElement('tr');
      tr.dataset.commandId = c.id;
      tr.appendChild(d.el('td', c.id));
      tr.appendChild(d.el('td', c.type));
      tr.appendChild(d.el('td', JSON.stringify(c.params)));
      tr.appendChild(d.el('td', c.status, 'cmd-status cmd-' + c.status));
      tr.appendChild(d.el('td', d.time(c.created_at)));
      const td = d.el('td');
      td.appendChild(d.el('pre', resultText(c), 'output'));
      tr.appendChild(td);
      body.appendChild(tr);
      pending = pending || c.status === 'queued' || c.status === 'delivered';
    }
    document.getElementById('commands-body').replaceChildren(body);
    clearTimeout(commandTimer);
    // follow a command closely while one is in flight
    commandTimer = setTimeout(refreshCommands, pending ? 1000 : 15000);
  }

  async function refreshCommands() {
    try { await loadCommands(); } catch (e) { document.getElementById('error').textContent = e.message; }
  }

  async function queue(type, params, what) {
    const status = document.getElementById('action-status');
    status.textContent = what + ': sending…';
    try {
      const c = await d.post('commands', { client_id: Number(id), type: type, params: params });
      status.textContent = what + ': queued as command ' + c.id;
      await loadCommands();
    } catch (e) {
      status.textContent = what + ' refused: ' + e.message;
    }
  }

  function wireActions() {
    document.getElementById('fan-mode-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      const mode = document.getElementById('fan-mode').value;
      queue('fan_control', { action: 'set_mode', mode: mode }, 'fan mode ' + mode);
    });
    document.getElementById('duty-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      const percent = Number(document.getElementById('duty-percent').value);
      const status = document.getElementById('action-status');
      if (!Number.isInteger(percent) || percent < MIN_DUTY || percent > 100) {
        status.textContent = 'zone duty must be a whole number from ' + MIN_DUTY + ' to 100 %';
        return;
      }
      const params = { action: 'set_duty', zone: Number(document.getElementById('duty-zone').value), percent: percent };
      const dur = document.getElementById('duty-duration').value;
      if (dur) { params.duration_seconds = Number(dur); }
      queue('fan_control', params, 'zone duty ' + percent + ' %');
    });
    const confirm = document.getElementById('reboot-confirm');
    const reboot = document.getElementById('reboot-button');
    confirm.addEventListener('input', function () {
      reboot.disabled = !client || confirm.value !== client.hostname;
    });
    document.getElementById('reboot-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (!client || confirm.value !== client.hostname) { return; }
      confirm.value = '';
      reboot.disabled = true;
      queue('reboot', { delay_seconds: 0 }, 'reboot');
    });
    for (const b of document.querySelectorAll('#ranges button')) {
      b.addEventListener('click', function () {
        range = Number(b.dataset.range);
        for (const o of document.querySelectorAll('#ranges button')) { o.classList.toggle('active', o === b); }
        drawCharts();
      });
    }
  }

  document.addEventListener('DOMContentLoaded', async function () {
    wireActions();
    try {
      await loadClient();
      await Promise.all([drawCharts(), loadCommands()]);
    } catch (e) {
      document.getElementById('error').textContent = e.message;
    }
  });
})();
