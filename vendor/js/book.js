// The book's own script on every page (served from _static/, see _config.yml): what the theme and
// its extensions leave for a reader on a phone, at the keyboard or with a screen reader.
(function () {
  // A figure at full resolution: a click, or Enter, on a figure of a cell's output (a replay's
  // frame included) opens it at its own width in an overlay that scrolls both ways, so a reader
  // on a phone, where the column shrinks every figure, can read it. Escape or a click closes it.
  function cssWidth(img) {
    // the figure's own width in CSS px (a 2x PNG's half), as the page sets it: a style (myst-nb's
    // figures) or an attribute (the replays)
    var w = parseFloat(img.style.width) || parseFloat(img.getAttribute("width"));
    return w > 0 ? w : img.naturalWidth;
  }

  function openFigure(img) {
    var overlay = document.createElement("div");
    overlay.className = "gb-figure-full";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "The figure at full size");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "gb-figure-close";
    close.textContent = "Close";
    var big = document.createElement("img");
    big.src = img.currentSrc || img.src;  // a replay: the frame it shows now
    big.alt = img.alt;
    // its own width, or as wide as the window has room for, up to its pixels (a 2x figure doubles
    // on a laptop's screen); on a phone, wider than the screen, to scroll
    var room = window.innerWidth - 32;
    big.style.width = Math.min(img.naturalWidth, Math.max(cssWidth(img), room)) + "px";
    overlay.append(close, big);
    function shut() {
      document.removeEventListener("keydown", onKey);
      overlay.remove();
      img.focus();
    }
    function onKey(event) {
      if (event.key === "Escape") shut();
    }
    overlay.addEventListener("click", shut);
    document.addEventListener("keydown", onKey);
    document.body.append(overlay);
    close.focus();
  }

  // One listener for the whole page (a script that rewrites a part of the page, such as the
  // toggle buttons around a folded solution, would drop a listener set on the figure itself).
  var FIGURE = "article .cell_output img";
  document.addEventListener("click", function (event) {
    var img = event.target.closest && event.target.closest(FIGURE);
    if (img && !img.closest(".gb-needs-python")) openFigure(img);
  });
  document.addEventListener("keydown", function (event) {
    var img = event.target.closest && event.target.closest(FIGURE);
    if (img && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openFigure(img);
    }
  });

  function figures() {
    document.querySelectorAll(FIGURE).forEach(function (img) {
      img.classList.add("gb-figure");
      img.tabIndex = 0;
      img.title = "Open the figure at full size";
    });
  }

  // Printed output: a table keeps its rows, and one wider than the column scrolls sideways in its
  // own box (which the keyboard must be able to reach to scroll it); a sentence wraps at the
  // column as prose does (book.css). A table is an output with two or more lines whose columns
  // are lined up with runs of spaces, or drawn with " | ".
  var ALIGNED = /\S {2,}\S| \| /;
  function isTable(text) {
    return text.split("\n").filter(function (line) { return ALIGNED.test(line.trim()); }).length >= 2;
  }

  function printedOutput() {
    document.querySelectorAll("article .cell_output pre").forEach(function (pre) {
      if (!pre.dataset.gbPrinted) {
        pre.dataset.gbPrinted = isTable(pre.textContent) ? "table" : "text";
      }
      if (pre.dataset.gbPrinted === "table" && pre.scrollWidth > pre.clientWidth + 1) {
        pre.tabIndex = 0;
        pre.setAttribute("aria-label", "printed table, scrolls sideways");
      } else if (pre.getAttribute("aria-label")) {
        pre.removeAttribute("tabindex");
        pre.removeAttribute("aria-label");
      }
    });
  }

  // The bibliography (sphinxcontrib-bibtex through docutils) marks its list role="list" and each
  // entry role="doc-biblioentry", a role ARIA has deprecated in favour of listitem; a list whose
  // items are not list items is announced as a broken list.
  function bibliography() {
    document.querySelectorAll('.citation-list[role="list"] > [role="doc-biblioentry"]').forEach(function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }

  // Names that differ from what a control shows (WCAG 2.1's "label in name": a speech-input user
  // who says what they see must be understood). The theme's search buttons say "Search" to a screen
  // reader but show "Search... Ctrl+K": without the aria-label, the name is what the button shows.
  function visibleNames() {
    document.querySelectorAll(".search-button-field[aria-label], .search-button__button[aria-label]").forEach(function (b) {
      if (b.textContent.trim()) b.removeAttribute("aria-label");
    });
    // myst-nb's fold of a hidden cell is named "Toggle hidden content" but shows "Show code cell
    // source" (or "Hide ..."): its name is then what it shows
    document.querySelectorAll('details.hide > summary[aria-label="Toggle hidden content"]').forEach(function (s) {
      if (s.textContent.trim()) s.removeAttribute("aria-label");
    });
    // the colour-mode button is named "Color mode"; its three icons' titles (Light, Dark, System
    // Settings) are not text it shows, and must not be read as part of it
    document.querySelectorAll(".theme-switch-button svg, .theme-switch-button i").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
      icon.removeAttribute("aria-labelledby");
      icon.removeAttribute("role");
      icon.querySelectorAll("title").forEach(function (title) { title.remove(); });
    });
  }

  function settle() {
    figures();
    printedOutput();
    bibliography();
    visibleNames();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", settle);
  } else {
    settle();
  }
  window.addEventListener("load", function () {
    settle();
    setTimeout(settle, 500);  // after Font Awesome has turned the theme's icons into SVGs
  });
  var resized = null;
  window.addEventListener("resize", function () {
    clearTimeout(resized);
    resized = setTimeout(printedOutput, 200);
  });
})();
