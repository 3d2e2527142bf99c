#!/usr/bin/env python3
"""Generates the MIR programs of `spl-exec bench` (benchmarks/programs/*.json).

    python3 gen.py            # write every NAME.json
    python3 gen.py --check    # exit 1 if a checked-in NAME.json differs

Every program is `main(n: I64) -> I64`: n is the problem size (programs.txt
gives the full and the --quick size), main prints one line and returns 0.
The JSON is in the exact shape the Simple compiler's serializer writes
(tests/corpus/compiler/mirgen.py builds it): runtime helpers are called with
`"params": []` callee types, the compiler's Unit temp follows each Unit call,
structs are Aggregate/GetField/SetField, exceptions CallTerminator/Throw.

Each NAME.c (and NAME.lua where there is one) is the same algorithm written
by hand the same way; `spl-exec bench` checks that every runner prints the
same line before it times anything.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "corpus", "compiler"))

from mirgen import (I64, U8, F64, BOOL, UNIT, STR, Ptr, FnPtr, Arr,  # noqa: E402
                    StructT, Module, k, ki, ks)

TAG_I64 = 100000 + 64 * 2 + 1


def kf(x):
    return k(float(x), F64)


def gep(f, base, index, elem):
    d = f.temp(Ptr(elem, True))
    f.E({"GetElementPtr": {"dest": d, "base": {"Copy": base}, "indices": [
        index if isinstance(index, dict) else {"Copy": index}]}})
    return d


def load_at(f, base, index, elem):
    return f.load(gep(f, base, index, elem), elem)


def store_at(f, base, index, elem, value):
    f.store(gep(f, base, index, elem), value)


def set_(f, var, value):
    """var = value (a local or an operand)."""
    if isinstance(value, dict):
        t = f.locals[var]["type"]
        f.E({"Const": {"dest": var, "value": value["Const"]["value"], "type": t}})
    else:
        f.copy(var, value)


def println_i64(f, v):
    """The builtin rt_println_i64 (the numeric programs print through it)."""
    f.call_op(k("rt_println_i64", FnPtr([I64], UNIT)), [v], UNIT)


def alloc(f, nbytes, elem):
    return f.call_op(k("rt_alloc", FnPtr([I64], Ptr(U8, True))), [nbytes], Ptr(elem, True))


def if_then(f, cond, then_body, label="if"):
    t = f.block(label + "_then")
    merge = f.block(label + "_merge")
    f.if_(cond, t, merge)
    f.at(t)
    then_body()
    f.goto(merge)
    f.at(merge)


def if_else(f, cond, then_body, else_body, label="if"):
    t = f.block(label + "_then")
    e = f.block(label + "_else")
    merge = f.block(label + "_merge")
    f.if_(cond, t, e)
    f.at(t)
    then_body()
    f.goto(merge)
    f.at(e)
    else_body()
    f.goto(merge)
    f.at(merge)


def loop_from(f, start, count, body, label="for"):
    """for i in start..count: body(i)."""
    i = f.var("i", I64)
    set_(f, i, start)
    cond = f.block(label + "_cond")
    bod = f.block(label + "_body")
    inc = f.block(label + "_inc")
    ex = f.block(label + "_exit")
    f.goto(cond)
    f.at(cond)
    f.if_(f.cmp("Lt", i, count), bod, ex)
    f.at(bod)
    body(i)
    f.goto(inc)
    f.at(inc)
    f.copy(i, f.bin("Add", i, ki(1)))
    f.goto(cond)
    f.at(ex)


def while_(f, cond_fn, body, label="while"):
    cond = f.block(label + "_cond")
    bod = f.block(label + "_body")
    ex = f.block(label + "_exit")
    f.goto(cond)
    f.at(cond)
    f.if_(cond_fn(), bod, ex)
    f.at(bod)
    body()
    f.goto(cond)
    f.at(ex)


def say_i64s(f, parts):
    """print "...{x}...": the compiler's interpolation (rt_raw_i64_to_string,
    rt_strcat_tagged, rt_interp_cstr, rt_println)."""
    f.say_parts(parts)


PROGRAMS = {}


def program(fn):
    PROGRAMS[fn.__name__] = fn
    return fn


# ---------------------------------------------------------------------------
# Numeric kernels (what a JIT must do as well as C)
# ---------------------------------------------------------------------------
@program
def fib():
    m = Module("fib")
    g = m.fn("fib", [("n", I64)], I64)
    base = g.block("base")
    rec = g.block("rec")
    g.if_(g.cmp("Lt", g.args[0], ki(2)), base, rec)
    g.at(base)
    g.ret_(g.args[0])
    g.at(rec)
    a = g.call(g, [g.bin("Sub", g.args[0], ki(1))])
    b = g.call(g, [g.bin("Sub", g.args[0], ki(2))])
    g.ret_(g.bin("Add", a, b))
    f = m.fn("main", [("n", I64)], I64)
    println_i64(f, f.call(g, [f.args[0]]))
    f.ret_(ki(0))
    return m


@program
def loop_int():
    m = Module("loop_int")
    f = m.fn("main", [("n", I64)], I64)
    s = f.var("sum", I64)
    set_(f, s, ki(0))
    f.loop(f.args[0], lambda i: f.copy(s, f.bin("Add", s, f.bin("Rem", f.bin("Mul", i, i), ki(7)))))
    println_i64(f, s)
    f.ret_(ki(0))
    return m


@program
def loop_f64():
    m = Module("loop_f64")
    f = m.fn("main", [("n", I64)], I64)
    s = f.var("sum", F64)
    sign = f.var("sign", F64)
    set_(f, s, kf(0))
    set_(f, sign, kf(1))

    def body(i):
        d = f.bin("Add", f.bin("Mul", f.cast(i, F64), kf(2), F64), kf(1), F64)
        f.copy(s, f.bin("Add", s, f.bin("Div", sign, d, F64), F64))
        f.copy(sign, f.un("Neg", sign, F64))
    f.loop(f.args[0], body)
    println_i64(f, f.cast(f.bin("Mul", s, kf(1e12), F64), I64))
    f.ret_(ki(0))
    return m


@program
def sieve():
    m = Module("sieve")
    f = m.fn("main", [("n", I64)], I64)
    n = f.args[0]
    comp = f.var("composite", Ptr(U8, True))
    f.copy(comp, alloc(f, n, U8))
    i = f.var("p", I64)
    set_(f, i, ki(2))

    def outer():
        def mark():
            j = f.var("j", I64)
            f.copy(j, f.bin("Mul", i, i))

            def inner():
                store_at(f, comp, j, U8, k(1, U8))
                f.copy(j, f.bin("Add", j, i))
            while_(f, lambda: f.cmp("Lt", j, n), inner, "mark")
        if_then(f, f.cmp("Eq", load_at(f, comp, i, U8), k(0, U8)), mark, "prime")
        f.copy(i, f.bin("Add", i, ki(1)))
    while_(f, lambda: f.cmp("Lt", f.bin("Mul", i, i), n), outer, "outer")
    count = f.var("count", I64)
    set_(f, count, ki(0))

    def tally(q):
        if_then(f, f.cmp("Eq", load_at(f, comp, q, U8), k(0, U8)),
                lambda: f.copy(count, f.bin("Add", count, ki(1))), "count")
    loop_from(f, ki(2), n, tally, "tally")
    println_i64(f, count)
    f.ret_(ki(0))
    return m


@program
def matmul():
    m = Module("matmul")
    f = m.fn("main", [("n", I64)], I64)
    n = f.args[0]
    nn = f.bin("Mul", n, n)
    bytes_ = f.bin("Mul", nn, ki(8))
    a = f.var("a", Ptr(F64, True))
    b = f.var("b", Ptr(F64, True))
    c = f.var("c", Ptr(F64, True))
    f.copy(a, alloc(f, bytes_, F64))
    f.copy(b, alloc(f, bytes_, F64))
    f.copy(c, alloc(f, bytes_, F64))

    def init_i(i):
        def init_j(j):
            ij = f.bin("Add", f.bin("Mul", i, n), j)
            av = f.bin("Sub", f.bin("Rem", f.bin("Add", i, j), ki(7)), ki(3))
            bv = f.bin("Sub", f.bin("Rem", f.bin("Mul", i, j), ki(5)), ki(2))
            store_at(f, a, ij, F64, f.cast(av, F64))
            store_at(f, b, ij, F64, f.cast(bv, F64))
        f.loop(n, init_j, "init_j")
    f.loop(n, init_i, "init_i")

    def row(i):
        def col(j):
            s = f.var("s", F64)
            set_(f, s, kf(0))

            def dot(kk):
                x = load_at(f, a, f.bin("Add", f.bin("Mul", i, n), kk), F64)
                y = load_at(f, b, f.bin("Add", f.bin("Mul", kk, n), j), F64)
                f.copy(s, f.bin("Add", s, f.bin("Mul", x, y, F64), F64))
            f.loop(n, dot, "dot")
            store_at(f, c, f.bin("Add", f.bin("Mul", i, n), j), F64, s)
        f.loop(n, col, "col")
    f.loop(n, row, "row")
    total = f.var("total", F64)
    set_(f, total, kf(0))

    def check(q):
        w = f.cast(f.bin("Add", f.bin("Rem", q, ki(13)), ki(1)), F64)
        f.copy(total, f.bin("Add", total, f.bin("Mul", load_at(f, c, q, F64), w, F64), F64))
    f.loop(nn, check, "check")
    println_i64(f, f.cast(total, I64))
    f.ret_(ki(0))
    return m


@program
def nbody():
    """The classic five-body simulation; bodies are 7 f64 words each
    (x y z vx vy vz mass) in one rt_alloc'd buffer."""
    PI = 3.141592653589793
    SOLAR = 4 * PI * PI
    DPY = 365.24
    bodies = [
        (0, 0, 0, 0, 0, 0, SOLAR),
        (4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03 * DPY, 7.69901118419740425e-03 * DPY, -6.90460016972063023e-05 * DPY,
         9.54791938424326609e-04 * SOLAR),
        (8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03 * DPY, 4.99852801234917238e-03 * DPY, 2.30417297573763929e-05 * DPY,
         2.85885980666130812e-04 * SOLAR),
        (1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03 * DPY, 2.37847173959480950e-03 * DPY, -2.96589568540237556e-05 * DPY,
         4.36624404335156298e-05 * SOLAR),
        (1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03 * DPY, 1.62824170038242295e-03 * DPY, -9.51592254519715870e-05 * DPY,
         5.15138902046611451e-05 * SOLAR),
    ]
    m = Module("nbody")
    f = m.fn("main", [("n", I64)], I64)
    bd = f.var("b", Ptr(F64, True))
    f.copy(bd, alloc(f, ki(8 * 7 * 5), F64))
    for bi, vals in enumerate(bodies):
        for fi, v in enumerate(vals):
            store_at(f, bd, ki(bi * 7 + fi), F64, kf(v))

    def fld(i, fi):
        """address of field fi of body i (i a local)."""
        return gep(f, bd, f.bin("Add", f.bin("Mul", i, ki(7)), ki(fi)), F64)

    def get(i, fi):
        return f.load(fld(i, fi), F64)

    # offset momentum: body 0's velocity = -sum(v * m) / SOLAR
    for axis in range(3):
        p = f.var("p", F64)
        set_(f, p, kf(0))

        def acc(i, axis=axis, p=p):
            f.copy(p, f.bin("Add", p, f.bin("Mul", get(i, 3 + axis), get(i, 6), F64), F64))
        f.loop(ki(5), acc, "momentum")
        store_at(f, bd, ki(3 + axis), F64, f.bin("Div", f.un("Neg", p, F64), kf(SOLAR), F64))

    def energy():
        e = f.var("e", F64)
        set_(f, e, kf(0))

        def outer(i):
            v2 = f.bin("Add", f.bin("Add", f.bin("Mul", get(i, 3), get(i, 3), F64),
                                    f.bin("Mul", get(i, 4), get(i, 4), F64), F64),
                       f.bin("Mul", get(i, 5), get(i, 5), F64), F64)
            f.copy(e, f.bin("Add", e, f.bin("Mul", f.bin("Mul", kf(0.5), get(i, 6), F64), v2, F64), F64))

            def inner(j):
                dx = f.bin("Sub", get(i, 0), get(j, 0), F64)
                dy = f.bin("Sub", get(i, 1), get(j, 1), F64)
                dz = f.bin("Sub", get(i, 2), get(j, 2), F64)
                d2 = f.bin("Add", f.bin("Add", f.bin("Mul", dx, dx, F64), f.bin("Mul", dy, dy, F64), F64),
                           f.bin("Mul", dz, dz, F64), F64)
                dist = f.intr("sqrt", [d2], F64)
                f.copy(e, f.bin("Sub", e, f.bin("Div", f.bin("Mul", get(i, 6), get(j, 6), F64), dist, F64), F64))
            loop_from(f, f.bin("Add", i, ki(1)), ki(5), inner, "epair")
        f.loop(ki(5), outer, "ebody")
        return e

    e0 = f.var("e0", F64)
    f.copy(e0, energy())

    def step(_s):
        def outer(i):
            def inner(j):
                dx = f.bin("Sub", get(i, 0), get(j, 0), F64)
                dy = f.bin("Sub", get(i, 1), get(j, 1), F64)
                dz = f.bin("Sub", get(i, 2), get(j, 2), F64)
                d2 = f.bin("Add", f.bin("Add", f.bin("Mul", dx, dx, F64), f.bin("Mul", dy, dy, F64), F64),
                           f.bin("Mul", dz, dz, F64), F64)
                dist = f.intr("sqrt", [d2], F64)
                mag = f.bin("Div", kf(0.01), f.bin("Mul", d2, dist, F64), F64)
                mi = f.bin("Mul", get(i, 6), mag, F64)
                mj = f.bin("Mul", get(j, 6), mag, F64)
                for axis, d in enumerate((dx, dy, dz)):
                    pi = fld(i, 3 + axis)
                    f.store(pi, f.bin("Sub", f.load(pi, F64), f.bin("Mul", d, mj, F64), F64))
                    pj = fld(j, 3 + axis)
                    f.store(pj, f.bin("Add", f.load(pj, F64), f.bin("Mul", d, mi, F64), F64))
            loop_from(f, f.bin("Add", i, ki(1)), ki(5), inner, "pair")
        f.loop(ki(5), outer, "body")

        def move(i):
            for axis in range(3):
                p = fld(i, axis)
                f.store(p, f.bin("Add", f.load(p, F64), f.bin("Mul", kf(0.01), get(i, 3 + axis), F64), F64))
        f.loop(ki(5), move, "move")
    f.loop(f.args[0], step, "step")
    e1 = energy()
    # -e * 1e9, positive, so truncation is the same everywhere
    println_i64(f, f.cast(f.bin("Mul", f.un("Neg", e0, F64), kf(1e9), F64), I64))
    println_i64(f, f.cast(f.bin("Mul", f.un("Neg", e1, F64), kf(1e9), F64), I64))
    f.ret_(ki(0))
    return m


