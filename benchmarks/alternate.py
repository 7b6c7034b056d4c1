#!/usr/bin/python3
"""Runs the two benchmark sides at once, taking turns: smoothing4j (Bench.java) and PyTorch (bench_torch.py) are
started together with SMOOTHING4J_BENCH_GATED=1, so each announces every phase of a row (its warm-up, then each
repetition) and waits for its turn. For a row both sides measure, the phases alternate (warm-up A, warm-up B, rep 1
A, rep 1 B, ...), so a change of the machine's load between rows, or within one, hits both sides alike; a row only
one side measures runs alone. Only one side works at any moment.

    alternate.py JAVA_OUT.jsonl TORCH_OUT.jsonl -- JAVA_COMMAND... -- TORCH_COMMAND...

The rows each side prints (JSON lines with a "quantity") go to its output file and to stdout, as before, its standard
error to OUT.jsonl.err; the torch command ends with its repetition count, and the same command with --list in its
place lists its rows (in the order of the rows both sides share).
"""
import json
import os
import subprocess
import sys


def partner(key):
    """The PyTorch row a smoothing4j row is compared with (as report.py pairs them)."""
    quantity, model = key
    if quantity == "gaussian sampling":
        return ("gaussian sampling", "-")
    if quantity.startswith("certification onnx") or quantity.startswith("certification, direct"):
        return ("certification", model)
    return key


class Side:
    def __init__(self, name, command, out_path, env):
        self.name = name
        self.out = open(out_path, "w")
        self.err = open(out_path + ".err", "w")
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, env=env,
                                     text=True, bufsize=1)
        self.gate = None  # (quantity, model, phase) this side waits at, or None when it has finished
        self.done_keys = set()
        self.advance()

    def advance(self):
        """Reads this side's output up to its next gate (or its end), recording the rows it prints."""
        for line in self.proc.stdout:
            if line.startswith("{"):
                r = json.loads(line)
                if r.get("event") == "gate":
                    key = (r["quantity"], r["model"])
                    if self.gate is not None and self.key() != key:
                        self.done_keys.add(self.key())
                    self.gate = (r["quantity"], r["model"], r["phase"])
                    return
                self.out.write(line)
                self.out.flush()
            sys.stdout.write(line)
            sys.stdout.flush()
        if self.gate is not None:
            self.done_keys.add(self.key())
        self.gate = None
        self.out.close()
        rc = self.proc.wait()
        self.err.close()
        if rc != 0:
            raise SystemExit(f"alternate: the {self.name} side exited with status {rc} (its errors: {self.err.name})")

    def key(self):
        return None if self.gate is None else (self.gate[0], self.gate[1])

    def go(self):
        """Lets this side run its announced phase; returns once it waits at the next gate or has finished."""
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        self.advance()

    def finish_row(self):
        key = self.key()
        while self.gate is not None and self.key() == key:
            self.go()


def main():
    args = sys.argv[1:]
    if len(args) < 5 or args[2] != "--" or "--" not in args[3:]:
        raise SystemExit(__doc__)
    java_out, torch_out = args[0], args[1]
    rest = args[3:]
    cut = rest.index("--")
    java_cmd, torch_cmd = rest[:cut], rest[cut + 1:]
    # the torch command ends with its repetition count; the same command with --list in its place lists its rows
    listed = subprocess.run(torch_cmd[:-1] + ["--list"], capture_output=True, text=True, check=True).stdout
    torch_keys = [tuple(json.loads(l)) for l in listed.splitlines() if l.strip()]
    env = dict(os.environ, SMOOTHING4J_BENCH_GATED="1")
    java = Side("smoothing4j", java_cmd, java_out, env)
    torch = Side("PyTorch", torch_cmd, torch_out, env)
    while java.gate is not None or torch.gate is not None:
        if java.gate is None:
            torch.finish_row()
            continue
        if torch.gate is None:
            java.finish_row()
            continue
        p = partner(java.key())
        if p == torch.key():
            # the same row on both sides: alternate phase by phase
            key_j, key_t = java.key(), torch.key()
            while java.key() == key_j or torch.key() == key_t:
                if java.key() == key_j:
                    java.go()
                if torch.key() == key_t:
                    torch.go()
        elif p not in torch_keys or p in torch.done_keys:
            java.finish_row()  # a row of smoothing4j's alone, or whose partner has been measured already
        else:
            torch.finish_row()  # PyTorch is at a row of its own before the shared one


if __name__ == "__main__":
    main()
