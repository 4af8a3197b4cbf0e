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
