#!/usr/bin/env python3
"""Generates tests/corpus/compiler/: programs in the real Simple compiler's MIR
JSON shape (see README.md), each with its expected stdout and result.

    python3 gen.py          # regenerate every file
    python3 gen.py --check  # exit 1 if a checked-in file differs (ctest)

Each program states its expectation in plain Python next to the MIR it builds.
refmodel.py (an independent interpreter written from MIR.md/RUNTIME.md) runs
the emitted JSON text; a file is written only when the two agree. spl-exec is
never run here.
"""

import os
import struct
import sys

sys.dont_write_bytecode = True  # keep the corpus folder free of __pycache__

from mirgen import (I8, I16, I32, I64, U8, U16, U32, U64, F32, F64, BOOL, CHAR, UNIT, STR,
                    Ptr, FnPtr, Arr, StructT, TupleT, EnumT, DictT, ResultT, Raw,
                    Module, k, ki, ks, kb, mv, op, box)
import refmodel

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = []

TAG_I64 = 100000 + 64 * 2 + 1
TAG_I32 = 100000 + 32 * 2 + 1
TAG_BOOL = 300001
TAG_TEXT = 300003
NIL = 3


def named_tag(sym):
    return 1000000000 + sym


def program(name, covers):
    def wrap(fn):
        PROGRAMS.append((name, covers, fn))
        return fn
    return wrap


def lines(*xs):
    return "".join("%s\n" % x for x in xs)


def decode(f, w):
    """Tagged small int -> value (arithmetic >> 3), as the compiler decodes."""
    return f.bin("Shr", w, ki(3))


def boxv(f, v):
    return f.bin("Shl", v, ki(3))


# =============================================================================
# Printing and interpolation
# =============================================================================
@program("print_literals", "print \"x\" as rt_println of an Opaque str constant; rt_print; rt_print_str/rt_println_str (ptr,len)")
def _():
    m = Module("print_literals")
    f = m.fn("main")
    f.say("hello, world")
    f.rt("rt_print", [ks("no newline, ")], UNIT)
    f.rt("rt_println", [ks("then one")], UNIT)
    f.rt("rt_print_str", [ks("abcdef"), k(3, U64)], UNIT)
    f.rt("rt_println_str", [ks("xyz!"), k(4, U64)], UNIT)
    f.rt("rt_println", [ks("")], UNIT)
    f.rt("rt_println", [ks("tab\there \"quoted\" back\\slash")], UNIT)
    f.ret_(ki(0))
    return m, lines("hello, world", "no newline, then one", "abcxyz!", "", 'tab\there "quoted" back\\slash'), 0


@program("interp_i64", "print \"n = {n}\": rt_raw_i64_to_string + rt_strcat_tagged + rt_interp_cstr + rt_println; negatives, I64 MIN/MAX")
def _():
    m = Module("interp_i64")
    f = m.fn("main")
    vals = [42, -7, 0, 9223372036854775807, -9223372036854775808, 1000000]
    for v in vals:
        n = f.const(v, I64)
        f.say_parts(["n = ", ("i", n), "!"])
    a = f.const(6, I64)
    b = f.const(7, I64)
    p = f.bin("Mul", a, b)
    f.say_parts([("i", a), " * ", ("i", b), " = ", ("i", p)])
    f.ret_(p)
    return m, "".join("n = %d!\n" % v for v in vals) + "6 * 7 = 42\n", 42


@program("interp_f64_table", "rt_raw_f64_to_string: 2.0, 0.30000000000000004, -0.0, 1e20 -> 100000000000000000000.0, inf, -inf, 0.1, 1.5e-7, 123.456")
def _():
    m = Module("interp_f64_table")
    f = m.fn("main")
    two = f.const(2.0, F64)
    a = f.const(0.1, F64)
    b = f.const(0.2, F64)
    s = f.bin("Add", a, b, F64)
    nz = f.const(-0.0, F64)
    big = f.const(1e20, F64)
    h = f.const(1e308, F64)
    inf = f.bin("Mul", h, k(10.0, F64), F64)
    ninf = f.un("Neg", inf, F64)
    small = f.const(1.5e-7, F64)
    x = f.const(123.456, F64)
    for v in (two, s, nz, big, inf, ninf, a, small, x):
        f.say_parts(["f=", ("f", v)])
    f.ret_(ki(0))
    exp = ["2.0", "0.30000000000000004", "-0.0", "100000000000000000000.0", "inf", "-inf",
           "0.1", "0.00000015", "123.456"]
    return m, "".join("f=%s\n" % e for e in exp), 0


@program("interp_bool_u64", "rt_raw_bool_to_string of comparisons, rt_raw_u64_to_string of U64 MAX and 2^63")
def _():
    m = Module("interp_bool_u64")
    f = m.fn("main")
    three = f.const(3, I64)
    c1 = f.cmp("Lt", three, ki(5))
    c2 = f.cmp("Eq", three, ki(4))
    f.say_parts(["3<5 is ", ("b", c1), ", 3==4 is ", ("b", c2)])
    u = f.const(18446744073709551615, U64)
    f.say_parts(["max=", ("u", u)])
    h = f.const(9223372036854775808, U64)
    f.say_parts(["half=", ("u", h)])
    f.ret_(ki(1))
    return m, lines("3<5 is true, 3==4 is false", "max=18446744073709551615", "half=9223372036854775808"), 1


@program("strcat_raw", "the renderer -> rt_interp_cstr -> rt_strcat(char*, char*) path; rt_print then rt_println of raw texts")
def _():
    m = Module("strcat_raw")
    f = m.fn("main")
    n = f.const(-123, I64)
    t = f.render("i", n)
    c = f.rt("rt_interp_cstr", [t], STR)
    j = f.rt("rt_strcat", [ks("value: "), c], STR)
    j2 = f.rt("rt_strcat", [j, ks(" units")], STR)
    f.rt("rt_println", [j2], UNIT)
    f.rt("rt_print", [c], UNIT)
    f.rt("rt_println", [ks("<")], UNIT)
    ln = f.rt("rt_strlen", [j2])
    f.ret_(ln)
    return m, lines("value: -123 units", "-123<"), len("value: -123 units")


@program("interp_mixed_loop", "fizzbuzz-style loop: Rem, If chains, interpolation of an i64 per line")
def _():
    m = Module("interp_mixed_loop")
    f = m.fn("main")
    total = f.var("total", I64)
    f.const(0, I64, dest=total)

    def body(i):
        n = f.bin("Add", i, ki(1))
        r15 = f.bin("Rem", n, ki(15))
        c15 = f.cmp("Eq", r15, ki(0))
        fb = f.block("if_then")
        no15 = f.block("if_else")
        merge = f.block("if_merge")
        f.if_(c15, fb, no15)
        f.at(fb)
        f.say("FizzBuzz")
        f.goto(merge)
        f.at(no15)
        r3 = f.bin("Rem", n, ki(3))
        c3 = f.cmp("Eq", r3, ki(0))
        fz = f.block("if_then")
        no3 = f.block("if_else")
        f.if_(c3, fz, no3)
        f.at(fz)
        f.say("Fizz")
        f.goto(merge)
        f.at(no3)
        r5 = f.bin("Rem", n, ki(5))
        c5 = f.cmp("Eq", r5, ki(0))
        bz = f.block("if_then")
        num = f.block("if_else")
        f.if_(c5, bz, num)
        f.at(bz)
        f.say("Buzz")
        f.goto(merge)
        f.at(num)
        f.say_parts([("i", n)])
        s = f.bin("Add", total, n)
        f.copy(total, s)
        f.goto(merge)
        f.at(merge)
    f.loop(ki(16), body)
    f.ret_(total)
    out, tot = [], 0
    for n in range(1, 17):
        if n % 15 == 0:
            out.append("FizzBuzz")
        elif n % 3 == 0:
            out.append("Fizz")
        elif n % 5 == 0:
            out.append("Buzz")
        else:
            out.append(str(n))
            tot += n
    return m, lines(*out), tot


@program("string_builder_loop", "accumulating a text with rt_strcat_tagged in a loop; rt_string_len of the result")
def _():
    m = Module("string_builder_loop")
    f = m.fn("main")
    acc = f.var("acc", STR)
    e = f.rt("rt_strcat_tagged", [ks(""), ks("")], STR)
    f.copy(acc, e)

    def body(i):
        t = f.render("i", i)
        a1 = f.rt("rt_strcat_tagged", [acc, t], STR)
        a2 = f.rt("rt_strcat_tagged", [a1, ks(",")], STR)
        f.copy(acc, a2)
    f.loop(ki(10), body)
    c = f.rt("rt_interp_cstr", [acc], STR)
    f.rt("rt_println", [c], UNIT)
    n = f.rt("rt_string_len", [acc])
    f.ret_(n)
    s = "".join("%d," % i for i in range(10))
    return m, lines(s), len(s)


# =============================================================================
# String functions
# =============================================================================
@program("string_len_eq", "rt_string_len (tagged, -1 for a non-string), rt_strlen, rt_len, rt_text_eq_any (raw vs tagged), rt_text_cmp_any")
def _():
    m = Module("string_len_eq")
    f = m.fn("main")
    t = f.rt("rt_strcat_tagged", [ks("abc"), ks("de")], STR)
    l1 = f.rt("rt_string_len", [t])
    l2 = f.rt("rt_strlen", [ks("hello")])
    l3 = f.rt("rt_len", [t])
    l4 = f.rt("rt_string_len", [ki(box(5))])
    f.say_parts(["lens ", ("i", l1), " ", ("i", l2), " ", ("i", l3), " ", ("i", l4)])
    e1 = f.rt("rt_text_eq_any", [t, ks("abcde")])
    e2 = f.rt("rt_text_eq_any", [t, ks("abcdf")])
    e3 = f.rt("rt_text_eq_any", [ks("same"), ks("same")])
    f.say_parts(["eq ", ("i", e1), " ", ("i", e2), " ", ("i", e3)])
    c1 = f.rt("rt_text_cmp_any", [ks("apple"), ks("banana")])
    c2 = f.rt("rt_text_cmp_any", [ks("pear"), ks("pear")])
    c3 = f.rt("rt_text_cmp_any", [t, ks("abc")])
    n1 = f.cmp("Lt", c1, ki(0))
    n2 = f.cmp("Eq", c2, ki(0))
    n3 = f.cmp("Gt", c3, ki(0))
    f.say_parts(["cmp ", ("b", n1), " ", ("b", n2), " ", ("b", n3)])
    f.ret_(l1)
    return m, lines("lens 5 5 5 -1", "eq 1 0 1", "cmp true true true"), 5


@program("string_search", "rt_string_contains, rt_string_find, rt_string_rfind, rt_string_starts_with, rt_string_ends_with (index or -1)")
def _():
    m = Module("string_search")
    f = m.fn("main")
    s = f.rt("rt_strcat_tagged", [ks("the cat sat on "), ks("the mat")], STR)
    r = []
    for fn, arg in (("rt_string_contains", "sat"), ("rt_string_contains", "dog"),
                    ("rt_string_find", "at"), ("rt_string_find", "zz"),
                    ("rt_string_rfind", "at"), ("rt_string_rfind", "the"),
                    ("rt_string_starts_with", "the c"), ("rt_string_starts_with", "cat"),
                    ("rt_string_ends_with", "mat"), ("rt_string_ends_with", "ma")):
        r.append(f.rt(fn, [s, ks(arg)]))
    parts = []
    for x in r:
        parts += [("i", x), " "]
    f.say_parts(parts)
    f.ret_(r[2])
    text = "the cat sat on the mat"
    vals = [1, 0, text.find("at"), -1, text.rfind("at"), text.rfind("the"), 1, 0, 1, 0]
    return m, " ".join(str(v) for v in vals) + " \n", text.find("at")


