/* Two helpers for the admin's edit forms (loaded by their change_form templates).

   1. Warn before leaving a page with unsaved changes (a link, the back button, closing the
      tab). Buttons that submit the edit form save first and are not warned about; the server
      refuses whatever else would lose the text (statements/admin.py).
   2. Give each rich-text editor the name of its field, for screen readers: the editor is a
      contenteditable element the editor library creates beside the hidden textarea. */
(function () {
  "use strict";
  var form = document.querySelector("#content-main form[method='post']");
  if (!form) { return; }

  var dirty = false;
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
}());
