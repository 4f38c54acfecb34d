/* Draw every element with data-chart="<id of a json_script block>" as an ECharts chart.
   The JSON holds {type, categories, series: [{name, data, axis}], unit, unit2, links}; type "funnel" draws the one
   series' figures as a funnel, one category per layer, in their order. This is the one place that
   decides how a chart looks:
   - no figure at all (no category, or every value empty or zero) shows "no data for this period", not bare axes;
   - an axis whose figures are all whole numbers (counts) gets whole-number ticks (spec.integer forces it);
   - axis titles (units) start at their axis and run inwards, so the grid never clips them.
   Works offline (vendored echarts). */
(function () {
  function value(v) { return v !== null && typeof v === "object" ? v.value : v; }
  function figures(series) {
    return series.reduce(function (all, s) { return all.concat(s.data.map(value)); }, []).filter(function (v) {
      return v !== null && v !== undefined && v !== "" && !isNaN(Number(v));
    }).map(Number);
  }
  function empty(spec) {
    return !spec.categories || !spec.categories.length || !figures(spec.series).some(function (v) { return v !== 0; });
  }
  function showEmpty(el) {
    var text = window.hzText ? window.hzText("noData") : "—";
    el.classList.add("chart-empty");
    el.innerHTML = "";
    var p = document.createElement("p");
    p.className = "mb-0";
    p.innerHTML = '<i class="bi bi-bar-chart" aria-hidden="true"></i> ';
    p.appendChild(document.createTextNode(text));
    el.appendChild(p);
    el.setAttribute("aria-label", (el.getAttribute("aria-label") || "") + ": " + text);
    el.dataset.empty = "1";
  }
  function valueAxis(spec, series, index, name) {
    var mine = series.filter(function (s) { return (s.axis || 0) === index; });
    var whole = spec.integer || figures(mine).every(function (v) { return Number.isInteger(v); });
    return {type: "value", name: name || "", minInterval: whole ? 1 : 0,
            nameTextStyle: {align: index ? "right" : "left"}};
  }
  function draw(el) {
    var spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    el.dataset.rendered = "1";
    if (empty(spec)) { showEmpty(el); return; }
    var chart = echarts.init(el);
    if (spec.type === "funnel") { funnel(chart, spec); return; }
    var series = spec.series.map(function (s) {
      return {name: s.name, type: s.type || spec.type || "bar", data: s.data, yAxisIndex: s.axis || 0, smooth: true,
              label: {show: spec.series.length === 1, position: "top"}};
    });
    var yAxis = [valueAxis(spec, spec.series, 0, spec.unit)];
    if (spec.unit2) { yAxis.push(valueAxis(spec, spec.series, 1, spec.unit2)); }
    chart.setOption({
      tooltip: {trigger: "axis"},
      legend: {top: 0, type: "scroll"},
      grid: {left: 8, right: 8, bottom: 8, top: spec.unit || spec.unit2 ? 56 : 40, containLabel: true},
      xAxis: {type: "category", data: spec.categories, axisLabel: {interval: 0, rotate: spec.categories.length > 6 ? 30 : 0}},
      yAxis: yAxis,
      series: series
    });
    if (spec.links) {
      chart.on("click", function (p) { var url = spec.links[p.dataIndex]; if (url) { window.location = url; } });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function funnel(chart, spec) {
    var s = spec.series[0];
    chart.setOption({
      tooltip: {trigger: "item", formatter: "{b}: {c}"},
      series: [{name: s.name, type: "funnel", sort: "none", minSize: "24%", left: 8, right: 8, top: 8, bottom: 8, gap: 2,
                label: {show: true, position: "inside", formatter: "{b} {c}"},
                data: spec.categories.map(function (c, i) { return {name: c, value: value(s.data[i])}; })}]
    });
    if (spec.links) {
      chart.on("click", function (p) { var url = spec.links[p.dataIndex]; if (url) { window.location = url; } });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }
  window.hzCharts = {empty: empty, showEmpty: showEmpty};
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
