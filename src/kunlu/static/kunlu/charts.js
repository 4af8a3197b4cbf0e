// Charts of the monitoring pages, drawn with the vendored ECharts from data the page carries as JSON
// (json_script). No inline scripts: the content security policy forbids them.
(function () {
  "use strict";

  function data(el) {
    const source = document.getElementById(el.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  const builders = {
    trend(d) {
      return {
        title: { text: d.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "—" : v + "%") },
        grid: { left: 50, right: 20, top: 50, bottom: 30 },
        xAxis: { type: "category", data: d.months },
        yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
        series: [{ type: "line", data: d.growth, smooth: true, connectNulls: true, label: { show: true, formatter: "{c}%" } }],
      };
    },
    shares(d) {
      return {
        title: { text: d.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis", valueFormatter: (v) => (v === null ? "—" : v + "%") },
        grid: { left: 160, right: 40, top: 50, bottom: 30 },
        xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: d.zones },
        series: [{ type: "bar", data: d.shares, label: { show: true, position: "right", formatter: "{c}%" } }],
      };
    },
    funnel(d) {
      return {
        title: { text: d.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "item", formatter: "{b}：{c}" },
        series: [{
          type: "funnel", top: 40, bottom: 10, sort: "none", minSize: "20%",
          label: { show: true, position: "inside", formatter: "{b} {c}" },
          data: d.stages.map((name, i) => ({ name: name, value: d.counts[i] })),
        }],
      };
    },
    bars(d) {
      return {
        title: { text: d.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        legend: { top: 24 },
        grid: { left: 50, right: 20, top: 60, bottom: 80 },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: d.categories.length > 8 ? 30 : 0 } },
        yAxis: { type: "value" },
        series: d.series.map((s) => ({ type: "bar", name: s.name, data: s.data })),
      };
    },
    // A project's stages: planned (hollow) and actual (filled) dates on one time axis, phase by phase.
    timeline(d) {
      const labels = d.rows.map((r) => r.label);
      const points = (key) => d.rows.map((r, i) => (r[key] ? [r[key], i] : null)).filter((p) => p !== null);
      return {
        title: { text: d.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "item", formatter: (p) => labels[p.value[1]] + " " + p.seriesName + "：" + p.value[0] },
        legend: { top: 24 },
        grid: { left: 90, right: 30, top: 60, bottom: 30 },
        xAxis: { type: "time" },
        yAxis: { type: "category", data: labels, inverse: true },
        series: [
          { type: "scatter", name: d.planned, data: points("planned"), symbol: "emptyCircle", symbolSize: 12 },
          { type: "scatter", name: d.actual, data: points("actual"), symbol: "circle", symbolSize: 10 },
        ],
      };
    },
  };

  function draw() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach((el) => {
      const d = data(el);
      const build = builders[el.dataset.chart];
      if (!d || !build) return;
      const chart = echarts.init(el);
      chart.setOption(build(d));
      el.dataset.rendered = "true";
      window.addEventListener("resize", () => chart.resize());
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
