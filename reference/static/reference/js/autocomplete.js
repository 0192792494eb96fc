// Search-as-you-type fields of reference/forms.py (JobTitleField, CommuneField, MultipleJobTitleField).
// htmx fills the listbox as one types; this script makes it an ARIA combobox (arrows, Enter, Escape,
// click) and stores the choice: in the hidden input (single) or as a new checked checkbox (multiple).
// Everything is delegated from document, so fields swapped in by htmx work without setup.
(function () {
  "use strict";

  const ROOT = "[data-reference-autocomplete]";

  function parts(root) {
    return {
      input: root.querySelector("[role=combobox]"),
      listbox: root.querySelector("[role=listbox]"),
      status: root.querySelector("[data-reference-autocomplete-status]"),
      value: root.querySelector("[data-reference-autocomplete-value]"),
      selected: root.querySelector("[data-reference-autocomplete-selected]"),
      template: root.querySelector("template[data-reference-autocomplete-item]"),
    };
  }

  function options(listbox) {
    return Array.from(listbox.querySelectorAll("[role=option][data-value]"));
  }

  function close(root) {
    const { input, listbox } = parts(root);
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function setActive(root, option) {
    const { input, listbox } = parts(root);
    listbox.querySelectorAll("[aria-selected=true]").forEach((o) => o.setAttribute("aria-selected", "false"));
    if (option) {
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(root, option) {
    const { input, value, selected, template, status } = parts(root);
    if (root.hasAttribute("data-multiple")) {
      const existing = Array.from(selected.querySelectorAll("input[type=checkbox]")).find(
        (box) => box.value === option.dataset.value,
      );
      if (existing) {
        existing.checked = true;
      } else {
        const item = template.content.firstElementChild.cloneNode(true);
        const box = item.querySelector("input");
        const label = item.querySelector("label");
        box.value = option.dataset.value;
        box.id = `${input.id}-${option.dataset.value}`;
        label.htmlFor = box.id;
        label.textContent = option.dataset.label;
        selected.appendChild(item);
      }
      input.value = "";
      status.textContent = `${option.dataset.label} ajouté.`;
    } else {
      input.value = option.dataset.label;
      value.value = option.dataset.value;
      value.disabled = false;
      status.textContent = `${option.dataset.label} choisi.`;
    }
    close(root);
    input.focus();
  }

  function enable(scope) {
    // The hidden input is disabled in the HTML so that, without JavaScript, the typed text counts.
    scope.querySelectorAll(`${ROOT} [data-reference-autocomplete-value]`).forEach((hidden) => {
      hidden.disabled = false;
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    const listbox = event.detail.target;
    const root = listbox.closest && listbox.closest(ROOT);
    if (!root || listbox.getAttribute("role") !== "listbox") return;
    const { input, status } = parts(root);
    const found = options(listbox);
    found.forEach((option, index) => {
      option.id = `${listbox.id}-${index}`;
    });
    const hasContent = listbox.children.length > 0;
    listbox.hidden = !hasContent;
    input.setAttribute("aria-expanded", String(hasContent));
    status.textContent = hasContent ? `${found.length} suggestion${found.length > 1 ? "s" : ""}.` : "";
  });

  document.addEventListener("input", function (event) {
    const root = event.target.closest && event.target.closest(ROOT);
    if (!root || event.target.getAttribute("role") !== "combobox") return;
    const { value } = parts(root);
    // Typing again drops the previous choice: the text is what counts until a new one is picked.
    if (value) value.value = "";
    if (!event.target.value.trim()) close(root);
  });

  document.addEventListener("keydown", function (event) {
    const root = event.target.closest && event.target.closest(ROOT);
    if (!root || event.target.getAttribute("role") !== "combobox") return;
    const { listbox } = parts(root);
    const found = options(listbox);
    const current = listbox.querySelector("[aria-selected=true]");
    const index = found.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!found.length) return;
      event.preventDefault();
      listbox.hidden = false;
      event.target.setAttribute("aria-expanded", "true");
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(root, found[(index + step + found.length) % found.length]);
    } else if (event.key === "Enter" && !listbox.hidden && current) {
      event.preventDefault();
      pick(root, current);
    } else if (event.key === "Escape" && !listbox.hidden) {
      event.preventDefault();
      close(root);
    }
  });

  document.addEventListener("mousedown", function (event) {
    const option = event.target.closest && event.target.closest(`${ROOT} [role=option][data-value]`);
    if (!option) return;
    // mousedown, not click: the input would lose focus (and close the list) before a click lands.
    event.preventDefault();
    pick(option.closest(ROOT), option);
  });

  document.addEventListener("focusout", function (event) {
    const root = event.target.closest && event.target.closest(ROOT);
    if (root && !root.contains(event.relatedTarget)) close(root);
  });

  document.addEventListener("htmx:load", (event) => enable(event.detail.elt));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enable(document));
  } else {
    enable(document);
  }
})();
