"""The mixed-load benchmark (bench/bench_mixed.py): its settings, URLs and locustfile."""
