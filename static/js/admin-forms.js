/* Helpers for the admin's edit forms (loaded by their change_form templates).

   1. Warn before leaving a page with unsaved changes (a link, the back button, closing the
      tab). Buttons that submit the edit form save first and are not warned about; the server
      refuses whatever else would lose the text (statements/admin.py).
   2. Number the accessible names of inline rows added in the page (config/admin_forms.py).
   3. Give each rich-text editor the name of its field, for screen readers: the editor is a
      contenteditable element the editor library creates beside the hidden textarea.
   4. Say which of the editor's toolbar buttons are unavailable (the library only greys them
      with a "disabled" class): aria-disabled, so that screen readers announce it too. */
(function () {
  "use strict";
  var form = document.querySelector("#content-main form[method='post']");
  if (!form) { return; }

  // A page sent back with errors holds what was typed, not what is saved: leaving it loses it.
  var dirty = Boolean(form.querySelector(".errornote, .errorlist"));
  function mark(event) {
    var target = event.target;
    if (target && (form.contains(target) || target.form === form)) { dirty = true; }
  }
  document.addEventListener("input", mark, true);
  document.addEventListener("change", mark, true);
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return; }
    event.preventDefault();
    event.returnValue = "";
  });

  // A row added to an inline ("Add another ...") is a copy of a template row: number it.
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll("[data-aria-label]").forEach(function (input) {
      var match = /-(\d+)-/.exec(input.name || "");
      if (match) {
        input.setAttribute("aria-label",
          input.getAttribute("data-aria-label").replace("__number__", Number(match[1]) + 1));
      }
    });
  });

  function nameEditor(editor) {
    if (editor.hasAttribute("aria-labelledby")) { return; }
    var row = editor.closest(".form-row, .fieldBox, div");
    var label = row && row.closest(".form-row") && row.closest(".form-row").querySelector("label");
    if (!label) { return; }
    if (!label.id) { label.id = (label.htmlFor || "editor") + "-label"; }
    editor.setAttribute("aria-labelledby", label.id);
    editor.setAttribute("aria-multiline", "true");
  }
  function nameEditors() { form.querySelectorAll(".ProseMirror").forEach(nameEditor); }
  nameEditors();
  new MutationObserver(nameEditors).observe(form, { childList: true, subtree: true });

  function markUnavailable() {
    form.querySelectorAll(".prose-menubar__button").forEach(function (button) {
      var unavailable = button.classList.contains("disabled") && !button.classList.contains("active");
      if (unavailable !== (button.getAttribute("aria-disabled") === "true")) {
        button.setAttribute("aria-disabled", unavailable ? "true" : "false");
      }
    });
  }
  markUnavailable();
  new MutationObserver(markUnavailable).observe(form, {
    subtree: true, attributes: true, attributeFilter: ["class"], childList: true
  });
}());
