// Timezones: registration takes the browser's own zone (Intl API); settings get a search box that
// narrows the list of zones by city, country or name ("Beijing" finds Asia/Shanghai).
(function () {
  "use strict";
  const hidden = document.querySelector('input[type=hidden]#timezone');
  if (hidden) {
    let zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    if (zone) {
      hidden.value = zone;
      const name = document.getElementById("timezone-name");
      if (name) name.textContent = zone;
    }
  }
  const select = document.querySelector("select#timezone");
  const search = document.getElementById("timezone-search");
  if (select && search) {
    search.closest(".timezone-search").hidden = false;
    const options = Array.prototype.slice.call(select.options);
    const texts = options.map(function (o) { return (o.value.replace(/_/g, " ") + " " + o.text).toLowerCase(); });
    search.addEventListener("input", function () {
      const words = search.value.toLowerCase().replace(/_/g, " ").split(/\s+/).filter(Boolean);
      let first = null;
      options.forEach(function (option, i) {
        const match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        option.hidden = !match;
        if (match && first === null) first = option;
      });
      if (first && select.selectedOptions[0] && select.selectedOptions[0].hidden) first.selected = true;
      select.size = Math.min(8, Math.max(2, options.filter(function (o) { return !o.hidden; }).length));
    });
  }
})();
