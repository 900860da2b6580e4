// Draws the report from the JSON in #report-data with Apache ECharts (inlined above this script).
// Everything is computed here from that data, so the page needs no server and no network.
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var minimize = data.direction === "minimize";
  var multi = data.sources.length > 1;
  var palette = ["#2f6fdb", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285", "#c2255c", "#5c940d"];
  var stateColors = { complete: "#2f6fdb", pruned: "#e67700", failed: "#c62828", running: "#868e96", unknown: "#868e96" };
  var charts = {};

  function el(id) { return document.getElementById(id); }
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]; });
  }
  function fmt(value) {
    if (value === null || value === undefined) { return ""; }
    if (typeof value !== "number") { return String(value); }
    if (Number.isInteger(value)) { return String(value); }
    var abs = Math.abs(value);
    return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(4) : String(+value.toPrecision(6));
  }
  function better(a, b) { return minimize ? a < b : a > b; }
  function scored(source) {
    return source.trials.filter(function (t) { return t.state === "complete" && typeof t.value === "number"; });
  }
  function seriesName(source, suffix) { return multi ? source.label + (suffix ? " · " + suffix : "") : (suffix || source.label); }
  function chart(id, option) {
    var instance = echarts.init(el(id), null, { renderer: "canvas" });
    option.animation = false;
    instance.setOption(option);
    charts[id] = instance;
    return instance;
  }
  function axisFor(hparam) {
    if (hparam.kind === "category") { return { type: "category", data: hparam.categories, name: hparam.name }; }
    return { type: hparam.log ? "log" : "value", name: hparam.name, scale: true };
  }

  function summary() {
    el("subtitle").textContent = "Objective: " + data.metric + " (" + data.direction + ") · " +
      data.sources.length + (multi ? " sources" : " source") + " · built " + data.generated;
    var cards = data.sources.map(function (source) {
      var best = source.trials.filter(function (t) { return t.n === source.best; })[0];
      var states = Object.keys(source.states).map(function (k) { return source.states[k] + " " + k; }).join(", ");
      var hours = source.wallSeconds / 3600;
      var wall = hours >= 1 ? hours.toFixed(1) + " h" : source.wallSeconds >= 60 ? (source.wallSeconds / 60).toFixed(1) + " min" : source.wallSeconds.toFixed(1) + " s";
      var rows = [
        ["trials", source.trials.length + (states ? " (" + states + ")" : "")],
        source.front ? ["Pareto front", source.front.front.length + " trials (no one best with " + data.objectives.length + " objectives)"]
          : ["best", best ? fmt(best.value) + (best.std !== undefined ? " ± " + fmt(best.std) : "") + " — " + best.name : "none complete"],
        source.front ? ["objectives", data.objectives.map(function (o) { return o.metric + " (" + o.direction + ")"; }).join(", ") + (data.constraints.length ? "; constraints " + data.constraints.join(", ") + " <= 0" : "")]
          : ["best hparams", best ? Object.keys(best.p).map(function (k) { return k + "=" + fmt(best.p[k]); }).join(", ") : ""],
        ["wall time", wall],
        ["strategy", data.strategy || "not recorded in the source"]
      ];
      return "<div class=\"card\"><h3>" + esc(source.label) + "</h3><dl>" +
        rows.map(function (r) { return "<dt>" + esc(r[0]) + "</dt><dd>" + esc(r[1]) + "</dd>"; }).join("") + "</dl></div>";
    });
    el("summary").innerHTML = cards.join("");
  }

  function history() {
    var series = [];
    data.sources.forEach(function (source, i) {
      var points = scored(source);
      var best = null;
      var line = points.map(function (t) { if (best === null || better(t.value, best)) { best = t.value; } return [t.n, best]; });
      series.push({ name: seriesName(source, "trial"), type: "scatter", symbolSize: 5, large: points.length > 2000, itemStyle: { color: palette[i % palette.length], opacity: 0.55 },
        data: points.map(function (t) { return [t.n, t.value, t.name]; }) });
      series.push({ name: seriesName(source, "best so far"), type: "line", step: "end", showSymbol: false, lineStyle: { width: 2, color: palette[i % palette.length] }, data: line });
    });
    el("history-note").textContent = "Each completed trial's " + data.metric + " by trial number (start order), and the best so far.";
    chart("history", {
      tooltip: { trigger: "item", formatter: function (p) { return esc((p.data[2] || "") + " #" + p.data[0] + ": " + fmt(p.data[1])); } },
      legend: { top: 0 }, grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "value", name: "trial", minInterval: 1 }, yAxis: { type: "value", name: data.metric, scale: true }, series: series
    });
  }

  // Several objectives: the Pareto front (a scatter for two, a scatter matrix for more) and the
  // hypervolume of the front by trial. The panels exist only for such a study.
  function panel(id, title, after) {
    var section = document.createElement("section");
    section.className = "panel";
    section.innerHTML = "<h2>" + esc(title) + "</h2><p class=\"note\" id=\"" + id + "-note\"></p><div class=\"chart" + (id === "front" ? " tall" : "") + "\" id=\"" + id + "\" data-chart=\"" + id + "\"></div>";
    after.parentNode.insertBefore(section, after.nextSibling);
    return section;
  }

  function front() {
    var objectives = data.objectives;
    var m = objectives.length;
    var anchor = panel("front", "Pareto front", el("history").parentNode);
    panel("hypervolume", "Hypervolume by trial", anchor);
    var pairs = [];
    for (var a = 0; a < m; a++) { for (var b = a + 1; b < m; b++) { pairs.push([a, b]); } }
    var columns = Math.ceil(Math.sqrt(pairs.length));
    var rows = Math.ceil(pairs.length / columns);
    var grids = [], xAxes = [], yAxes = [], series = [];
    pairs.forEach(function (pair, k) {
      var col = k % columns, row = Math.floor(k / columns);
      grids.push({ left: (6 + col * 94 / columns) + "%", width: (94 / columns - 8) + "%", top: (8 + row * 90 / rows) + "%", height: (90 / rows - 14) + "%" });
      xAxes.push({ gridIndex: k, type: "value", scale: true, name: objectives[pair[0]].metric, nameLocation: "middle", nameGap: 24 });
      yAxes.push({ gridIndex: k, type: "value", scale: true, name: objectives[pair[1]].metric });
      data.sources.forEach(function (source, i) {
        var onFront = {};
        (source.front ? source.front.front : []).forEach(function (n) { onFront[n] = true; });
        var withValues = source.trials.filter(function (t) { return t.state === "complete" && t.v && typeof t.v[pair[0]] === "number" && typeof t.v[pair[1]] === "number"; });
        function points(list) { return list.map(function (t) { return [t.v[pair[0]], t.v[pair[1]], t.name, t.n]; }); }
        var color = palette[i % palette.length];
        series.push({ name: seriesName(source, "trial"), type: "scatter", xAxisIndex: k, yAxisIndex: k, symbolSize: 5, itemStyle: { color: color, opacity: 0.35 },
          data: points(withValues.filter(function (t) { return t.feasible !== false && !onFront[t.n]; })) });
        series.push({ name: seriesName(source, "infeasible"), type: "scatter", xAxisIndex: k, yAxisIndex: k, symbol: "triangle", symbolSize: 6, itemStyle: { color: "#868e96", opacity: 0.6 },
          data: points(withValues.filter(function (t) { return t.feasible === false; })) });
        var best = withValues.filter(function (t) { return onFront[t.n]; }).sort(function (x, y) { return x.v[pair[0]] - y.v[pair[0]]; });
        series.push({ name: seriesName(source, "Pareto front"), type: m === 2 ? "line" : "scatter", xAxisIndex: k, yAxisIndex: k, symbolSize: 8,
          lineStyle: { width: 2, color: color }, itemStyle: { color: color }, data: points(best) });
      });
    });
    var sizes = data.sources.map(function (s) { return s.front ? s.front.front.length : 0; });
    el("front-note").textContent = (m === 2 ? "Each completed trial's " + objectives[0].metric + " against its " + objectives[1].metric + "; the front (trials no other feasible trial beats in both) is joined."
      : "Each pair of the " + m + " objectives; the front's trials (no other feasible trial beats them in all) are drawn large.") +
      " Objectives: " + objectives.map(function (o) { return o.metric + " (" + o.direction + ")"; }).join(", ") + "." +
      (data.constraints.length > 0 ? " Infeasible trials (a constraint above 0: " + data.constraints.join(", ") + ") are grey triangles and never on the front." : "") +
      " Front size: " + sizes.join(", ") + ".";
    chart("front", {
      tooltip: { trigger: "item", formatter: function (p) { return esc(p.data[2] + " #" + p.data[3] + ": " + fmt(p.data[0]) + ", " + fmt(p.data[1])); } },
      legend: { top: 0 }, grid: grids, xAxis: xAxes, yAxis: yAxes, series: series
    });

    el("hypervolume-note").textContent = "The hypervolume the front of the trials so far dominates, by trial number, up to a reference point a tenth of each objective's range beyond its worst feasible value (" +
      data.sources.map(function (s) { return s.front ? "(" + s.front.reference.map(fmt).join(", ") + ")" : "none"; }).join("; ") + "). It never decreases; flat stretches are trials that did not improve the front.";
    chart("hypervolume", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 70, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "value", name: "trial", minInterval: 1 }, yAxis: { type: "value", name: "hypervolume", scale: true },
      series: data.sources.map(function (source, i) {
        return { name: seriesName(source, "hypervolume"), type: "line", step: "end", showSymbol: false, lineStyle: { width: 2, color: palette[i % palette.length] },
          data: source.front ? source.front.hypervolume : [] };
      })
    });
  }

  function importance() {
    var names = [];
    data.sources.forEach(function (s) { s.importances.forEach(function (i) { if (names.indexOf(i.name) < 0) { names.push(i.name); } }); });
    names.reverse(); // largest at the top of a horizontal bar chart
    var counts = data.sources.map(function (s) { return scored(s).length; });
    el("importance-note").textContent = names.length === 0
      ? "Not computed: PED-ANOVA needs at least 5 completed trials per source."
      : "PED-ANOVA (Watanabe et al., 2023; Optuna's PedAnovaImportanceEvaluator): how far each hparam's distribution among the best 10% of completed trials departs from its distribution among all of them (Pearson divergence), as shares summing to 1. From " +
        counts.join(", ") + " completed trials" + (Math.min.apply(null, counts) < 30 ? "; with fewer than 30 it is a rough guide." : ".");
    chart("importance", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0, show: multi },
      grid: { left: 140, right: 30, top: 30, bottom: 30 },
      xAxis: { type: "value", max: 1, name: "share" }, yAxis: { type: "category", data: names },
      series: data.sources.map(function (source, i) {
        var byName = {};
        source.importances.forEach(function (x) { byName[x.name] = x.importance; });
        return { name: source.label, type: "bar", itemStyle: { color: palette[i % palette.length] },
          data: names.map(function (n) { return byName[n] === undefined ? 0 : +byName[n].toFixed(4); }) };
      })
    });
  }

  function parallel() {
    var dims = data.hparams.map(function (h, i) {
      var axis = axisFor(h);
      axis.dim = i;
      return axis;
    });
    dims.push({ dim: data.hparams.length, name: data.metric, type: "value", scale: true });
    var all = [];
    var shown = 0;
    var total = 0;
    // Which trials get a line was chosen when the report was built (the best tenth, then a fixed random sample).
    var series = data.sources.map(function (source, i) {
      var drawn = {};
      source.parallelTrials.forEach(function (n) { drawn[n] = true; });
      var chosen = scored(source).filter(function (t) { return drawn[t.n]; });
      total += source.parallelTotal;
      shown += chosen.length;
      var rows = chosen.map(function (t) {
        return data.hparams.map(function (h) {
          var v = t.p[h.name];
          return v === undefined ? null : h.kind === "category" ? String(v) : v;
        }).concat([t.value]);
      });
      all = all.concat(rows);
      return { name: source.label, type: "parallel", lineStyle: { width: 1, opacity: 0.45, color: multi ? palette[i % palette.length] : undefined }, data: rows };
    });
    var values = all.map(function (r) { return r[r.length - 1]; });
    el("parallel-note").textContent = "One line per completed trial" + (shown < total ? ": " + shown + " of " + total + " drawn (the best tenth, then a fixed random sample), more would be unreadable" : "") +
      "." + logNote();
    var option = { parallelAxis: dims, parallel: { left: 60, right: 110, top: 50, bottom: 30 }, legend: { top: 0, show: multi }, series: series };
    if (!multi && values.length > 0) {
      // Green is good: low values when minimising, high ones when maximising.
      option.visualMap = { type: "continuous", dimension: data.hparams.length, min: Math.min.apply(null, values), max: Math.max.apply(null, values),
        inRange: { color: minimize ? ["#1b7f3b", "#fcc419", "#c62828"] : ["#c62828", "#fcc419", "#1b7f3b"] },
        right: 0, top: "middle", text: ["high", "low"], calculable: true, precision: 4 };
    }
    chart("parallel", option);
  }

  function logNote() {
    var logs = data.hparams.filter(function (h) { return h.log; });
    return logs.length === 0 ? "" : " Log axes: " + logs.map(function (h) { return h.name + " (" + h.why + ")"; }).join("; ") + ".";
  }

  function slices() {
    var container = el("slices");
    data.hparams.forEach(function (h, index) {
      var id = "slice-" + index;
      var div = document.createElement("div");
      div.className = "chart";
      div.id = id;
      div.setAttribute("data-chart", "slice");
      container.appendChild(div);
      var x = axisFor(h);
      x.nameLocation = "middle";
      x.nameGap = 26;
      chart(id, {
        title: { text: h.name, left: "center", textStyle: { fontSize: 13 } },
        tooltip: { trigger: "item", formatter: function (p) { return esc(p.data[2] + ": " + h.name + "=" + fmt(p.data[0]) + ", " + fmt(p.data[1])); } },
        grid: { left: 60, right: 16, top: 36, bottom: 44 }, xAxis: x, yAxis: { type: "value", name: data.metric, scale: true },
        series: data.sources.map(function (source, i) {
          var points = scored(source).filter(function (t) { return t.p[h.name] !== undefined; });
          return { name: source.label, type: "scatter", symbolSize: 6, large: points.length > 2000, itemStyle: { color: palette[i % palette.length], opacity: 0.6 },
            data: points.map(function (t) { return [h.kind === "category" ? String(t.p[h.name]) : t.p[h.name], t.value, t.name]; }) };
        })
      });
    });
    el("slice-note").textContent = "The objective against each hparam, one point per completed trial; categories as categories." + logNote();
  }

  // The trials whose curves are drawn were chosen when the report was built (the best tenth,
  // then a fixed random sample), so the file stays small; each source says how many had curves.
  function curves() {
    var series = [];
    var shown = 0;
    var total = 0;
    var thinned = false;
    data.sources.forEach(function (source) {
      total += source.curvesTotal;
      thinned = thinned || source.curvesThinned;
      source.trials.filter(function (t) { return t.curve; }).forEach(function (t) {
        shown++;
        series.push({ name: seriesName(source, t.state), type: "line", showSymbol: t.curve.length === 1, symbolSize: 4, data: t.curve,
          lineStyle: { width: 1, opacity: 0.7, color: stateColors[t.state] }, itemStyle: { color: stateColors[t.state] }, emphasis: { focus: "series" } });
      });
    });
    el("curves-note").textContent = total === 0 ? "No trial reported intermediate values of " + data.metric + "."
      : "Each trial's reported " + data.metric + " by step, coloured by how it ended (complete, pruned, failed)" +
        (shown < total ? "; " + shown + " of " + total + " trials drawn (the best tenth, then a fixed random sample)" : "") +
        (thinned ? "; long curves thinned to 500 evenly spaced points" : "") + ".";
    chart("curves", {
      tooltip: { trigger: "item" }, legend: { top: 0 }, grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "value", name: "step", minInterval: 1 }, yAxis: { type: "value", name: data.metric, scale: true }, series: series
    });
  }

  function table() {
    var hasFolds = data.sources.some(function (s) { return s.trials.some(function (t) { return t.folds; }); });
    var columns = [];
    if (multi) { columns.push({ title: "source", get: function (r) { return r.source; } }); }
    columns.push({ title: "#", get: function (r) { return r.t.n; } });
    columns.push({ title: "trial", get: function (r) { return r.t.name; } });
    columns.push({ title: "state", get: function (r) { return r.t.state; }, cls: function (r) { return "state-" + r.t.state; } });
    columns.push({ title: data.metric + (hasFolds ? " (mean ± std)" : ""), get: function (r) { return r.t.value; },
      show: function (r) { return fmt(r.t.value) + (r.t.std !== undefined ? " ± " + fmt(r.t.std) : ""); } });
    if (hasFolds) { columns.push({ title: "folds", get: function (r) { return r.t.folds ? r.t.folds.map(fmt).join(" | ") : ""; } }); }
    data.hparams.forEach(function (h) { columns.push({ title: h.name, get: function (r) { return r.t.p[h.name]; } }); });
    columns.push({ title: "seconds", get: function (r) { return r.t.end === undefined ? null : r.t.end - r.t.start; } });
    var rows = [];
    data.sources.forEach(function (s) { s.trials.forEach(function (t) { rows.push({ source: s.label, t: t, best: t.n === s.best }); }); });
    var sortBy = -1;
    var ascending = true;
    function compare(a, b) {
      var x = columns[sortBy].get(a), y = columns[sortBy].get(b);
      if (x === y) { return 0; }
      if (x === null || x === undefined) { return 1; }
      if (y === null || y === undefined) { return -1; }
      var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    }
    function render() {
      var head = "<thead><tr>" + columns.map(function (c, i) {
        return "<th data-col=\"" + i + "\"" + (i === sortBy ? " aria-sort=\"" + (ascending ? "ascending" : "descending") + "\"" : "") + ">" + esc(c.title) + "</th>";
      }).join("") + "</tr></thead>";
      var ordered = sortBy < 0 ? rows : rows.slice().sort(compare);
      // Thousands of rows take the browser seconds to lay out: a page of them at a time, sorted as a whole.
      var body = ordered.slice(0, shownRows).map(function (r) {
        return "<tr" + (r.best ? " class=\"best\"" : "") + ">" + columns.map(function (c) {
          var shown = c.show ? c.show(r) : fmt(c.get(r));
          return "<td" + (c.cls ? " class=\"" + c.cls(r) + "\"" : "") + ">" + esc(shown) + "</td>";
        }).join("") + "</tr>";
      }).join("");
      el("trials").innerHTML = head + "<tbody>" + body + "</tbody>";
      var more = el("more-trials");
      more.hidden = shownRows >= rows.length;
      more.textContent = "Show " + Math.min(pageRows, rows.length - shownRows) + " more of " + (rows.length - shownRows) + " not shown";
    }
    var pageRows = 500;
    var shownRows = pageRows;
    el("more-trials").addEventListener("click", function () { shownRows += pageRows; render(); });
    el("trials").addEventListener("click", function (event) {
      var th = event.target.closest("th");
      if (!th) { return; }
      var col = +th.getAttribute("data-col");
      ascending = col === sortBy ? !ascending : true;
      sortBy = col;
      render();
    });
    render();
    el("table-note").textContent = rows.length + " trials" + (rows.length > pageRows ? " (the first " + pageRows + " shown; the button below shows more)" : "") +
      "; click a column to sort all of them; the best trial of each source is highlighted" +
      (hasFolds ? "; cross-validated trials show the mean ± population std of their folds and each fold's value" : "") + ".";
  }

  summary();
  history();
  if (data.objectives && data.objectives.length > 1) { front(); }
  importance();
  parallel();
  slices();
  curves();
  table();
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  window.hparamsReport = { data: data, charts: charts, renderMs: performance.now() - started };
  document.body.setAttribute("data-rendered", "true");
})();
