/* Bar charts (Chart.js, vendored) drawn from data-* attributes of <canvas> elements. */
(function () {
  "use strict";
  document.querySelectorAll("canvas[data-labels]").forEach(function (canvas) {
    var data = canvas.dataset;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: JSON.parse(data.labels),
        datasets: [
          { label: data.labelPosted, data: JSON.parse(data.posted), backgroundColor: "#137ab5" },
          { label: data.labelAwarded, data: JSON.parse(data.awarded), backgroundColor: "#f0a202" }
        ]
      },
      options: { responsive: true, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
})();
