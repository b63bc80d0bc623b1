#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark boots' console logs into bench.csv, bench.md and bench.png.

    bench-report.py OUT_DIR ICOUNT_DIR BASELINE_DIR WALL_DIR
    bench-report.py --exit-costs RESULTS_DIR

ICOUNT_DIR: the patched kernel under -icount shift=0 (suite bench); BASELINE_DIR: the same
guest on the kernel built without the series, also under icount (suite bench-baseline);
WALL_DIR: the patched kernel in plain TCG, wall clock (suite bench-wall). Under icount
shift=0 one nanosecond of the emulated machine is one executed instruction, so the icount
run's figures are instruction counts; the wall run's are nanoseconds of an emulator.
Fails if any benchmark did not report PASS.

--exit-costs: the demo's short run (one boot, wall clock, tests/suites/demo.sh): one exit
answered by a BPF policy, by KVM in the kernel and by the VMM, as a table on stdout and the
chart RESULTS_DIR/exit-costs.svg.
"""
import csv
import os
import re
import subprocess
import sys

# Paths a policy could see, measured without one: patched (no policy) vs no series.
NO_POLICY_IDS = (15, 11, 12, 13, 14)
# The demo's comparison, by path: (loop id, who answers) for BPF, the kernel, the VMM
# (the loop ids of tests/vmm/bench.c).
EXIT_COSTS = (("mmio read", ((8, "BPF policy"), (6, "KVM: in-kernel vGIC"),
                             (7, "VMM: KVM_EXIT_MMIO"))),
              ("hypercall", ((5, "BPF policy"), (0, "KVM: SMCCC_VERSION"),
                             (3, "VMM: KVM_EXIT_HYPERCALL"))))
ICOUNT_UNITS = {"ns/exit": "instructions/exit", "ns/call": "instructions/call",
                "us": "thousand instructions"}


def fail(msg):
    print("bench-report: " + msg, file=sys.stderr)
    sys.exit(1)


def read_run(results, name):
    """The benchmark lines of one boot: loops by id, ops by key, ratios, counter Hz."""
    log = os.path.join(results, "console.log")
    if not os.path.exists(log):
        fail(f"{log} missing: did the {name} boot run?")
    for res in sorted(os.listdir(results)):
        if res.endswith(".result"):
            with open(os.path.join(results, res)) as f:
                verdict = f.read().strip()
            if not verdict.startswith("PASS"):
                fail(f"{name}: {res[:-7]}: {verdict}")
    run = {"loops": {}, "ops": {}, "ratios": [], "hz": None}
    with open(log, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if m := re.match(r"bench-counter-hz: (\d+)$", line):
                run["hz"] = int(m.group(1))
            elif m := re.match(r"bench: (\d+),([\d.]+),([\d.]+),([\d.]+),(.*)$", line):
                run["loops"][int(m.group(1))] = (float(m.group(2)), float(m.group(3)),
                                                 float(m.group(4)), m.group(5))
            elif m := re.match(r"bench-op: ([^,]+),([\d.]+),([\d.]+),([\d.]+),([^,]+),(.*)$",
                               line):
                run["ops"][m.group(1)] = (float(m.group(2)), float(m.group(3)),
                                          float(m.group(4)), m.group(5), m.group(6))
            elif m := re.match(r"bench-ratio: (.*): ([\d.]+) \((.*)\)$", line):
                run["ratios"].append((m.group(1), float(m.group(2)), m.group(3)))
    if not run["loops"] or not run["hz"]:
        fail(f"{name}: no results in {log}")
    return run


def loops_in(run):
    """Loop figures in @unit: counter ticks converted by the counter's frequency."""
    scale = 1e9 / run["hz"]
    return {i: (a * scale, b * scale, c * scale, d) for i, (a, b, c, d) in run["loops"].items()}


def spread(median, lo, hi):
    return f"{median:.0f} ({lo:.0f}-{hi:.0f})"


