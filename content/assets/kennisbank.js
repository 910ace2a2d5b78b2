/* Kennisbank's own behaviour on every page, beside Material's (no inline scripts: CSP).

   - The menu button on narrow screens and at 200 % zoom: Material's is a <label> for a
     hidden checkbox, which a keyboard cannot reach and which has no name; this button
     opens and closes the same drawer (WCAG 2.1.1, 4.1.2), moves focus into it and back,
     and closes it with Escape.
   - Single-key shortcuts (Material's n . p , f s and Kennisbank's /) only for readers who
     turned them on (WCAG 2.1.4): a speech-input user saying a word otherwise triggers them.
     The choice is kept in this browser only (localStorage "kb-sneltoetsen"; no cookie), and
     made on /toegankelijkheid/. */
(function () {
  "use strict";

  var KEY = "kb-sneltoetsen";

  function shortcutsOn() {
    try {
      return localStorage.getItem(KEY) === "aan";
    } catch (err) {
      return false;
    }
  }

  function editable(target) {
    return (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  // Before any other listener (capture phase on window): a single character without
  // Ctrl, Alt or Meta, outside a text field, goes no further while shortcuts are off. Its
  // default action (Space on a button, scrolling) still happens.
  window.addEventListener(
    "keydown",
    function (event) {
      if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
      if (editable(event.target) || shortcutsOn()) return;
      event.stopImmediatePropagation();
    },
    true
  );

  // The "/" in the header's search box shows only when it works.
  function mark() {
    document.documentElement.classList.toggle("kb-shortcuts-on", shortcutsOn());
  }
  mark();

  // The switch on the accessibility statement (a checkbox with id kb-sneltoetsen).
  var toggle = document.getElementById(KEY);
  if (toggle) {
    toggle.checked = shortcutsOn();
    var box = toggle.closest("[hidden]");
    if (box) box.removeAttribute("hidden");
    toggle.addEventListener("change", function () {
      try {
        if (toggle.checked) localStorage.setItem(KEY, "aan");
        else localStorage.removeItem(KEY);
      } catch (err) {
        toggle.checked = false;
      }
      mark();
    });
  }

  // The menu button.
  var drawer = document.getElementById("__drawer");
  var button = document.querySelector(".kb-menu");
  var label = document.querySelector(".kb-menu-label");
  if (!drawer || !button) return;
  var nav = document.querySelector(".md-sidebar--primary");
  button.hidden = false;
  if (label) label.hidden = true; // the no-JavaScript way in
  function sync() {
    button.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
  }
  button.addEventListener("click", function () {
    drawer.checked = !drawer.checked;
    drawer.dispatchEvent(new Event("change")); // Material follows the checkbox
    sync();
    if (drawer.checked && nav) {
      var first = nav.querySelector("a[href]");
      // After the drawer's slide-in starts, so that it is visible when it gets focus.
      setTimeout(function () {
        if (first) first.focus();
      }, 50);
    }
  });
  drawer.addEventListener("change", sync);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !drawer.checked) return;
    drawer.checked = false;
    drawer.dispatchEvent(new Event("change"));
    sync();
    button.focus();
  });
  sync();
})();
