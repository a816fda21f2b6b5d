/* Bar charts (Chart.js, vendored) drawn from data-labels and data-series of <canvas> elements. */
(function () {
  "use strict";
  var colours = ["#137ab5", "#f0a202", "#2a9d8f", "#6c757d"];
  document.querySelectorAll("canvas[data-labels]").forEach(function (canvas) {
    var series = JSON.parse(canvas.dataset.series);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: JSON.parse(canvas.dataset.labels),
        datasets: series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
        })
      },
      // Counts tick in whole numbers (no "0.5 challenges"); hours may be fractions.
      options: {
        responsive: true,
        scales: { y: { beginAtZero: true, ticks: { precision: canvas.dataset.counts ? 0 : undefined } } }
      }
    });
  });
})();
