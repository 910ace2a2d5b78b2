/* Kennisbank search: the header box on every page and the /zoeken/ page, built on
   Pagefind's JS API (pagefind/pagefind.js, written by kennisbank/search.py after the build).
   Nothing under pagefind/ is fetched until someone focuses or types in a search box, or opens
   /zoeken/ with a query or filter in its URL. No inline scripts, handlers or styles (CSP). */
(function () {
  "use strict";

  var root = document.querySelector("[data-kb-base]");
  if (!root || !("fetch" in window)) return;

  // The site root, whatever the page depth or host (also under `mkdocs serve`).
  var BASE = new URL(root.getAttribute("data-kb-base"), location.href);
  // The search page's filters, in order, with their titles: from the registry of kinds and
  // vocabularies, in the page (data-kb-filters on the page's mount, set by mountPage).
  var FILTERS = [];
  var FILTER_TITLES = {};
  var HEADER_RESULTS = 6;
  var PAGE_SIZE = 10; // results per batch: each one costs a fragment download
  var UNAVAILABLE =
    "Zoeken is nu niet beschikbaar: de zoekindex kon niet geladen worden. Werkt het niet " +
    "meer na herladen, gebruik dan de overzichten van adviezen, standpunten, toolkits en praktijken.";
  // A page under /fr/ or /en/ (<html lang>) searches the pages in its own language (Pagefind
  // keeps an index per language and loads the one of the page) and speaks that language in
  // the header; the search page /zoeken/ is Dutch, so "more" leads to the language's home.
  var LANG = document.documentElement.lang || "nl";
  var OTHER = {
    fr: {
      close: "Fermer la recherche",
      none: "Aucun résultat pour ",
      one: "1 résultat",
      many: " résultats",
      unavailable: "La recherche n'est pas disponible pour le moment. Rechargez la page.",
    },
    en: {
      close: "Close search",
      none: "No results for ",
      one: "1 result",
      many: " results",
      unavailable: "Search is not available right now. Please reload the page.",
    },
  }[LANG];
  if (OTHER) UNAVAILABLE = OTHER.unavailable;
  if (location.protocol === "file:") {
    UNAVAILABLE =
      "Zoeken werkt niet in een pagina die als bestand geopend is. Bekijk de site via een " +
      "webserver, bijvoorbeeld met 'make serve'.";
  }

  /* ---------- Pagefind, loaded on first use ---------- */

  var pagefindPromise = null;
  function pagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(new URL("pagefind/pagefind.js", BASE).href).then(function (pf) {
        return pf
          // No web worker: saves a 41 KB download and a round trip before the first result;
          // searching a chunked index on the main thread takes milliseconds.
          .options({ baseUrl: BASE.pathname, excerptLength: 24, noWorker: true })
          .then(function () {
            return pf.init();
          })
          .then(function () {
            return pf;
          });
      });
      // A failed load (offline, no index yet) may be retried on the next search.
      pagefindPromise.catch(function () {
        pagefindPromise = null;
      });
    }
    return pagefindPromise;
  }

  var labelsPromise = null;
  function labels() {
    if (!labelsPromise) {
      labelsPromise = fetch(new URL("assets/zoekfilters.json", BASE).href)
        .then(function (r) {
          return r.ok ? r.json() : {};
        })
        .catch(function () {
          return {};
        })
        .then(function (data) {
          data.soort = Object.assign({ pagina: "Pagina's" }, data.soort || {});
          return data;
        });
    }
    return labelsPromise;
  }

  // The words a search without results is compared with (assets/zoekwoorden.json, written at
  // build time by kennisbank/site/search_words.py, most frequent first): fetched only then.
  var wordsPromise = null;
  function knownWords() {
    if (!wordsPromise) {
      wordsPromise = fetch(new URL("assets/zoekwoorden.json", BASE).href)
        .then(function (r) {
          return r.ok ? r.json() : [];
        })
        .catch(function () {
          return [];
        });
    }
    return wordsPromise;
  }

  // Edits (insert, delete, replace, swap two neighbours) from a to b; more than `most` is
  // reported as most + 1 (optimal string alignment distance, cut off early).
  function distance(a, b, most) {
    if (Math.abs(a.length - b.length) > most) return most + 1;
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      var best = i;
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) {
          rows[0].push(j);
          continue;
        }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, rows[i - 2][j - 2] + 1);
        }
        rows[i].push(d);
        if (d < best) best = d;
      }
      if (i > 0 && best > most) return most + 1;
    }
    return rows[a.length][b.length];
  }

  // The query with each unknown word replaced by the nearest known word (one edit per four
  // letters at most; the more frequent word wins a tie), or "" when nothing is near.
  function suggestion(query, words) {
    var known = {};
    words.forEach(function (w) {
      known[w] = true;
    });
    var changed = false;
    var out = query
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .map(function (word) {
        if (word.length < 4 || known[word]) return word;
        var most = Math.max(1, Math.floor(word.length / 4));
        var best = null;
        var bestDistance = most + 1;
        for (var i = 0; i < words.length && bestDistance > 1; i++) {
          var d = distance(word, words[i], most);
          if (d < bestDistance) {
            best = words[i];
            bestDistance = d;
          }
        }
        if (!best) return word;
        changed = true;
        return best;
      });
    return changed ? out.join(" ") : "";
  }

  // Pagefind's Dutch stemmer reduces "advies" to "advie" but "adviezen" to "advies", so a search
  // for "adviezen" would miss pages with only "advies" (measured: also verlies/verliezen; huis/
  // huizen, prijs/prijzen and gemeente/gemeenten are fine). Searching the singular finds both.
  function queryText(text) {
    return text.trim().replace(/iezen(?=$|[\s"'.,;:!?)])/gi, "ies") || null;
  }

  /* ---------- Small DOM helpers ---------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.append(child);
    });
    return node;
  }

  // Pagefind's excerpt is escaped text with <mark> around matches: keep the marks, nothing else.
  function excerpt(html) {
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    var out = document.createDocumentFragment();
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") out.append(el("mark", { text: node.textContent }));
      else out.append(document.createTextNode(node.textContent));
    });
    return out;
  }

  function resultsText(count) {
    if (OTHER) return count === 1 ? OTHER.one : count + OTHER.many;
    if (count === 0) return "Geen resultaten";
    return count === 1 ? "1 resultaat" : count + " resultaten";
  }

  // One result: title (link), kind label, date and the excerpt with matched words marked.
  // `block` is the CSS block name: kb-search-result on /zoeken/, kb-hresult in the header.
  function resultItem(data, block, heading) {
    var meta = data.meta || {};
    var link = el("a", { href: data.url, className: block + "__link", text: meta.title || data.url });
    var info = [];
    if (meta.soort) info.push(el("span", { className: block + "__kind", text: meta.soort }));
    if (meta.datum) {
      if (info.length) info.push(document.createTextNode(" · "));
      info.push(el("time", { datetime: meta.iso || null, text: meta.datum }));
    }
    return el("li", { className: block }, [
      el(heading, { className: block + "__title" }, [link]),
      info.length ? el("p", { className: block + "__meta" }, info) : null,
      el("p", { className: block + "__excerpt" }, [excerpt(data.excerpt || "")]),
    ]);
  }

  // Publications first: a site page (soort "pagina": contact, the follow-up dashboard, ...)
  // that matches comes after every publication that matches, in Pagefind's order within
  // each group (issue #19). A second search, for the pages only, tells them apart without
  // loading any result's data. A reader who chose a kind gets just that kind.
  function rankedSearch(pf, term, filters) {
    if (filters.soort) return pf.search(term, { filters: filters });
    return Promise.all([
      pf.search(term, { filters: filters }),
      pf.search(term, { filters: Object.assign({}, filters, { soort: "pagina" }) }),
    ]).then(function (found) {
      var pages = {};
      found[1].results.forEach(function (r) {
        pages[r.id] = true;
      });
      var all = found[0].results;
      var first = all.filter(function (r) {
        return !pages[r.id];
      });
      var last = all.filter(function (r) {
        return pages[r.id];
      });
      return Object.assign({}, found[0], { results: first.concat(last) });
    });
  }

  function isTyping(target) {
    return (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  /* ---------- Header: results as you type ---------- */

  function mountHeader(box) {
    var form = box.querySelector("form");
    var input = box.querySelector("input[type=search]");
    var toggle = box.querySelector(".kb-hsearch__toggle");
    var panel = box.querySelector(".kb-hsearch__panel");
    var list = box.querySelector(".kb-hsearch__results");
    var status = box.querySelector(".kb-hsearch__status");
    var more = box.querySelector(".kb-hsearch__more a");
    var searchPage = more.getAttribute("href");
    var close = el("button", { type: "button", className: "kb-hsearch__close", "aria-label": OTHER ? OTHER.close : "Zoeken sluiten" }, [
      el("span", { "aria-hidden": "true", text: "×" }),
    ]);
    form.append(close);
    var timer = 0;
    var current = 0;
    box.classList.add("kb-hsearch--js");

    function open() {
      box.classList.add("kb-hsearch--open");
      input.focus();
    }
    function hidePanel() {
      panel.hidden = true;
    }
    function shut() {
      hidePanel();
      box.classList.remove("kb-hsearch--open");
    }
    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a")).concat([more]);
    }

    function run() {
      var query = input.value.trim();
      var ticket = ++current;
      if (!query) {
        list.replaceChildren();
        status.textContent = "";
        hidePanel();
        return;
      }
      pagefind()
        .then(function (pf) {
          return rankedSearch(pf, queryText(query), {});
        })
        .then(function (search) {
          return Promise.all(
            search.results.slice(0, HEADER_RESULTS).map(function (r) {
              return r.data();
            })
          ).then(function (items) {
            if (ticket !== current) return;
            var count = search.results.length;
            // A reader already in the results (ArrowDown) while those of the finished word
            // arrive stays at the same place in the list, and the panel stays open.
            var at = list.contains(document.activeElement) ? links().indexOf(document.activeElement) : -1;
            if (at >= 0) input.focus({ preventScroll: true });
            list.replaceChildren.apply(
              list,
              items.map(function (data) {
                return resultItem(data, "kb-hresult", "p");
              })
            );
            var none = (OTHER ? OTHER.none : "Geen resultaten voor ") + "‘" + query + "’.";
            if (!count) list.append(el("li", { className: "kb-hsearch__empty", text: none }));
            if (!OTHER) {
              more.href = searchPage + "?q=" + encodeURIComponent(query);
              more.textContent = count > HEADER_RESULTS ? "Alle " + count + " resultaten bekijken" : "Verfijnen op de zoekpagina";
            }
            status.textContent = resultsText(count);
            panel.hidden = false;
            if (at >= 0) links()[Math.min(at, links().length - 1)].focus();
          });
        })
        .catch(function () {
          if (ticket !== current) return;
          list.replaceChildren(el("li", { className: "kb-hsearch__empty", text: UNAVAILABLE }));
          status.textContent = UNAVAILABLE;
          panel.hidden = false;
        });
    }

    input.addEventListener("focus", function () {
      pagefind().catch(function () {});
      if (input.value.trim() && list.childElementCount) panel.hidden = false;
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !panel.hidden) {
        event.preventDefault();
        links()[0].focus();
      } else if (event.key === "Escape") {
        if (!panel.hidden) hidePanel();
        else if (input.value) input.value = "";
        else {
          shut();
          input.blur();
        }
      }
    });
    panel.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus();
        else all[Math.min(next, all.length - 1)].focus();
      } else if (event.key === "Escape") {
        hidePanel();
        input.focus();
      }
    });
    // Clicking or tabbing away closes the results (and the phone's search bar when empty).
    box.addEventListener("focusout", function (event) {
      if (event.relatedTarget && box.contains(event.relatedTarget)) return;
      hidePanel();
      if (!input.value) box.classList.remove("kb-hsearch--open");
    });
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      open();
    });
    close.addEventListener("click", function () {
      shut();
      toggle.focus();
    });
    return { open: open, input: input };
  }

  /* ---------- The search page /zoeken/ ---------- */

  function readState() {
    var params = new URLSearchParams(location.search);
    var state = { q: params.get("q") || "", filters: {} };
    FILTERS.forEach(function (name) {
      state.filters[name] = params.getAll(name).filter(Boolean);
    });
    return state;
  }

  function stateQuery(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FILTERS.forEach(function (name) {
      state.filters[name].forEach(function (value) {
        params.append(name, value);
      });
    });
    var text = params.toString();
    return text ? "?" + text : location.pathname;
  }

  function activeFilters(state) {
    return FILTERS.some(function (name) {
      return state.filters[name].length > 0;
    });
  }

  // Values of one facet are alternatives (any); different facets all apply.
  function pagefindFilters(state, except) {
    var out = {};
    FILTERS.forEach(function (name) {
      if (name !== except && state.filters[name].length) out[name] = { any: state.filters[name] };
    });
    return out;
  }

  function mountPage(mount) {
    JSON.parse(mount.getAttribute("data-kb-filters") || "[]").forEach(function (filter) {
      FILTERS.push(filter[0]);
      FILTER_TITLES[filter[0]] = filter[1];
    });
    var state = readState();
    var shown = 0;
    var results = [];
    var ticket = 0;
    var timer = 0;
    var typingEntry = false; // the current history entry was made by typing: replace it
    var facetsBuilt = false;
    var boxes = {}; // "name:value" -> {item, input, count}

    var input = el("input", {
      type: "search",
      id: "kb-search-q",
      name: "q",
      className: "kb-search__input",
      autocomplete: "off",
      autocapitalize: "off",
      spellcheck: "false",
      enterkeyhint: "search",
    });
    var form = el("form", { className: "kb-search__form", role: "search", "aria-label": "Zoeken in de kennisbank" }, [
      el("label", { for: "kb-search-q", className: "kb-search__label", text: "Zoekterm" }),
      el("div", { className: "kb-search__row" }, [
        input,
        el("button", { type: "submit", className: "md-button md-button--primary kb-search__submit", text: "Zoeken" }),
      ]),
    ]);
    var status = el("p", { className: "kb-search__status", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    // After a search without results: a nearer word, the filters to leave out, the themes.
    var help = el("div", { className: "kb-search__help", hidden: true });
    var themesUrl = mount.getAttribute("data-kb-themes") || "";
    var themeFilter = mount.getAttribute("data-kb-theme-filter") || "";
    var facetGroups = el("div", { className: "kb-search__groups" });
    var clear = el("button", { type: "button", className: "kb-search__clear", text: "Alle filters wissen", hidden: true });
    var facets = el("details", { className: "kb-search__facets" }, [
      el("summary", { className: "kb-search__facets-title" }, [
        document.createTextNode("Verfijnen "),
        el("span", { className: "kb-search__active" }),
      ]),
      facetGroups,
      clear,
    ]);
    if (window.matchMedia("(min-width: 60em)").matches) facets.open = true;
    var list = el("ol", { className: "kb-search__results" });
    var moreButton = el("button", { type: "button", className: "md-button kb-search__more", text: "Meer resultaten tonen", hidden: true });
    var resultsBox = el("section", { className: "kb-search__main", "aria-labelledby": "kb-search-results-title" }, [
      el("h2", { id: "kb-search-results-title", className: "kb-visually-hidden", text: "Resultaten" }),
      list,
      moreButton,
    ]);
    mount.append(form, status, help, el("div", { className: "kb-search__body" }, [facets, resultsBox]));
    mount.hidden = false;
    input.value = state.q;

    function commit(push) {
      var url = stateQuery(state);
      if (url === location.search || (url === location.pathname && !location.search)) return;
      if (push) history.pushState(null, "", url);
      else history.replaceState(null, "", url);
    }

    function buildFacets(totals, names) {
      facetGroups.replaceChildren();
      FILTERS.forEach(function (name) {
        var values = Object.keys(totals[name] || {});
        var known = names[name] || {};
        values.sort(function (a, b) {
          if (name === "jaar") return b.localeCompare(a);
          if (name === "soort") {
            var order = Object.keys(known);
            return (order.indexOf(a) >>> 0) - (order.indexOf(b) >>> 0);
          }
          return (known[a] || a).localeCompare(known[b] || b, "nl");
        });
        if (!values.length) return;
        var ul = el("ul", { className: "kb-facet__values" });
        values.forEach(function (value) {
          var id = "kb-f-" + name + "-" + value.replace(/[^a-z0-9_-]/gi, "_");
          var box = el("input", { type: "checkbox", id: id, name: name, value: value });
          var count = el("span", { className: "kb-facet__count" });
          var item = el("li", { className: "kb-facet__value" }, [
            box,
            el("label", { for: id }, [document.createTextNode((known[value] || value) + " "), count]),
          ]);
          boxes[name + ":" + value] = { item: item, input: box, count: count };
          ul.append(item);
        });
        facetGroups.append(
          el("fieldset", { className: "kb-facet", "data-facet": name }, [
            el("legend", { text: FILTER_TITLES[name] }),
            ul,
          ])
        );
      });
      facetsBuilt = true;
    }

    // Counts in place (no re-rendering), so a checkbox keeps focus while results change.
    function showCounts(counts) {
      var focused = document.activeElement;
      Object.keys(boxes).forEach(function (key) {
        var entry = boxes[key];
        var name = key.slice(0, key.indexOf(":"));
        var value = key.slice(name.length + 1);
        var n = (counts[name] || {})[value] || 0;
        entry.input.checked = state.filters[name].indexOf(value) >= 0;
        entry.count.textContent = "(" + n + ")";
        entry.item.hidden = n === 0 && !entry.input.checked && entry.input !== focused;
      });
      facetGroups.querySelectorAll("fieldset").forEach(function (set) {
        set.hidden = !set.querySelector("li:not([hidden])");
      });
      var active = FILTERS.reduce(function (n, name) {
        return n + state.filters[name].length;
      }, 0);
      clear.hidden = active === 0;
      facets.querySelector(".kb-search__active").textContent = active
        ? active === 1
          ? "1 filter actief"
          : active + " filters actief"
        : "";
    }

    function showMore() {
      var page = results.slice(shown, shown + PAGE_SIZE);
      var mine = ticket;
      // All fragments are requested at once; each result is shown, in order, as soon as it
      // and those above it have arrived (the first result does not wait for the tenth).
      var chain = Promise.resolve();
      page
        .map(function (r) {
          return r.data();
        })
        .forEach(function (pending) {
          chain = chain
            .then(function () {
              return pending;
            })
            .then(function (data) {
              if (mine === ticket) list.append(resultItem(data, "kb-search-result", "h3"));
            });
        });
      return chain.then(function () {
        if (mine !== ticket) return;
        shown += page.length;
        moreButton.hidden = shown >= results.length;
      });
    }

    function describe(count, query) {
      var text = resultsText(count);
      if (query) text += " voor ‘" + query + "’";
      if (activeFilters(state)) text += " met de gekozen filters";
      if (!count) text += ". Probeer een ander woord of minder filters.";
      return text + (count ? "." : "");
    }

    // Facet counts only cover filters whose chunks Pagefind has loaded, and loading them all
    // (filters()) takes as long as the search itself. So the results are shown first, from a
    // search that runs alongside filters(); the counts follow once every filter is loaded.
    var totalsPromise = null;
    function totals(pf) {
      if (!totalsPromise) {
        totalsPromise = pf.filters();
        totalsPromise.catch(function () {
          totalsPromise = null;
        });
      }
      return totalsPromise;
    }

    function showResults(main) {
      results = main.results;
      shown = 0;
      list.replaceChildren();
      return showMore();
    }

    // Counts per value: with the other facets' choices and this facet's choices left out, so
    // each value shows how many results choosing it (too) would give.
    function counts(pf, term) {
      var work = [pf.search(term, { filters: pagefindFilters(state) })];
      FILTERS.forEach(function (name) {
        if (state.filters[name].length) work.push(pf.search(term, { filters: pagefindFilters(state, name) }));
      });
      return Promise.all(work).then(function (done) {
        var out = Object.assign({}, done[0].filters);
        var at = 1;
        FILTERS.forEach(function (name) {
          if (state.filters[name].length) out[name] = done[at++].filters[name] || {};
        });
        return out;
      });
    }

    // Facet values and counts: they need every filter chunk, so on a phone, where the
    // facets start folded away, they are loaded when the reader opens them (or when the URL
    // has filters), not with the first search.
    function facetsWanted() {
      return facets.open || activeFilters(state);
    }

    function updateFacets(pf, term, wanted, mine) {
      return Promise.all([totals(pf), labels()]).then(function (loaded) {
        if (mine !== ticket) return;
        if (!facetsBuilt) buildFacets(loaded[0], loaded[1]);
        // No word and no filter yet: every value with its total count.
        if (!wanted) return showCounts(loaded[0]);
        // The results may have come before every filter chunk was in: search again (the
        // chunks are cached now; this takes milliseconds) for complete counts.
        return counts(pf, term).then(function (values) {
          if (mine === ticket) showCounts(values);
        });
      });
    }

    // A search without results: say which filter to leave out when the filters alone cause
    // it (with the count without it), else suggest the nearest known words; then the themes.
    function showHelp(pf, term, query, mine) {
      var chosen = FILTERS.filter(function (name) {
        return state.filters[name].length;
      });
      var without = chosen.map(function (name) {
        return rankedSearch(pf, term, pagefindFilters(state, name));
      });
      return Promise.all([Promise.all(without), query ? knownWords() : [], labels()]).then(function (done) {
        if (mine !== ticket) return;
        var parts = [];
        var leave = [];
        done[0].forEach(function (found, i) {
          if (!found.results.length) return;
          var name = chosen[i];
          var values = state.filters[name].map(function (v) {
            return (done[2][name] || {})[v] || v;
          });
          var button = el("button", { type: "button", className: "kb-search__leave", text: FILTER_TITLES[name] + ": " + values.join(", ") + " weglaten" });
          button.addEventListener("click", function () {
            state.filters[name] = [];
            typingEntry = false;
            commit(true);
            input.focus();
            search();
          });
          leave.push(el("li", {}, [button, document.createTextNode(" (" + resultsText(found.results.length).toLowerCase() + ")")]));
        });
        if (leave.length) {
          parts.push(el("p", { text: "Met deze filters is er niets. Zonder een van deze filters wel:" }));
          parts.push(el("ul", { className: "kb-search__leave-list" }, leave));
        } else if (query) {
          var better = suggestion(query, done[1]);
          if (better) {
            var next = { q: better, filters: state.filters };
            parts.push(
              el("p", { className: "kb-search__suggest" }, [
                document.createTextNode("Bedoelde je "),
                el("a", { href: stateQuery(next) }, [el("strong", { text: better })]),
                document.createTextNode("?"),
              ])
            );
          }
        }
        var themes = Object.keys(done[2][themeFilter] || {});
        if (themes.length && themesUrl) {
          parts.push(el("p", { text: "Of bekijk alle publicaties per thema:" }));
          parts.push(
            el(
              "ul",
              { className: "kb-search__themes" },
              themes.map(function (slug) {
                return el("li", {}, [el("a", { href: new URL(themesUrl + slug + "/", BASE).href, text: done[2][themeFilter][slug] })]);
              })
            )
          );
        }
        help.replaceChildren.apply(help, parts);
        help.hidden = !parts.length;
      });
    }

    function search() {
      var mine = ++ticket;
      help.hidden = true; // the help of the last search does not apply to this one
      var query = state.q; // state.q follows the typing; this search is for this text
      var term = queryText(query);
      var wanted = Boolean(term || activeFilters(state));
      return pagefind()
        .then(function (pf) {
          var facetWork = facetsWanted() ? updateFacets(pf, term, wanted, mine) : null;
          var resultWork = null;
          if (wanted) {
            resultWork = rankedSearch(pf, term, pagefindFilters(state)).then(function (main) {
              if (mine === ticket) return showResults(main);
            });
          } else {
            results = [];
            shown = 0;
            list.replaceChildren();
            moreButton.hidden = true;
          }
          // The count of results is announced once results and facets agree.
          return Promise.all([facetWork, resultWork]).then(function () {
            if (mine !== ticket) return;
            status.textContent = wanted ? describe(results.length, query) : "Typ een zoekwoord of kies een filter.";
            help.hidden = true;
            help.replaceChildren();
            if (wanted && !results.length) return showHelp(pf, term, query, mine);
          });
        })
        .catch(function () {
          if (mine !== ticket) return;
          ticket++; // results of this search that are still arriving are not shown
          list.replaceChildren();
          moreButton.hidden = true;
          status.textContent = UNAVAILABLE;
        });
    }

    // Opening the facets is a use of search; the wide screen's own opening (a toggle event
    // too, fired after the page set it) is not, and must not load anything.
    var openedByPage = facets.open;
    facets.addEventListener("toggle", function () {
      if (openedByPage) {
        openedByPage = false;
        return;
      }
      if (!facets.open) return;
      var mine = ticket;
      var term = queryText(state.q);
      pagefind()
        .then(function (pf) {
          return updateFacets(pf, term, Boolean(term || activeFilters(state)), mine);
        })
        .catch(function () {});
    });

    // The URL follows the typing once per pause, not per key: every history change makes
    // Chromium fetch the favicon again, which competes with the index downloads.
    input.addEventListener("input", function () {
      state.q = input.value;
      clearTimeout(timer);
      timer = setTimeout(function () {
        commit(!typingEntry);
        typingEntry = true;
        search();
      }, 50);
    });
    input.addEventListener("focus", function () {
      if (!facetsBuilt) search();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      state.q = input.value;
      commit(!typingEntry);
      typingEntry = false;
      search();
    });
    facetGroups.addEventListener("change", function (event) {
      var box = event.target;
      var values = state.filters[box.name];
      if (box.checked && values.indexOf(box.value) < 0) values.push(box.value);
      if (!box.checked) values.splice(values.indexOf(box.value), 1);
      clearTimeout(timer); // a search for the typed text is part of this one
      typingEntry = false;
      commit(true);
      search();
    });
    clear.addEventListener("click", function () {
      FILTERS.forEach(function (name) {
        state.filters[name] = [];
      });
      clearTimeout(timer);
      typingEntry = false;
      commit(true);
      input.focus();
      search();
    });
    moreButton.addEventListener("click", function () {
      var first = shown;
      showMore().then(function () {
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) link.focus();
      });
    });
    window.addEventListener("popstate", function () {
      state = readState();
      input.value = state.q;
      typingEntry = false;
      clearTimeout(timer);
      search();
    });

    if (state.q || activeFilters(state)) search();
    else status.textContent = "Typ een zoekwoord of kies een filter.";
    return { input: input };
  }

  /* ---------- Wiring ---------- */

  var header = null;
  var headerBox = document.querySelector("[data-kb-search=header]");
  if (headerBox) header = mountHeader(headerBox);
  var page = null;
  var pageMount = document.querySelector("[data-kb-search=page]");
  if (pageMount) page = mountPage(pageMount);

  // "/" focuses search, as in Material (the page's own box on /zoeken/).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target) || event.defaultPrevented) return;
    event.preventDefault();
    if (page) page.input.focus();
    else if (header) header.open();
  });
})();
