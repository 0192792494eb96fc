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

// A link marked data-confirm-modal (templates/components/confirm_trigger.html) leads to a confirmation page;
// with the DSFR's script loaded, it opens the same form in the page's modal instead.
document.addEventListener("click", function (event) {
  const trigger = event.target.closest("[data-confirm-modal]");
  const modal = trigger && document.getElementById(trigger.dataset.confirmModal);
  if (!modal || !window.dsfr) {
    return;
  }
  event.preventDefault();
  window.dsfr(modal).modal.disclose();
});
