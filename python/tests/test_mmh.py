"""Tests of the mmh Python package against a real mmh command (MMH_COMMAND, else PATH, else the checkout's ./mmh).

Run from python/: python3 -m unittest discover -s tests -v
"""

import hashlib
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import mmh  # noqa: E402

MAGIC = b"\x89MMH"


def chunk(i):
    """The i-th MiB of the streamed test input: text lines, each naming its chunk, compressible but not constant."""
    line = b"line %08d of the mmh Python streaming test, with some words to compress\n" % i
    return (line * (1048576 // len(line) + 1))[:1048576]


class BytesTest(unittest.TestCase):
    def test_round_trip_text_and_binary(self):
        text = b"The quick brown fox jumps over the lazy dog.\n" * 2000
        packed = mmh.compress(text)
        self.assertTrue(packed.startswith(MAGIC), packed[:8])
        self.assertLess(len(packed), len(text) // 10)
        self.assertEqual(mmh.decompress(packed), text)
        binary = random.Random(7).randbytes(300000)
        self.assertEqual(mmh.decompress(mmh.compress(bytearray(binary))), binary)

    def test_options_reach_the_command(self):
        data = b"options " * 50000
        self.assertEqual(mmh.decompress(mmh.compress(data, codec="xz", level=1, threads=1)), data)
        with self.assertRaises(mmh.MmhError) as e:
            mmh.compress(data, codec="no-such-codec")
        self.assertEqual(e.exception.exit_code, 2)

    def test_empty_input(self):
        packed = mmh.compress(b"")
        self.assertTrue(packed.startswith(MAGIC))
        self.assertEqual(mmh.decompress(packed), b"")

    def test_not_an_archive_raises_with_the_message(self):
        with self.assertRaises(mmh.MmhError) as e:
            mmh.decompress(b"this is not an mmh archive")
        self.assertEqual(e.exception.exit_code, 4)
        self.assertIn("not an mmh archive", e.exception.message)
        self.assertEqual(len(e.exception.message.splitlines()), 1)
        self.assertIn("exit code 4", str(e.exception))

    def test_damaged_archive_raises_with_the_message(self):
        data = random.Random(3).randbytes(200000)
        packed = bytearray(mmh.compress(data, codec="store"))
        packed[len(packed) // 2] ^= 0x40
        with self.assertRaises(mmh.MmhError) as e:
            mmh.decompress(bytes(packed))
        self.assertEqual(e.exception.exit_code, 3)
        self.assertTrue(e.exception.message.startswith("mmh: stdin"), e.exception.message)

    def test_truncated_archive_raises(self):
        packed = mmh.compress(b"truncated " * 10000)
        with self.assertRaises(mmh.MmhError) as e:
            mmh.decompress(packed[:-20])
        self.assertEqual(e.exception.exit_code, 3)

    def test_data_must_be_bytes(self):
        with self.assertRaises(TypeError):
            mmh.compress("text is not bytes")


class FilesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="mmh-py-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_compress_file_and_decompress_file(self):
        src = self.path("a.txt")
        data = b"file round trip\n" * 10000
        with open(src, "wb") as f:
            f.write(data)
        self.assertEqual(mmh.compress_file(src), src + ".mmh")
        os.remove(src)
        self.assertEqual(mmh.decompress_file(src + ".mmh"), src)
        with open(src, "rb") as f:
            self.assertEqual(f.read(), data)
        other = mmh.decompress_file(src + ".mmh", self.path("b.out"))
        with open(other, "rb") as f:
            self.assertEqual(f.read(), data)

    def test_missing_input_names_the_file(self):
        with self.assertRaises(mmh.MmhError) as e:
            mmh.compress_file(self.path("missing.txt"))
        self.assertEqual(e.exception.exit_code, 1)
        self.assertIn("missing.txt", e.exception.message)

    def test_decompress_file_needs_a_name_for_other_suffixes(self):
        with self.assertRaises(ValueError):
            mmh.decompress_file(self.path("x.bin"))

    def test_open_binary_round_trip_read_by_the_command(self):
        p = self.path("o.mmh")
        data = random.Random(5).randbytes(100000) + b"tail" * 30000
        with mmh.open(p, "wb") as f:
            for i in range(0, len(data), 7777):
                self.assertEqual(f.write(data[i:i + 7777]), len(data[i:i + 7777]))
        self.assertEqual(subprocess.run(mmh.command() + ["decompress", "-q", "-c", p], stdout=subprocess.PIPE,
                                        check=True).stdout, data)
        with mmh.open(p, "rb") as f:
            self.assertEqual(f.read(10), data[:10])
            self.assertEqual(f.read(), data[10:])
            self.assertEqual(f.read(), b"")

    def test_open_text(self):
        p = self.path("t.mmh")
        with mmh.open(p, "wt") as f:
            f.write("zürich\n")
            f.write("línea dos\n")
        with mmh.open(p, "rt") as f:
            self.assertEqual(list(f), ["zürich\n", "línea dos\n"])
        with mmh.open(p) as f:
            self.assertIsInstance(f, io.BufferedReader)
            self.assertEqual(f.read(), "zürich\nlínea dos\n".encode("utf-8"))

    def test_exclusive_mode_refuses_an_existing_file(self):
        p = self.path("x.mmh")
        with mmh.open(p, "xb") as f:
            f.write(b"first")
        with self.assertRaises(mmh.MmhError) as e:
            with mmh.open(p, "xb") as f:
                f.write(b"second")
        self.assertEqual(e.exception.exit_code, 7)
        with mmh.open(p, "rb") as f:
            self.assertEqual(f.read(), b"first")

    def test_reading_a_damaged_file_raises_not_a_short_read(self):
        p = self.path("d.mmh")
        data = random.Random(9).randbytes(3 << 20)
        with mmh.open(p, "wb", codec="store") as f:
            f.write(data)
        with open(p, "r+b") as f:
            f.seek(os.path.getsize(p) - 200000)
            b = f.read(1)
            f.seek(-1, 1)
            f.write(bytes([b[0] ^ 1]))
        with self.assertRaises(mmh.MmhError) as e:
            with mmh.open(p, "rb") as f:
                while f.read(65536):
                    pass
        self.assertEqual(e.exception.exit_code, 3)
        self.assertIn("d.mmh", e.exception.message)

    def test_closing_a_reader_early_is_not_an_error(self):
        p = self.path("e.mmh")
        with mmh.open(p, "wb") as f:
            for i in range(8):
                f.write(chunk(i))
        with mmh.open(p, "rb") as f:
            self.assertEqual(f.read(5), b"line ")

    def test_bad_modes(self):
        for mode in ("a", "rw", "rbt", "", "rr", "q"):
            with self.assertRaises(ValueError, msg=mode):
                mmh.open(self.path("m.mmh"), mode)
        with self.assertRaises(ValueError):
            mmh.open(self.path("m.mmh"), "rb", encoding="utf-8")

    def test_large_input_is_streamed(self):
        p = self.path("big.mmh")
        n = 96
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        want = hashlib.sha256()
        with mmh.open(p, "wb") as f:
            for i in range(n):
                c = chunk(i)
                want.update(c)
                f.write(c)
        got = hashlib.sha256()
        size = 0
        with mmh.open(p, "rb") as f:
            while True:
                b = f.read(1 << 16)
                if not b:
                    break
                got.update(b)
                size += len(b)
        self.assertEqual(size, n << 20)
        self.assertEqual(got.hexdigest(), want.hexdigest())
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        self.assertLess(grown_mb, 32, "the Python process grew by %.0f MB for %d MB streamed" % (grown_mb, n))


class CommandTest(unittest.TestCase):
    def test_a_command_that_cannot_start_raises(self):
        old = os.environ.get("MMH_COMMAND")
        os.environ["MMH_COMMAND"] = "/nonexistent/mmh"
        try:
            with self.assertRaises(mmh.MmhError) as e:
                mmh.compress(b"x")
            self.assertIsNone(e.exception.exit_code)
            self.assertIn("/nonexistent/mmh", e.exception.message)
        finally:
            if old is None:
                del os.environ["MMH_COMMAND"]
            else:
                os.environ["MMH_COMMAND"] = old


if __name__ == "__main__":
    unittest.main()
