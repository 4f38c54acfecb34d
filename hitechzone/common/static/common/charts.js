/* Draw every element with data-chart="<id of a json_script block>" as an ECharts chart.
   The JSON holds {type, categories, series: [{name, data}], unit, integer (counts: whole-number ticks)}.
   Works offline (vendored echarts). */
(function () {
  function draw(el) {
    var spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    var chart = echarts.init(el);
    var series = spec.series.map(function (s, i) {
      return {name: s.name, type: s.type || spec.type || "bar", data: s.data, yAxisIndex: s.axis || 0, smooth: true,
              label: {show: spec.series.length === 1, position: "top"}};
    });
    var yAxis = [{type: "value", name: spec.unit || "", minInterval: spec.integer ? 1 : 0}];
    if (spec.unit2) { yAxis.push({type: "value", name: spec.unit2}); }
    chart.setOption({
      tooltip: {trigger: "axis"},
      legend: {top: 0, type: "scroll"},
      grid: {left: 8, right: 8, bottom: 8, top: 40, containLabel: true},
      xAxis: {type: "category", data: spec.categories, axisLabel: {interval: 0, rotate: spec.categories.length > 6 ? 30 : 0}},
      yAxis: yAxis,
      series: series
    });
    if (spec.links) {
      chart.on("click", function (p) { var url = spec.links[p.dataIndex]; if (url) { window.location = url; } });
    }
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.rendered = "1";
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