@program
def mandelbrot():
    m = Module("mandelbrot")
    f = m.fn("main", [("n", I64)], I64)
    n = f.args[0]
    nf = f.var("nf", F64)
    f.copy(nf, f.cast(n, F64))
    inside = f.var("inside", I64)
    set_(f, inside, ki(0))

    def row(y):
        ci = f.var("ci", F64)
        f.copy(ci, f.bin("Sub", f.bin("Div", f.bin("Mul", kf(2), f.cast(y, F64), F64), nf, F64), kf(1), F64))

        def col(x):
            cr = f.bin("Sub", f.bin("Div", f.bin("Mul", kf(2), f.cast(x, F64), F64), nf, F64), kf(1.5), F64)
            zr = f.var("zr", F64)
            zi = f.var("zi", F64)
            it = f.var("it", I64)
            set_(f, zr, kf(0))
            set_(f, zi, kf(0))
            set_(f, it, ki(0))
            cond = f.block("iter_cond")
            test = f.block("iter_test")
            body = f.block("iter_body")
            escaped = f.block("iter_escaped")
            done = f.block("iter_done")
            f.goto(cond)
            f.at(cond)
            f.if_(f.cmp("Lt", it, ki(50)), test, done)
            f.at(test)
            zr2 = f.var("zr2", F64)
            zi2 = f.var("zi2", F64)
            f.copy(zr2, f.bin("Mul", zr, zr, F64))
            f.copy(zi2, f.bin("Mul", zi, zi, F64))
            f.if_(f.cmp("Gt", f.bin("Add", zr2, zi2, F64), kf(4)), escaped, body)
            f.at(body)
            f.copy(zi, f.bin("Add", f.bin("Mul", f.bin("Mul", kf(2), zr, F64), zi, F64), ci, F64))
            f.copy(zr, f.bin("Add", f.bin("Sub", zr2, zi2, F64), cr, F64))
            f.copy(it, f.bin("Add", it, ki(1)))
            f.goto(cond)
            f.at(done)
            f.copy(inside, f.bin("Add", inside, ki(1)))
            f.goto(escaped)
            f.at(escaped)
        f.loop(n, col, "col")
    f.loop(n, row, "row")
    println_i64(f, inside)
    f.ret_(ki(0))
    return m