@program("string_split", "rt_string_split into a tagged array of texts (empty field kept), rt_array_len/rt_array_get loop, empty separator splits characters")
def _():
    m = Module("string_split")
    f = m.fn("main")
    src = f.rt("rt_strcat_tagged", [ks("red,green,,blue"), ks("")], STR)
    parts = f.rt("rt_string_split", [src, ks(",")], Arr(STR))
    n = f.rt("rt_array_len", [parts])
    f.say_parts(["count=", ("i", n)])

    def body(i):
        w = f.rt("rt_array_get", [parts, i], STR)
        f.say_parts(["[", ("s", w), "]"])
    f.loop(n, body)
    chars = f.rt("rt_string_split", [ks("xyz"), ks("")], Arr(STR))
    cn = f.rt("rt_array_len", [chars])
    last = f.rt("rt_array_get", [chars, ki(-1)], STR)
    f.say_parts(["chars=", ("i", cn), " last=", ("s", last)])
    f.ret_(n)
    out = ["count=4"] + ["[%s]" % p for p in "red,green,,blue".split(",")] + ["chars=3 last=z"]
    return m, lines(*out), 4


@program("string_transform", "rt_string_replace (every occurrence), rt_string_trim, rt_string_to_lower, rt_string_to_int_any")
def _():
    m = Module("string_transform")
    f = m.fn("main")
    s = f.rt("rt_strcat_tagged", [ks("a-b-c"), ks("-d")], STR)
    r = f.rt("rt_string_replace", [s, ks("-"), ks("+")], STR)
    f.say_parts(["replace: ", ("s", r)])
    t = f.rt("rt_string_trim", [ks("   padded  ")], STR)
    f.say_parts(["trim: [", ("s", t), "]"])
    lo = f.rt("rt_string_to_lower", [ks("MiXeD Case 42")], STR)
    f.say_parts(["lower: ", ("s", lo)])
    n = f.rt("rt_string_to_int_any", [ks("-275")])
    n2 = f.bin("Add", n, ki(1000))
    f.say_parts(["int: ", ("i", n2)])
    f.ret_(n2)
    return m, lines("replace: a+b+c+d", "trim: [padded]", "lower: mixed case 42", "int: 725"), 725


@program("string_slice", "spl_str_slice(char*, start, end) gives a raw char*, spl_str_len, rt_string_new(ptr,len), rt_print_str of rt_interp_cstr data")
def _():
    m = Module("string_slice")
    f = m.fn("main")
    sl = f.rt("spl_str_slice", [ks("abcdefgh"), ki(2), ki(6)], STR)
    f.rt("rt_println", [sl], UNIT)
    n = f.rt("spl_str_len", [sl])
    f.say_parts(["len ", ("i", n)])
    t = f.rt("rt_string_new", [ks("prefix-and-rest"), k(6, U64)], STR)
    f.say_parts(["new=", ("s", t)])
    c = f.rt("rt_interp_cstr", [t], STR)
    ln = f.rt("rt_string_len", [t])
    lu = f.cast(ln, U64)
    f.rt("rt_print_str", [c, lu], UNIT)
    f.rt("rt_println_str", [ks("!"), k(1, U64)], UNIT)
    f.ret_(n)
    return m, lines("cdef", "len 4", "new=prefix", "prefix!"), 4


@program("raw_control_char", "a string constant holding raw control characters (unescaped in the JSON, as the serializer leaves them) printed byte for byte")
def _():
    m = Module("raw_control_char")
    f = m.fn("main")
    s = "A\x01B\x1fC\x7fD"
    f.say(s)
    n = f.rt("rt_strlen", [ks(s)])
    f.say_parts(["len=", ("i", n)])
    f.ret_(n)
    return m, lines(s, "len=7"), 7


@program("utf8_text", "non-ASCII text constants written raw (UTF-8) by the serializer; byte lengths")
def _():
    m = Module("utf8_text")
    f = m.fn("main")
    s = "caf\u00e9 \u2192 \U0001F600"
    f.say(s)
    n = f.rt("rt_strlen", [ks(s)])
    f.say_parts(["bytes=", ("i", n)])
    f.ret_(n)
    return m, lines(s, "bytes=%d" % len(s.encode())), len(s.encode())


# =============================================================================
# Structs and tuples
# =============================================================================
@program("struct_basic", "Aggregate Struct of three I64 fields, GetField, SetField overwrite, field sum")
def _():
    m = Module("struct_basic")
    f = m.fn("main")
    p = f.var("p", StructT(40))
    a = f.agg({"Struct": 40}, [ki(3), ki(4), ki(5)], StructT(40))
    f.copy(p, a)
    x = f.getf(p, 0, I64)
    y = f.getf(p, 1, I64)
    z = f.getf(p, 2, I64)
    f.say_parts(["p = (", ("i", x), ", ", ("i", y), ", ", ("i", z), ")"])
    f.setf(p, 1, ki(40))
    y2 = f.getf(p, 1, I64)
    s1 = f.bin("Add", x, y2)
    s2 = f.bin("Add", s1, z)
    f.say_parts(["sum = ", ("i", s2)])
    f.ret_(s2)
    return m, lines("p = (3, 4, 5)", "sum = 48"), 48


@program("struct_narrow_fields", "SetField sign-extends I8/I32 and zero-extends U8; GetField truncates to I8/U8/U16/U32 and reads Bool")
def _():
    m = Module("struct_narrow_fields")
    f = m.fn("main")
    s = f.agg({"Struct": 41}, [ki(0), ki(0), ki(0), ki(0), ki(0)], StructT(41))
    f.setf(s, 0, k(-5, I8))
    f.setf(s, 1, k(250, U8))
    f.setf(s, 2, k(-1, I32))
    f.setf(s, 3, ki(0x1FF))
    f.setf(s, 4, kb(True))
    a = f.getf(s, 0, I64)
    b = f.getf(s, 1, I64)
    c = f.getf(s, 2, I64)
    cu = f.getf(s, 2, U32)
    d8 = f.getf(s, 3, I8)
    du = f.getf(s, 3, U8)
    d16 = f.getf(s, 3, U16)
    e = f.getf(s, 4, BOOL)
    f.say_parts(["i8->i64 ", ("i", a)])
    f.say_parts(["u8->i64 ", ("i", b)])
    f.say_parts(["i32->i64 ", ("i", c)])
    f.say_parts(["i32 word as u32 ", ("i", f.cast(cu, I64))])
    f.say_parts(["0x1FF as i8 ", ("i", f.cast(d8, I64)), " as u8 ", ("i", f.cast(du, I64)),
                 " as u16 ", ("i", f.cast(d16, I64))])
    f.say_parts(["bool ", ("b", e)])
    f.ret_(a)
    return m, lines("i8->i64 -5", "u8->i64 250", "i32->i64 -1", "i32 word as u32 4294967295",
                    "0x1FF as i8 -1 as u8 255 as u16 511", "bool true"), -5


@program("struct_float_fields", "F64 and F32 fields: GetField takes the bits; an F32 field's word is its zero-extended bits; GetField I64 of an F64 field")
def _():
    m = Module("struct_float_fields")
    f = m.fn("main")
    s = f.agg({"Struct": 42}, [k(2.5, F64), k(1.5, F32)], StructT(42))
    a = f.getf(s, 0, F64)
    b = f.getf(s, 1, F32)
    bw = f.getf(s, 1, I64)
    aw = f.getf(s, 0, I64)
    f.say_parts(["f64 ", ("f", a)])
    f.say_parts(["f32 ", ("f", f.cast(b, F64))])
    f.say_parts(["f32 word ", ("i", bw)])
    f.say_parts(["f64 word ", ("i", aw)])
    f.setf(s, 0, k(-0.25, F64))
    a2 = f.getf(s, 0, F64)
    sm = f.bin("Add", a2, k(1.0, F64), F64)
    f.say_parts(["after ", ("f", sm)])
    f.ret_(bw)
    w32 = struct.unpack("<I", struct.pack("<f", 1.5))[0]
    w64 = struct.unpack("<q", struct.pack("<d", 2.5))[0]
    return m, lines("f64 2.5", "f32 1.5", "f32 word %d" % w32, "f64 word %d" % w64, "after 0.75"), w32


@program("struct_pointer_fields", "fields holding a text pointer and a pointer to another struct; GetField of pointer types")
def _():
    m = Module("struct_pointer_fields")
    f = m.fn("main")
    inner = f.agg({"Struct": 43}, [ki(11), ki(22)], StructT(43))
    outer = f.agg({"Struct": 44}, [ks("label-text"), inner, ki(7)], StructT(44))
    name = f.getf(outer, 0, STR)
    f.rt("rt_println", [name], UNIT)
    ip = f.getf(outer, 1, StructT(43))
    b = f.getf(ip, 1, I64)
    f.say_parts(["inner.b=", ("i", b)])
    f.setf(inner, 1, ki(99))
    b2 = f.getf(ip, 1, I64)
    f.say_parts(["shared=", ("i", b2)])
    f.ret_(b2)
    return m, lines("label-text", "inner.b=22", "shared=99"), 99


@program("struct_nested_rect", "nested structs Rect{origin: Point, size: Point}: GetField chains, area and perimeter")
def _():
    m = Module("struct_nested_rect")
    f = m.fn("main")
    o = f.agg({"Struct": 45}, [ki(2), ki(3)], StructT(45))
    sz = f.agg({"Struct": 45}, [ki(10), ki(4)], StructT(45))
    r = f.agg({"Struct": 46}, [o, sz], StructT(46))
    rs = f.getf(r, 1, StructT(45))
    w = f.getf(rs, 0, I64)
    h = f.getf(rs, 1, I64)
    area = f.bin("Mul", w, h)
    ro = f.getf(r, 0, StructT(45))
    ox = f.getf(ro, 0, I64)
    oy = f.getf(ro, 1, I64)
    x2 = f.bin("Add", ox, w)
    y2 = f.bin("Add", oy, h)
    f.say_parts(["area=", ("i", area), " corner=(", ("i", x2), ",", ("i", y2), ")"])
    f.ret_(area)
    return m, lines("area=40 corner=(12,7)"), 40


