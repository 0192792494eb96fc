// htmx requests carry the CSRF token so that POSTs from fragments pass Django's CSRF check.
document.addEventListener("htmx:configRequest", function (event) {
  const token = document.querySelector("[name=csrfmiddlewaretoken]");
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.value;
  }
});

// A select with data-submit-on-change submits its form when changed (the CSP refuses inline onchange handlers).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-submit-on-change]")) {
    event.target.form.requestSubmit();
  }
});