@program
def state_machine():
    """A Switch over 8 states, the input a small LCG (exact in doubles, so
    the Lua twins agree): a lexer-shaped dispatch loop."""
    m = Module("state_machine")
    f = m.fn("main", [("n", I64)], I64)
    x = f.var("x", I64)
    st = f.var("state", I64)
    acc = f.var("acc", I64)
    set_(f, x, ki(1))
    set_(f, st, ki(0))
    set_(f, acc, ki(0))

    def body(_i):
        f.copy(x, f.bin("Rem", f.bin("Add", f.bin("Mul", x, ki(75)), ki(74)), ki(65537)))
        c = f.var("c", I64)
        f.copy(c, f.bin("Rem", x, ki(8)))
        arms = [f.block("state_%d" % s) for s in range(8)]
        merge = f.block("state_merge")
        f.switch(st, [(s, arms[s]) for s in range(8)], arms[7])
        # each arm: a little work on acc, then the next state from c
        work = [
            lambda: f.copy(acc, f.bin("Add", acc, c)),
            lambda: f.copy(acc, f.bin("Sub", acc, ki(1))),
            lambda: f.copy(acc, f.bin("Add", acc, f.bin("Mul", c, ki(3)))),
            lambda: f.copy(acc, f.bin("Rem", f.bin("Add", acc, ki(1000003)), ki(1000003))),
            lambda: f.copy(acc, f.bin("Add", acc, ki(7))),
            lambda: f.copy(acc, f.bin("Sub", acc, c)),
            lambda: f.copy(acc, f.bin("Add", acc, f.bin("Rem", x, ki(13)))),
            lambda: f.copy(acc, f.bin("Add", acc, ki(2))),
        ]
        nxt = [  # next = (c + s * k + j) % 8 for a per-state k, j
            (1, 1), (3, 2), (5, 3), (7, 4), (1, 5), (3, 6), (5, 7), (7, 0),
        ]
        for s in range(8):
            f.at(arms[s])
            work[s]()
            kk, j = nxt[s]
            f.copy(st, f.bin("Rem", f.bin("Add", f.bin("Mul", c, ki(kk)), ki(j)), ki(8)))
            f.goto(merge)
        f.at(merge)
    f.loop(f.args[0], body)
    println_i64(f, acc)
    f.ret_(ki(0))
    return m