@program("struct_through_calls", "a struct built and returned by a function, passed to another, mutated by a callee through the shared pointer")
def _():
    m = Module("struct_through_calls")
    P = StructT(50)
    mk = m.fn("make_point", [("x", I64), ("y", I64)], P)
    a = mk.agg({"Struct": 50}, [mk.args[0], mk.args[1]], P)
    mk.ret_(a)
    dot = m.fn("dot", [("p", P), ("q", P)], I64)
    px = dot.getf(dot.args[0], 0, I64)
    qx = dot.getf(dot.args[1], 0, I64)
    py = dot.getf(dot.args[0], 1, I64)
    qy = dot.getf(dot.args[1], 1, I64)
    s = dot.bin("Add", dot.bin("Mul", px, qx), dot.bin("Mul", py, qy))
    dot.ret_(s)
    sc = m.fn("scale", [("p", P), ("k", I64)], UNIT)
    x = sc.getf(sc.args[0], 0, I64)
    sc.setf(sc.args[0], 0, sc.bin("Mul", x, sc.args[1]))
    y = sc.getf(sc.args[0], 1, I64)
    sc.setf(sc.args[0], 1, sc.bin("Mul", y, sc.args[1]))
    sc.ret_()
    f = m.fn("main")
    p = f.call(mk, [ki(3), ki(4)])
    q = f.call(mk, [ki(-2), ki(5)])
    d1 = f.call(dot, [p, q])
    f.say_parts(["dot=", ("i", d1)])
    f.call(sc, [p, ki(10)])
    d2 = f.call(dot, [p, q])
    px = f.getf(p, 0, I64)
    f.say_parts(["after scale dot=", ("i", d2), " p.x=", ("i", px)])
    f.ret_(d2)
    return m, lines("dot=14", "after scale dot=140 p.x=30"), 140


@program("tuple_basic", "Aggregate Tuple of (I64, Bool, text), GetField of each; a function returning a swapped tuple")
def _():
    m = Module("tuple_basic")
    T = TupleT(I64, I64)
    sw = m.fn("swap", [("t", T)], T)
    a = sw.getf(sw.args[0], 0, I64)
    b = sw.getf(sw.args[0], 1, I64)
    r = sw.agg("Tuple", [b, a], T)
    sw.ret_(r)
    f = m.fn("main")
    t = f.agg("Tuple", [ki(7), kb(False), ks("seven")], TupleT(I64, BOOL, STR))
    n = f.getf(t, 0, I64)
    bb = f.getf(t, 1, BOOL)
    s = f.getf(t, 2, STR)
    f.say_parts([("i", n), " ", ("b", bb), " ", ("s", s)])
    pair = f.agg("Tuple", [ki(1), ki(2)], T)
    sp = f.call(sw, [pair])
    x = f.getf(sp, 0, I64)
    y = f.getf(sp, 1, I64)
    f.say_parts(["swapped (", ("i", x), ", ", ("i", y), ")"])
    r = f.bin("Sub", x, y)
    f.ret_(r)
    return m, lines("7 false seven", "swapped (2, 1)"), 1


# =============================================================================
# Arrays
# =============================================================================
@program("array_literal_sum", "Aggregate Array of boxed ints (v<<3), rt_array_len/rt_array_get loop, decode by arithmetic >>3, negative elements")
def _():
    m = Module("array_literal_sum")
    f = m.fn("main")
    vals = [5, -3, 12, 0, 100, -41]
    a = f.agg({"Array": I64}, [ki(box(v)) for v in vals], Arr(I64, len(vals)))
    n = f.rt("rt_array_len", [a])
    total = f.var("total", I64)
    f.const(0, I64, dest=total)

    def body(i):
        w = f.rt("rt_array_get", [a, i])
        v = decode(f, w)
        s = f.bin("Add", total, v)
        f.copy(total, s)
    f.loop(n, body)
    f.say_parts(["len=", ("i", n), " sum=", ("i", total)])
    f.ret_(total)
    return m, lines("len=%d sum=%d" % (len(vals), sum(vals))), sum(vals)


@program("array_push_set_pop", "rt_array_new, rt_array_push of boxed squares in a loop, rt_array_set, rt_array_pop, nil from pop of an empty array")
def _():
    m = Module("array_push_set_pop")
    f = m.fn("main")
    a = f.rt("rt_array_new", [ki(0)], Arr(I64))

    def body(i):
        sq = f.bin("Mul", i, i)
        f.rt("rt_array_push", [a, boxv(f, sq)], I8)
    f.loop(ki(8), body)
    f.rt("rt_array_set", [a, ki(2), ki(box(-100))], UNIT)
    f.rt("rt_array_set", [a, ki(-1), ki(box(1000))], UNIT)
    f.rt("rt_array_set", [a, ki(50), ki(box(7))], UNIT)
    p = f.rt("rt_array_pop", [a])
    pv = decode(f, p)
    n = f.rt("rt_array_len", [a])
    g2 = decode(f, f.rt("rt_array_get", [a, ki(2)]))
    g6 = decode(f, f.rt("rt_array_get", [a, ki(6)]))
    f.say_parts(["pop=", ("i", pv), " len=", ("i", n), " a[2]=", ("i", g2), " a[6]=", ("i", g6)])
    e = f.rt("rt_array_new", [ki(4)], Arr(I64))
    ep = f.rt("rt_array_pop", [e])
    f.say_parts(["empty pop word=", ("i", ep)])
    f.ret_(n)
    return m, lines("pop=1000 len=7 a[2]=-100 a[6]=36", "empty pop word=3"), 7


@program("array_index_edges", "rt_array_get with negative index (from the end), out of range gives nil (3), on a non-array gives nil; rt_array_len of a non-array is 0")
def _():
    m = Module("array_index_edges")
    f = m.fn("main")
    a = f.agg({"Array": I64}, [ki(box(v)) for v in (10, 20, 30)], Arr(I64, 3))
    l1 = decode(f, f.rt("rt_array_get", [a, ki(-1)]))
    l3 = decode(f, f.rt("rt_array_get", [a, ki(-3)]))
    oob = f.rt("rt_array_get", [a, ki(3)])
    oobn = f.rt("rt_array_get", [a, ki(-4)])
    na = f.rt("rt_array_get", [ki(box(5)), ki(0)])
    nl = f.rt("rt_array_len", [ki(box(5))])
    f.say_parts(["a[-1]=", ("i", l1), " a[-3]=", ("i", l3)])
    f.say_parts(["a[3]=", ("i", oob), " a[-4]=", ("i", oobn), " notarray=", ("i", na), " len=", ("i", nl)])
    isnil = f.cmp("Eq", oob, ki(NIL))
    f.say_parts(["is nil: ", ("b", isnil)])
    f.ret_(oob)
    return m, lines("a[-1]=30 a[-3]=10", "a[3]=3 a[-4]=3 notarray=3 len=0", "is nil: true"), 3


@program("array_of_texts", "an Array of text words (raw literals and tagged strings) printed in a loop; rt_len of an array")
def _():
    m = Module("array_of_texts")
    f = m.fn("main")
    t = f.rt("rt_strcat_tagged", [ks("tag"), ks("ged")], STR)
    a = f.agg({"Array": STR}, [ks("alpha"), t, ks("omega")], Arr(STR, 3))
    n = f.rt("rt_len", [a])

    def body(i):
        w = f.rt("rt_array_get", [a, i], STR)
        f.rt("rt_println", [w], UNIT)
    f.loop(n, body)
    f.ret_(n)
    return m, lines("alpha", "tagged", "omega"), 3


@program("array_of_structs", "an array whose items are struct pointers (stored and read back as words), field reads in a loop")
def _():
    m = Module("array_of_structs")
    P = StructT(51)
    f = m.fn("main")
    pts = [(1, 2), (3, 4), (5, 6)]
    items = [f.agg({"Struct": 51}, [ki(x), ki(y)], P) for x, y in pts]
    a = f.agg({"Array": P}, items, Arr(P, 3))
    acc = f.var("acc", I64)
    f.const(0, I64, dest=acc)

    def body(i):
        p = f.rt("rt_array_get", [a, i], P)
        x = f.getf(p, 0, I64)
        y = f.getf(p, 1, I64)
        s = f.bin("Add", acc, f.bin("Mul", x, y))
        f.copy(acc, s)
    f.loop(ki(3), body)
    f.say_parts(["sum of x*y = ", ("i", acc)])
    f.ret_(acc)
    v = sum(x * y for x, y in pts)
    return m, lines("sum of x*y = %d" % v), v


# =============================================================================
# Enums, Option, Result
# =============================================================================
def match_option(f, opt, some_fn, none_fn):
    d = f.rt("rt_enum_discriminant", [opt])
    arm_some = f.block("match_arm")
    arm_none = f.block("match_arm")
    dflt = f.block("match_default")
    merge = f.block("match_merge")
    f.switch(d, [(0, arm_some), (1, arm_none)], dflt)
    f.at(arm_some)
    some_fn()
    f.goto(merge)
    f.at(arm_none)
    none_fn()
    f.goto(merge)
    f.at(dflt)
    f.T("Unreachable")
    f.at(merge)


@program("option_match", "Option (enum id 1: Some 0, None 1) built by Aggregate Enum, matched by Switch on rt_enum_discriminant, payload by rt_enum_payload")
def _():
    m = Module("option_match")
    O = EnumT(1)
    find = m.fn("find_even", [("a", I64), ("b", I64)], O)
    r = find.bin("Rem", find.args[0], ki(2))
    c = find.cmp("Eq", r, ki(0))
    yes = find.block("if_then")
    no = find.block("if_else")
    find.if_(c, yes, no)
    find.at(yes)
    s = find.agg({"Enum": {"symbol": 1, "variant": 0}}, [boxv(find, find.args[0])], O)
    find.ret_(s)
    find.at(no)
    r2 = find.bin("Rem", find.args[1], ki(2))
    c2 = find.cmp("Eq", r2, ki(0))
    yes2 = find.block("if_then")
    no2 = find.block("if_else")
    find.if_(c2, yes2, no2)
    find.at(yes2)
    s2 = find.agg({"Enum": {"symbol": 1, "variant": 0}}, [boxv(find, find.args[1])], O)
    find.ret_(s2)
    find.at(no2)
    nn = find.agg({"Enum": {"symbol": 1, "variant": 1}}, [], O)
    find.ret_(nn)
    f = m.fn("main")
    hits = f.var("hits", I64)
    f.const(0, I64, dest=hits)
    for a, b in ((3, 8), (4, 5), (7, 9)):
        o = f.call(find, [ki(a), ki(b)])

        def some():
            pv = decode(f, f.rt("rt_enum_payload", [o]))
            f.say_parts(["Some(", ("i", pv), ")"])
            h = f.bin("Add", hits, ki(1))
            f.copy(hits, h)

        match_option(f, o, some, lambda: f.say("None"))
    f.ret_(hits)
    return m, lines("Some(8)", "Some(4)", "None"), 2


@program("result_match", "Result (enum id 0: Ok 0, Err 1) from a checked division; Ok payload an int, Err payload a text; rt_enum_id")
def _():
    m = Module("result_match")
    R = ResultT(I64, STR)
    dv = m.fn("safe_div", [("a", I64), ("b", I64)], R)
    z = dv.cmp("Eq", dv.args[1], ki(0))
    bad = dv.block("if_then")
    good = dv.block("if_else")
    dv.if_(z, bad, good)
    dv.at(bad)
    e = dv.agg({"Enum": {"symbol": 0, "variant": 1}}, [ks("division by zero")], R)
    dv.ret_(e)
    dv.at(good)
    q = dv.bin("Div", dv.args[0], dv.args[1])
    o = dv.agg({"Enum": {"symbol": 0, "variant": 0}}, [boxv(dv, q)], R)
    dv.ret_(o)
    f = m.fn("main")
    acc = f.var("acc", I64)
    f.const(0, I64, dest=acc)
    for a, b in ((84, 2), (1, 0), (-9, 4)):
        r = f.call(dv, [ki(a), ki(b)])
        d = f.rt("rt_enum_discriminant", [r])
        ok = f.block("match_arm")
        err = f.block("match_arm")
        dflt = f.block("match_default")
        merge = f.block("match_merge")
        f.switch(d, [(0, ok), (1, err)], dflt)
        f.at(ok)
        v = decode(f, f.rt("rt_enum_payload", [r]))
        f.say_parts(["Ok(", ("i", v), ")"])
        s = f.bin("Add", acc, v)
        f.copy(acc, s)
        f.goto(merge)
        f.at(err)
        msg = f.rt("rt_enum_payload", [r], STR)
        f.say_parts(["Err(", ("s", msg), ")"])
        f.goto(merge)
        f.at(dflt)
        f.T("Unreachable")
        f.at(merge)
    rid = f.rt("rt_enum_id", [r])
    f.say_parts(["enum id ", ("i", rid)])
    f.ret_(acc)
    return m, lines("Ok(42)", "Err(division by zero)", "Ok(-2)", "enum id 0"), 40


