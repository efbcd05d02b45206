#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/report.py: turn bench/guest.sh's measurements into results.

Usage: report.py RAW.jsonl PREFIX MODE META_JSON
Writes PREFIX.json (every measurement, the aggregates, the metadata),
PREFIX.md (the tables) and PREFIX-*.png (gnuplot), and prints the tables.

In icount mode one guest instruction is 8 ns of guest time and the one
vCPU never idles during a flood, so instructions per packet is
1e9 / (8 * pps): a pps ratio is the inverse ratio of the whole loop's
instructions (generator, veths, switch, sink).
"""

import json
import os
import statistics
import subprocess
import sys

NS_PER_INSN = 8
ORDER = ["direct", "mirred", "kbridge", "linuxbr", "ovs",
         "kbridge-vlan", "linuxbr-vlan"]
# kbridge against each of these, like for like
RATIO_TO = {"kbridge": ["mirred", "linuxbr", "ovs"],
            "kbridge-vlan": ["linuxbr-vlan"]}


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def aggregate(rows):
    groups = {}
    for r in rows:
        key = (r["test"], r["contender"], r["size"], r["ports"])
        groups.setdefault(key, []).append(r)
    out = []
    for (test, c, size, ports), rs in groups.items():
        ok = [r for r in rs if "error" not in r and r["seconds"] > 0]
        agg = {"test": test, "contender": c, "size": size, "ports": ports,
               "rounds": len(ok)}
        if not ok:
            agg["error"] = rs[0].get("error", "no measurement")
            out.append(agg)
            continue
        pps = [r["delivered"] / r["seconds"] for r in ok]
        offered = [r["offered"] / r["seconds"] for r in ok]
        agg.update({
            "pps": statistics.median(pps),
            "pps_min": min(pps),
            "pps_max": max(pps),
            "offered_pps": statistics.median(offered),
            "softnet_drops": sum(r["softnet_drops"] for r in ok),
        })
        out.append(agg)
    return out


def fmt(x):
    return f"{x:,.0f}".replace(",", " ")


def pps_tables(aggs, mode):
    lines = []
    sizes = sorted({a["size"] for a in aggs if a["test"] == "pps"})
    for size in sizes:
        by = {a["contender"]: a for a in aggs
              if a["test"] == "pps" and a["size"] == size}
        cols = [c for c in ORDER if c in by]
        lines.append(f"### {size + 4} B frames (pkt_size {size}), "
                     f"delivered packets per second of "
                     f"{'guest' if mode == 'icount' else 'wall-clock'} time")
        lines.append("")
        lines.append("| | " + " | ".join(cols) + " |")
        lines.append("|---|" + "---:|" * len(cols))

        def row(name, f):
            cells = []
            for c in cols:
                a = by[c]
                cells.append("error: " + a["error"] if "error" in a
                             else f(a))
            lines.append(f"| {name} | " + " | ".join(cells) + " |")

        row("pps (median)", lambda a: fmt(a["pps"]))
        row("min – max", lambda a: f"{fmt(a['pps_min'])} – "
            f"{fmt(a['pps_max'])}")
        row("offered pps", lambda a: fmt(a["offered_pps"]))
        row("softnet drops", lambda a: str(a["softnet_drops"]))
        if mode == "icount":
            def insn(a):
                return 1e9 / (NS_PER_INSN * a["pps"])
            row("instructions/packet", lambda a: fmt(insn(a)))
            if "mirred" in by and "error" not in by["mirred"]:
                base = insn(by["mirred"])
                row("over mirred", lambda a: f"{insn(a) - base:+,.0f}"
                    .replace(",", " "))
        lines.append("")
        ratios = []
        for k, others in RATIO_TO.items():
            if k not in by or "error" in by[k]:
                continue
            for o in others:
                if o in by and "error" not in by[o]:
                    ratios.append(f"{k}/{o} = "
                                  f"{by[k]['pps'] / by[o]['pps']:.3f}")
        if ratios:
            lines.append("Ratios of pps: " + ", ".join(ratios) + ".")
            lines.append("")
    return lines


def flood_table(aggs):
    fl = [a for a in aggs if a["test"] == "flood"]
    if not fl:
        return []
    cols = [c for c in ORDER if any(a["contender"] == c for a in fl)]
    ports = sorted({a["ports"] for a in fl})
    lines = ["### Unknown-unicast flood: copies delivered per second "
             "(64 B, one sender, the other ports each get a copy)", "",
             "| ports | " + " | ".join(cols) + " |",
             "|---:|" + "---:|" * len(cols)]
    for n in ports:
        cells = []
        for c in cols:
            a = [x for x in fl if x["contender"] == c and x["ports"] == n]
            if not a:
                cells.append("")
            elif "error" in a[0]:
                cells.append("error")
            else:
                a = a[0]
                cell = fmt(a["pps"])
                # rounds that disagree: show the spread, not just the median
                if a["pps_max"] > 1.05 * a["pps_min"]:
                    cell += (f" ({fmt(a['pps_min'])} – {fmt(a['pps_max'])}"
                             f", {a['softnet_drops']} softnet drops)")
                cells.append(cell)
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def plots(aggs, prefix, mode):
    made = []
    pps = [a for a in aggs if a["test"] == "pps" and "error" not in a
           and a["size"] == 60]
    if pps:
        dat = prefix + "-pps.dat"
        with open(dat, "w") as f:
            for c in ORDER:
                for a in pps:
                    if a["contender"] == c:
                        f.write(f'"{c}" {a["pps"]:.1f} {a["pps_min"]:.1f} '
                                f'{a["pps_max"]:.1f}\n')
        png = prefix + "-pps.png"
        script = f"""
