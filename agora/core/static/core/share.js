// Two small enhancements of the Share disclosure (`core/_share.html`), which works without
// them: the system share sheet, where the device has one (the button stays hidden
// otherwise), and the Mastodon server this device remembers, filled into the form from its
// first-party cookie, since the page itself is the same for every visitor.
(function () {
  "use strict";
  var HOST = /^[a-z0-9.-]+(:[0-9]{1,5})?$/;
  var remembered = document.cookie.split("; ").filter(function (pair) {
    return pair.indexOf("agora_mastodon_server=") === 0;
  })[0];
  if (remembered) {
    var server = decodeURIComponent(remembered.split("=")[1] || "");
    if (HOST.test(server)) {
      document.querySelectorAll(".share-mastodon input[name=server]").forEach(function (field) {
        if (!field.value) {
          field.value = server;
        }
      });
    }
  }
  if (!navigator.share) {
    return;
  }
  document.querySelectorAll("button.share-device").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = window.location.origin + button.dataset.sharePath;
      navigator.share({ title: button.dataset.shareTitle, url: url }).catch(function () {});
    });
  });
})();
