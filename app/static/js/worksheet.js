// The worksheet's print button (the browser's print dialog also saves it as a PDF).
(function () {
  "use strict";
  var button = document.getElementById("print-worksheet");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
