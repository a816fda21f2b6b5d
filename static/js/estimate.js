// The booking form's live estimate: as the times change, the request is checked and priced by
// the API's dry run (POST /api/v1/bookings with dry_run, nothing held), and the estimate and
// any rule it breaks are shown in words. Without script, the page's own first estimate stays.
(function () {
  "use strict";

  var box = document.getElementById("live-estimate");
  var form = document.getElementById("booking-form");
  if (!box || !form) return;
  var data = box.dataset;
  var amount = document.getElementById("live-estimate-amount");
  var list = document.getElementById("live-estimate-violations");
  var timer = null;
  var asked = 0;

  function value(name) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value : "";
  }

  function yuan(text) {
    return "¥" + Number(text).toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function show(body) {
    amount.textContent = data.labelEstimate.replace("%s", yuan(body.estimate));
    amount.hidden = false;
    list.textContent = "";
    var lines = (body.violations || []).map(function (v) { return v.message; });
    if ((body.conflicts || []).length) lines.push(data.labelTaken);
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    list.hidden = !lines.length;
    if (lines.length) list.setAttribute("aria-label", data.labelBreaks);
  }

  function ask() {
    var start = value("start").slice(0, 16), end = value("end").slice(0, 16);
    if (start.length < 16 || end.length < 16 || end <= start) return;
    var body = {
      instrument_id: Number(data.instrumentId),
      start: start + ":00" + data.utcOffset,
      end: end + ":00" + data.utcOffset,
      dry_run: true
    };
    var repeat = value("repeat");
    if (repeat) body.repeat = { freq: repeat, count: Number(value("count") || 2) };
    var account = value("account_id");
    if (account) body.account_id = Number(account);
    var number = ++asked;
    fetch(data.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": value("csrf_token") },
      body: JSON.stringify(body)
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer && number === asked) show(answer); })
      .catch(function () { /* the first estimate stays */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 250);
  }

  form.addEventListener("change", later);
  form.addEventListener("input", later);
})();
