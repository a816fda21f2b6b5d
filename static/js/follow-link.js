// A page whose link with data-follow must be followed at once (signing out of a campus
// server after the platform): a script navigates, since the page's form may only post here.
(function () {
  const link = document.querySelector("a[data-follow]");
  if (link) window.location.assign(link.href);
})();
