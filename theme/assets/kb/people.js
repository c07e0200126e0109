/*
 * The expert directory's filters: topic, team and location narrow the table of people. The
 * table is complete without JavaScript; the filters only appear when this script runs.
 *
 * A directory too long to show whole lists its first people, and "All N people" leads to the
 * rest; its form names people.json (data-kb-source), which holds everyone. The script fetches
 * it, fills the filters' options from it, and while a filter is set, shows the people who match
 * from there, the first of them as many as the page shows. With no filter set, the page's own
 * rows are back. Topics are too many for a list of options there: the topic is typed, any topic
 * whose name holds the text matches, and a few names that hold it are suggested.
 */
(function () {
  "use strict";

  // Topic names suggested as the reader types one.
  var SUGGESTED = 12;

  function knows(person, topic, typed) {
    if (!typed) return person.topics.indexOf(topic) >= 0;
    topic = topic.toLowerCase();
    return person.topics.some(function (name) { return name.toLowerCase().indexOf(topic) >= 0; });
  }

  function matches(person, filter, typed) {
    return (!filter.topic || knows(person, filter.topic, typed)) &&
      (!filter.team || person.team === filter.team) &&
      (!filter.location || person.location === filter.location);
  }

  function current(form) {
    return { topic: form.elements.topic.value, team: form.elements.team.value, location: form.elements.location.value };
  }

  function count(form, shown, total) {
    var text = total + (total === 1 ? " person" : " people");
    if (shown < total) text += ", the first " + shown + " shown";
    form.elements.shown.value = text;
  }

  function applyRows(form, tables) {
    var filter = current(form);
    var shown = 0;
    tables.forEach(function (table) {
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var person = { topics: (row.dataset.topics || "").split("\n"), team: row.dataset.team, location: row.dataset.location };
        var match = matches(person, filter);
        row.hidden = !match;
        if (match) shown++;
      });
    });
    count(form, shown, shown);
  }

  // Rows made from people.json: text is set as text, links only to the site's own pages.
  function cell(row, text) {
    var td = row.insertCell();
    if (text !== undefined) td.textContent = text;
    return td;
  }

  function link(parent, text, href, className) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (className) a.className = className;
    parent.appendChild(a);
    return a;
  }

  function chips(td, person, root) {
    person.chips.forEach(function (chip) { link(td, chip[0], new URL(chip[1], root).href, "kb-chip"); });
  }

  function personRow(body, person, root) {
    var row = body.insertRow();
    link(cell(row), person.name, new URL(person.url, root).href);
    cell(row, person.role); cell(row, person.team); cell(row, person.location);
    chips(cell(row), person, root);
  }

  function unclaimedRow(body, person, root) {
    var row = body.insertRow();
    cell(row, person.name);
    cell(row, String(person.changes));
    chips(cell(row), person, root);
    var claim = cell(row);
    if (person.claim && /^https?:/.test(person.claim)) {
      var a = link(claim, "This is me", person.claim, "kb-claim");
      a.rel = "nofollow";
    } else claim.textContent = "none yet";
  }

  function options(select, values) {
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = option.textContent = value;
      select.appendChild(option);
    });
  }

  // The topic's select becomes a text box with a few suggestions, however many topics there are.
  function typedTopic(form, names) {
    var select = form.elements.topic;
    var input = document.createElement("input");
    var choices = document.createElement("datalist");
    input.type = "search";
    input.name = "topic";
    input.autocomplete = "off";
    choices.id = "kb-topic-choices";
    input.setAttribute("list", choices.id);
    select.replaceWith(input);
    input.after(choices);
    input.addEventListener("input", function () {
      var typed = input.value.toLowerCase();
      var found = typed ? names.filter(function (name) { return name.toLowerCase().indexOf(typed) >= 0; }) : [];
      while (choices.firstChild) choices.removeChild(choices.firstChild);
      options(choices, found.slice(0, SUGGESTED));
    });
    return input;
  }

  function distinct(people, field) {
    var seen = {};
    people.forEach(function (person) { if (person[field]) seen[person[field]] = true; });
    return Object.keys(seen).sort();
  }

  function setupFromData(form, tables, source) {
    var limit = parseInt(form.dataset.kbShown, 10) || 100;
    var root = new URL("../../", source);
    var bodies = Array.prototype.map.call(tables, function (table) { return table.tBodies[0]; });
    var own = bodies.map(function (body) { return Array.prototype.slice.call(body.rows); });
    fetch(source).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      var topicOf = function (person) {
        person.topics = person.knows.map(function (index) { return data.topics[index]; });
        return person;
      };
      var lists = [data.people.map(topicOf), data.unclaimed.map(topicOf)];
      if (tables.length === 1 && tables[0].classList.contains("kb-unclaimed-index")) lists = [lists[1]];
      var topic = typedTopic(form, data.topics);
      options(form.elements.team, distinct(data.people, "team"));
      options(form.elements.location, distinct(data.people, "location"));
      function apply() {
        var filter = current(form);
        var any = filter.topic || filter.team || filter.location;
        var shown = 0, total = 0;
        bodies.forEach(function (body, index) {
          while (body.rows.length) body.deleteRow(0);
          if (!any) {
            own[index].forEach(function (row) { body.appendChild(row); });
            shown += own[index].length;
            total += lists[index].length;
            return;
          }
          var isPeople = tables[index].classList.contains("kb-people-index");
          var found = lists[index].filter(function (person) { return matches(person, filter, true); });
          total += found.length;
          found.slice(0, limit).forEach(function (person) {
            (isPeople ? personRow : unclaimedRow)(body, person, root);
            shown++;
          });
        });
        count(form, shown, total);
      }
      form.addEventListener("change", apply);
      topic.addEventListener("input", apply);
      form.hidden = false;
      apply();
    }).catch(function () { /* the page's own rows and its "All N people" stay */ });
  }

  function setup() {
    var form = document.querySelector('form[data-kb-filter="people"]');
    // People with a profile, and git authors who have none yet: one filter for both.
    var tables = document.querySelectorAll(".kb-people-index, .kb-unclaimed-index");
    if (!form || !tables.length) return;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    if (form.dataset.kbSource) {
      // After the page has loaded: the page is whole without the data, which only the filter needs.
      var start = function () { setupFromData(form, tables, new URL(form.dataset.kbSource, location.href)); };
      if (document.readyState === "complete") start();
      else window.addEventListener("load", start);
      return;
    }
    form.hidden = false;
    form.addEventListener("change", function () { applyRows(form, tables); });
    applyRows(form, tables);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
