// Loaded after require.js and before the ipywidgets HTML manager (embed-amd.js), on pages
// that show widgets. Two adjustments so widgets render from this book's own files:
(function () {
  // 1. Where the manager's files are. Its icon fonts then load from _static/html-manager/,
  //    not from a CDN, nor from a path relative to the page (where RequireJS would resolve
  //    the bundle's named modules by default).
  var here = new URL("./", document.currentScript.src).href;
  window.__jupyter_widgets_assets_path__ = here;
  if (window.requirejs) {
    var dir = here.replace(/\/$/, "");
    window.requirejs.config({
      paths: { "@jupyter-widgets/html-manager/dist": dir, "@jupyter-widgets": dir },
    });
  }
  // 2. The manager typesets widget labels with MathJax 2's MathJax.Hub.Queue; the book runs
  //    MathJax 3. Widgets render on "load", after MathJax 3 has loaded; this listener is
  //    registered first, so the bridge is in place before any widget needs it.
  window.addEventListener("load", function () {
    var mj = window.MathJax;
    if (!mj || mj.Hub || !mj.startup) return;
    mj.Hub = {
      Queue: function (job) {
        var element = job && job[2];
        mj.startup.promise.then(function () {
          return element ? mj.typesetPromise([element]) : mj.typesetPromise();
        });
      },
    };
  });
})();
