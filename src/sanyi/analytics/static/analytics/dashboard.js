/* The dashboard's charts. The numbers come from the json_script element
 * #dashboard-data (no inline script, CSP script-src 'self'); every chart has a table
 * with the same numbers next to it for screen readers and for reading exact values. */
(function () {
  "use strict";

  function print() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function base() {
    // richText tooltips are drawn on the canvas: no HTML with style attributes (CSP).
    return {
      aria: { enabled: true },
      animation: false,
      textStyle: { fontSize: 14 },
      tooltip: { trigger: "axis", renderMode: "richText" },
    };
  }

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) { return null; }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(Object.assign(base(), option));
    return chart;
  }

  function line(data) {
    var series = [["收件", data.received], ["受理", data.accepted], ["办结", data.concluded]];
    return {
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 40 },
      xAxis: { type: "category", data: data.days },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) {
        return { name: s[0], type: "line", data: s[1], showSymbol: data.days.length < 40 };
      }),
    };
  }

  function pie(data) {
    return {
      tooltip: { trigger: "item", renderMode: "richText" },
      legend: { bottom: 0 },
      series: [{ name: "申请渠道", type: "pie", radius: ["35%", "65%"], data: data.channels }],
    };
  }

  function bars(data) {
    return {
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: data.units, axisLabel: { interval: 0, rotate: data.units.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "承诺时限内办结率", type: "bar", data: data.units_on_time },
        { name: "好评率", type: "bar", data: data.units_good },
      ],
    };
  }

  function start() {
    print();
    var source = document.getElementById("dashboard-data");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [
      draw("chart-days", line(data)),
      draw("chart-channels", pie(data)),
      draw("chart-units", bars(data)),
    ].filter(Boolean);
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
