// Autocomplete for the search box on every page: suggestions from /search.json.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("search-box");
    const list = document.getElementById("search-suggestions");
    if (!box || !list) return;
    let pending = null;
    box.addEventListener("input", function () {
      clearTimeout(pending);
      const q = box.value.trim();
      if (!q) { list.replaceChildren(); return; }
      pending = setTimeout(async function () {
        const response = await fetch("/search.json?q=" + encodeURIComponent(q));
        const hits = await response.json();
        list.replaceChildren(...hits.map(function (hit) {
          const item = document.createElement("li");
          const a = document.createElement("a");
          a.href = hit.href;
          a.textContent = hit.label;  // text, never HTML: labels come from articles
          item.append(a);
          return item;
        }));
      }, 120);
    });
  });
})();
