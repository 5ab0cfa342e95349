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

  const volume = document.getElementById('volume-chart');
  const v = data.volume;
  if (volume && v && v.days.length) {
    const bars = uPlot.paths.bars({ size: [0.4, 24] });
    new uPlot({
      width: width(volume),
      height: 200,
      scales: { x: { time: true } },
      series: [
        {},
        { label: v.labels[0], stroke: '#1f5fbf', fill: 'rgba(31, 95, 191, 0.35)', paths: bars },
        { label: v.labels[1], stroke: '#15803d', width: 2, points: { size: 5 } },
      ],
    }, [seconds(v.days), v.in, v.out], volume);
    volume.dataset.drawn = 'true';
  }

  // The policy's decisions per day: what went out, and what was refused before it reached Meta.
  const decisions = document.getElementById('decisions-chart');
  if (decisions && v && v.days.length) {
    const bars = uPlot.paths.bars({ size: [0.4, 24] });
    new uPlot({
      width: width(decisions),
      height: 180,
      scales: { x: { time: true } },
      series: [
        {},
        { label: v.decisions[0], stroke: '#15803d', fill: 'rgba(21, 128, 61, 0.35)', paths: bars },
        { label: v.decisions[1], stroke: '#b42318', width: 2, points: { size: 5 } },
      ],
    }, [seconds(v.days), v.allowed, v.refused], decisions);
    decisions.dataset.drawn = 'true';
  }
})();
