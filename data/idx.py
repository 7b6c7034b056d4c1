"""The data sets for the project's Python scripts (PyTorch fixtures, imported models, the diffusion U-Net): where they
lie and how an IDX file reads, in one place.

IDX (the MNIST format, http://yann.lecun.com/exdb/mnist/): two zero bytes, a type byte (0x08: unsigned bytes), the
number of dimensions, each dimension as a big-endian 32-bit integer, then the data in row-major order. The files are
gzipped, as data/fetch leaves them.
"""
import gzip
import os
import struct

import numpy as np


def sets_dir(top):
    """$SMOOTHING4J_DATA, else data/sets of the checkout at top (where `make data` puts the data sets)."""
    return os.environ.get("SMOOTHING4J_DATA", os.path.join(top, "data", "sets"))


def read_idx(path):
    """The unsigned bytes of a gzipped IDX file as an array of its shape."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[2] != 0x08:
        raise ValueError(f"{path}: expected IDX unsigned bytes (type 0x08), got type {data[2]:#04x}")
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
