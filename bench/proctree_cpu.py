#!/usr/bin/env python3
"""Runs a command and reports the CPU time of its whole process tree, split by program.

Usage: proctree_cpu.py OUT.json -- COMMAND...
The total comes from the kernel's accounting of reaped children (exact). The split is exact too, as far as
parents reap their children while the tree is watched: /proc is polled every 50 ms, and when a process is
gone, what its parent's "children" CPU (cutime + cstime) grew by since the last poll is that process's whole
CPU, including its own last moments that no poll saw. Only a process whose parent is gone as well falls back
to its last polled value. Whatever is left of the exact total is the root's own CPU.
"""
import json, os, resource, subprocess, sys, time

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    """(comm, ppid, own CPU s, reaped children's CPU s) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    comm = data[data.index("(") + 1:data.rindex(")")]
    fields = data[data.rindex(")") + 2:].split()
    own = (int(fields[11]) + int(fields[12])) / TICK
    children = (int(fields[13]) + int(fields[14])) / TICK
    return comm, int(fields[1]), own, children


def tree(root):
    """Every process of the tree under root, root included: pid -> stat()."""
    children, stats = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            s = stat(int(entry))
            if s:
                stats[int(entry)] = s
                children.setdefault(s[1], []).append(int(entry))
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            found[pid] = stats[pid]
            todo.extend(children.get(pid, []))
    return found


def category(comm):
    if comm.startswith("qemu-system") or comm in ("kvm",):
        return "qemu"
    if comm in ("ffmpeg", "videoencoder"):
        return "encoder"
    return "runner"


def settle(previous, current, own):
    """Records the exact own CPU of every process that was in previous and is not in current."""
    gone = [pid for pid in previous if pid not in current]
    by_parent = {}
    for pid in gone:
        by_parent.setdefault(previous[pid][1], []).append(pid)
    for parent, pids in by_parent.items():
        last_total = {pid: previous[pid][2] + previous[pid][3] for pid in pids}
        if parent in current and parent in previous:
            grown = current[parent][3] - previous[parent][3]
            seen = sum(last_total.values())
            # One child gone: its whole CPU is what the parent's account grew by. Several at once: the growth
            # beyond what was seen is shared in proportion to what was seen.
            for pid in pids:
                share = last_total[pid] / seen if seen > 0 else 1 / len(pids)
                total = max(last_total[pid], last_total[pid] + (grown - seen) * share)
                own[pid] = (previous[pid][0], max(0.0, total - previous[pid][3]))
        else:
            for pid in pids:
                own[pid] = (previous[pid][0], previous[pid][2])


def main():
    out, command = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.Popen(command)
    own = {}
    previous = {}
    while proc.poll() is None:
        current = tree(proc.pid)
        settle(previous, current, own)
        previous = current
        time.sleep(0.05)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # The root is gone now, with whatever was still below it: those fall back to their last polled values.
    for pid, s in previous.items():
        if pid != proc.pid and pid not in own:
            own[pid] = (s[0], s[2])
    split = {}
    for pid, (comm, cpu) in own.items():
        if pid != proc.pid:
            split[category(comm)] = split.get(category(comm), 0.0) + cpu
    root_comm = previous.get(proc.pid, ("runner",))[0]
    descendants = sum(split.values())
    split[category(root_comm)] = split.get(category(root_comm), 0.0) + max(0.0, total - descendants)
    result = {"exit": proc.returncode, "wall": wall, "total_cpu": total, **{f"{k}_cpu": v for k, v in split.items()}}
    with open(out, "w") as f:
        json.dump(result, f)
    print(json.dumps(result))
    sys.exit(proc.returncode)


main()
