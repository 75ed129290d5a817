"""mmh from Python: compress and decompress bytes and files, and open .mmh files as file objects.

The work is done by the ``mmh`` command, run as a child process with pipes::

    import mmh
    packed = mmh.compress(b"some bytes", level=3)
    assert mmh.decompress(packed) == b"some bytes"
    with mmh.open("notes.txt.mmh", "wt") as f:      # streamed into a running `mmh compress`
        f.write("hello\\n")
    with mmh.open("notes.txt.mmh", "rt") as f:      # streamed out of a running `mmh decompress`
        print(f.read())

Which command: the ``MMH_COMMAND`` environment variable (a command line, split as a shell would), else ``mmh`` on
``PATH`` (the .deb or the .tar.gz), else the ``./mmh`` launcher of the source checkout this package sits in.

Why a command and not the Java library in process (JPype): the command is the one place that turns every failure
into one line and a documented exit code, which this package hands on unchanged as :class:`MmhError`; it runs its
own parallel JVM with the class-data-sharing archive that makes it start fast; and a Python process that starts a
JVM in process keeps it (and its memory) until it exits and can start only one. Each call costs a start of the
command (tens of milliseconds installed), nothing per byte beyond a pipe copy.

Errors: every failure of the command raises :class:`MmhError`, carrying mmh's one-line message and its exit code
(docs/CLI.md, "Exit codes"). Bad arguments to these functions raise ``ValueError``/``TypeError`` as usual.
Nothing here is shared between threads: each call and each file object has its own process.
"""

import io
import os
import shlex
import shutil
import subprocess
import tempfile

__all__ = ["MmhError", "compress", "decompress", "compress_file", "decompress_file", "open", "command"]

_builtin_open = open
_CHUNK = 1 << 20


class MmhError(Exception):
    """A failure of the ``mmh`` command.

    Attributes:
        message: mmh's one-line message (its last line on standard error), e.g.
            ``"mmh: stdin: not an mmh archive (no mmh magic at offset 0)"``
        exit_code: the command's exit code (docs/CLI.md: 1 I/O, 2 usage, 3 damaged, 4 not an mmh archive, ...),
            or ``None`` when the command could not be started at all
        args_used: the command line that failed
    """

    def __init__(self, message, exit_code=None, args_used=None):
        super().__init__(message if exit_code is None else "%s (exit code %d)" % (message, exit_code))
        self.message = message
        self.exit_code = exit_code
        self.args_used = args_used


def command():
    """The command line (a list) that runs mmh: ``MMH_COMMAND``, else ``mmh`` on PATH, else the checkout's ./mmh.

    Raises:
        MmhError: when none of them is there
    """
    env = os.environ.get("MMH_COMMAND")
    if env:
        return shlex.split(env)
    found = shutil.which("mmh")
    if found:
        return [found]
    checkout = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "mmh")
    if os.path.isfile(checkout) and os.access(checkout, os.X_OK):
        return [checkout]
    raise MmhError("mmh: command not found (set MMH_COMMAND, put mmh on PATH, or use a source checkout)")


def _options(opts):
    """Keyword options as mmh's long options: level=3 -> --level=3, max=True -> --max, False/None -> left out."""
    out = []
    for key in sorted(opts):
        value = opts[key]
        name = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            out.append(name)
        else:
            out.append("%s=%s" % (name, value))
    return out


def _message(err, args):
    lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else "mmh: %s failed with no message" % " ".join(args)


def _start(args, **kw):
    try:
        return subprocess.Popen(args, **kw)
    except OSError as e:
        raise MmhError("mmh: cannot run %s: %s" % (args[0], e.strerror or e), None, args) from None


