"""The extension's FMA copies hold their loops.

Kernels that use fused multiply-add run through a copy compiled with the FMA
instruction set (`fp::run_kernel`, `fp::with_fma`). That copy is only useful
when the loop is inlined into it: otherwise it is a trampoline to a function
compiled without FMA, where every `mul_add` is a library call. Whether LLVM
inlines depends on how the crate is split for compilation, so a change far
away can undo it. This test reads the built extension's machine code.
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess

import pytest

import barrow._native as native

pytestmark = pytest.mark.skipif(
    platform.machine() not in ("x86_64", "AMD64") or shutil.which("objdump") is None,
    reason="reads x86-64 machine code with binutils' objdump",
)

SYMBOL = re.compile(r"^([0-9a-f]+) <(.+)>:$")
BRANCH = re.compile(r"\b(call|jmp)\s+[0-9a-f]+ <(.+)>\s*$")
PADDING = ("int3", "nop")
# Functions an FMA copy calls by design.
OUT_OF_LINE = ("::moved_totals",)


def fma_copies():
    """(address, instructions, branch targets) of every FMA copy in the extension."""
    text = subprocess.run(
        ["objdump", "-d", "--no-show-raw-insn", "-C", native.__file__],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    copies, current = [], None
    for line in text.splitlines():
        m = SYMBOL.match(line)
        if m:
            name = m.group(2)
            current = None
            if name.endswith(("fp::run_with_fma", "fp::call_with_fma")):
                current = (m.group(1), [], [])
                copies.append(current)
        elif current is not None and line.startswith(" "):
            op = line.split("\t")[1].split()[0] if "\t" in line else ""
            if op.startswith(PADDING):
                continue
            current[1].append(line)
            b = BRANCH.search(line)
            if b:
                current[2].append(b.group(2))
    return copies


def test_every_fma_copy_holds_its_loop():
    copies = fma_copies()
    if not copies:
        pytest.skip("the extension has no symbols (stripped build)")
    trampolines = []
    for address, body, targets in copies:
        # The candle patterns' running totals (additions only, nothing to
        # fuse) move in a loop kept out of line on purpose.
        closures = [t for t in targets if "barrow_core" in t and "{{closure}}" in t and not t.endswith(OUT_OF_LINE)]
        if len(body) <= 2 or closures:
            trampolines.append((address, closures or targets))
    assert not trampolines, (
        "FMA copies that only call out to code compiled without FMA "
        "(mark the closure and what it calls #[inline(always)]): " + repr(trampolines)
    )


def test_the_fma_copies_use_fused_multiply_add():
    copies = fma_copies()
    if not copies:
        pytest.skip("the extension has no symbols (stripped build)")
    fused = sum(any("vfmadd" in i or "vfnmadd" in i or "vfmsub" in i for i in body) for _, body, _ in copies)
    assert fused >= 10, f"only {fused} of {len(copies)} FMA copies contain a fused multiply-add"