@program("enum_user_payloads", "a user enum (symbol 77) with unit, one-field and two-field variants; the two-field payload is an rt_tuple_new handle read by rt_tuple_get")
def _():
    m = Module("enum_user_payloads")
    S = EnumT(77)
    area = m.fn("area", [("s", S)], I64)
    d = area.rt("rt_enum_discriminant", [area.args[0]])
    a0 = area.block("match_arm")
    a1 = area.block("match_arm")
    a2 = area.block("match_arm")
    dflt = area.block("match_default")
    area.switch(d, [(0, a0), (1, a1), (2, a2)], dflt)
    area.at(a0)
    area.ret_(ki(0))
    area.at(a1)
    side = area.rt("rt_enum_payload", [area.args[0]])
    area.ret_(area.bin("Mul", side, side))
    area.at(a2)
    t = area.rt("rt_enum_payload", [area.args[0]])
    w = area.rt("rt_tuple_get", [t, ki(0)])
    h = area.rt("rt_tuple_get", [t, ki(1)])
    area.ret_(area.bin("Mul", w, h))
    area.at(dflt)
    area.ret_(ki(-1))
    f = m.fn("main")
    shapes = [
        f.agg({"Enum": {"symbol": 77, "variant": 0}}, [], S),
        f.agg({"Enum": {"symbol": 77, "variant": 1}}, [ki(6)], S),
        f.agg({"Enum": {"symbol": 77, "variant": 2}}, [ki(3), ki(7)], S),
        f.rt("rt_enum_new", [ki(77), ki(2), f.rt("rt_tuple_new", [ki(2)])], S),
        f.rt("rt_enum_new", [ki(77), ki(9), ki(0)], S),
    ]
    tup = f.rt("rt_enum_payload", [shapes[3]])
    f.rt("rt_tuple_set", [tup, ki(0), ki(5)], I8)
    f.rt("rt_tuple_set", [tup, ki(1), ki(5)], I8)
    total = f.var("total", I64)
    f.const(0, I64, dest=total)
    for s in shapes:
        a = f.call(area, [s])
        f.say_parts(["area ", ("i", a)])
        f.copy(total, f.bin("Add", total, a))
    eid = f.rt("rt_enum_id", [shapes[1]])
    oob = f.rt("rt_tuple_get", [tup, ki(2)])
    f.say_parts(["id ", ("i", eid), " oob ", ("i", oob)])
    f.ret_(total)
    return m, lines("area 0", "area 36", "area 21", "area 25", "area -1", "id 77 oob 3"), 81


@program("option_predicates", "rt_enum_new for Option Some/None, rt_is_none / rt_is_some (nil counts as none, a raw 0 as present), rt_enum_discriminant of a non-enum is -1, payload of a non-enum is nil")
def _():
    m = Module("option_predicates")
    f = m.fn("main")
    some = f.rt("rt_enum_new", [ki(1), ki(0), ki(box(9))], EnumT(1))
    none = f.rt("rt_enum_new", [ki(1), ki(1), ki(0)], EnumT(1))
    res = []
    for w in (some, none, ki(NIL), ki(0)):
        a = f.rt("rt_is_none", [w], I8)
        b = f.rt("rt_is_some", [w], I8)
        res += [("i", f.cast(a, I64)), "/", ("i", f.cast(b, I64)), " "]
    f.say_parts(res)
    d = f.rt("rt_enum_discriminant", [ki(box(4))])
    p = f.rt("rt_enum_payload", [ki(box(4))])
    f.say_parts(["disc ", ("i", d), " payload ", ("i", p)])
    f.ret_(d)
    return m, lines("0/1 1/0 1/0 0/1 ", "disc -1 payload 3"), -1


# =============================================================================
# Dicts
# =============================================================================
@program("dict_basic", "rt_dict_new / rt_dict_set / rt_dict_get with tagged text keys (rt_string_new, as the compiler tags literal keys) and int keys; miss gives nil; len, contains, remove")
def _():
    m = Module("dict_basic")
    f = m.fn("main")
    d = f.rt("rt_dict_new", [ki(0)], DictT(STR, I64))
    keys = {}
    for name, v in (("one", 1), ("two", 2), ("three", 3)):
        kk = f.rt("rt_string_new", [ks(name), k(len(name), U64)], STR)
        keys[name] = kk
        f.rt("rt_dict_set", [d, kk, ki(box(v))], UNIT)
    # a second, separately made key with the same bytes finds the entry
    k2 = f.rt("rt_strcat_tagged", [ks("tw"), ks("o")], STR)
    g = decode(f, f.rt("rt_dict_get", [d, k2]))
    f.rt("rt_dict_set", [d, keys["one"], ki(box(100))], UNIT)
    g1 = decode(f, f.rt("rt_dict_get", [d, keys["one"]]))
    miss = f.rt("rt_dict_get", [d, f.rt("rt_string_new", [ks("four"), k(4, U64)], STR)])
    n = f.rt("rt_dict_len", [d])
    f.say_parts(["two=", ("i", g), " one=", ("i", g1), " miss=", ("i", miss), " len=", ("i", n)])
    c1 = f.rt("rt_dict_contains", [d, keys["three"]])
    f.rt("rt_dict_remove", [d, keys["three"]], UNIT)
    c2 = f.rt("rt_dict_contains", [d, keys["three"]])
    n2 = f.rt("rt_dict_len", [d])
    f.say_parts(["contains ", ("i", c1), " then ", ("i", c2), " len=", ("i", n2)])
    di = f.rt("rt_dict_new", [ki(8)], DictT(I64, I64))
    for kv in (5, 6, 5):
        f.rt("rt_dict_set", [di, ki(box(kv)), ki(box(kv * 11))], UNIT)
    gi = decode(f, f.rt("rt_dict_get", [di, ki(box(6))]))
    ni = f.rt("rt_dict_len", [di])
    f.say_parts(["int keys len=", ("i", ni), " d[6]=", ("i", gi)])
    f.ret_(n)
    return m, lines("two=2 one=100 miss=3 len=3", "contains 1 then 0 len=2", "int keys len=2 d[6]=66"), 3


@program("dict_word_count", "word counting: rt_string_split + a dict of boxed counters updated in a loop (get, miss test against nil, set)")
def _():
    m = Module("dict_word_count")
    f = m.fn("main")
    text = "the quick fox and the lazy dog and the end"
    words = f.rt("rt_string_split", [f.rt("rt_strcat_tagged", [ks(text), ks("")], STR), ks(" ")], Arr(STR))
    d = f.rt("rt_dict_new", [ki(0)], DictT(STR, I64))
    n = f.rt("rt_array_len", [words])

    def body(i):
        w = f.rt("rt_array_get", [words, i], STR)
        cur = f.rt("rt_dict_get", [d, w])
        isnil = f.cmp("Eq", cur, ki(NIL))
        cnt = f.var("count", I64)
        first = f.block("if_then")
        again = f.block("if_else")
        join = f.block("if_merge")
        f.if_(isnil, first, again)
        f.at(first)
        f.const(1, I64, dest=cnt)
        f.goto(join)
        f.at(again)
        f.copy(cnt, f.bin("Add", decode(f, cur), ki(1)))
        f.goto(join)
        f.at(join)
        f.rt("rt_dict_set", [d, w, boxv(f, cnt)], UNIT)
    f.loop(n, body)
    for wname in ("the", "and", "fox", "cat"):
        kk = f.rt("rt_string_new", [ks(wname), k(len(wname), U64)], STR)
        g = f.rt("rt_dict_get", [d, kk])
        f.say_parts([wname, "=", ("i", g)])
    dl = f.rt("rt_dict_len", [d])
    f.ret_(dl)
    ws = text.split(" ")
    out = ["%s=%d" % (w, (ws.count(w) << 3) if w in ws else NIL) for w in ("the", "and", "fox", "cat")]
    return m, lines(*out), len(set(ws))


# =============================================================================
# Closures and GlobalAddr
# =============================================================================
@program("closure_basic", "rt_closure_new with a FuncPtr-typed string constant cast to I64, rt_closure_set/get_capture, rt_closure_func_ptr + CallIndirect")
def _():
    m = Module("closure_basic")
    body = m.fn("adder_body", [("env", I64), ("x", I64)], I64)
    cap = body.rt("rt_closure_get_capture", [body.args[0], ki(0)])
    body.ret_(body.bin("Add", body.args[1], decode(body, cap)))
    f = m.fn("main")
    fp = f.cast(k("adder_body", FnPtr([I64, I64], I64)), I64)
    c = f.rt("rt_closure_new", [fp, ki(1)])
    ok = f.rt("rt_closure_set_capture", [c, ki(0), ki(box(10))], I8)
    bad = f.rt("rt_closure_set_capture", [c, ki(5), ki(box(1))], I8)
    f.say_parts(["set ", ("i", f.cast(ok, I64)), " ", ("i", f.cast(bad, I64))])
    ptr = f.rt("rt_closure_func_ptr", [c], FnPtr([I64, I64], I64))
    r = f.temp(I64)
    f.E({"CallIndirect": {"dest": r, "ptr": op(ptr), "args": [op(c), ki(32)],
                          "signature": {"params": [I64, I64], "return_type": I64, "is_variadic": False}}})
    f.say_parts(["adder(32) = ", ("i", r)])
    nf = f.rt("rt_closure_func_ptr", [ki(box(1))])
    miss = f.rt("rt_closure_get_capture", [c, ki(3)])
    f.say_parts(["non-closure fn ", ("i", nf), " capture[3] ", ("i", miss)])
    f.ret_(r)
    return m, lines("set 1 0", "adder(32) = 42", "non-closure fn 0 capture[3] 3"), 42


