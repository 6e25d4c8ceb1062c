/* Frontier Ledger: a chart's marks told on a tap, hover or focus. An enhancement: without it
   every chart is a picture with its alt text, takeaway and data table. Each mark carries what it
   is in data-tip (written at build time, generator/charts/svg.py); this script makes those marks
   focusable with that text as their accessible name, and shows it beside the mark. Text only
   (textContent), no request, no inline code: it runs under the pages' Content-Security-Policy. */
(function () {
  "use strict";
  var NEAR = 24; // px: a tap this close to a mark shows it (marks are small on a phone)
  var tip = null, shown = null;

  function hide() {
    if (tip) tip.hidden = true;
    shown = null;
  }

  function show(mark) {
    var box = mark.closest(".fl-chart__svg");
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "fl-tip";
      tip.setAttribute("aria-hidden", "true"); // the mark's own name says the same
    }
    if (tip.parentNode !== box) box.appendChild(tip);
    tip.textContent = mark.getAttribute("data-tip").split(" · ").join("\n");
    tip.hidden = false;
    var b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
    var x = m.left + m.width / 2 - b.left, w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.max(0, Math.min(x - w / 2, b.width - w));
    var top = m.top - b.top - h - 8;
    if (top < 0) top = m.bottom - b.top + 8;
    tip.style.left = left + "px";
    tip.style.top = Math.min(top, Math.max(0, b.height - h)) + "px";
    shown = mark;
  }

  function nearest(box, x, y) {
    var best = null, dist = NEAR;
    box.querySelectorAll("[data-tip]").forEach(function (m) {
      var r = m.getBoundingClientRect();
      var d = Math.hypot(r.left + r.width / 2 - x, r.top + r.height / 2 - y);
      if (d <= dist) { best = m; dist = d; }
    });
    return best;
  }

  function enhance(box) {
    var marks = box.querySelectorAll("[data-tip]"), svg = box.querySelector("svg");
    if (!marks.length || !svg) return;
    // the container stops being one picture: its marks are named one by one, and the rest of
    // the drawing (axes, labels, legends) stays hidden from assistive technology
    box.setAttribute("role", "group");
    svg.querySelectorAll("text, g[aria-label]").forEach(function (t) {
      t.setAttribute("aria-hidden", "true");
    });
    svg.removeAttribute("aria-hidden");
    marks.forEach(function (m) {
      m.setAttribute("tabindex", "0");
      m.setAttribute("role", "img");
      m.setAttribute("aria-label", m.getAttribute("data-tip").split(" · ").join(", "));
    });
    box.addEventListener("click", function (e) {
      var m = e.target.closest && e.target.closest("[data-tip]") ||
        nearest(box, e.clientX, e.clientY);
      if (m) show(m); else hide();
    });
    box.addEventListener("pointerover", function (e) {
      var m = e.target.closest && e.target.closest("[data-tip]");
      if (m && e.pointerType === "mouse") show(m);
    });
    box.addEventListener("pointerout", function (e) {
      if (e.pointerType === "mouse" && shown && e.target === shown) hide();
    });
    box.addEventListener("focusin", function (e) {
      if (e.target.hasAttribute("data-tip")) show(e.target);
    });
    box.addEventListener("focusout", hide);
  }

  document.querySelectorAll(".fl-chart__svg").forEach(enhance);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.addEventListener("click", function (e) {
    if (shown && !(e.target.closest && e.target.closest(".fl-chart__svg"))) hide();
  });
})();
