// Loaded on the published book's pages that show widgets, after the ipywidgets HTML manager.
// There is no Python behind those pages, so a control that needs it must not look live: once the
// widgets have rendered, every control of an output is disabled, and a line above it says where
// it works (Colab, through the page's own launch button). Replays are plain HTML, not widgets,
// and keep working. Colab and Jupyter never load this file: there the controls train live.
(function () {
  function colabUrl() {
    var a = document.querySelector('a[href^="https://colab.research.google.com/"]');
    return a ? a.href : null;
  }

  function settle(view) {
    view.dataset.gbNeedsPython = "true";
    view.classList.add("gb-needs-python");
    view.setAttribute("aria-disabled", "true");
    view.querySelectorAll("input, button, select, textarea").forEach(function (c) {
      c.disabled = true;
    });
    view.querySelectorAll(".noUi-target, .slider").forEach(function (s) {
      s.setAttribute("disabled", "");
    });
    // a slider's handle is what a screen reader announces: give it the slider's description
    view.querySelectorAll('[role="slider"]').forEach(function (handle) {
      if (handle.getAttribute("aria-label") || handle.getAttribute("aria-labelledby")) return;
      var box = handle.closest(".widget-slider, .widget-hslider, .widget-vslider");
      var label = box && box.querySelector(".widget-label");
      var text = label && label.textContent.trim();
      handle.setAttribute("aria-label", text || "slider");
    });
    view.querySelectorAll("[contenteditable]").forEach(function (e) {
      e.setAttribute("contenteditable", "false");
    });
    var note = document.createElement("p");
    note.className = "gb-needs-python-note";
    note.append("These controls need Python, which this page does not have: they run in Colab. ");
    var url = colabUrl();
    var link = document.createElement(url ? "a" : "span");
    if (url) {
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener";
    }
    link.textContent = "Open this chapter in Colab";
    note.append(link, " to use them. Below is what they drew with their default settings.");
    view.parentNode.insertBefore(note, view);
  }

  var pending = false;
  function scan() {
    pending = false;
    document.querySelectorAll(".cell_output .jupyter-widgets").forEach(function (view) {
      if (view.dataset.gbNeedsPython || view.parentElement.closest(".jupyter-widgets")) return;
      if (view.querySelector("input, button, select, textarea, .noUi-target, .slider")) settle(view);
    });
  }
  function soon() {
    if (!pending) {
      pending = true;
      setTimeout(scan, 50);
    }
  }
  var observer = new MutationObserver(soon);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("load", soon);
  setTimeout(function () { observer.disconnect(); scan(); }, 30000);
})();