@program("closure_map", "a closure with two captures made by a factory function and applied to every element of an array")
def _():
    m = Module("closure_map")
    lin = m.fn("linear_body", [("env", I64), ("x", I64)], I64)
    a = decode(lin, lin.rt("rt_closure_get_capture", [lin.args[0], ki(0)]))
    b = decode(lin, lin.rt("rt_closure_get_capture", [lin.args[0], ki(1)]))
    lin.ret_(lin.bin("Add", lin.bin("Mul", a, lin.args[1]), b))
    mk = m.fn("make_linear", [("a", I64), ("b", I64)], I64)
    fp = mk.cast(k("linear_body", FnPtr([I64, I64], I64)), I64)
    c = mk.rt("rt_closure_new", [fp, ki(2)])
    mk.rt("rt_closure_set_capture", [c, ki(0), boxv(mk, mk.args[0])], I8)
    mk.rt("rt_closure_set_capture", [c, ki(1), boxv(mk, mk.args[1])], I8)
    mk.ret_(c)
    f = m.fn("main")
    cl = f.call(mk, [ki(3), ki(-1)])
    xs = [1, 2, 5, 10]
    arr = f.agg({"Array": I64}, [ki(box(x)) for x in xs], Arr(I64, len(xs)))
    acc = f.var("acc", I64)
    f.const(0, I64, dest=acc)
    fnp = f.rt("rt_closure_func_ptr", [cl], FnPtr([I64, I64], I64))

    def body(i):
        x = decode(f, f.rt("rt_array_get", [arr, i]))
        r = f.temp(I64)
        f.E({"CallIndirect": {"dest": r, "ptr": op(fnp), "args": [op(cl), op(x)],
                              "signature": {"params": [I64, I64], "return_type": I64, "is_variadic": False}}})
        f.say_parts(["f(", ("i", x), ") = ", ("i", r)])
        f.copy(acc, f.bin("Add", acc, r))
    f.loop(ki(len(xs)), body)
    f.ret_(acc)
    return m, lines(*["f(%d) = %d" % (x, 3 * x - 1) for x in xs]), sum(3 * x - 1 for x in xs)


@program("global_counter", "GlobalAddr of a mutable static (symbol 900) shared by three functions: zero on first use, incremented, read back")
def _():
    m = Module("global_counter")
    bump = m.fn("bump", [("by", I64)], UNIT)
    g = bump.gaddr(900, True)
    v = bump.load(g, I64)
    bump.store(g, bump.bin("Add", v, bump.args[0]))
    bump.ret_()
    read = m.fn("read_counter", [], I64)
    g2 = read.gaddr(900, False, Ptr(I64, False))
    read.ret_(read.load(g2, I64))
    f = m.fn("main")
    first = f.call(read, [])
    f.say_parts(["start ", ("i", first)])

    def body(i):
        f.call(bump, [f.bin("Add", i, ki(1))])
    f.loop(ki(5), body)
    now = f.call(read, [])
    gm = f.gaddr(900, True)
    direct = f.load(gm, I64)
    f.say_parts(["after ", ("i", now), " direct ", ("i", direct)])
    f.ret_(now)
    return m, lines("start 0", "after 15 direct 15"), 15


@program("global_statics_distinct", "two statics (mutable and immutable symbols) are distinct cells; an immutable static never written reads 0; a text pointer stored in a static")
def _():
    m = Module("global_statics_distinct")
    setter = m.fn("init_statics", [], UNIT)
    a = setter.gaddr(901, True)
    setter.store(a, ki(123))
    t = setter.gaddr(903, True, Ptr(STR, True))
    setter.store(t, ks("kept in a static"))
    setter.ret_()
    f = m.fn("main")
    f.call(setter, [])
    a2 = f.gaddr(901, False, Ptr(I64, False))
    b = f.gaddr(902, False, Ptr(I64, False))
    va = f.load(a2, I64)
    vb = f.load(b, I64)
    f.say_parts(["901=", ("i", va), " 902=", ("i", vb)])
    t2 = f.gaddr(903, False, Ptr(STR, False))
    s = f.load(t2, STR)
    f.rt("rt_println", [s], UNIT)
    f.ret_(va)
    return m, lines("901=123 902=0", "kept in a static"), 123


# =============================================================================
# Reader shapes: probes, old wrapper, float tokens, functions object, extras
# =============================================================================
@program("coverage_probes", "DecisionProbe and ConditionProbe (as the serializer writes them) inside a loop have no effect")
def _():
    m = Module("coverage_probes")
    f = m.fn("main")
    cnt = f.var("evens", I64)
    f.const(0, I64, dest=cnt)

    def body(i):
        r = f.bin("Rem", i, ki(2))
        c = f.cmp("Eq", r, ki(0))
        f.E({"ConditionProbe": {"runtime_id": 7, "semantic_id": "cond:main:1", "parent_runtime_id": 6,
                                "parent_semantic_id": "dec:main:1", "result": op(c),
                                "authored_path": "demo/probes.spl", "line": 4, "column": 12}})
        f.E({"DecisionProbe": {"runtime_id": 6, "semantic_id": "dec:main:1", "result": op(c),
                               "authored_path": "demo/probes.spl", "line": 4, "column": 8}})
        t = f.block("if_then")
        j = f.block("if_merge")
        f.if_(c, t, j)
        f.at(t)
        f.copy(cnt, f.bin("Add", cnt, ki(1)))
        f.goto(j)
        f.at(j)
    f.loop(ki(9), body)
    f.say_parts(["evens=", ("i", cnt)])
    f.ret_(cnt)
    return m, lines("evens=5"), 5


@program("old_kind_wrapper", "instructions in the old serializer's {\"kind\": INST} wrapper (Const, BinOp, Call, Copy), mixed with bare ones")
def _():
    m = Module("old_kind_wrapper")
    f = m.fn("main")
    a = f.temp(I64)
    b = f.temp(I64)
    c = f.temp(I64)
    f.E({"kind": {"Const": {"dest": a, "value": 20, "type": I64}}})
    f.E({"kind": {"Const": {"dest": b, "value": 22, "type": I64}}})
    f.E({"kind": {"BinOp": {"dest": c, "op": "Add", "left": op(a), "right": op(b)}}})
    t = f.temp(STR)
    f.E({"kind": {"Call": {"dest": t, "func": k("rt_raw_i64_to_string", FnPtr([], STR)), "args": [op(c)]}}})
    d = f.temp(STR)
    f.E({"kind": {"Copy": {"dest": d, "src": t}}})
    f.E("Nop")
    f.E({"kind": "Nop"})
    cs = f.rt("rt_interp_cstr", [d], STR)
    f.rt("rt_println", [cs], UNIT)
    f.ret_(c)
    return m, lines("42"), 42


@program("float_tokens", "the serializer's NaN, inf and -inf float tokens in the JSON text; NaN != NaN; rendered by rt_raw_f64_to_string")
def _():
    m = Module("float_tokens")
    f = m.fn("main")
    n = f.const(Raw("NaN"), F64)
    pi = f.const(Raw("inf"), F64)
    ni = f.const(Raw("-inf"), F64)
    f.say_parts(["nan=", ("f", n), " inf=", ("f", pi), " -inf=", ("f", ni)])
    ne = f.cmp("Ne", n, n)
    lt = f.cmp("Lt", ni, pi)
    s = f.bin("Add", pi, ni, F64)
    sne = f.cmp("Ne", s, s)
    f.say_parts(["nan!=nan ", ("b", ne), " -inf<inf ", ("b", lt), " inf+-inf is nan ", ("b", sne)])
    big = f.bin("Mul", pi, k(-2.0, F64), F64)
    f.say_parts(["inf*-2=", ("f", big)])
    f.ret_(ki(0))
    return m, lines("nan=NaN inf=inf -inf=-inf", "nan!=nan true -inf<inf true inf+-inf is nan true", "inf*-2=-inf"), 0


@program("functions_object", "a module whose \"functions\" is an object keyed by symbol id; callees listed before and after main")
def _():
    m = Module("functions_object")
    m.functions_object = True
    sq = m.fn("square", [("x", I64)], I64, symbol=12)
    sq.ret_(sq.bin("Mul", sq.args[0], sq.args[0]))
    f = m.fn("main", symbol=3)
    later = m.fn("cube", [("x", I64)], I64, symbol=30)
    later.ret_(later.bin("Mul", later.args[0], later.call(sq, [later.args[0]])))
    a = f.call(sq, [ki(9)])
    b = f.call(later, [ki(3)])
    f.say_parts(["sq=", ("i", a), " cube=", ("i", b)])
    f.ret_(f.bin("Add", a, b))
    return m, lines("sq=81 cube=27"), 108


@program("unknown_fields", "unknown fields ignored: generic_params/is_generic_template on functions, statics/constants/types module tables, extra keys in locals")
def _():
    m = Module("unknown_fields")
    m.extra = {"statics": {"900": {"name": "counter", "type": I64}}, "constants": {}, "types": {"40": {"name": "Point"}}}
    h = m.fn("helper", [("x", I64)], I64)
    h.extra = {"generic_params": [], "is_generic_template": False}
    h.ret_(h.bin("Sub", h.args[0], ki(1)))
    f = m.fn("main")
    f.extra = {"generic_params": ["T"], "is_generic_template": False, "specialization_of": None}
    r = f.call(h, [ki(100)])
    f.locals[-1]["is_ghost"] = False
    f.say_parts(["helper(100)=", ("i", r)])
    f.ret_(r)
    return m, lines("helper(100)=99"), 99


@program("bare_function", "the JIT path's shape: the file is one bare function object (what serialize_mir_function returns), no module wrapper")
def _():
    m = Module("bare_function")
    m.bare = True
    f = m.fn("main")
    acc = f.var("acc", I64)
    f.const(1, I64, dest=acc)

    def body(i):
        f.copy(acc, f.bin("Mul", acc, ki(3)))
    f.loop(ki(5), body)
    f.say_parts(["3^5=", ("i", acc)])
    f.ret_(acc)
    return m, lines("3^5=243"), 243


@program("unit_calls", "Unit module functions (return_type \"Unit\", no Return local, Return null), Call dest null followed by the Unit temp local, side effects via a static")
def _():
    m = Module("unit_calls")
    log = m.fn("log_line", [("n", I64)], UNIT)
    log.say_parts(["line ", ("i", log.args[0])])
    g = log.gaddr(910, True)
    log.store(g, log.bin("Add", log.load(g, I64), log.args[0]))
    log.ret_()
    twice = m.fn("log_twice", [("n", I64)], UNIT)
    twice.call(log, [twice.args[0]])
    twice.call(log, [twice.bin("Mul", twice.args[0], ki(10))])
    twice.ret_()
    f = m.fn("main")
    f.call(twice, [ki(1)])
    f.call(twice, [ki(2)])
    g = f.gaddr(910, False, Ptr(I64, False))
    v = f.load(g, I64)
    f.ret_(v)
    return m, lines("line 1", "line 10", "line 2", "line 20"), 33


@program("move_and_return_local", "Move operands and Move instructions; Return null in a non-Unit function returns the Return local")
def _():
    m = Module("move_and_return_local")
    g = m.fn("get", [("x", I64)], I64)
    t = g.bin("Add", g.args[0], ki(5))
    g.move(g.ret, t)
    g.ret_()
    f = m.fn("main")
    a = f.call(g, [ki(10)])
    b = f.temp(I64)
    f.move(b, a)
    s = f.bin("Mul", mv(b), ki(2))
    f.say_parts(["moved ", ("i", s)])
    f.copy(f.ret, s)
    f.ret_()
    return m, lines("moved 30"), 30


