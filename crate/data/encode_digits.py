#!/usr/bin/env python3
"""Encode the 8x8 digits CSV into the compact binary file the crate embeds.

Usage: python3 crate/data/encode_digits.py PATH/TO/digits.csv.gz crate/data/digits.bin

Input: 1797 rows of 64 integers in 0..=16 (an 8x8 image, row-major, top row first) and a
class label 0..=9 (the UCI optical recognition of handwritten digits test set, as shipped by
scikit-learn; CC BY 4.0).

Output, all bytes:
  b"DIG8"              magic
  u16 little-endian    number of samples N
  u8                   pixels per sample (64)
  u8                   largest pixel value (16)
  N * 64 bytes         pixels, sample after sample, row-major
  N bytes              labels
Pixels and labels are stored apart so that gzip, which serves the wasm, packs them well.
"""
import csv
import gzip
import hashlib
import struct
import sys



def main(src, dst):
    raw = open(src, "rb").read()
    try:
        want = open(src + ".sha256").read().split()[0]
        got = hashlib.sha256(raw).hexdigest()
        if want != got:
            sys.exit(f"{src}: sha256 {got} does not match {want}")
    except FileNotFoundError:
        pass
    rows = list(csv.reader(gzip.decompress(raw).decode().splitlines()))
    pixels, labels = bytearray(), bytearray()
    for row in rows:
        values = [int(float(v)) for v in row]
        assert len(values) == 65, len(values)
        assert all(0 <= v <= 16 for v in values[:64])
        assert 0 <= values[64] <= 9
        pixels += bytes(values[:64])
        labels.append(values[64])
    with open(dst, "wb") as f:
        f.write(b"DIG8" + struct.pack("<HBB", len(rows), 64, 16) + pixels + labels)
    print(f"{len(rows)} samples -> {dst} ({8 + len(pixels) + len(labels)} bytes)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