def main():
    out, icount_dir, base_dir, wall_dir = sys.argv[1:5]
    icount = read_run(icount_dir, "icount")
    base = read_run(base_dir, "baseline")
    wall = read_run(wall_dir, "wall")
    if icount["hz"] != 10**9:
        fail(f"icount run: counter at {icount['hz']} Hz, not 1 GHz: ticks are not instructions")

    loops = {"icount": loops_in(icount), "baseline": loops_in(base),
             "wall": loops_in(wall)}
    rows = []
    for run, unit in (("icount", "instructions/exit"), ("baseline", "instructions/exit"),
                      ("wall", "ns/exit")):
        for i, (med, lo, hi, what) in sorted(loops[run].items()):
            rows.append((run, f"loop-{i}", med, lo, hi, unit, what))
    for run, data in (("icount", icount), ("wall", wall)):
        for key, (med, lo, hi, unit, what) in data["ops"].items():
            if run == "icount":
                unit = ICOUNT_UNITS.get(unit, unit)
            rows.append((run, key, med, lo, hi, unit, what))
    with open(os.path.join(out, "bench.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["run", "metric", "median", "min", "max", "unit", "description"])
        for r in rows:
            w.writerow([r[0], r[1], f"{r[2]:.1f}", f"{r[3]:.1f}", f"{r[4]:.1f}", r[5], r[6]])

    md = []
    md.append("Two boots of the patched kernel and one of the same config without the series. "
              "**icount**: QEMU `-icount shift=0`, one instruction per nanosecond of the "
              "emulated machine, so figures are instructions executed (guest, host kernel "
              "and VMM), repeatable, not cycles. **wall**: plain TCG, nanoseconds of an "
              "emulator on a shared 2-core x86 machine: noisy, and not hardware timing. "
              "Loops: median (min-max) over the rounds, each round 256 exits "
              "(`kvmexit-testvmm bench`, guest-timed).\n")
    md.append("| path | icount: instructions/exit | wall: ns/exit |")
    md.append("|---|---:|---:|")
    for i, (med, lo, hi, what) in sorted(loops["icount"].items()):
        wm, wl, wh, _ = loops["wall"][i]
        md.append(f"| {what} | {spread(med, lo, hi)} | {spread(wm, wl, wh)} |")
    md.append("\n| ratio (of medians) | icount | wall | |")
    md.append("|---|---:|---:|---|")
    wall_ratios = {name: value for name, value, _ in wall["ratios"]}
    for name, value, target in icount["ratios"]:
        md.append(f"| {name} | {value:.3f} | {wall_ratios.get(name, float('nan')):.3f} "
                  f"| {target} |")
    for i in NO_POLICY_IDS:
        p, b = loops["icount"][i][0], loops["baseline"][i][0]
        md.append(f"| {loops['icount'][i][3]}: series without policy / without series "
                  f"| {p / b:.4f} | | target < 1.01 |")
    md.append("\n| measure | icount | wall | what |")
    md.append("|---|---:|---:|---|")
    for key, (med, lo, hi, unit, what) in icount["ops"].items():
        w_fig = ""
        if key in wall["ops"]:
            wm, wl, wh, wunit, _ = wall["ops"][key]
            w_fig = f"{spread(wm, wl, wh) if wl != wh else f'{wm:.1f}'} {wunit}"
        i_fig = spread(med, lo, hi) if lo != hi else f"{med:.1f}"
        md.append(f"| {key} | {i_fig} {ICOUNT_UNITS.get(unit, unit)} | {w_fig} | {what} |")
    md.append("\n| vCPUs exiting at once (wall only; emulated host -smp 4 on 2 cores) | exits/s, median (min-max) of 5 |")
    md.append("|---|---:|")
    for key, (med, lo, hi, unit, what) in wall["ops"].items():
        if key.startswith("vcpus-"):
            md.append(f"| {what} | {spread(med, lo, hi)} |")
    with open(os.path.join(out, "bench.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))
    chart(out, loops["icount"], wall["ops"])


def chart(out, loops, wall_ops):
    """bench.png: instructions per exit by path (icount), and vCPU scaling (wall)."""
    data = os.path.join(out, "bench-loops.dat")
    with open(data, "w") as f:
        for n, (i, (med, lo, hi, what)) in enumerate(sorted(loops.items(),
                                                            key=lambda kv: kv[1][0])):
            f.write(f'{n} {med:.1f} {lo:.1f} {hi:.1f} "{what}"\n')
    scale = os.path.join(out, "bench-vcpus.dat")
    with open(scale, "w") as f:
        for n in (1, 2, 4):
            figs = [wall_ops.get(f"vcpus-{n}-{p}", (0,))[0]
                    for p in ("hvc-bpf-deny", "mmio-bpf-read", "mmio-vmm-read")]
            f.write(f"{n} " + " ".join(f"{x:.0f}" for x in figs) + "\n")
    script = f"""
set terminal pngcairo noenhanced size 1600,900 font ",10"
set output "{os.path.join(out, 'bench.png')}"
set multiplot title "kvmexit: what an exit costs (QEMU TCG; icount figures are instructions, not cycles)"
set size 0.66,0.95
set origin 0,0
set lmargin 58
set title "instructions per exit: median, and min-max over the rounds (-icount shift=0)"
set style fill solid 0.6
set yrange [-1:{len(loops)}]
set ytics font ",9"
set xtics 1000
set xlabel "instructions per exit"
set grid xtics
unset key
plot "{data}" using ($2/2):1:($2/2):(0.35):ytic(5) with boxxyerror lc rgb "#4477aa", \\
     "" using 2:1:3:4 with xerrorbars pt 7 ps 0.8 lc rgb "black"
set size 0.34,0.95
set origin 0.66,0
set lmargin 10
set title "vCPUs of one VM exiting at once (wall clock, TCG)"
set xlabel "vCPUs"
set ylabel "exits per second (all vCPUs)"
set xrange [0.5:4.5]
set yrange [0:*]
set xtics (1, 2, 4)
set key top left
set ytics font ",10" autofreq
plot "{scale}" using 1:2 with linespoints title "hvc denied by BPF", \\
     "" using 1:3 with linespoints title "mmio read by BPF", \\
     "" using 1:4 with linespoints title "mmio read by the VMM"
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print(f"bench-report: chart {os.path.join(out, 'bench.png')}")


def exit_costs(results):
    """The demo's table and exit-costs.svg: BPF vs the kernel vs the VMM, wall clock."""
    loops = loops_in(read_run(results, "demo"))
    data = os.path.join(results, "exit-costs.dat")
    with open(data, "w") as f:
        row = 0
        for path, answers in EXIT_COSTS:
            bpf = loops[answers[0][0]][0]
            for i, who in answers:
                med, lo, hi = (ns / 1000 for ns in loops[i][:3])
                print(f"exit-cost: {path}, {who}: {med:.1f} us ({lo:.1f}-{hi:.1f}),"
                      f" {med * 1000 / bpf:.2f} x BPF")
                f.write(f'{row} {med:.2f} {lo:.2f} {hi:.2f} "{path}: {who}"\n')
                row += 1
            row += 1	# a gap between the paths
    svg = os.path.join(results, "exit-costs.svg")
    script = f"""
set terminal svg noenhanced size 960,420 font "sans,13"
set output "{svg}"
set title "kvmexit: one exit, by who answers it (median, and min-max of 7 rounds)"
set style fill solid 0.6
set yrange [{row - 1}:-1]
set xrange [0:*]
set xlabel "microseconds per exit: wall clock of the emulated arm64 host (QEMU TCG), not hardware"
set grid xtics
set lmargin 34
set rmargin 4
unset key
plot "{data}" using ($2/2):1:($2/2):(0.35):ytic(5) with boxxyerror lc rgb "#4477aa" \\
	title "median", \\
     "" using 2:1:3:4 with xerrorbars pt 7 ps 0.6 lc rgb "black" title "min-max"
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print(f"bench-report: chart {svg}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--exit-costs"]:
        exit_costs(sys.argv[2])
    else:
        main()