@program("wrapping_arith", "wrapping I64/I32/U8 arithmetic printed through interpolation (MAX+1, MIN-1, U8 250+10, I32 product)")
def _():
    m = Module("wrapping_arith")
    f = m.fn("main")
    mx = f.const(9223372036854775807, I64)
    a = f.bin("Add", mx, ki(1))
    mn = f.const(-9223372036854775808, I64)
    b = f.bin("Sub", mn, ki(1))
    u = f.bin("Add", k(250, U8), k(10, U8), U8)
    i3 = f.bin("Mul", k(65536, I32), k(65537, I32), I32)
    f.say_parts(["max+1=", ("i", a)])
    f.say_parts(["min-1=", ("i", b)])
    f.say_parts(["u8 250+10=", ("i", f.cast(u, I64))])
    f.say_parts(["i32 65536*65537=", ("i", f.cast(i3, I64))])
    f.ret_(f.cast(u, I64))
    return m, lines("max+1=-9223372036854775808", "min-1=9223372036854775807", "u8 250+10=4",
                    "i32 65536*65537=65536"), 4


# =============================================================================
# Intrinsics and panics
# =============================================================================
@program("ssa_phi", "Intrinsic __simple_ssa_phi choosing by predecessor block (args [pred, value, ...]); with fewer than 4 args the first argument")
def _():
    m = Module("ssa_phi")
    pick = m.fn("pick", [("c", BOOL)], I64)
    t = pick.block("if_then")
    e = pick.block("if_else")
    j = pick.block("if_merge")
    pick.if_(pick.args[0], t, e)
    pick.at(t)
    pick.goto(j)
    pick.at(e)
    pick.goto(j)
    pick.at(j)
    r = pick.intr("__simple_ssa_phi", [ki(t), ki(111), ki(e), ki(222)], I64)
    pick.ret_(r)
    f = m.fn("main")
    a = f.call(pick, [kb(True)])
    b = f.call(pick, [kb(False)])
    c = f.intr("__simple_ssa_phi", [ki(5)], I64)
    f.say_parts(["phi ", ("i", a), " ", ("i", b), " ", ("i", c)])
    f.ret_(f.bin("Add", a, b))
    return m, lines("phi 111 222 5"), 333


@program("bounds_check_ok", "Intrinsic bounds_check in range (index 0 and len-1) before rt_array_get, dest null")
def _():
    m = Module("bounds_check_ok")
    f = m.fn("main")
    a = f.agg({"Array": I64}, [ki(box(v)) for v in (4, 5, 6)], Arr(I64, 3))
    n = f.rt("rt_array_len", [a])
    tot = f.var("tot", I64)
    f.const(0, I64, dest=tot)

    def body(i):
        f.intr("bounds_check", [i, n])
        f.copy(tot, f.bin("Add", tot, decode(f, f.rt("rt_array_get", [a, i]))))
    f.loop(n, body)
    f.say_parts(["checked sum ", ("i", tot)])
    f.ret_(tot)
    return m, lines("checked sum 15"), 15


@program("bounds_check_fail", "a failing Intrinsic bounds_check in a callee: the error names that function; output before it is kept")
def _():
    m = Module("bounds_check_fail")
    g = m.fn("get_at", [("a", Arr(I64)), ("i", I64)], I64)
    n = g.rt("rt_array_len", [g.args[0]])
    g.intr("bounds_check", [g.args[1], n])
    g.ret_(decode(g, g.rt("rt_array_get", [g.args[0], g.args[1]])))
    f = m.fn("main")
    a = f.agg({"Array": I64}, [ki(box(v)) for v in (7, 8, 9)], Arr(I64, 3))
    x = f.call(g, [a, ki(2)])
    f.say_parts(["a[2]=", ("i", x)])
    y = f.call(g, [a, ki(5)])
    f.say_parts(["a[5]=", ("i", y)])
    f.ret_(y)
    return m, lines("a[2]=9"), "runtime error in `get_at`: index 5 out of bounds for length 3"


@program("bounds_check_runtime_fail", "the runtime function __simple_intrinsic_bounds_check called directly with a negative index: error without a MIR function name")
def _():
    m = Module("bounds_check_runtime_fail")
    f = m.fn("main")
    f.say("before")
    f.rt("__simple_intrinsic_bounds_check", [ki(-1), ki(4)], UNIT)
    f.say("after")
    f.ret_(ki(0))
    return m, lines("before"), "runtime error: index -1 out of bounds for length 4"


@program("intrinsic_fallback", "unknown intrinsic names likely/assume fall back to the externs __simple_intrinsic_likely/_assume (identity)")
def _():
    m = Module("intrinsic_fallback")
    f = m.fn("main")
    c = f.cmp("Gt", ki(5), ki(3))
    l = f.intr("likely", [c], BOOL)
    v = f.intr("assume", [ki(77)], I64)
    f.say_parts(["likely ", ("b", l), " assume ", ("i", v)])
    f.ret_(v)
    return m, lines("likely true assume 77"), 77


@program("panic_ptr_len", "rt_panic(ptr, len) after some output: runtime error: panic: MSG (only len bytes of the message)")
def _():
    m = Module("panic_ptr_len")
    h = m.fn("check", [("x", I64)], I64)
    neg = h.cmp("Lt", h.args[0], ki(0))
    bad = h.block("if_then")
    ok = h.block("if_else")
    h.if_(neg, bad, ok)
    h.at(bad)
    h.rt("rt_panic", [ks("negative value!!"), k(14, U64)], UNIT)
    h.T("Unreachable")
    h.at(ok)
    h.ret_(h.args[0])
    f = m.fn("main")
    a = f.call(h, [ki(4)])
    f.say_parts(["ok ", ("i", a)])
    b = f.call(h, [ki(-4)])
    f.say_parts(["ok ", ("i", b)])
    f.ret_(b)
    return m, lines("ok 4"), "runtime error: panic: negative value"


@program("panic_cstr", "rt_panic with one char* argument (the compiler's other arity), a tagged text built by interpolation")
def _():
    m = Module("panic_cstr")
    f = m.fn("main")
    n = f.const(17, I64)
    t = f.interp(["bad count ", ("i", n)])
    c = f.rt("rt_interp_cstr", [t], STR)
    f.rt("rt_panic", [c], UNIT)
    f.ret_(ki(0))
    return m, "", "runtime error: panic: bad count 17"


# =============================================================================
# Exceptions
# =============================================================================
def thrower(m, name="fail", tag=TAG_I64):
    """fn NAME(x): if x > 0 return x*2 else throw x (payload x, tag)."""
    t = m.fn(name, [("x", I64)], I64)
    pos = t.cmp("Gt", t.args[0], ki(0))
    ok = t.block("if_then")
    bad = t.block("if_else")
    t.if_(pos, ok, bad)
    t.at(ok)
    t.ret_(t.bin("Mul", t.args[0], ki(2)))
    t.at(bad)
    t.throw(t.args[0], ki(tag))
    return t


def try_call(f, callee, args, on_ok, on_catch, label="destination"):
    """try: r = callee(args) ... catch: the upstream block shape
    (destination_catch_dispatch / _try_normal_finally / _try_merge)."""
    payload = f.temp(I64)
    tag = f.temp(I64)
    dispatch = f.block(label + "_catch_dispatch")
    normal = f.block(label + "_try_normal_finally")
    merge = f.block(label + "_try_merge")
    r = f.callterm(callee, args, normal, dispatch, payload, tag)
    f.at(normal)
    on_ok(r)
    f.goto(merge)
    f.at(dispatch)
    on_catch(payload, tag)
    if f.cur["terminator"] == "Unreachable":
        f.goto(merge)
    f.at(merge)
    return r


@program("exc_one_frame", "Throw (int payload, i64 tag 100129) caught one frame up by a CallTerminator's unwind block with payload and tag dests")
def _():
    m = Module("exc_one_frame")
    t = thrower(m)
    f = m.fn("main")
    res = f.var("res", I64)
    f.const(0, I64, dest=res)
    for x in (21, -5):
        try_call(f, t, [ki(x)],
                 lambda r: (f.say_parts(["ok ", ("i", r)]), f.copy(res, f.bin("Add", res, r))),
                 lambda p, g: (f.say_parts(["caught ", ("i", p), " tag ", ("i", g)]),
                               f.copy(res, f.bin("Add", res, p))))
    f.ret_(res)
    return m, lines("ok 42", "caught -5 tag %d" % TAG_I64), 37


@program("exc_two_frames", "a raise two frames deep through a plain Call in the middle frame; the middle frame's code after the call does not run")
def _():
    m = Module("exc_two_frames")
    t = thrower(m, "inner")
    mid = m.fn("middle", [("x", I64)], I64)
    mid.say_parts(["middle ", ("i", mid.args[0])])
    r = mid.call(t, [mid.args[0]])
    mid.say("middle after")
    mid.ret_(mid.bin("Add", r, ki(1)))
    f = m.fn("main")
    out = f.var("out", I64)
    f.const(0, I64, dest=out)
    for x in (4, -8):
        try_call(f, mid, [ki(x)],
                 lambda r: (f.say_parts(["ok ", ("i", r)]), f.copy(out, f.bin("Add", out, r))),
                 lambda p, g: (f.say_parts(["caught ", ("i", p)]), f.copy(out, f.bin("Add", out, p))))
    f.ret_(out)
    return m, lines("middle 4", "middle after", "ok 9", "middle -8", "caught -8"), 1


@program("exc_five_frames", "a raise five frames deep (level1..level5, plain Calls) caught in main; each frame prints before calling, none after")
def _():
    m = Module("exc_five_frames")
    prev = thrower(m, "level5")
    for lvl in (4, 3, 2, 1):
        g = m.fn("level%d" % lvl, [("x", I64)], I64)
        g.say_parts(["enter level%d" % lvl])
        r = g.call(prev, [g.bin("Sub", g.args[0], ki(1))])
        g.say_parts(["leave level%d" % lvl])
        g.ret_(r)
        prev = g
    f = m.fn("main")
    got = f.var("got", I64)
    f.const(0, I64, dest=got)
    for x in (10, 3):
        try_call(f, prev, [ki(x)],
                 lambda r: (f.say_parts(["result ", ("i", r)]), f.copy(got, r)),
                 lambda p, g: (f.say_parts(["caught ", ("i", p), " from level5"]), f.copy(got, f.bin("Add", got, p))))
    f.ret_(got)
    ok = ["enter level%d" % i for i in (1, 2, 3, 4)] + ["leave level%d" % i for i in (4, 3, 2, 1)] + ["result 12"]
    bad = ["enter level%d" % i for i in (1, 2, 3, 4)] + ["caught -1 from level5"]
    return m, lines(*(ok + bad)), 11


def typed_thrower(m):
    """fn raise_kind(k): k=0 throws text, 1 throws i64 7, 2 throws named 42 (a struct), 3 throws bool."""
    t = m.fn("raise_kind", [("k", I64)], I64)
    arms = [t.block("match_arm") for _ in range(4)]
    dflt = t.block("match_default")
    t.switch(t.args[0], [(i, b) for i, b in enumerate(arms)], dflt)
    t.at(arms[0])
    msg = t.interp(["text error #", ("i", t.args[0])])
    t.throw(msg, ki(TAG_TEXT))
    t.at(arms[1])
    t.throw(ki(7), ki(TAG_I64))
    t.at(arms[2])
    s = t.agg({"Struct": 42}, [ki(1234)], StructT(42))
    t.throw(s, ki(named_tag(42)))
    t.at(arms[3])
    t.throw(kb(True), ki(TAG_BOOL))
    t.at(dflt)
    t.ret_(t.args[0])
    return t


