// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";
  // Type-ahead on the facet values page: the same list, fetched from /api/facets/<name>.
  var form = document.querySelector("form.facet-filter");
  if (form) {
    var input = form.querySelector("input[name=prefix]");
    var list = document.getElementById("facet-values");
    var facet = form.getAttribute("data-facet");
    var api = form.getAttribute("data-api");  // URLs come from the server (url_for), never built here
    var searchUrl = form.getAttribute("data-search");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var params = new URLSearchParams(new FormData(form));
        fetch(api + "?" + params.toString())
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data) { return; }
            var base = new URLSearchParams(new FormData(form));
            base.delete("prefix");
            base.delete("page");
            list.textContent = "";
            data.values.forEach(function (v) {
              var p = new URLSearchParams(base);
              var selected = p.getAll(facet).indexOf(v.value) >= 0;
              if (selected) {
                var kept = p.getAll(facet).filter(function (x) { return x !== v.value; });
                p.delete(facet);
                kept.forEach(function (x) { p.append(facet, x); });
              } else {
                p.append(facet, v.value);
              }
              var li = document.createElement("li");
              if (selected) { li.className = "selected"; }
              var a = document.createElement("a");
              a.href = searchUrl + "?" + p.toString();
              var label = document.createElement("span");
              label.className = "label";
              label.textContent = v.label;
              if (v.detail) {
                var detail = document.createElement("small");
                detail.className = "detail";
                detail.textContent = " " + ["rank_label", "role_label", "agency_label"]
                  .map(function (k) { return v.detail[k]; }).filter(Boolean).join(" · ");
                label.appendChild(detail);
              }
              var count = document.createElement("span");
              count.className = "count";
              count.textContent = " " + v.count;
              a.appendChild(label);
              a.appendChild(count);
              li.appendChild(a);
              list.appendChild(li);
            });
            if (!data.values.length) {
              var empty = document.createElement("li");
              empty.className = "empty";
              empty.textContent = "—";
              list.appendChild(empty);
            }
          });
      }, 150);
    });
  }
  // On a release page, the sticky "N matches" bar is measured so a match scrolled to (from a hit
  // link, a number or the n/p keys) lands below it, whatever the bar's height (it wraps on phones).
  var bar = document.querySelector("nav.matches");
  if (bar) {
    var measure = function () {
      document.documentElement.style.setProperty("--matches-bar", bar.getBoundingClientRect().height + "px");
    };
    measure();
    window.addEventListener("resize", measure);
    if (location.hash) {  // the browser scrolled before the bar was measured: scroll again
      var target = document.getElementById(location.hash.slice(1));
      if (target) { target.scrollIntoView(); }
    }
  }
  // On a release page, "n" and "p" walk the numbered matches (#m1, #m2, ...).
  var marks = document.querySelectorAll("mark[id^=m]");
  if (marks.length) {
    document.addEventListener("keydown", function (e) {
      if (e.target.tagName === "INPUT" || e.altKey || e.ctrlKey || e.metaKey) { return; }
      if (e.key !== "n" && e.key !== "p") { return; }
      var current = parseInt((location.hash || "#m0").slice(2), 10) || 0;
      var next = e.key === "n" ? Math.min(current + 1, marks.length) : Math.max(current - 1, 1);
      location.hash = "#m" + next;
    });
  }
})();
