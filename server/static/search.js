// Autocomplete for the search box on every page: suggestions from /search.json,
// names first, each with what it is and how often it is mentioned (names repeat: a
// person and a ministry may share one), then articles, events and statements
// whose words match, each saying which it is. Arrow keys move between the box and the suggestions,
// Enter follows one, Escape closes the list.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("search-box");
    const list = document.getElementById("search-suggestions");
    if (!box || !list) return;
    let pending = null;

    function suggestion(hit) {
      const item = document.createElement("li");
      const a = document.createElement("a");
      a.href = hit.href;
      a.textContent = hit.label;  // text, never HTML: labels come from articles
      const about = document.createElement("small");
      if (hit.group === "name") {
        const mentions = hit.mentions + (hit.mentions === 1 ? " mention" : " mentions");
        about.textContent = " " + (hit.kind ? hit.kind + " · " : "") + mentions;
      } else {
        about.textContent = " " + hit.kind;
        item.className = "said";
      }
      a.append(about);
      item.append(a);
      return item;
    }

    function links() {
      return Array.from(list.querySelectorAll("a"));
    }

    function move(step) {
      const all = links();
      if (!all.length) return;
      const here = all.indexOf(document.activeElement);
      const next = here + step;
      if (next < 0) { box.focus(); return; }
      all[Math.min(next, all.length - 1)].focus();
    }

    box.addEventListener("input", function () {
      clearTimeout(pending);
      const q = box.value.trim();
      if (!q) { list.replaceChildren(); return; }
      pending = setTimeout(async function () {
        const response = await fetch("/search.json?q=" + encodeURIComponent(q));
        const hits = await response.json();
        list.replaceChildren(...hits.map(suggestion));
      }, 120);
    });
    for (const element of [box, list]) {
      element.addEventListener("keydown", function (event) {
        if (event.key === "ArrowDown") { move(1); event.preventDefault(); }
        else if (event.key === "ArrowUp") { move(-1); event.preventDefault(); }
        else if (event.key === "Escape") { list.replaceChildren(); box.focus(); }
      });
    }
  });
})();