def _run(sub, data=None):
    """Runs ``mmh SUB...`` with ``data`` on standard input; returns standard output."""
    if data is not None and not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("expected bytes-like data, not %s" % type(data).__name__)
    args = command() + sub
    proc = _start(args, stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(bytes(data) if data is not None else None)
    if proc.returncode != 0:
        raise MmhError(_message(err, args), proc.returncode, args)
    return out


def compress(data, **opts):
    """Compresses ``data`` (bytes-like) into an mmh archive and returns it as bytes.

    Keyword options are mmh's long options of ``compress``: ``level=19``, ``codec="xz"``, ``max=True``,
    ``threads=2``, ``recovery="5%"`` ... (``name=True`` for a flag).
    """
    return _run(["compress", "-q"] + _options(opts) + ["-c", "-"], data)


def decompress(data, **opts):
    """Decompresses an mmh archive held in ``data`` (bytes-like) and returns the original bytes.

    Raises:
        MmhError: damaged (exit code 3) or not an mmh archive (4), ...
    """
    return _run(["decompress", "-q"] + _options(opts) + ["-c", "-"], data)


def compress_file(src, dst=None, **opts):
    """Compresses the file ``src`` into ``dst`` (default: ``src + ".mmh"``), replacing it; returns ``dst``."""
    dst = os.fspath(dst) if dst is not None else os.fspath(src) + ".mmh"
    _run(["compress", "-q", "-f"] + _options(opts) + ["-o", dst, "--", os.fspath(src)])
    return dst


def decompress_file(src, dst=None, **opts):
    """Decompresses the archive ``src`` into ``dst`` (default: ``src`` without ``.mmh``), replacing it; returns
    ``dst``. mmh writes it under a temporary name and renames it when complete: never a partial file."""
    src = os.fspath(src)
    if dst is None:
        if not src.endswith(".mmh"):
            raise ValueError("%s does not end in .mmh: name the output" % src)
        dst = src[:-4]
    dst = os.fspath(dst)
    _run(["decompress", "-q", "-f"] + _options(opts) + ["-o", dst, "--", src])
    return dst


class _Pipe(io.RawIOBase):
    """One end of a running mmh: reads its standard output or writes its standard input; close() waits for it
    and raises MmhError when it failed. A reader raises at the end of the data rather than return a short read as
    the end, so a damaged archive never looks like a shorter file."""

    def __init__(self, args, reading):
        super().__init__()
        self._args = args
        self._reading = reading
        self._err = tempfile.TemporaryFile()
        self._proc = _start(args, stdin=subprocess.DEVNULL if reading else subprocess.PIPE,
                            stdout=subprocess.PIPE if reading else subprocess.DEVNULL, stderr=self._err)
        self._end = self._proc.stdout if reading else self._proc.stdin
        self._done = False

    def readable(self):
        return self._reading

    def writable(self):
        return not self._reading

    def _finish(self):
        """Waits for the command and raises MmhError when it failed."""
        if self._done:
            return
        self._done = True
        try:
            self._end.close()
        except BrokenPipeError:
            pass
        rc = self._proc.wait()
        self._err.seek(0)
        err = self._err.read()
        self._err.close()
        if rc != 0:
            raise MmhError(_message(err, self._args), rc, self._args)

    def readinto(self, b):
        self._checkClosed()
        if not self._reading:
            raise io.UnsupportedOperation("not open for reading")
        if self._done:
            return 0
        n = self._end.readinto(b)
        if n == 0:
            self._finish()
        return n

    def write(self, b):
        self._checkClosed()
        if self._reading:
            raise io.UnsupportedOperation("not open for writing")
        try:
            self._end.write(b)
        except BrokenPipeError:
            self._finish()
            raise MmhError("mmh: %s stopped reading its input" % " ".join(self._args), None, self._args)
        return len(b)

    def close(self):
        if self.closed:
            return
        try:
            if self._reading and not self._done:
                # Closed before the end: stop the command, whose failure is then ours, not an error.
                self._done = True
                self._proc.kill()
                self._end.close()
                self._proc.wait()
                self._err.close()
            else:
                self._finish()
        finally:
            super().close()


def open(path, mode="rb", *, encoding=None, errors=None, newline=None, **opts):
    """Opens the mmh archive ``path`` as a file object, like ``gzip.open``.

    Modes: ``"rb"``/``"r"`` reads the decompressed bytes as a running ``mmh decompress`` writes them; ``"wb"``/``"w"``
    streams what is written into a running ``mmh compress`` that writes ``path`` (under a temporary name, renamed
    at close: a failed or interrupted write leaves no partial file), replacing an existing one; ``"xb"`` refuses an
    existing one. Add ``"t"`` (``"rt"``, ``"wt"``) for text through :class:`io.TextIOWrapper` with ``encoding``,
    ``errors`` (default UTF-8, whatever the locale) and ``newline``. Keyword options go to the command as for :func:`compress`.

    The memory used is the pipe's and one buffer's, whatever the size. ``close()`` (or leaving a ``with`` block)
    waits for the command: a write's errors surface there, a read's at the end of the data, as :class:`MmhError`.
    Closing a reader before its end stops the command.
    """
    if not isinstance(mode, str) or not mode or set(mode) - set("rwxbt") or len(set(mode)) != len(mode) \
            or sum(c in mode for c in "rwx") != 1 or ("b" in mode and "t" in mode):
        raise ValueError("invalid mode %r (use r, rb, rt, w, wb, wt, x, xb or xt)" % (mode,))
    text = "t" in mode
    if not text and (encoding is not None or errors is not None or newline is not None):
        raise ValueError("encoding, errors and newline are for text modes")
    path = os.fspath(path)
    if "r" in mode:
        raw = _Pipe(command() + ["decompress", "-q"] + _options(opts) + ["-c", "--", path], True)
        buffered = io.BufferedReader(raw, _CHUNK)
    else:
        force = ["-f"] if "w" in mode else []
        raw = _Pipe(command() + ["compress", "-q"] + force + _options(opts) + ["-o", path, "-"], False)
        buffered = io.BufferedWriter(raw, _CHUNK)
    if text:
        return io.TextIOWrapper(buffered, encoding=encoding or "utf-8", errors=errors, newline=newline)
    return buffered
