/*
 * The expert directory's filters: topic, team and location narrow the table of people. The
 * table is complete without JavaScript; the filters only appear when this script runs.
 */
(function () {
  "use strict";

  function apply(form, tables) {
    var topic = form.elements.topic.value;
    var team = form.elements.team.value;
    var location = form.elements.location.value;
    var shown = 0;
    tables.forEach(function (table) {
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var topics = (row.dataset.topics || "").split("\n");
        var match = (!topic || topics.indexOf(topic) >= 0) &&
          (!team || row.dataset.team === team) &&
          (!location || row.dataset.location === location);
        row.hidden = !match;
        if (match) shown++;
      });
    });
    form.elements.shown.value = shown + (shown === 1 ? " person" : " people");
  }

  function setup() {
    var form = document.querySelector('form[data-kb-filter="people"]');
    // People with a profile, and git authors who have none yet: one filter for both.
    var tables = document.querySelectorAll(".kb-people-index, .kb-unclaimed-index");
    if (!form || !tables.length) return;
    form.hidden = false;
    form.addEventListener("change", function () { apply(form, tables); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply(form, tables);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
