/* Keyboard focus survives a table re-render.
 *
 * Sorting or paging a table makes Dash replace the table body, and with it the button that
 * had the focus, so the focus fell back to <body> and a keyboard user had to tab through the
 * whole page again. This remembers the last focused sort or pager button and, when that
 * button leaves the document while it had the focus, focuses the button with the same id in
 * the new body (or, when it is gone or disabled, another button of the table, or the table).
 */
(function () {
  "use strict";
  var BUTTONS = ".sort-button, .pager .button";
  var remembered = null; // {el, id, body}: the focused table button

  function tableBody(el) {
    for (var node = el; node && node !== document.body; node = node.parentElement) {
      if (node.id && node.id.indexOf('"table-body"') !== -1) return node.id;
    }
    return null;
  }

  document.addEventListener("focusin", function (event) {
    var el = event.target;
    var body = el && el.matches && el.matches(BUTTONS) && el.id ? tableBody(el) : null;
    remembered = body ? { el: el, id: el.id, body: body } : null;
  });

  function restore() {
    if (!remembered || document.contains(remembered.el)) return;
    var active = document.activeElement;
    if (active && active !== document.body) return; // the user has moved on
    var target = document.getElementById(remembered.id);
    if (!target || target.disabled) {
      var body = document.getElementById(remembered.body);
      if (!body) return;
      target = body.querySelector(BUTTONS.replace(/,/g, ":not([disabled]),") + ":not([disabled])");
      if (!target) {
        body.setAttribute("tabindex", "-1");
        target = body;
      }
    }
    target.focus({ preventScroll: true });
  }

  new MutationObserver(function () {
    window.requestAnimationFrame(restore); // once Dash has put the new body in place
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
