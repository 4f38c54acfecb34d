/* Site-wide behaviour on every page (loaded by common/site_scripts.html, which also holds the translated words).
   - Exports: a link to a file (an ?export= parameter, or data-export) shows that it is working — a spinner and
     "preparing…", disabled — until the file arrives, then saves it. Without JS the plain link still downloads.
   - The main menu keeps one line at desk widths: what does not fit goes into "More".
   - Module sub-menus that scroll sideways (phones) fade at the edge that has more tabs, and open with the
     active tab in view. */
(function () {
  var words = {};
  var block = document.getElementById("ui-text");
  if (block) { words = JSON.parse(block.textContent); }
  window.hzText = function (key) { return words[key] || key; };

  /* ---- exports ---- */
  function isExport(a) {
    if (a.hasAttribute("data-export")) { return true; }
    if (a.hasAttribute("download") || !a.href) { return false; }
    var url = new URL(a.href, window.location.href);
    return url.origin === window.location.origin && url.searchParams.has("export");
  }
  function fileName(disposition) {
    var m = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
    if (m) { try { return decodeURIComponent(m[1].trim()); } catch (e) { /* fall through */ } }
    m = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
    return m ? m[1].trim() : "export";
  }
  /* The working state shows on the link, or on its menu's button when the link sits in a dropdown (which closes). */
  function busy(a, on) {
    var dropdown = a.closest(".dropdown-menu") && a.closest(".dropdown");
    var shown = (dropdown && dropdown.querySelector("[data-bs-toggle=dropdown]")) || a;
    if (on) {
      shown.dataset.exportLabel = shown.innerHTML;
      shown.innerHTML = '<span class="spinner-border spinner-border-sm" aria-hidden="true"></span> ' + window.hzText("preparing");
      shown.classList.add("disabled");
      if (shown.tagName === "BUTTON") { shown.disabled = true; }
    } else {
      shown.innerHTML = shown.dataset.exportLabel;
      delete shown.dataset.exportLabel;
      shown.classList.remove("disabled");
      if (shown.tagName === "BUTTON") { shown.disabled = false; }
    }
    [a, shown].forEach(function (el) {
      if (on) { el.setAttribute("aria-disabled", "true"); el.setAttribute("aria-busy", "true"); }
      else { el.removeAttribute("aria-disabled"); el.removeAttribute("aria-busy"); }
    });
  }
  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[href]");
    if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    if (!window.fetch || !window.URL || !URL.createObjectURL || !isExport(a)) { return; }
    event.preventDefault();
    if (a.getAttribute("aria-busy") === "true") { return; }  /* already on its way */
    var href = a.href;
    busy(a, true);
    fetch(href, {credentials: "same-origin"}).then(function (response) {
      var disposition = response.headers.get("Content-Disposition") || "";
      if (!response.ok || !/attachment/i.test(disposition)) {
        window.location.href = href;  /* a page, not a file (the login form, an error): let the browser show it */
        return null;
      }
      return response.blob().then(function (blob) { save(blob, fileName(disposition)); });
    }).catch(function () {
      window.location.href = href;
    }).then(function () { busy(a, false); });
  });

  /* ---- the main menu on one line (desk widths) ---- */
  /* Entries move into "More" in this order while the header does not fit: the platform's own (no module: the admin,
     the API), then the registry's (M0) from the end, then the modules' from the end. */
  var header = document.querySelector(".navbar");
  var collapse = document.getElementById("mainnav");
  var menu = collapse && collapse.querySelector(".navbar-nav");
  if (header && menu) {
    var items = Array.prototype.slice.call(menu.children);
    var order = items.filter(function (li) { return !li.querySelector("[data-module]"); }).reverse()
      .concat(items.filter(function (li) { var a = li.querySelector("[data-module]"); return a && a.dataset.module === "M0"; }).reverse())
      .concat(items.filter(function (li) { var a = li.querySelector("[data-module]"); return a && a.dataset.module !== "M0"; }).reverse());
    var more = document.createElement("li");
    more.className = "nav-item dropdown";
    more.dataset.testid = "menu-more";
    more.innerHTML = '<a class="nav-link dropdown-toggle" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false"></a>' +
                     '<ul class="dropdown-menu"></ul>';
    more.firstChild.textContent = window.hzText("more");
    var list = more.lastChild;
    var wide = window.matchMedia("(min-width: 992px)");
    var fit = function () {
      items.forEach(function (li) { li.querySelector("a").classList.replace("dropdown-item", "nav-link"); menu.appendChild(li); });
      more.remove();
      more.firstChild.classList.remove("active");
      if (!wide.matches) { return; }
      var box = header.firstElementChild;
      var overflows = function () { return box.scrollWidth > box.clientWidth + 1; };
      for (var i = 0; i < order.length - 1 && overflows(); i++) {
        if (!more.parentNode) { menu.appendChild(more); }
        var li = order[i], a = li.querySelector("a");
        a.classList.replace("nav-link", "dropdown-item");
        list.appendChild(li);
        if (a.classList.contains("active")) { more.firstChild.classList.add("active"); }
      }
      list.append.apply(list, items.filter(function (li) { return li.parentNode === list; }));  /* menu order */
    };
    header.classList.add("js-fit");
    fit();
    if (document.fonts) { document.fonts.ready.then(fit); }  /* the icon font can widen the header once loaded */
    var timer;
    window.addEventListener("resize", function () { window.clearTimeout(timer); timer = window.setTimeout(fit, 100); });
  }

  /* ---- module sub-menus: the scroll cue ---- */
  function cue(nav) {
    var max = nav.scrollWidth - nav.clientWidth;
    nav.classList.toggle("more-before", nav.scrollLeft > 1);
    nav.classList.toggle("more-after", nav.scrollLeft < max - 1);
  }
  document.querySelectorAll(".module-nav").forEach(function (nav) {
    var active = nav.querySelector(".active");
    if (active && nav.scrollWidth > nav.clientWidth) {
      /* scrollLeft, not scrollIntoView: the page itself must not move */
      var n = nav.getBoundingClientRect(), t = active.getBoundingClientRect();
      nav.scrollLeft += (t.left - n.left) - (n.width - t.width) / 2;
    }
    cue(nav);
    nav.addEventListener("scroll", function () { cue(nav); }, {passive: true});
    window.addEventListener("resize", function () { cue(nav); });
  });
})();
