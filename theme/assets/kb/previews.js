/*
 * Link previews: hovering, focusing or tapping a link to another page of the wiki shows that
 * page's title, status, summary and topics in a small card, without leaving the page.
 *
 * The cards are written at build time into assets/kb/previews/<shard>.json, sharded by the
 * 32-bit FNV-1a hash of the page's site-relative URL (kb/render/emit.py computes the same), so a
 * preview costs one small request however large the wiki is. Everything from the data is set
 * as text, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = new URL(script ? script.src.replace(/assets\/kb\/previews\.js.*$/, "") : "./", location.href);
  var meta = document.querySelector('meta[name="kb:preview-shards"]');
  var shardCount = meta ? parseInt(meta.getAttribute("content"), 10) || 1 : 1;
  var shards = {};
  var card = null;
  var current = null;
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = "mouse";

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  /* The site-relative URL of a link's target, as kb keys its cards, or null. */
  function pageKey(link) {
    if (!link.href || link.closest(".kb-preview")) return null;
    var url = new URL(link.href, location.href);
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) return null;
    if (url.pathname === location.pathname) return null;
    var key;
    try {
      key = decodeURIComponent(url.pathname.slice(root.pathname.length));
    } catch (error) {
      return null;
    }
    return key.replace(/(^|\/)index\.html$/, "$1");
  }

  function load(key) {
    var name = (fnv1a(key) & (shardCount - 1)).toString(16).padStart(3, "0");
    if (!shards[name]) {
      shards[name] = fetch(new URL("assets/kb/previews/" + name + ".json", root))
        .then(function (response) { return response.ok ? response.json() : {}; })
        .catch(function () { return {}; });
    }
    return shards[name].then(function (cards) { return cards[key] || null; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function render(data, link) {
    if (!card) {
      card = element("div", "kb-preview md-typeset");
      card.id = "kb-preview";
      card.setAttribute("role", "tooltip");
      card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      card.addEventListener("mouseleave", scheduleHide);
      document.body.appendChild(card);
    }
    card.replaceChildren();
    var head = element("div", "kb-preview__head");
    head.appendChild(element("span", "kb-badge kb-badge--" + data.status, data.status_label));
    if (data.type_label && data.type_label !== "Article") head.appendChild(element("span", "kb-type", data.type_label));
    card.appendChild(head);
    card.appendChild(element("div", "kb-preview__title", data.title));
    if (data.summary) card.appendChild(element("p", "kb-preview__summary", data.summary));
    if (data.topics && data.topics.length) {
      var topics = element("div", "kb-preview__topics");
      data.topics.forEach(function (topic) { topics.appendChild(element("span", "kb-chip", topic)); });
      card.appendChild(topics);
    }
    if (lastPointer === "touch") {
      var open = element("a", "kb-preview__open", "Open page");
      open.href = link.href;
      card.appendChild(open);
    }
    var box = link.getBoundingClientRect();
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    card.style.width = width + "px";
    card.style.left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8)) + window.scrollX + "px";
    card.style.top = box.bottom + window.scrollY + 6 + "px";
    card.hidden = false;
    link.setAttribute("aria-describedby", "kb-preview");
    current = link;
  }

  function show(link, delay) {
    var key = pageKey(link);
    if (key === null) return;
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    showTimer = setTimeout(function () {
      load(key).then(function (data) {
        if (data && (document.activeElement === link || link.matches(":hover") || lastPointer === "touch")) render(data, link);
      });
    }, delay);
  }

  function hide() {
    clearTimeout(showTimer);
    if (card) card.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }

  function linkOf(event) {
    var target = event.target instanceof Element ? event.target.closest("a[href]") : null;
    return target && target.closest(".md-content") ? target : null;
  }

  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || "mouse"; }, true);
  document.addEventListener("mouseover", function (event) {
    var link = linkOf(event);
    if (link && lastPointer !== "touch") show(link, 250);
  });
  document.addEventListener("mouseout", function (event) {
    if (linkOf(event)) scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    var link = linkOf(event);
    if (link) {
      lastPointer = lastPointer === "touch" ? "touch" : "keyboard";
      show(link, 0);
    }
  });
  document.addEventListener("focusout", function (event) {
    if (linkOf(event) && lastPointer !== "touch") scheduleHide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  /* On a touch screen the first tap on a link shows its card; the card's "Open page", or a
     second tap on the link, follows it. */
  document.addEventListener("click", function (event) {
    var link = linkOf(event);
    if (!link || lastPointer !== "touch" || pageKey(link) === null) {
      if (card && !card.hidden && !(event.target instanceof Element && event.target.closest(".kb-preview"))) hide();
      return;
    }
    if (current === link && card && !card.hidden) return;
    event.preventDefault();
    show(link, 0);
  }, true);
})();