@program("exc_tag_dispatch_if", "catch clauses dispatched as the upstream If chain (Eq on the caught tag): text 300003, i64 100129, named 1000000042, catch-all")
def _():
    m = Module("exc_tag_dispatch_if")
    t = typed_thrower(m)
    f = m.fn("main")
    score = f.var("score", I64)
    f.const(0, I64, dest=score)

    def on_catch(p, g):
        clauses = [(TAG_TEXT, lambda: f.say_parts(["text: ", ("s", p)])),
                   (TAG_I64, lambda: f.say_parts(["int: ", ("i", p)])),
                   (named_tag(42), lambda: f.say_parts(["struct field: ", ("i", f.getf(f.cast(p, StructT(42)), 0, I64))])),
                   (None, lambda: f.say_parts(["other tag ", ("i", g)]))]
        done = f.block("destination_catch_done")
        for i, (tag, act) in enumerate(clauses):
            arm = f.block("destination_catch_arm")
            nxt = f.block("destination_catch_next")
            cond = kb(True) if tag is None else f.cmp("Eq", g, ki(tag))
            f.if_(cond, arm, nxt)
            f.at(arm)
            act()
            f.copy(score, f.bin("Add", score, ki(i + 1)))
            f.goto(done)
            f.at(nxt)
        f.T("Unreachable")
        f.at(done)

    for kind in range(5):
        try_call(f, t, [ki(kind)], lambda r: f.say_parts(["returned ", ("i", r)]), on_catch)
    f.ret_(score)
    out = ["text: text error #0", "int: 7", "struct field: 1234", "other tag %d" % TAG_BOOL, "returned 4"]
    return m, lines(*out), 1 + 2 + 3 + 4


@program("exc_tag_dispatch_switch", "catch dispatch by a Switch on the caught type tag with several targets and a default that resumes (caught one level up)")
def _():
    m = Module("exc_tag_dispatch_switch")
    t = typed_thrower(m)
    h = m.fn("handle", [("k", I64)], I64)
    payload = h.temp(I64)
    tag = h.temp(I64)
    disp = h.block("destination_catch_dispatch")
    normal = h.block("destination_try_normal_finally")
    r = h.callterm(t, [h.args[0]], normal, disp, payload, tag)
    h.at(normal)
    h.ret_(r)
    h.at(disp)
    a_text = h.block("destination_catch_arm")
    a_int = h.block("destination_catch_arm")
    a_named = h.block("destination_catch_arm")
    rethrow = h.block("destination_catch_cleanup")
    h.switch(tag, [(TAG_TEXT, a_text), (TAG_I64, a_int), (named_tag(42), a_named)], rethrow)
    h.at(a_text)
    h.ret_(ki(100))
    h.at(a_int)
    h.ret_(h.bin("Add", payload, ki(200)))
    h.at(a_named)
    h.ret_(ki(300))
    h.at(rethrow)
    h.resume(mv(payload), tag)
    f = m.fn("main")
    acc = f.var("acc", I64)
    f.const(0, I64, dest=acc)
    for kind in (0, 1, 2, 3, 9):
        try_call(f, h, [ki(kind)],
                 lambda r: (f.say_parts(["handled ", ("i", r)]), f.copy(acc, f.bin("Add", acc, r))),
                 lambda p, g: f.say_parts(["escaped tag ", ("i", g), " payload ", ("i", p)]))
    f.ret_(acc)
    out = ["handled 100", "handled 207", "handled 300", "escaped tag %d payload 1" % TAG_BOOL, "handled 9"]
    return m, lines(*out), 100 + 207 + 300 + 9


@program("exc_rethrow_resume", "an inner handler that only catches text re-raises others with Resume; the outer CallTerminator catches the resumed int with its original tag")
def _():
    m = Module("exc_rethrow_resume")
    t = thrower(m, "fail")
    inner = m.fn("guarded", [("x", I64)], I64)
    p = inner.temp(I64)
    g = inner.temp(I64)
    disp = inner.block("destination_catch_dispatch")
    normal = inner.block("destination_try_normal_finally")
    r = inner.callterm(t, [inner.args[0]], normal, disp, p, g)
    inner.at(normal)
    inner.ret_(r)
    inner.at(disp)
    inner.say("guarded: not mine, resuming")
    is_text = inner.cmp("Eq", g, ki(TAG_TEXT))
    arm = inner.block("destination_catch_arm")
    nxt = inner.block("destination_catch_next")
    inner.if_(is_text, arm, nxt)
    inner.at(arm)
    inner.ret_(ki(0))
    inner.at(nxt)
    inner.resume(mv(p), g)
    f = m.fn("main")
    res = f.var("res", I64)
    f.const(0, I64, dest=res)
    try_call(f, inner, [ki(-9)],
             lambda r: f.say_parts(["ok ", ("i", r)]),
             lambda pp, gg: (f.say_parts(["main caught ", ("i", pp), " tag ", ("i", gg)]), f.copy(res, pp)))
    f.ret_(res)
    return m, lines("guarded: not mine, resuming", "main caught -9 tag %d" % TAG_I64), -9


@program("exc_loop_raise", "a CallTerminator inside a loop: every third call raises, the handler counts and the loop continues")
def _():
    m = Module("exc_loop_raise")
    mf = m.fn("may_fail", [("i", I64)], I64)
    r = mf.bin("Rem", mf.args[0], ki(3))
    z = mf.cmp("Eq", r, ki(0))
    bad = mf.block("if_then")
    ok = mf.block("if_else")
    mf.if_(z, bad, ok)
    mf.at(bad)
    mf.throw(mf.args[0], ki(TAG_I64))
    mf.at(ok)
    mf.ret_(mf.bin("Mul", mf.args[0], ki(10)))
    f = m.fn("main")
    fails = f.var("fails", I64)
    total = f.var("total", I64)
    f.const(0, I64, dest=fails)
    f.const(0, I64, dest=total)

    def body(i):
        try_call(f, mf, [i],
                 lambda r: f.copy(total, f.bin("Add", total, r)),
                 lambda p, g: (f.say_parts(["failed at ", ("i", p)]), f.copy(fails, f.bin("Add", fails, ki(1)))))
    f.loop(ki(10), body)
    f.say_parts(["fails=", ("i", fails), " total=", ("i", total)])
    f.ret_(total)
    tot = sum(i * 10 for i in range(10) if i % 3)
    return m, lines("failed at 0", "failed at 3", "failed at 6", "failed at 9", "fails=4 total=%d" % tot), tot


@program("exc_plain_call_loop", "a raise from inside a loop in the callee passes through plain Calls of two frames, ending both loops early")
def _():
    m = Module("exc_plain_call_loop")
    w = m.fn("worker", [("limit", I64)], I64)
    acc = w.var("acc", I64)
    w.const(0, I64, dest=acc)

    def wbody(i):
        over = w.cmp("Gt", i, w.args[0])
        boom = w.block("if_then")
        cont = w.block("if_merge")
        w.if_(over, boom, cont)
        w.at(boom)
        w.throw(acc, ki(TAG_I64))
        w.at(cont)
        w.copy(acc, w.bin("Add", acc, i))
    w.loop(ki(100), wbody)
    w.ret_(acc)
    mid = m.fn("runner", [("n", I64)], I64)
    s = mid.var("s", I64)
    mid.const(0, I64, dest=s)

    def mbody(i):
        v = mid.call(w, [mid.bin("Add", mid.args[0], i)])
        mid.say_parts(["runner got ", ("i", v)])
        mid.copy(s, mid.bin("Add", s, v))
    mid.loop(ki(3), mbody)
    mid.ret_(s)
    f = m.fn("main")
    res = f.var("res", I64)
    f.const(0, I64, dest=res)
    try_call(f, mid, [ki(4)], lambda r: f.copy(res, r),
             lambda p, g: (f.say_parts(["escaped with partial sum ", ("i", p)]), f.copy(res, p)))
    f.ret_(res)
    return m, lines("escaped with partial sum %d" % sum(range(5))), 10


@program("exc_normal_return", "CallTerminator whose callee returns normally: dest gets the value and control goes to the normal block; a Unit callee with dest null")
def _():
    m = Module("exc_normal_return")
    sq = m.fn("square", [("x", I64)], I64)
    sq.ret_(sq.bin("Mul", sq.args[0], sq.args[0]))
    note = m.fn("note", [("x", I64)], UNIT)
    note.say_parts(["note ", ("i", note.args[0])])
    note.ret_()
    f = m.fn("main")
    p = f.temp(I64)
    g = f.temp(I64)
    nb = f.block("call_normal")
    ub = f.block("call_unwind")
    r = f.callterm(sq, [ki(12)], nb, ub, p, g)
    f.at(ub)
    f.say("unexpected unwind")
    f.ret_(ki(-1))
    f.at(nb)
    nb2 = f.block("call_normal")
    f.callterm(note, [r], nb2, ub, p, g)
    f.at(nb2)
    f.say_parts(["square=", ("i", r)])
    f.ret_(r)
    return m, lines("note 144", "square=144"), 144


@program("exc_unwind_null", "a CallTerminator with unwind null in the middle frame lets the raise continue into its caller, whose CallTerminator catches it")
def _():
    m = Module("exc_unwind_null")
    t = thrower(m, "deep")
    mid = m.fn("relay", [("x", I64)], I64)
    nb = mid.block("call_normal")
    r = mid.callterm(t, [mid.args[0]], nb, None)
    mid.at(nb)
    mid.say("relay normal")
    mid.ret_(r)
    f = m.fn("main")
    out = f.var("out", I64)
    f.const(0, I64, dest=out)
    for x in (3, -2):
        try_call(f, mid, [ki(x)],
                 lambda rr: (f.say_parts(["ok ", ("i", rr)]), f.copy(out, f.bin("Add", out, rr))),
                 lambda p, g: (f.say_parts(["main caught ", ("i", p)]), f.copy(out, f.bin("Add", out, p))))
    f.ret_(out)
    return m, lines("relay normal", "ok 6", "main caught -2"), 4


@program("exc_old_shapes", "the older CallTerminator shape (\"unwind_contract\": \"MayUnwind\", no payload/tag dests) and the old {\"kind\":\"throw\",\"value\":op} terminator")
def _():
    m = Module("exc_old_shapes")
    t = m.fn("old_fail", [("x", I64)], I64)
    neg = t.cmp("Lt", t.args[0], ki(0))
    bad = t.block("if_then")
    ok = t.block("if_else")
    t.if_(neg, bad, ok)
    t.at(bad)
    t.T({"kind": "throw", "value": op(t.args[0])})
    t.at(ok)
    t.ret_(t.bin("Add", t.args[0], ki(1)))
    f = m.fn("main")
    acc = f.var("acc", I64)
    f.const(0, I64, dest=acc)
    for x in (5, -5):
        d = f.temp(I64)
        nb = f.block("call_normal")
        ub = f.block("call_unwind")
        mg = f.block("call_merge")
        f.T({"CallTerminator": {"dest": d, "func": k("old_fail", FnPtr([I64], I64)), "args": [ki(x)],
                                "normal": nb, "unwind": ub, "unwind_contract": "MayUnwind"}})
        f.at(nb)
        f.say_parts(["ok ", ("i", d)])
        f.copy(acc, f.bin("Add", acc, d))
        f.goto(mg)
        f.at(ub)
        f.say("caught an old-style throw")
        f.copy(acc, f.bin("Add", acc, ki(100)))
        f.goto(mg)
        f.at(mg)
    nb = f.block("call_normal")
    d2 = f.temp(I64)
    f.T({"CallTerminator": {"dest": d2, "func": k("old_fail", FnPtr([I64], I64)), "args": [ki(1)],
                            "normal": nb, "unwind": None, "unwind_contract": "NoUnwind"}})
    f.at(nb)
    f.ret_(f.bin("Add", acc, d2))
    return m, lines("ok 6", "caught an old-style throw"), 108


