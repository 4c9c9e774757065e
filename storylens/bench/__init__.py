"""storylens bench: throughput, memory, quality and serving benchmarks."""
