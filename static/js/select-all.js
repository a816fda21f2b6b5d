// A header checkbox with data-select-all="<name>" ticks or clears every checkbox of that name in
// its form, and shows "some ticked" as indeterminate.
(function () {
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    const boxes = all.form.querySelectorAll('input[type=checkbox][name="' + all.dataset.selectAll + '"]');
    function reflect() {
      const ticked = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      reflect();
    });
    boxes.forEach(function (box) { box.addEventListener("change", reflect); });
    reflect();
  });
})();
