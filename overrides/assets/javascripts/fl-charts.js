/* Frontier Ledger: a chart's marks told on a tap, hover or focus (README, "Charts on a phone").
   Marks carry their words in data-tip; text only, no request, no inline code (CSP). */
(function () {
  "use strict";
  var tip, shown, SEP = " · ";

  function hide() {
    if (tip) tip.hidden = true;
    shown = null;
  }

  function show(mark) {
    var box = mark.closest(".fl-chart__svg");
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "fl-tip";
      tip.setAttribute("aria-hidden", "true"); // the mark's own name says it
    }
    if (tip.parentNode !== box) box.appendChild(tip);
    tip.textContent = mark.getAttribute("data-tip").split(SEP).join("\n");
    tip.hidden = false;
    var b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
    var w = tip.offsetWidth, h = tip.offsetHeight, top = m.top - b.top - h - 8;
    if (top < 0) top = m.bottom - b.top + 8;
    var left = m.left + m.width / 2 - b.left - w / 2;
    tip.style.left = Math.max(0, Math.min(left, b.width - w)) + "px";
    tip.style.top = Math.min(top, Math.max(0, b.height - h)) + "px";
    shown = mark;
  }

  // a tap within 24 px of a mark shows it: marks are small on a phone
  function near(box, x, y) {
    var best = null, dist = 24;
    box.querySelectorAll("[data-tip]").forEach(function (m) {
      var r = m.getBoundingClientRect();
      var d = Math.hypot(r.left + r.width / 2 - x, r.top + r.height / 2 - y);
      if (d <= dist) { best = m; dist = d; }
    });
    return best;
  }

  function mark(e) {
    return e.target.closest && e.target.closest("[data-tip]");
  }

  function enhance(box) {
    var marks = box.querySelectorAll("[data-tip]"), svg = box.querySelector("svg");
    if (!marks.length || !svg) return;
    // no longer one picture: each mark is named, the rest of the drawing stays hidden
    box.setAttribute("role", "group");
    svg.querySelectorAll("text, g[aria-label]").forEach(function (t) {
      t.setAttribute("aria-hidden", "true");
    });
    svg.removeAttribute("aria-hidden");
    marks.forEach(function (m) {
      m.setAttribute("tabindex", "0");
      m.setAttribute("role", "img");
      m.setAttribute("aria-label", m.getAttribute("data-tip").split(SEP).join(", "));
    });
    box.addEventListener("click", function (e) {
      var m = mark(e) || near(box, e.clientX, e.clientY);
      if (m) show(m); else hide();
    });
    box.addEventListener("pointerover", function (e) {
      if (mark(e) && e.pointerType === "mouse") show(mark(e));
    });
    box.addEventListener("pointerout", function (e) {
      if (e.pointerType === "mouse" && e.target === shown) hide();
    });
    box.addEventListener("focusin", function (e) {
      if (mark(e)) show(mark(e));
    });
    box.addEventListener("focusout", hide);
  }

  document.querySelectorAll(".fl-chart__svg").forEach(enhance);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.addEventListener("click", function (e) {
    if (shown && !(e.target.closest && e.target.closest(".fl-chart__svg"))) hide();
  });
})();