@program
def sffi_call():
    """One SFFI call per iteration: rt_bench_mix from libspl_bench.so, found
    by the SFFI convention (rt_<lib>_* lives in libspl_<lib>.so)."""
    m = Module("sffi_call")
    f = m.fn("main", [("n", I64)], I64)
    acc = f.var("acc", I64)
    set_(f, acc, ki(0))

    def body(i):
        r = f.call_op(k("rt_bench_mix", FnPtr([I64, I64], I64)), [acc, i], I64)
        f.copy(acc, r)
    f.loop(f.args[0], body)
    println_i64(f, acc)
    f.ret_(ki(0))
    return m


@program
def torch_loop():
    """A small-op tensor loop: add two 16-element tensors, free the result."""
    m = Module("torch_loop")
    f = m.fn("main", [("n", I64)], I64)
    dims_t = Arr(I64, 1)
    dims = f.temp(Ptr(dims_t, True))
    f.E({"Alloc": {"dest": dims, "type": dims_t}})
    d0 = f.temp(Ptr(I64, True))
    f.E({"GetElementPtr": {"dest": d0, "base": {"Copy": dims}, "indices": [ki(0), ki(0)]}})
    f.store(d0, ki(16))
    tensor = FnPtr([Ptr(I64), I64], I64)
    a = f.call_op(k("rt_torch_tensor_ones", tensor), [d0, ki(1)], I64)
    b = f.call_op(k("rt_torch_tensor_ones", tensor), [d0, ki(1)], I64)
    count = f.var("count", I64)
    set_(f, count, ki(0))

    def body(_i):
        t = f.call_op(k("rt_torch_torchtensor_add", FnPtr([I64, I64], I64)), [a, b], I64)
        nel = f.call_op(k("rt_torch_torchtensor_numel", FnPtr([I64], I64)), [t], I64)
        f.copy(count, f.bin("Add", count, nel))
        f.call_op(k("rt_torch_torchtensor_free", FnPtr([I64], UNIT)), [t], UNIT)
    f.loop(f.args[0], body)
    println_i64(f, count)
    f.ret_(ki(0))
    return m


