// The voucher claim form: each month's box ticks or clears the claimable charges of that month,
// and the preview sums what is ticked (in whole fen, as the server does: each line's share is
// rounded on the server and carried in data-share-fen), cuts the subsidy to the cap left and
// says how much of it would remain. Only a preview: the server checks and splits every line
// again when the claim is submitted.
(function () {
  "use strict";

  var form = document.getElementById("voucher-claim");
  var preview = document.getElementById("claim-preview");
  if (!form || !preview) return;
  var boxes = form.querySelectorAll("input[type=checkbox][name=charge_ids]");
  var capLeft = parseInt(preview.dataset.capLeftFen, 10) || 0;

  function part(name) {
    return preview.querySelector('[data-preview="' + name + '"]');
  }

  function yuan(fen) {
    var whole = Math.floor(fen / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return "¥" + whole + "." + String(fen % 100).padStart(2, "0");
  }

  function update() {
    var count = 0, amount = 0, share = 0;
    boxes.forEach(function (box) {
      if (!box.checked) return;
      count += 1;
      amount += parseInt(box.dataset.amountFen, 10);
      share += parseInt(box.dataset.shareFen, 10);
    });
    var subsidy = Math.min(share, capLeft);
    part("count").textContent = String(count);
    part("amount").textContent = yuan(amount);
    part("subsidy").textContent = yuan(subsidy);
    part("cap-left").textContent = yuan(capLeft - subsidy);
    part("capped").hidden = share <= capLeft;
  }

  form.querySelectorAll("input[data-month-all]").forEach(function (all) {
    var mine = Array.prototype.filter.call(boxes, function (box) {
      return box.dataset.month === all.dataset.monthAll;
    });
    function reflect() {
      var ticked = mine.filter(function (box) { return box.checked; }).length;
      all.checked = ticked > 0 && ticked === mine.length;
      all.indeterminate = ticked > 0 && ticked < mine.length;
    }
    all.hidden = false;
    all.addEventListener("change", function () {
      mine.forEach(function (box) { box.checked = all.checked; });
      reflect();
      update();
    });
    mine.forEach(function (box) { box.addEventListener("change", reflect); });
    reflect();
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