set terminal png size 900,500
set output '{png}'
set title '64 B frames through each contender ({mode})'
set ylabel 'delivered packets/s'
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
set xtics rotate by -30
unset key
plot '{dat}' using 0:2:xtic(1) with boxes, \\
     '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0
"""
        if run_gnuplot(script):
            made.append(png)
        os.unlink(dat)
    fl = [a for a in aggs if a["test"] == "flood" and "error" not in a]
    if fl:
        dat = prefix + "-flood.dat"
        cs = [c for c in ORDER if any(a["contender"] == c for a in fl)]
        with open(dat, "w") as f:
            for c in cs:
                f.write(f'# {c}\n')
                for a in sorted((a for a in fl if a["contender"] == c),
                                key=lambda a: a["ports"]):
                    f.write(f'{a["ports"]} {a["pps"]:.1f}\n')
                f.write("\n\n")
        png = prefix + "-flood.png"
        plot = ", ".join(f"'{dat}' index {i} using 1:2 with linespoints "
                         f"title '{c}'" for i, c in enumerate(cs))
        script = f"""
set terminal png size 900,500
set output '{png}'
set title 'Unknown-unicast flood: copies delivered per second ({mode})'
set xlabel 'ports on the switch'
set ylabel 'copies/s'
set logscale x 2
set yrange [0:*]
plot {plot}
"""
        if run_gnuplot(script):
            made.append(png)
        os.unlink(dat)
    return made


def run_gnuplot(script):
    try:
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
        return True
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"report: gnuplot failed: {e}", file=sys.stderr)
        return False


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    raw, prefix, mode, meta_path = sys.argv[1:]
    with open(meta_path) as f:
        meta = json.load(f)
    rows = load(raw)
    aggs = aggregate(rows)
    md = [f"## {meta.get('date', '')} — {mode}", ""]
    md += [f"kbridge {meta.get('commit', '?')}, guest kernel "
           f"{meta.get('kernel', '?')}, {meta.get('seconds', '?')} s per "
           f"measurement, {meta.get('rounds', '?')} rounds (median).", ""]
    md += pps_tables(aggs, mode)
    md += flood_table(aggs)
    made = plots(aggs, prefix, mode)
    for png in made:
        md.append(f"![{os.path.basename(png)}]({os.path.basename(png)})")
    md.append("")
    with open(prefix + ".json", "w") as f:
        json.dump({"meta": meta, "mode": mode, "results": aggs,
                   "measurements": rows}, f, indent=1)
        f.write("\n")
    with open(prefix + ".md", "w") as f:
        f.write("\n".join(md))
    print("\n".join(md))
    errors = [a for a in aggs if "error" in a]
    return 1 if errors and len(errors) == len(aggs) else 0


if __name__ == "__main__":
    sys.exit(main())
