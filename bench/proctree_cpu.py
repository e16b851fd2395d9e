#!/usr/bin/env python3
"""Runs a command and reports the CPU time of its whole process tree, split by program.

Usage: proctree_cpu.py OUT.json -- COMMAND...
The total comes from the kernel's accounting of reaped children (exact). The split polls /proc every
50 ms and keeps each descendant's last utime+stime, so a process loses at most its last 50 ms of CPU.
"""
import json, os, resource, subprocess, sys, time

TICK = os.sysconf("SC_CLK_TCK")

def stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    comm = data[data.index("(") + 1:data.rindex(")")]
    fields = data[data.rindex(")") + 2:].split()
    return comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK  # comm, ppid, cpu seconds

def descendants(root):
    children, names = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            s = stat(int(entry))
            if s:
                children.setdefault(s[1], []).append(int(entry))
                names[int(entry)] = s
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            found[child] = names[child]
            todo.append(child)
    return found

def category(comm):
    if comm.startswith("qemu-system") or comm in ("kvm",):
        return "qemu"
    if comm in ("ffmpeg", "videoencoder"):
        return "encoder"
    return "runner"

def main():
    out, command = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.Popen(command)
    last = {}
    while proc.poll() is None:
        for pid, (comm, _, cpu) in descendants(proc.pid).items():
            last[pid] = (comm, cpu)
        s = stat(proc.pid)
        if s:
            last[proc.pid] = (s[0], s[2])
        time.sleep(0.05)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    split = {}
    for comm, cpu in last.values():
        split[category(comm)] = split.get(category(comm), 0.0) + cpu
    # What polling missed at the very end belongs to the runner side (the root exits last).
    split["runner"] = max(0.0, total - split.get("qemu", 0.0) - split.get("encoder", 0.0))
    result = {"exit": proc.returncode, "wall": wall, "total_cpu": total, **{f"{k}_cpu": v for k, v in split.items()}}
    with open(out, "w") as f:
        json.dump(result, f)
    print(json.dumps(result))
    sys.exit(proc.returncode)

main()