@program("uncaught_int", "an int payload raised and never caught reaches the host: uncaught exception (type tag 100129), naming the throwing function")
def _():
    m = Module("uncaught_int")
    t = thrower(m, "fail")
    mid = m.fn("caller", [("x", I64)], I64)
    mid.ret_(mid.call(t, [mid.args[0]]))
    f = m.fn("main")
    a = f.call(mid, [ki(2)])
    f.say_parts(["first ", ("i", a)])
    b = f.call(mid, [ki(-1)])
    f.say_parts(["second ", ("i", b)])
    f.ret_(b)
    return m, lines("first 4"), "runtime error in `fail`: uncaught exception (type tag %d)" % TAG_I64


@program("uncaught_text", "a text payload (tag 300003, a tagged string built by interpolation) uncaught at the host: uncaught exception: TEXT")
def _():
    m = Module("uncaught_text")
    v = m.fn("validate", [("x", I64)], I64)
    big = v.cmp("Gt", v.args[0], ki(10))
    bad = v.block("if_then")
    ok = v.block("if_else")
    v.if_(big, bad, ok)
    v.at(bad)
    msg = v.interp(["bad input: ", ("i", v.args[0])])
    v.throw(msg, ki(TAG_TEXT))
    v.at(ok)
    v.ret_(v.args[0])
    f = m.fn("main")
    a = f.call(v, [ki(3)])
    f.say_parts(["valid ", ("i", a)])
    f.call(v, [ki(42)])
    f.say("unreached")
    f.ret_(ki(0))
    return m, lines("valid 3"), "runtime error in `validate`: uncaught exception: bad input: 42"


@program("uncaught_literal_text", "a raw text literal thrown with tag 300003 and resumed by a handler: the error names the function executing the Resume")
def _():
    m = Module("uncaught_literal_text")
    t = m.fn("explode", [], I64)
    t.throw(ks("out of fuel"), ki(TAG_TEXT))
    h = m.fn("middle", [], I64)
    p = h.temp(STR)
    g = h.temp(I64)
    disp = h.block("destination_catch_dispatch")
    normal = h.block("destination_try_normal_finally")
    r = h.callterm(t, [], normal, disp, p, g)
    h.at(normal)
    h.ret_(r)
    h.at(disp)
    h.say("middle saw it")
    h.resume(mv(p), g)
    f = m.fn("main")
    f.ret_(f.call(h, []))
    return m, lines("middle saw it"), "runtime error in `middle`: uncaught exception: out of fuel"


@program("uncaught_old_throw", "the old {\"kind\":\"throw\"} terminator uncaught: its type tag is 0")
def _():
    m = Module("uncaught_old_throw")
    t = m.fn("legacy", [("x", I64)], I64)
    t.say("legacy throwing")
    t.T({"kind": "throw", "value": op(t.args[0])})
    f = m.fn("main")
    f.ret_(f.call(t, [ki(5)]))
    return m, lines("legacy throwing"), "runtime error in `legacy`: uncaught exception (type tag 0)"


@program("uncaught_named", "an uncaught struct payload with a named-type tag (1000000000 + symbol) from a Resume after a non-matching If dispatch")
def _():
    m = Module("uncaught_named")
    t = typed_thrower(m)
    h = m.fn("only_ints", [("k", I64)], I64)
    p = h.temp(I64)
    g = h.temp(I64)
    disp = h.block("destination_catch_dispatch")
    normal = h.block("destination_try_normal_finally")
    r = h.callterm(t, [h.args[0]], normal, disp, p, g)
    h.at(normal)
    h.ret_(r)
    h.at(disp)
    c = h.cmp("Eq", g, ki(TAG_I64))
    arm = h.block("destination_catch_arm")
    nxt = h.block("destination_catch_next")
    h.if_(c, arm, nxt)
    h.at(arm)
    h.ret_(p)
    h.at(nxt)
    h.resume(mv(p), g)
    f = m.fn("main")
    a = f.call(h, [ki(1)])
    f.say_parts(["int handled ", ("i", a)])
    b = f.call(h, [ki(2)])
    f.ret_(b)
    return m, lines("int handled 7"), "runtime error in `only_ints`: uncaught exception (type tag %d)" % named_tag(42)


# =============================================================================
# Larger mixed programs
# =============================================================================
@program("inventory_report", "a small realistic program: an array of item structs with text names, totals in a dict by category, interpolated report lines")
def _():
    m = Module("inventory_report")
    Item = StructT(60)
    f = m.fn("main")
    items = [("bolt", "hw", 3, 25), ("nut", "hw", 1, 40), ("glue", "chem", 7, 3), ("tape", "misc", 4, 5),
             ("oil", "chem", 9, 2)]
    objs = []
    for nm, cat, price, qty in items:
        cs = f.rt("rt_string_new", [ks(cat), k(len(cat), U64)], STR)
        objs.append(f.agg({"Struct": 60}, [ks(nm), cs, ki(price), ki(qty)], Item))
    arr = f.agg({"Array": Item}, objs, Arr(Item, len(objs)))
    d = f.rt("rt_dict_new", [ki(0)], DictT(STR, I64))
    grand = f.var("grand", I64)
    f.const(0, I64, dest=grand)
    n = f.rt("rt_array_len", [arr])

    def body(i):
        it = f.rt("rt_array_get", [arr, i], Item)
        nm = f.getf(it, 0, STR)
        cat = f.getf(it, 1, STR)
        v = f.bin("Mul", f.getf(it, 2, I64), f.getf(it, 3, I64))
        f.say_parts(["- ", ("s", nm), " (", ("s", cat), "): ", ("i", v)])
        cur = f.rt("rt_dict_get", [d, cat])
        isnil = f.cmp("Eq", cur, ki(NIL))
        base = f.var("base", I64)
        t = f.block("if_then")
        e = f.block("if_else")
        j = f.block("if_merge")
        f.if_(isnil, t, e)
        f.at(t)
        f.const(0, I64, dest=base)
        f.goto(j)
        f.at(e)
        f.copy(base, decode(f, cur))
        f.goto(j)
        f.at(j)
        f.rt("rt_dict_set", [d, cat, boxv(f, f.bin("Add", base, v))], UNIT)
        f.copy(grand, f.bin("Add", grand, v))
    f.loop(n, body)
    for cat in ("hw", "chem", "misc"):
        kk = f.rt("rt_string_new", [ks(cat), k(len(cat), U64)], STR)
        f.say_parts([cat, " total ", ("i", decode(f, f.rt("rt_dict_get", [d, kk])))])
    f.say_parts(["grand total ", ("i", grand)])
    f.ret_(grand)
    out = ["- %s (%s): %d" % (nm, c, p * q) for nm, c, p, q in items]
    for cat in ("hw", "chem", "misc"):
        out.append("%s total %d" % (cat, sum(p * q for _, c, p, q in items if c == cat)))
    g = sum(p * q for _, _, p, q in items)
    out.append("grand total %d" % g)
    return m, lines(*out), g


@program("parse_numbers", "parsing a comma-separated list of numbers with split/trim/to_int, validating with a thrown text error caught by tag")
def _():
    m = Module("parse_numbers")
    pn = m.fn("parse_all", [("s", STR)], I64)
    parts = pn.rt("rt_string_split", [pn.args[0], ks(",")], Arr(STR))
    n = pn.rt("rt_array_len", [parts])
    acc = pn.var("acc", I64)
    pn.const(0, I64, dest=acc)

    def body(i):
        w = pn.rt("rt_string_trim", [pn.rt("rt_array_get", [parts, i], STR)], STR)
        empty = pn.cmp("Eq", pn.rt("rt_string_len", [w]), ki(0))
        bad = pn.block("if_then")
        good = pn.block("if_merge")
        pn.if_(empty, bad, good)
        pn.at(bad)
        msg = pn.interp(["empty field at ", ("i", i)])
        pn.throw(msg, ki(TAG_TEXT))
        pn.at(good)
        pn.copy(acc, pn.bin("Add", acc, pn.rt("rt_string_to_int_any", [w])))
    pn.loop(n, body)
    pn.ret_(acc)
    f = m.fn("main")
    res = f.var("res", I64)
    f.const(0, I64, dest=res)
    for src in (" 10, 20 ,-5,7", "1,,3"):
        s = f.rt("rt_strcat_tagged", [ks(src), ks("")], STR)

        def on_catch(p, g):
            is_text = f.cmp("Eq", g, ki(TAG_TEXT))
            arm = f.block("destination_catch_arm")
            nxt = f.block("destination_catch_next")
            done = f.block("destination_catch_done")
            f.if_(is_text, arm, nxt)
            f.at(arm)
            f.say_parts(["error: ", ("s", p)])
            f.goto(done)
            f.at(nxt)
            f.resume(p, g)
            f.at(done)
        try_call(f, pn, [s], lambda r: (f.say_parts(["sum ", ("i", r)]), f.copy(res, r)), on_catch)
    f.ret_(res)
    return m, lines("sum 32", "error: empty field at 1"), 32


def main():
    check = "--check" in sys.argv[1:]
    expected_files = {}
    failures = []
    names = set()
    for name, covers, build in PROGRAMS:
        assert name not in names, name
        names.add(name)
        module, out, result = build()
        text = module.text()
        got_out, (kind, val) = refmodel.run_text(text)
        want = ("err", result) if isinstance(result, str) else ("ret", result)
        if got_out != out.encode("utf-8") or (kind, val) != want:
            failures.append("%s: generator says %r / %r, refmodel says %r / %r"
                            % (name, out, want, got_out.decode("utf-8", "replace"), (kind, val)))
            continue
        expected_files[name + ".json"] = text.encode("utf-8")
        expected_files[name + ".out"] = out.encode("utf-8")
        if kind == "ret":
            expected_files[name + ".ret"] = b"%d\n" % val
        else:
            expected_files[name + ".err"] = val.encode("utf-8") + b"\n"
    if failures:
        print("\n".join(failures))
        print("%d program(s) disagree; nothing written for them" % len(failures))
    ours = {f for f in os.listdir(HERE) if f.rsplit(".", 1)[-1] in ("json", "out", "ret", "err", "exit")}
    if check:
        bad = [f for f, data in sorted(expected_files.items())
               if not os.path.exists(os.path.join(HERE, f)) or open(os.path.join(HERE, f), "rb").read() != data]
        stale = sorted(ours - set(expected_files))
        for f in bad:
            print("differs: " + f)
        for f in stale:
            print("stale: " + f)
        if bad or stale or failures:
            return 1
        print("ok: %d programs, %d files up to date" % (len(PROGRAMS), len(expected_files)))
        return 0
    for f in sorted(ours - set(expected_files)):
        os.remove(os.path.join(HERE, f))
    for f, data in expected_files.items():
        with open(os.path.join(HERE, f), "wb") as fh:
            fh.write(data)
    print("wrote %d programs (%d files)" % (len(PROGRAMS) - len(failures), len(expected_files)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
