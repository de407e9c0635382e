"""Write the study's two image sets as IDX files in the working directory, from the MNIST subset
(4000 digits, mnist-4k-images-idx3-ubyte.gz / mnist-4k-labels-idx1-ubyte.gz, given as arguments):
  ga-*:      digits 0-999   (the GA's and random search's fitness: 800 train, last 200 test)
  holdout-*: digits 0-799 then 3200-3999 (train on the same 800, test on 800 never used in search)
"""
import gzip, struct, sys
import numpy as np

images = np.frombuffer(gzip.open(sys.argv[1]).read()[16:], dtype=np.uint8).reshape(-1, 784)
labels = np.frombuffer(gzip.open(sys.argv[2]).read()[8:], dtype=np.uint8)
for name, rows in (("ga", list(range(1000))), ("holdout", list(range(800)) + list(range(3200, 4000)))):
    x, y = images[rows], labels[rows]
    open(f"{name}-images-idx3-ubyte", "wb").write(struct.pack(">IIII", 0x803, len(x), 28, 28) + x.tobytes())
    open(f"{name}-labels-idx1-ubyte", "wb").write(struct.pack(">II", 0x801, len(y)) + y.tobytes())
