"""Imported first by the benchmark scripts: numpy's BLAS (OpenBLAS, MKL, OpenMP) held to one thread, so a
"per core" figure is one core's. It must run before numpy loads; a variable already set is left as it is."""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