# ---------------------------------------------------------------------------
# Compiler-shaped programs: what real Simple code sends (MIR.md v2)
# ---------------------------------------------------------------------------
@program
def structs():
    """Particles as nested structs: Particle {pos: Vec, vel: Vec, mass},
    Vec {x, y} (Aggregate once at the start), then n steps of calls that
    read and write them through GetField/SetField (damped velocities,
    wrapped positions: every value stays small)."""
    m = Module("structs")
    VEC, PART = 50, 51
    V, P = StructT(VEC), StructT(PART)

    mk = m.fn("make_particle", [("x", I64), ("y", I64), ("m", I64)], P)
    pos = mk.agg({"Struct": VEC}, [mk.args[0], mk.args[1]], V)
    vel = mk.agg({"Struct": VEC}, [ki(0), ki(0)], V)
    mk.ret_(mk.agg({"Struct": PART}, [pos, vel, mk.args[2]], P))

    # pull(p, q): p.vel += -p.vel / 16 + (q.pos - p.pos) * q.mass / 64
    pull = m.fn("pull", [("p", P), ("q", P)], UNIT)
    pp = pull.getf(pull.args[0], 0, V)
    qp = pull.getf(pull.args[1], 0, V)
    pv = pull.getf(pull.args[0], 1, V)
    qm = pull.getf(pull.args[1], 2, I64)
    for fi in range(2):
        d = pull.bin("Sub", pull.getf(qp, fi, I64), pull.getf(pp, fi, I64))
        dv = pull.bin("Div", pull.bin("Mul", d, qm), ki(64))
        v = pull.getf(pv, fi, I64)
        damped = pull.bin("Sub", v, pull.bin("Div", v, ki(16)))
        pull.setf(pv, fi, pull.bin("Add", damped, dv))
    pull.ret_()

    # advance(p) -> p.pos.x + p.pos.y after pos = (pos + vel / 8) % 4096
    adv = m.fn("advance", [("p", P)], I64)
    ap = adv.getf(adv.args[0], 0, V)
    av = adv.getf(adv.args[0], 1, V)
    for fi in range(2):
        nv = adv.bin("Rem", adv.bin("Add", adv.getf(ap, fi, I64), adv.bin("Div", adv.getf(av, fi, I64), ki(8))), ki(4096))
        adv.setf(ap, fi, nv)
    adv.ret_(adv.bin("Add", adv.getf(ap, 0, I64), adv.getf(ap, 1, I64)))

    f = m.fn("main", [("n", I64)], I64)
    ps = [f.call(mk, [ki(x), ki(y), ki(mass)])
          for x, y, mass in ((0, 0, 5), (1000, 0, 3), (0, 1000, 4), (1000, 1000, 2))]
    check = f.var("check", I64)
    set_(f, check, ki(0))

    def body(_s):
        for a in range(4):
            f.call(pull, [ps[a], ps[(a + 1) % 4]])
            f.call(pull, [ps[a], ps[(a + 2) % 4]])
        for a in range(4):
            r = f.call(adv, [ps[a]])
            f.copy(check, f.bin("Rem", f.bin("Add", f.bin("Mul", check, ki(31)), r), ki(1000000007)))
    f.loop(f.args[0], body)
    say_i64s(f, ["check=", ("i", check)])
    f.ret_(ki(0))
    return m


