"""Tools that measure the product (the benchmark, the weight budget); not part of the build."""
