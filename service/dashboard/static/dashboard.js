/* recwatch dashboard: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // After a page of results is swapped in, move focus to its heading so keyboard and
  // screen-reader users continue from the top of the new results, not from a removed link.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var trigger = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!trigger || !trigger.closest || !trigger.closest(".pager")) { return; }
    var heading = document.getElementById("results-h");
    if (heading && target) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();
