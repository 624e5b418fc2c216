#!/usr/bin/env python3
"""Failure scenarios of a real 3-party run (separate sstat-party processes,
TLS 1.3 on loopback). Each scenario must end with every process stopped,
a non-zero exit status, a message naming the cause (and the peer), and no
result file.

usage: failures.py SSTATC SSTAT_PARTY SSTAT_RUN DATASETS_DIR WORKDIR SCENARIO

SCENARIO is one of:
  wrong-hash     party c runs a different program
  unknown-cert   party c presents a certificate from another CA
  approved       party a accepts only a list of program hashes without this one
  killed         party b is killed (SIGKILL) in the middle of the computation
  bad-csv        party c's CSV breaks the schema (sstat-run --local)

Prints one line per process: NAME exit=CODE: first line of its error.
"""
import os
import signal
import socket
import subprocess
import sys
import time

PROG = """d <- input_table(parties = c("a", "b", "c"),
                 columns = list(x = num(-1000, 1000), y = num(-1000, 1000)))
publish(c(mean = mean(d$x), sd = sd(d$y), cor = cor(d$x, d$y)), to = "a")
"""
# The same, publishing one more value: a different program hash.
PROG2 = PROG + 'publish(sum(d$x), to = "a")\n'
# Enough secret comparisons to keep the parties busy for a while.
SLOW = """d <- input_table(parties = c("a", "b", "c"),
                 columns = list(x = num(-1000, 1000), y = num(-1000, 1000)))
s <- 0
for (i in 1:400) {
  s <- s + sum(d$x > i - 200)
}
publish(s, to = "a")
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def write_csvs(work, rows):
    paths = {}
    for k, name in enumerate("abc"):
        path = os.path.join(work, name + ".csv")
        with open(path, "w") as f:
            f.write("x,y\n")
            for i in range(rows):
                v = (i * 37 + k * 11) % 1000 - 500
                f.write("%d.5,%d.25\n" % (v, (v * 7) % 900 - 450))
        paths[name] = path
    return paths


def config(work, name, ports, pki, csv, extra=None):
    import json
    c = {
        "party": name,
        "session": "failures-test",
        "compute": [{"name": n, "host": "127.0.0.1", "port": ports[i]}
                    for i, n in enumerate("abc")],
        "tls": {"cert": os.path.join(pki, name + ".pem"),
                "key": os.path.join(pki, name + ".key"),
                "ca": os.path.join(work, "pki", "ca.pem")},
        "inputs": {"d": csv},
        "timeouts": {"connect_s": 10, "recv_s": 10},
        "output": os.path.join(work, name + ".result.json"),
    }
    if extra:
        c.update(extra)
    path = os.path.join(work, name + ".json")
    json.dump(c, open(path, "w"), indent=2)
    return path


def compile_(sstatc, work, text, name):
    src = os.path.join(work, name + ".sstat")
    open(src, "w").write(text)
    sbc = os.path.join(work, name + ".sbc")
    subprocess.run([sstatc, "compile", src, "-o", sbc], check=True,
                   capture_output=True)
    return sbc


def main():
    sstatc, party, run, data, work, scenario = sys.argv[1:7]
    os.makedirs(work, exist_ok=True)
    for f in os.listdir(work):
        if f.endswith(".result.json"):
            os.remove(os.path.join(work, f))
    pki = os.path.join(work, "pki")
    if not os.path.exists(os.path.join(pki, "ca.pem")):
        subprocess.run([party, "--make-test-pki", pki, "a", "b", "c"], check=True)
    other = os.path.join(work, "other-pki")
    if not os.path.exists(os.path.join(other, "ca.pem")):
        subprocess.run([party, "--make-test-pki", other, "c"], check=True)

    if scenario == "bad-csv":
        csvs = write_csvs(work, 20)
        with open(csvs["c"], "a") as f:
            f.write("2000,1\n")  # x above its declared range
        src = os.path.join(work, "prog.sstat")
        open(src, "w").write(PROG)
        out = os.path.join(work, "local.result.json")
        r = subprocess.run([run, src, "--local", "--json", out] +
                           sum([["--input", "%s=%s" % (n, csvs[n])] for n in "abc"], []),
                           capture_output=True, text=True, timeout=120)
        print("sstat-run exit=%d" % r.returncode)
        print(r.stderr.strip())
        print("result file: %s" % ("present" if os.path.exists(out) else "absent"))
        return 0

    rows = 20000 if scenario == "killed" else 20
    csvs = write_csvs(work, rows)
    text = SLOW if scenario == "killed" else PROG
    sbc = compile_(sstatc, work, text, "prog")
    progs = {n: sbc for n in "abc"}
    pkis = {n: pki for n in "abc"}
    extra = {n: None for n in "abc"}
    if scenario == "wrong-hash":
        progs["c"] = compile_(sstatc, work, PROG2, "prog2")
    elif scenario == "unknown-cert":
        pkis["c"] = other
    elif scenario == "approved":
        extra["a"] = {"approved_programs": ["0" * 64]}
    elif scenario != "killed":
        print("unknown scenario " + scenario)
        return 2
    ports = [free_port() for _ in range(3)]
    procs = {}
    for n in "abc":
        cfg = config(work, n, ports, pkis[n], csvs[n], extra[n])
        procs[n] = subprocess.Popen([party, "--config", cfg, progs[n], "--quiet"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
    start = time.time()
    if scenario == "killed":
        time.sleep(1.5)
        if procs["b"].poll() is not None:
            print("party b finished before it could be killed")
            return 1
        procs["b"].send_signal(signal.SIGKILL)
    results = {}
    for n in "abc":
        try:
            out, err = procs[n].communicate(timeout=60)
        except subprocess.TimeoutExpired:
            procs[n].kill()
            out, err = procs[n].communicate()
            err = "HUNG " + err
        results[n] = (procs[n].returncode, err.strip().splitlines())
    elapsed = time.time() - start
    for n in "abc":
        code, lines = results[n]
        print("%s exit=%d: %s" % (n, code, lines[0] if lines else ""))
    leftovers = [f for f in os.listdir(work) if f.endswith(".result.json")]
    print("result files: %s" % (", ".join(leftovers) if leftovers else "none"))
    print("all stopped within %s" % ("10 s" if elapsed < 10 else "%.0f s" % elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
