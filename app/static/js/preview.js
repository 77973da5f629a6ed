// The add-terms preview: a reading chosen among several brings its own gloss (unless the meaning was
// edited), and "Hide HSK 1-2" hides those rows and leaves them out of the import.
(function () {
  "use strict";
  document.querySelectorAll("select.reading-choice").forEach(function (select) {
    var row = select.closest("tr");
    var english = row && row.querySelector('input[name="english"]');
    if (!english) return;
    var previous = select.options[select.selectedIndex];
    select.addEventListener("change", function () {
      var chosen = select.options[select.selectedIndex];
      if (english.value === "" || english.value === previous.dataset.gloss) {
        english.value = chosen.dataset.gloss;
      }
      previous = chosen;
    });
  });

  var toggle = document.getElementById("hide-basic-rows");
  if (toggle) {
    var apply = function () {
      document.querySelectorAll("tr.basic").forEach(function (row) {
        row.hidden = toggle.checked;
        row.querySelector('input[name="include"]').checked = !toggle.checked;
      });
    };
    toggle.addEventListener("change", apply);
    apply();
  }
})();
