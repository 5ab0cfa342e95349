// Draws the Analytics page's charts with uPlot from the numbers the page embeds in
// `#chart[data-chart]`: per day, the response rate (%) and the median response time (minutes)
// in `#chart`; messages in and out in `#volume-chart`; the policy's decisions, allowed and
// refused, in `#decisions-chart`.
(function () {
  const box = document.getElementById('chart');
  if (!box || typeof uPlot === 'undefined') return;
  const data = JSON.parse(box.dataset.chart);
  const seconds = (days) => days.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
  const width = (el) => Math.min(el.clientWidth || 800, 900);

  if (data.days.length) {
    new uPlot({
      width: width(box),
      height: 260,
      scales: { x: { time: true }, rate: { range: [0, 100] }, min: {} },
      axes: [
        {},
        { scale: 'rate', values: (u, v) => v.map((x) => x + ' %') },
        { scale: 'min', side: 1, grid: { show: false }, values: (u, v) => v.map((x) => x + "'") },
      ],
      series: [
        {},
        { label: data.labels[0], scale: 'rate', stroke: '#1f5fbf', width: 2, points: { size: 6 } },
        { label: data.labels[1], scale: 'min', stroke: '#d97706', width: 2, dash: [6, 4], points: { size: 6 } },
      ],
    }, [seconds(data.days), data.rate, data.median], box);
    box.dataset.drawn = 'true';
  }

  // Per day, one series as bars and one as a line: messages in and out; decisions allowed and
  // refused (what went out, and what was refused before it reached Meta).
  const v = data.volume;
  function barsAndLine(id, labels, bars, line, colors, height) {
    const el = document.getElementById(id);
    if (!el || !v || !v.days.length) return;
    new uPlot({
      width: width(el),
      height,
      scales: { x: { time: true } },
      series: [
        {},
        { label: labels[0], stroke: colors[0], fill: colors[1], paths: uPlot.paths.bars({ size: [0.4, 24] }) },
        { label: labels[1], stroke: colors[2], width: 2, points: { size: 5 } },
      ],
    }, [seconds(v.days), bars, line], el);
    el.dataset.drawn = 'true';
  }
  if (v) {
    barsAndLine('volume-chart', v.labels, v.in, v.out, ['#1f5fbf', 'rgba(31, 95, 191, 0.35)', '#15803d'], 200);
    barsAndLine('decisions-chart', v.decisions, v.allowed, v.refused, ['#15803d', 'rgba(21, 128, 61, 0.35)', '#b42318'], 180);
  }
})();
