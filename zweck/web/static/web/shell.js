/* The staff UI's frame: the collapsible sidebar (remembered in this browser), the menu on
   phones, the user menu, and the global search (Ctrl+K / ⌘K, arrow keys through the matches).
   Loaded in <head> without "defer" so the remembered sidebar state applies before the first
   paint; everything else waits for the page. No inline script: the CSP allows none. */
(function () {
  "use strict";
  var STORAGE_KEY = "zweck.sidebar";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(STORAGE_KEY); } catch (error) { return null; }
  }
  function store(value) {
    try { window.localStorage.setItem(STORAGE_KEY, value); } catch (error) { /* private mode: not remembered */ }
  }
  if (stored() === "collapsed") { root.classList.add("sidebar-collapsed"); }

  var phone = window.matchMedia("(max-width: 767.98px)");
  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  function setUp() {
    var sidebar = document.getElementById("sidebar");
    if (!sidebar) { return; }
    var menuButton = document.querySelector("[data-shell-menu]");
    var collapseButton = document.querySelector("[data-shell-collapse]");
    var backdrop = document.querySelector(".backdrop");

    /* Desktop: collapse to icons and back. */
    function showCollapsed(collapsed) {
      root.classList.toggle("sidebar-collapsed", collapsed);
      if (!collapseButton) { return; }
      collapseButton.setAttribute("aria-pressed", collapsed ? "true" : "false");
      collapseButton.setAttribute("aria-label", collapseButton.getAttribute(collapsed ? "data-label-expand" : "data-label-collapse"));
      var use = collapseButton.querySelector("use");
      if (use) {
        var href = use.getAttribute("href");
        use.setAttribute("href", href.replace(/#.*$/, collapsed ? "#panel-left-open" : "#panel-left-close"));
      }
    }
    showCollapsed(root.classList.contains("sidebar-collapsed"));
    /* Where the sidebar scrolls (many sections, a low window), the current page stays in sight. */
    var currentLink = sidebar.querySelector('.sidebar-nav [aria-current="page"]');
    if (currentLink && currentLink.scrollIntoView) {
      /* After "load": only then is the page laid out with every stylesheet. */
      window.addEventListener("load", function () {
        if (!phone.matches) { currentLink.scrollIntoView({ block: "nearest" }); }
      });
    }
    if (collapseButton) {
      collapseButton.addEventListener("click", function () {
        var collapsed = !root.classList.contains("sidebar-collapsed");
        showCollapsed(collapsed);
        store(collapsed ? "collapsed" : "expanded");
      });
    }

    /* Phones: the sidebar is a menu that slides in; focus stays inside until it closes. */
    function isOpen() { return root.classList.contains("nav-open"); }
    function openMenu() {
      root.classList.add("nav-open");
      if (backdrop) { backdrop.hidden = false; }
      if (menuButton) { menuButton.setAttribute("aria-expanded", "true"); }
      var current = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector(".nav-link");
      /* After the slide-in starts (the sidebar was visibility: hidden). */
      window.requestAnimationFrame(function () { (current || sidebar).focus(); });
    }
    function closeMenu(returnFocus) {
      if (!isOpen()) { return; }
      root.classList.remove("nav-open");
      if (backdrop) { backdrop.hidden = true; }
      if (menuButton) {
        menuButton.setAttribute("aria-expanded", "false");
        if (returnFocus) { menuButton.focus(); }
      }
    }
    if (menuButton) {
      menuButton.addEventListener("click", function () { if (isOpen()) { closeMenu(true); } else { openMenu(); } });
    }
    document.querySelectorAll("[data-shell-close]").forEach(function (element) {
      element.addEventListener("click", function () { closeMenu(true); });
    });
    sidebar.addEventListener("keydown", function (event) {
      if (!isOpen()) { return; }
      if (event.key === "Escape") { event.preventDefault(); closeMenu(true); return; }
      if (event.key !== "Tab") { return; }
      var focusable = Array.prototype.filter.call(sidebar.querySelectorAll(FOCUSABLE), function (element) {
        return element.offsetParent !== null;
      });
      if (!focusable.length) { return; }
      var first = focusable[0], last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    });
    var onChange = function (event) { if (!event.matches) { closeMenu(false); } };
    if (phone.addEventListener) { phone.addEventListener("change", onChange); }

    /* The user menu (a <details>): Escape and a click elsewhere close it. */
    var userMenu = document.querySelector("[data-user-menu]");
    if (userMenu) {
      userMenu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && userMenu.open) {
          userMenu.open = false;
          userMenu.querySelector("summary").focus();
        }
      });
      document.addEventListener("click", function (event) {
        if (userMenu.open && !userMenu.contains(event.target)) { userMenu.open = false; }
      });
    }

    setUpSearch();
  }

  function setUpSearch() {
    var form = document.querySelector("[data-global-search]");
    if (!form) { return; }
    var input = form.querySelector("input[type=search]");
    var results = document.getElementById("global-search-results");
    var status = document.getElementById("global-search-status");
    var shortcut = form.querySelector("[data-shortcut]");
    if (shortcut && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)) { shortcut.textContent = "⌘K"; }

    function hits() { return Array.prototype.slice.call(results.querySelectorAll(".search-hit, .search-all")); }
    function showing() { return results.children.length > 0; }
    function clear() {
      results.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
    }

    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "k" || event.key === "K")) {
        event.preventDefault();
        input.focus();
        input.select();
      }
    });

    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target !== results) { return; }
      var panel = results.querySelector(".search-panel");
      input.setAttribute("aria-expanded", panel ? "true" : "false");
      if (status) { status.textContent = panel ? panel.getAttribute("data-status") || "" : ""; }
    });
    /* A cleared field clears the list (htmx does not ask the server for an empty query). */
    input.addEventListener("input", function () { if (!input.value.trim()) { clear(); } });

    function move(from, step) {
      var list = hits();
      if (!list.length) { return; }
      var index = list.indexOf(from);
      var next = index + step;
      if (index === -1) { next = step > 0 ? 0 : list.length - 1; }
      if (next < 0) { input.focus(); return; }
      if (next >= list.length) { next = list.length - 1; }
      list[next].focus();
    }
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "ArrowDown") { if (showing()) { event.preventDefault(); move(target === input ? null : target, 1); } }
      else if (event.key === "ArrowUp") { if (showing() && target !== input) { event.preventDefault(); move(target, -1); } }
      else if (event.key === "Home" && target !== input) { event.preventDefault(); move(null, 1); }
      else if (event.key === "End" && target !== input) { event.preventDefault(); move(null, -1); }
      else if (event.key === "Escape") {
        if (showing()) { event.preventDefault(); clear(); input.focus(); }
        else if (target === input) { input.blur(); }
      }
    });
    /* No list left open behind a click elsewhere. */
    document.addEventListener("click", function (event) { if (showing() && !form.contains(event.target)) { clear(); } });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) { clear(); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); }
  else { setUp(); }
})();
