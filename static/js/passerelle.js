// htmx requests carry the CSRF token so that POSTs from fragments pass Django's CSRF check.
document.addEventListener("htmx:configRequest", function (event) {
  const token = document.querySelector("[name=csrfmiddlewaretoken]");
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.value;
  }
});
