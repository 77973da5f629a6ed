// The add-terms preview: "Hide HSK 1-2" hides those rows and leaves them out of the import.
(function () {
  const toggle = document.getElementById("hide-basic-rows");
  if (!toggle) return;
  function apply() {
    document.querySelectorAll("tr.basic").forEach(function (row) {
      row.hidden = toggle.checked;
      row.querySelector('input[name="include"]').checked = !toggle.checked;
    });
  }
  toggle.addEventListener("change", apply);
  apply();
})();
