"""The benchmark report's 'Machine:' line (bench/machine.py), from sample /proc/cpuinfo text."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "bench_machine", Path(__file__).resolve().parents[1] / "bench" / "machine.py"
)
assert _spec and _spec.loader
machine = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(machine)

SAPPHIRE_RAPIDS = """\
processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8480+
flags\t\t: fpu vme sse sse2 ssse3 sse4_1 sse4_2 avx f16c fma avx2 avx512f avx512dq avx512ifma avx512cd \
avx512bw avx512vl avx_vnni avx512_bf16 avx512vbmi avx512_vbmi2 avx512_vnni avx512_bitalg avx512_vpopcntdq \
avx512_fp16 amx_bf16 amx_tile amx_int8

processor\t: 1
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8480+
flags\t\t: fpu avx2
"""

EPYC = """\
processor\t: 0
model name\t: AMD EPYC 7763 64-Core Processor
flags\t\t: fpu sse sse2 avx f16c fma avx2 bmi2
"""

GRAVITON = """\
processor\t: 0
BogoMIPS\t: 243.75
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm asimddp sve i8mm
CPU implementer\t: 0x41
"""


def test_machine_line_names_model_cores_and_vector_extensions():
    assert machine.machine_line(SAPPHIRE_RAPIDS, 2, 16.2, "3.11.7") == (
        "Machine: Intel(R) Xeon(R) Platinum 8480+, 2 cores; vector extensions: AVX2, "
        "AVX-512 (F, CD, BW, DQ, VL, IFMA, VBMI, VBMI2, BITALG, VPOPCNTDQ, BF16, FP16), AVX512-VNNI, AVX-VNNI, "
        "AMX (TILE, INT8, BF16); 16 GiB memory, no GPU; Python 3.11.7."
    )
    assert machine.machine_line(EPYC, 8, 31.9, "3.12.1") == (
        "Machine: AMD EPYC 7763 64-Core Processor, 8 cores; vector extensions: AVX2; "
        "no AVX-512, no AVX512-VNNI, no AVX-VNNI, no AMX; 32 GiB memory, no GPU; Python 3.12.1."
    )


def test_machine_line_elsewhere_arm_and_no_cpuinfo():
    arm = machine.machine_line(GRAVITON, 4, None, "3.11.7")
    assert arm.endswith(
        ", 4 cores; vector extensions: NEON, DOTPROD, I8MM, SVE; memory unknown, no GPU; Python 3.11.7."
    )
    unknown = machine.machine_line("", 1, 8, "3.11.7")
    assert unknown.startswith("Machine: ") and "vector extensions: unknown; 8 GiB memory" in unknown
    assert machine.machine().startswith("Machine: ")  # this machine, whatever it has
