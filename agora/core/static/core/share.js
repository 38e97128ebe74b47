// The system share sheet, where the device has one: the button stays hidden otherwise, and
// the plain links below it work with or without this script.
(function () {
  "use strict";
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
