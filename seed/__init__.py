"""The deterministic demo park generator (DESIGN.md section 7)."""

from seed.demo_park import SeedError, SeedReport, clear_park_data, seed_demo_park

__all__ = ["SeedError", "SeedReport", "clear_park_data", "seed_demo_park"]
