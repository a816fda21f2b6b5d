// The sign-in page offers "sign in with <organisation>" for the address being typed: the
// organisations with a campus sign-in and their e-mail domains are in data-campus-servers;
// an address at one of those domains (or a subdomain) shows that organisation's button first.
(function () {
  const list = document.querySelector("[data-campus-servers]");
  const email = document.querySelector("#password-form input[name=email]");
  const offer = document.getElementById("campus-offer");
  if (!list || !email || !offer) return;
  const servers = JSON.parse(list.dataset.campusServers);
  const text = document.getElementById("campus-offer-text");
  const name = document.getElementById("campus-offer-name");
  const link = document.getElementById("campus-offer-link");

  function serverFor(address) {
    const at = address.lastIndexOf("@");
    if (at < 0) return null;
    const domain = address.slice(at + 1).trim().toLowerCase().replace(/\.$/, "");
    let best = null;
    let bestLength = 0;
    servers.forEach(function (server) {
      server.domains.forEach(function (configured) {
        const inside = domain === configured || domain.endsWith("." + configured);
        if (inside && configured.length > bestLength) {
          best = server;
          bestLength = configured.length;
        }
      });
    });
    return best;
  }

  function reflect() {
    const server = serverFor(email.value);
    if (!server) {
      if (!offer.dataset.fromServer) offer.hidden = true;
      return;
    }
    text.textContent = list.dataset.offerText.replace("%(organisation)s", server.name);
    name.textContent = list.dataset.offerName.replace("%(organisation)s", server.name);
    link.href = server.url;
    offer.hidden = false;
  }

  if (!offer.hidden) offer.dataset.fromServer = "1";
  email.addEventListener("input", function () {
    delete offer.dataset.fromServer;
    reflect();
  });
  reflect();
})();
