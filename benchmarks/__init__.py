"""City-scale data generator and benchmarks (not shipped with zwdesk)."""
