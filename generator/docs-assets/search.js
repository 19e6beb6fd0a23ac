// The catalog's search box: finds a code or a phrase as you type. The data (search-data.js) is loaded on first use;
// matching is a plain scan of every item, ranked: a code exactly, then a title that starts with the query, then a
// title, then a text that holds it. Keyboard: ↓ and ↑ move through the results, Escape goes back and clears.
(() => {
  const form = document.getElementById("search");
  const input = document.getElementById("search-input");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!form || !input || !list || !status) return;
  const root = document.documentElement.dataset.root || "";
  const LIMIT = 40;
  let items;
  let loading;

  const fold = (text) => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

  function load() {
    loading ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = `${root}search-data.js`;
      script.onload = () => {
        items = (self.mailcodesSearchData || []).map(([kind, path, title, context, text]) => ({
          kind,
          path,
          title,
          context,
          text,
          codes: kind === "code" ? [fold(title), ...fold(text).split(" ")] : [fold(title)],
          folded: fold(`${title} ${context}`),
          body: fold(text),
        }));
        resolve();
      };
      script.onerror = () => reject(new Error("the search data did not load"));
      document.head.append(script);
    });
    return loading;
  }

  const KIND_ORDER = { code: 0, entry: 1, set: 2 };

  /** An enhanced code's page is its subject.detail's: "5.7.25" finds X.7.25 even where no document carries 5.7.25. */
  const registryForm = (query) => (/^[245]\.\d{1,3}\.\d{1,3}$/.test(query) ? `x${query.slice(1)}` : query);

  function rank(item, query) {
    if (item.codes.includes(query) || (item.kind === "code" && item.codes.includes(registryForm(query)))) return 0;
    if (item.folded.startsWith(query)) return 1;
    if (item.folded.includes(query)) return 2;
    if (item.body.includes(query)) return 3;
    return -1;
  }

  /** A short piece of the item's text around the match, or its start. */
  function snippet(item, query) {
    const text = item.text.replace(/\s+/g, " ");
    const at = Math.max(0, fold(text).indexOf(query));
    const start = Math.max(0, at - 40);
    return (start > 0 ? "…" : "") + text.slice(start, start + 140) + (start + 140 < text.length ? "…" : "");
  }

  function show(query) {
    list.replaceChildren();
    if (query === "") {
      status.textContent = "";
      return;
    }
    const found = [];
    items.forEach((item, index) => {
      const score = rank(item, query);
      if (score >= 0) found.push({ item, score, index });
    });
    found.sort((a, b) => a.score - b.score || KIND_ORDER[a.item.kind] - KIND_ORDER[b.item.kind] || a.index - b.index);
    for (const { item } of found.slice(0, LIMIT)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = root + item.path;
      const title = document.createElement("strong");
      title.textContent = item.title;
      const context = document.createElement("span");
      context.className = "context";
      context.textContent = item.kind === "set" ? `table · ${item.context}` : item.context;
      a.append(title, " ", context);
      if (item.kind === "entry") {
        const text = document.createElement("span");
        text.className = "snippet";
        text.textContent = snippet(item, query);
        a.append(text);
      }
      li.append(a);
      list.append(li);
    }
    status.textContent =
      found.length === 0
        ? "Nothing found."
        : found.length > LIMIT
          ? `${found.length} found; the first ${LIMIT} shown.`
          : `${found.length} found.`;
  }

  async function search() {
    const query = fold(input.value);
    if (query !== "" && items === undefined) {
      status.textContent = "Loading…";
      try {
        await load();
      } catch (error) {
        status.textContent = `Search is unavailable: ${error.message}.`;
        return;
      }
    }
    if (fold(input.value) === query) show(query);
  }

  const links = () => [...list.querySelectorAll("a")];
  input.addEventListener("input", search);
  input.addEventListener("focus", () => load().catch(() => undefined), { once: true });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    links()[0]?.click();
  });
  form.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && all.length > 0) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    } else if (event.key === "Escape") {
      input.value = "";
      show("");
      input.focus();
    }
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    search();
  }
})();
