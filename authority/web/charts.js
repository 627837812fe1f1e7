// Bar charts drawn in the page as SVG, element by element (no library, nothing fetched): one
// group of bars per report row, one bar per series, a value axis with round ticks. Names go
// in as text nodes; every bar has a <title> for a pointer or a screen reader, and the table
// beside the chart holds the same figures.
'use strict';
window.Charts = (function () {
  const { svg, clear } = App;
  const W = 640;
  const H = 280;
  const M = { top: 22, right: 12, bottom: 58, left: 48 };

  // A round top for the axis and its step: 1, 2 or 5 times a power of ten.
  function scale(max) {
    if (!(max > 0)) return { top: 1, step: 0.25 };
    const raw = max / 4;
    const p = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
    return { top: Math.ceil(max / step) * step, step };
  }

  function shorten(s, n) {
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }

  // groups: [{key, label}]; series: [{name, cls, values: [number|null]}]; fmt: number → text.
  function bars(box, groups, series, fmt, label) {
    clear(box);
    const plotW = W - M.left - M.right;
    const plotH = H - M.top - M.bottom;
    const max = Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null)));
    const { top, step } = scale(max);
    const y = (v) => M.top + plotH - (v / top) * plotH;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' });
    root.append(svg('title', { text: label }));
    for (let v = 0; v <= top + step / 2; v += step) {
      root.append(svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(v), y2: y(v) }));
      root.append(svg('text', { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end', text: fmt(v) }));
    }
    root.append(svg('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: y(0), y2: y(0) }));
    const n = Math.max(1, groups.length);
    const slot = plotW / n;
    const barW = Math.max(1, Math.min(36, (slot * 0.8) / series.length));
    const showText = n <= 16;
    groups.forEach((g, i) => {
      const x0 = M.left + i * slot + (slot - barW * series.length) / 2;
      series.forEach((s, j) => {
        const v = s.values[i];
        if (v === null || v === undefined) return;
        const h = Math.max(v > 0 ? 1 : 0, y(0) - y(v));
        const bar = svg('rect', { class: s.cls, x: x0 + j * barW, y: y(0) - h, width: Math.max(1, barW - 2), height: h });
        bar.setAttribute('data-key', g.key);
        bar.setAttribute('data-series', s.name);
        bar.setAttribute('data-value', String(v));
        bar.append(svg('title', { text: `${g.label}: ${s.name} ${fmt(v)}` }));
        root.append(bar);
        if (showText && barW >= 14) root.append(svg('text', { x: x0 + j * barW + (barW - 2) / 2, y: y(0) - h - 4, 'text-anchor': 'middle', text: fmt(v) }));
      });
      if (showText) {
        root.append(svg('text', { x: M.left + i * slot + slot / 2, y: H - M.bottom + 16, 'text-anchor': 'middle', text: shorten(g.label, Math.max(6, Math.floor(slot / 7))) }));
      }
    });
    box.append(root);
  }

  return { bars };
})();
