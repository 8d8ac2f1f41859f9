"""The machine a benchmark ran on, in one line: CPU model, cores and the vector extensions
int8 embedding speed depends on (AVX2, AVX-512, VNNI, AMX), read from /proc/cpuinfo.

Elsewhere (no /proc/cpuinfo, as on macOS or Windows) the model comes from `platform` and
the extensions are said to be unknown rather than absent.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

# AVX-512 subsets, in the order they are named (flag in /proc/cpuinfo -> name).
AVX512 = {
    "avx512f": "F",
    "avx512cd": "CD",
    "avx512bw": "BW",
    "avx512dq": "DQ",
    "avx512vl": "VL",
    "avx512ifma": "IFMA",
    "avx512vbmi": "VBMI",
    "avx512_vbmi2": "VBMI2",
    "avx512_bitalg": "BITALG",
    "avx512_vpopcntdq": "VPOPCNTDQ",
    "avx512_bf16": "BF16",
    "avx512_fp16": "FP16",
}
AMX = {"amx_tile": "TILE", "amx_int8": "INT8", "amx_bf16": "BF16", "amx_fp16": "FP16"}
# Arm: what ONNX Runtime's int8 kernels use there.
ARM = {"asimd": "NEON", "asimddp": "DOTPROD", "i8mm": "I8MM", "sve": "SVE", "sve2": "SVE2"}


def _field(cpuinfo: str, *names: str) -> str | None:
    """The first value of any of these fields (the first processor's)."""
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in names and value.strip():
            return value.strip()
    return None


def vector_extensions(cpuinfo: str) -> str:
    """'AVX2, AVX-512 (F, CD, ...), AVX512-VNNI; no AVX-VNNI, no AMX', from the flags of
    /proc/cpuinfo (x86) or its Features (Arm); 'unknown' when it lists neither."""
    x86 = _field(cpuinfo, "flags")
    if x86 is not None:
        flags = set(x86.split())
        have, missing = [], []
        (have if "avx2" in flags else missing).append("AVX2")
        subsets = [name for flag, name in AVX512.items() if flag in flags]
        if subsets:
            have.append(f"AVX-512 ({', '.join(subsets)})")
        else:
            missing.append("AVX-512")
        (have if "avx512_vnni" in flags else missing).append("AVX512-VNNI")
        (have if "avx_vnni" in flags else missing).append("AVX-VNNI")
        tiles = [name for flag, name in AMX.items() if flag in flags]
        if tiles:
            have.append(f"AMX ({', '.join(tiles)})")
        else:
            missing.append("AMX")
        return "; ".join(part for part in (", ".join(have), ", ".join(f"no {m}" for m in missing)) if part)
    arm = _field(cpuinfo, "Features")
    if arm is not None:
        flags = set(arm.split())
        return ", ".join(name for flag, name in ARM.items() if flag in flags) or "none of NEON, DOTPROD, I8MM, SVE"
    return "unknown"


def cpu_model(cpuinfo: str) -> str:
    return (
        _field(cpuinfo, "model name", "Model", "Hardware")
        or platform.processor()
        or platform.machine()
        or "unknown CPU"
    )


def machine_line(cpuinfo: str, cores: int, memory_gib: float | None, python: str) -> str:
    """The report's 'Machine:' line (pure, for tests)."""
    memory = f"{memory_gib:.0f} GiB memory" if memory_gib else "memory unknown"
    return (
        f"Machine: {cpu_model(cpuinfo)}, {cores} cores; vector extensions: {vector_extensions(cpuinfo)}; "
        f"{memory}, no GPU; Python {python}."
    )


def read_cpuinfo() -> str:
    try:
        return Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what this process may run on (a container's share)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def memory_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (AttributeError, ValueError, OSError):
        return None


def machine() -> str:
    """This machine's 'Machine:' line."""
    return machine_line(read_cpuinfo(), usable_cores(), memory_gib(), platform.python_version())


if __name__ == "__main__":
    print(machine())
