// The sample order form: the tracking number is asked for only when the samples go by courier.
// Without scripts the field stays visible (and optional).
(function () {
  const delivery = document.getElementById("delivery");
  if (!delivery) return;
  const courierOnly = document.querySelectorAll("[data-shown-for-delivery]");
  function show() {
    courierOnly.forEach(function (element) {
      element.hidden = element.dataset.shownForDelivery !== delivery.value;
    });
  }
  delivery.addEventListener("change", show);
  show();
})();