@program
def strings():
    """String building as the compiler lowers `line = line + "{i},"`:
    rt_raw_i64_to_string, rt_strcat_tagged; every 16 numbers the line is
    measured (rt_string_len), searched (rt_string_contains) and freed."""
    m = Module("strings")
    f = m.fn("main", [("n", I64)], I64)
    line = f.var("line", STR)
    total = f.var("total", I64)
    hits = f.var("hits", I64)
    f.copy(line, f.rt("rt_strcat_tagged", [ks(""), ks("")], STR))
    set_(f, total, ki(0))
    set_(f, hits, ki(0))

    def body(i):
        t = f.render("i", i)
        piece = f.rt("rt_strcat_tagged", [t, ks(",")], STR)
        nl = f.rt("rt_strcat_tagged", [line, piece], STR)
        f.rt("rt_string_free", [t])
        f.rt("rt_string_free", [piece])
        f.rt("rt_string_free", [line])
        f.copy(line, nl)

        def flush():
            f.copy(total, f.bin("Add", total, f.rt("rt_string_len", [line])))
            found = f.rt("rt_string_contains", [line, ks("77")])
            if_then(f, f.cmp("Ne", found, ki(0)), lambda: f.copy(hits, f.bin("Add", hits, ki(1))), "hit")
            f.rt("rt_string_free", [line])
            f.copy(line, f.rt("rt_strcat_tagged", [ks(""), ks("")], STR))
        if_then(f, f.cmp("Eq", f.bin("Rem", i, ki(16)), ki(15)), flush, "flush")
    f.loop(f.args[0], body)
    say_i64s(f, ["len=", ("i", total), " hits=", ("i", hits)])
    f.ret_(ki(0))
    return m


