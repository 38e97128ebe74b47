// The sign-up challenge (core/challenge.py): gives the vendored ALTCHA widget its worker, served
// from Agora's own origin (the content security policy admits no other, and no inline worker),
// and the site's own words in the page's language, read from the data attributes that Django
// translated. Runs after the widget's script (both deferred, in order).
(function () {
  "use strict";
  var box = document.querySelector("[data-challenge]");
  var registry = window.$altcha;
  if (!box || !registry || registry.agoraReady) {
    return;
  }
  registry.agoraReady = true;
  var worker = box.dataset.worker;
  registry.algorithms.set("PBKDF2/SHA-256", function () {
    return new Worker(worker);
  });
  var language = box.dataset.language || "en";
  var base = registry.i18n.get("en") || {};
  var words = Object.assign({}, base, {
    label: box.dataset.label,
    verifying: box.dataset.verifying,
    verified: box.dataset.verified,
    error: box.dataset.failed,
    expired: box.dataset.expired,
    verificationRequired: box.dataset.required,
    waitAlert: box.dataset.wait,
    footer: "",
  });
  registry.i18n.set(language, words);
})();
