// Swagger UI draws a <main> of its own inside the page's: make it a region named for what it holds, so that the
// page keeps one main landmark (templates/api/swagger_ui.html).
(function () {
  const root = document.getElementById("swagger-ui");
  if (!root) {
    return;
  }
  const fix = function () {
    root.querySelectorAll("main").forEach(function (inner) {
      inner.setAttribute("role", "region");
      inner.setAttribute("aria-label", "Opérations de l'API");
    });
  };
  new MutationObserver(fix).observe(root, { childList: true, subtree: true });
  fix();
})();
