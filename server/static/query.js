// SPARQL syntax highlighting for the query editor: a highlighted copy of the
// text sits behind a transparent textarea and follows every edit and scroll.
(function () {
  "use strict";
  const KEYWORDS = /^(select|construct|describe|ask|where|prefix|base|distinct|reduced|from|named|optional|union|minus|filter|bind|values|graph|service|silent|order|by|group|having|limit|offset|as|asc|desc|not|exists|in|a|count|sum|min|max|avg|sample|group_concat|separator|str|lang|langmatches|datatype|bound|iri|uri|regex|contains|strstarts|strends|lcase|ucase|if|coalesce|true|false)$/i;
  const TOKEN = /(#[^\r\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][A-Za-z_]\w*)|([A-Za-z_][\w-]*:[\w.-]*|:[\w.-]+)|(\d+(?:\.\d+)?)|([A-Za-z_]\w*)/g;

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(text) {
    let out = "";
    let last = 0;
    for (const m of text.matchAll(TOKEN)) {
      out += escapeHtml(text.slice(last, m.index));
      const word = escapeHtml(m[0]);
      let cls = null;
      if (m[1]) cls = "comment";
      else if (m[2]) cls = "string";
      else if (m[3]) cls = "iri";
      else if (m[4]) cls = "var";
      else if (m[5]) cls = "prefixed";
      else if (m[6]) cls = "number";
      else if (m[7] && KEYWORDS.test(m[7])) cls = "keyword";
      out += cls ? `<span class="tok-${cls}">${word}</span>` : word;
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last)) + "\n";
  }

  document.addEventListener("DOMContentLoaded", function () {
    const editor = document.getElementById("editor");
    const code = document.getElementById("highlight");
    if (!editor || !code) return;
    const pre = code.parentElement;
    const refresh = () => { code.innerHTML = highlight(editor.value); };
    editor.addEventListener("input", refresh);
    editor.addEventListener("scroll", () => { pre.scrollTop = editor.scrollTop; pre.scrollLeft = editor.scrollLeft; });
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        document.getElementById("query-form").submit();
      }
    });
    refresh();
  });
})();