@program
def boxed_array():
    """A runtime array of boxed ints (v << 3), as the compiler keeps `[i64]`:
    rt_array_push n items, then passes of rt_array_get / decode (>> 3) /
    rt_array_set."""
    m = Module("boxed_array")
    f = m.fn("main", [("n", I64)], I64)
    a = f.var("a", Arr(I64))
    f.copy(a, f.rt("rt_array_new", [ki(0)], Arr(I64)))
    f.loop(f.args[0], lambda i: f.rt("rt_array_push", [a, f.bin("Shl", f.bin("Rem", f.bin("Mul", i, ki(7)), ki(1000)), ki(3))], "I8"), "fill")
    len_ = f.var("len", I64)
    f.copy(len_, f.rt("rt_array_len", [a]))
    total = f.var("total", I64)
    set_(f, total, ki(0))

    def rnd(_r):
        def item(i):
            v = f.bin("Shr", f.rt("rt_array_get", [a, i]), ki(3))
            f.copy(total, f.bin("Add", total, v))
            f.rt("rt_array_set", [a, i, f.bin("Shl", f.bin("Rem", f.bin("Add", v, ki(1)), ki(1000)), ki(3))], UNIT)
        f.loop(len_, item, "item")
    f.loop(ki(4), rnd, "round")
    say_i64s(f, ["len=", ("i", len_), " total=", ("i", total)])
    f.ret_(ki(0))
    return m


@program
def exceptions():
    """throw/catch: every 8th call raises two frames down (through a plain
    Call); a CallTerminator's unwind block catches and counts it."""
    m = Module("exceptions")
    chk = m.fn("check", [("i", I64)], I64)
    bad = chk.block("if_then")
    ok = chk.block("if_else")
    chk.if_(chk.cmp("Eq", chk.bin("Rem", chk.args[0], ki(8)), ki(0)), bad, ok)
    chk.at(bad)
    chk.throw(chk.args[0], ki(TAG_I64))
    chk.at(ok)
    chk.ret_(chk.bin("Mul", chk.args[0], ki(3)))
    mid = m.fn("mid", [("i", I64)], I64)
    mid.ret_(mid.bin("Add", mid.call(chk, [mid.args[0]]), ki(1)))

    f = m.fn("main", [("n", I64)], I64)
    total = f.var("total", I64)
    caught = f.var("caught", I64)
    set_(f, total, ki(0))
    set_(f, caught, ki(0))

    def body(i):
        payload = f.temp(I64)
        tag = f.temp(I64)
        dispatch = f.block("destination_catch_dispatch")
        normal = f.block("destination_try_normal_finally")
        merge = f.block("destination_try_merge")
        r = f.callterm(mid, [i], normal, dispatch, payload, tag)
        f.at(normal)
        f.copy(total, f.bin("Rem", f.bin("Add", total, r), ki(1000000007)))
        f.goto(merge)
        f.at(dispatch)
        f.copy(caught, f.bin("Add", caught, f.bin("Rem", payload, ki(1000))))
        f.goto(merge)
        f.at(merge)
    f.loop(f.args[0], body)
    say_i64s(f, ["total=", ("i", total), " caught=", ("i", caught)])
    f.ret_(ki(0))
    return m


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, build in PROGRAMS.items():
        text = build().text()
        path = os.path.join(HERE, name + ".json")
        if check:
            old = open(path).read() if os.path.exists(path) else None
            if old != text:
                stale.append(name)
            continue
        with open(path, "w") as out:
            out.write(text)
    if stale:
        print("stale (run gen.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
