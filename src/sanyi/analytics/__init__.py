"""Analytics (数据分析): daily rollups of the other apps' data, read by the dashboards."""
