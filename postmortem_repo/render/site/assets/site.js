// The incident list's filters and search: the page lists every incident, and this script
// hides the rows that do not match. It reads the JSON index the page carries and loads
// nothing else, so the list works from file:// and offline.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var source = document.getElementById("pmrepo-index");
  if (!form || !source) {
    return;
  }
  var entries = JSON.parse(source.textContent);
  var rows = {};
  document.querySelectorAll("#incident-rows tr[data-id]").forEach(function (row) {
    rows[row.getAttribute("data-id")] = row;
  });
  var count = document.getElementById("match-count");
  // "team" only on a site of several teams' repositories.
  var keys = ["team", "year", "quarter", "severity", "status", "service", "tag"].filter(
    function (key) {
      return form.elements[key];
    }
  );

  function chosen() {
    var wanted = { q: form.elements.q.value.trim().toLowerCase() };
    keys.forEach(function (key) {
      wanted[key] = form.elements[key].value;
    });
    return wanted;
  }

  function holds(entry, key, value) {
    var field = entry[key];
    return Array.isArray(field) ? field.indexOf(value) !== -1 : field === value;
  }

  function matches(entry, wanted) {
    for (var i = 0; i < keys.length; i += 1) {
      if (wanted[keys[i]] && !holds(entry, keys[i], wanted[keys[i]])) {
        return false;
      }
    }
    if (!wanted.q) {
      return true;
    }
    var text = [entry.id, entry.title, entry.summary]
      .concat(entry.service, entry.tag)
      .join(" ")
      .toLowerCase();
    return wanted.q.split(/\s+/).every(function (word) {
      return text.indexOf(word) !== -1;
    });
  }

  function apply() {
    var wanted = chosen();
    var shown = 0;
    entries.forEach(function (entry) {
      var row = rows[entry.id];
      var visible = matches(entry, wanted);
      if (row) {
        row.hidden = !visible;
      }
      shown += visible ? 1 : 0;
    });
    count.textContent = shown + " of " + entries.length + " incidents shown.";
    remember(wanted);
  }

  // The filters live in the address (#severity=SEV1&q=payment): a link can open the list
  // filtered, and the home page's counts do.
  function remember(wanted) {
    var parts = [];
    Object.keys(wanted).forEach(function (key) {
      if (wanted[key]) {
        parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(wanted[key]));
      }
    });
    try {
      history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
    } catch (error) {
      // Some browsers refuse to change a file:// address; the filters still work.
    }
  }

  // A list's value as the address spells it in any case (#severity=sev1 is SEV1).
  function choice(field, value) {
    if (!field.options) {
      return value;
    }
    var wanted = value.toLowerCase();
    var found = Array.prototype.filter.call(field.options, function (option) {
      return option.value.toLowerCase() === wanted;
    });
    return found.length ? found[0].value : value;
  }

  function restore() {
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var pair = part.split("=");
      var field = form.elements[decodeURIComponent(pair[0] || "")];
      if (field && pair.length === 2) {
        field.value = choice(field, decodeURIComponent(pair[1].replace(/\+/g, " ")));
      }
    });
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  restore();
  apply();
})();
