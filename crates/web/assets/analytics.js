// Draws the Analytics page's chart with uPlot from the numbers the page embeds in
// `#chart[data-chart]`: per day, the response rate (%) and the median response time (minutes).
(function () {
  const box = document.getElementById('chart');
  if (!box || typeof uPlot === 'undefined') return;
  const data = JSON.parse(box.dataset.chart);
  if (!data.days.length) return;
  const xs = data.days.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
  const width = Math.min(box.clientWidth || 800, 900);
  const opts = {
    width,
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
  };
  new uPlot(opts, [xs, data.rate, data.median], box);
  box.dataset.drawn = 'true';
})();
