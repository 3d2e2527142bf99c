#!/usr/bin/env python3
"""Reference model: a small, independent MIR interpreter for the compiler corpus.

Written from /work/shared/MIR.md (v2) and /work/shared/RUNTIME.md only; it
shares no code with gen.py (which builds the programs) and none with
spl-exec. gen.py writes a program's expected files only when the plain-Python
expectation it states and this model's run of the emitted JSON text agree.

Usage: python3 refmodel.py FILE.json   (prints stdout, then the result line)

The model is deliberately simple: every local holds a Python value normalised
to its MIR type (ints in range, floats as Python floats, words as unsigned
64-bit ints), memory is a set of byte arrays at fake addresses, and runtime
objects (strings, arrays, enums, dicts, closures, boxes) live in a registry
keyed by their (fake) address, so a tagged word `addr | 1` is recognised by a
registry lookup, never by guessing (RUNTIME.md "Values: the tagged word").
"""

import math
import struct
import sys
from decimal import Decimal

MASK64 = (1 << 64) - 1
NIL, TRUE_W, FALSE_W = 3, 11, 19
MAX_DEPTH = 10000


# --------------------------------------------------------------------------
# A tolerant JSON reader: MIR.md says the serializer may write the float
# tokens NaN, inf, -inf and leave control characters unescaped in strings.
# --------------------------------------------------------------------------
class JsonError(Exception):
    pass


def parse_json(text):
    pos = 0
    n = len(text)

    def ws():
        nonlocal pos
        while pos < n and text[pos] in " \t\r\n":
            pos += 1

    def value():
        nonlocal pos
        ws()
        if pos >= n:
            raise JsonError("unexpected end")
        ch = text[pos]
        if ch == "{":
            pos += 1
            obj = {}
            ws()
            if text[pos] == "}":
                pos += 1
                return obj
            while True:
                ws()
                key = string()
                ws()
                if text[pos] != ":":
                    raise JsonError("expected : at %d" % pos)
                pos += 1
                obj[key] = value()
                ws()
                if text[pos] == ",":
                    pos += 1
                    continue
                if text[pos] == "}":
                    pos += 1
                    return obj
                raise JsonError("expected , or } at %d" % pos)
        if ch == "[":
            pos += 1
            arr = []
            ws()
            if text[pos] == "]":
                pos += 1
                return arr
            while True:
                arr.append(value())
                ws()
                if text[pos] == ",":
                    pos += 1
                    continue
                if text[pos] == "]":
                    pos += 1
                    return arr
                raise JsonError("expected , or ] at %d" % pos)
        if ch == '"':
            return string()
        for word, val in (("true", True), ("false", False), ("null", None),
                          ("NaN", math.nan), ("inf", math.inf),
                          ("Infinity", math.inf), ("-inf", -math.inf),
                          ("-Infinity", -math.inf)):
            if text.startswith(word, pos):
                end = pos + len(word)
                if end >= n or not (text[end].isalnum() or text[end] == "_"):
                    pos = end
                    return val
        start = pos
        if text[pos] == "-":
            pos += 1
        while pos < n and (text[pos].isdigit() or text[pos] in ".eE+-"):
            pos += 1
        tok = text[start:pos]
        if not tok or tok == "-":
            raise JsonError("bad token at %d" % start)
        if any(c in tok for c in ".eE"):
            return float(tok)
        return int(tok)

    def string():
        nonlocal pos
        if text[pos] != '"':
            raise JsonError("expected string at %d" % pos)
        pos += 1
        out = []
        while True:
            ch = text[pos]
            if ch == '"':
                pos += 1
                return "".join(out)
            if ch == "\\":
                esc = text[pos + 1]
                pos += 2
                simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b",
                          "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
                if esc in simple:
                    out.append(simple[esc])
                elif esc == "u":
                    code = int(text[pos:pos + 4], 16)
                    pos += 4
                    if 0xD800 <= code < 0xDC00 and text.startswith("\\u", pos):
                        low = int(text[pos + 2:pos + 6], 16)
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        pos += 6
                    out.append(chr(code))
                else:
                    raise JsonError("bad escape")
            else:
                out.append(ch)  # raw control characters are accepted
                pos += 1

    result = value()
    ws()
    if pos != n:
        raise JsonError("trailing data at %d" % pos)
    return result


# --------------------------------------------------------------------------
# Types
# --------------------------------------------------------------------------
INT_BITS = {"I8": 8, "I16": 16, "I32": 32, "I64": 64,
            "U8": 8, "U16": 16, "U32": 32, "U64": 64}
SIZES = {"I8": 1, "U8": 1, "Bool": 1, "I16": 2, "U16": 2, "I32": 4, "U32": 4,
         "F32": 4, "Char": 4}


def is_int(t):
    return isinstance(t, str) and t in INT_BITS


def is_signed(t):
    return isinstance(t, str) and t.startswith("I") and t in INT_BITS


def is_float(t):
    return t in ("F32", "F64")


def is_unit(t):
    return t is None or t in ("Unit", "Never")


def wrap(v, t):
    bits = INT_BITS[t]
    v &= (1 << bits) - 1
    if is_signed(t) and v >= 1 << (bits - 1):
        v -= 1 << bits
    return v


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def f64_bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def bits_f64(w):
    return struct.unpack("<d", struct.pack("<Q", w & MASK64))[0]


def f32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def bits_f32(w):
    return struct.unpack("<f", struct.pack("<I", w & 0xFFFFFFFF))[0]


def size_of(t):
    if isinstance(t, str):
        return SIZES.get(t, 8)
    if isinstance(t, dict) and "Array" in t:
        a = t["Array"]
        return a["size"] * size_of(a["element"]) if a["size"] else 8
    return 8


def to_word(v, t):
    """The 64-bit word of a value of type t (integers extended by signedness)."""
    if t == "F64":
        return f64_bits(v)
    if t == "F32":
        return f32_bits(v)
    if isinstance(v, float):
        return f64_bits(v)
    return v & MASK64


def from_word(w, t):
    """A value of type t from a word (narrower integers truncate)."""
    w &= MASK64
    if is_int(t):
        return wrap(w, t)
    if t == "F64":
        return bits_f64(w)
    if t == "F32":
        return bits_f32(w)
    if t == "Bool":
        return w & 1
    if t == "Char":
        return w & 0xFFFFFFFF
    return w


def normalize(v, t):
    if is_unit(t):
        return None
    if is_int(t):
        return wrap(int(v), t)
    if t == "F64":
        return float(v)
    if t == "F32":
        return f32(float(v))
    if t == "Bool":
        return 1 if v else 0
    if t == "Char":
        return int(v) & 0xFFFFFFFF
    if isinstance(v, float):
        return f64_bits(v)
    return int(v) & MASK64


def convert(v, src, dst):
    """Copy/argument conversion: floats keep their value between float types,
    everything else goes through the word."""
    if is_unit(dst):
        return None
    if is_float(src) and is_float(dst):
        return normalize(v, dst)
    if src is None:
        return normalize(v, dst)
    if dst == "Bool" and not is_float(src):
        return 1 if (to_word(v, src) & 0xFF) else 0
    return from_word(to_word(v, src), dst)


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------
class RuntimeErr(Exception):
    pass


class LoadErr(Exception):
    pass


class Raise(Exception):
    def __init__(self, payload, tag, fn):
        Exception.__init__(self)
        self.payload, self.tag, self.fn = payload, tag, fn


class ExitRun(Exception):
    def __init__(self, code):
        Exception.__init__(self)
        self.code = code


def trap(fn, msg):
    return RuntimeErr("runtime error in `%s`: %s" % (fn, msg))


# --------------------------------------------------------------------------
# Memory and runtime objects
# --------------------------------------------------------------------------
class StrObj:
    def __init__(self, data, addr):
        self.data, self.addr = data, addr


class ArrObj:
    def __init__(self, items, is_tuple=False):
        self.items, self.is_tuple = items, is_tuple


class EnumObj:
    def __init__(self, eid, disc, payload):
        self.eid, self.disc, self.payload = eid, disc, payload


class DictObj:
    def __init__(self):
        self.entries = {}


class ClosObj:
    def __init__(self, fn, n):
        self.fn, self.caps = fn, [0] * n


class FloatBox:
    def __init__(self, v):
        self.v = v


class Memory:
    def __init__(self):
        self.blocks = {}  # base -> bytearray
        self.next = 0x10000000

    def alloc(self, n, align=16):
        self.next = (self.next + align - 1) // align * align
        base = self.next
        self.blocks[base] = bytearray(max(n, 1))
        self.next += max(n, 1) + 16  # a gap so neighbours never touch
        return base

    def find(self, addr):
        for base, blk in self.blocks.items():
            if base <= addr < base + len(blk):
                return base, blk
        raise RuntimeErr("model: bad address 0x%x" % addr)

    def read(self, addr, n):
        base, blk = self.find(addr)
        off = addr - base
        if off + n > len(blk):
            raise RuntimeErr("model: read past block")
        return bytes(blk[off:off + n])

    def write(self, addr, data):
        base, blk = self.find(addr)
        off = addr - base
        if off + len(data) > len(blk):
            raise RuntimeErr("model: write past block")
        blk[off:off + len(data)] = data

    def cstr(self, addr):
        base, blk = self.find(addr)
        off = addr - base
        end = blk.index(0, off)
        return bytes(blk[off:end])


def f64_text(x):
    """rt_raw_f64_to_string: shortest round-trip text in fixed point."""
    if math.isnan(x):
        return "-NaN" if f64_bits(x) >> 63 else "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    s = format(Decimal(repr(x)), "f")
    if "." not in s:
        s += ".0"
    return s


# --------------------------------------------------------------------------
# The machine
# --------------------------------------------------------------------------
class Machine:
    def __init__(self, module):
        self.mem = Memory()
        self.objs = {}
        self.out = bytearray()
        self.literals = {}
        self.globals = {}
        self.funcs = {}
        self.by_symbol = {}
        self.fn_addr = {}
        self.addr_fn = {}
        fns = module.get("functions", [])
        if isinstance(fns, dict):
            fns = list(fns.values())
        if "symbol" in module and "blocks" in module:
            fns = [module]
        for f in fns:
            self.funcs[f["name"]] = f
            self.by_symbol[f["symbol"]] = f
        self.externs = {e["name"]: e["signature"] for e in module.get("externs", [])}
        self.runtime = self.make_runtime()

    # ---- objects -------------------------------------------------------
    def new_obj(self, obj, size=32):
        addr = self.mem.alloc(size)
        self.objs[addr] = obj
        return addr | 1

    def obj(self, w, cls):
        w &= MASK64
        if w & 7 == 1 and (w - 1) in self.objs:
            o = self.objs[w - 1]
            if isinstance(o, cls):
                return o
        return None

    def new_str(self, data):
        addr = self.mem.alloc(16 + len(data) + 1)
        self.mem.write(addr, struct.pack("<IIQ", 0x53545231, 0, len(data)) + data + b"\0")
        self.objs[addr] = StrObj(data, addr)
        return addr | 1

    def text(self, w):
        w &= MASK64
        s = self.obj(w, StrObj)
        if s is not None:
            return s.data
        if w == 0 or w < 0x10000:
            return b""
        return self.mem.cstr(w)

    def is_text(self, w):
        w &= MASK64
        if self.obj(w, StrObj) is not None:
            return True
        if w & 7 or w < 0x10000:
            return False
        try:
            self.mem.cstr(w)
            return w - 1 not in self.objs
        except (RuntimeErr, ValueError):
            return False

    def literal(self, s):
        if s not in self.literals:
            data = s.encode("utf-8")
            addr = self.mem.alloc(len(data) + 1, 8)
            self.mem.write(addr, data + b"\0")
            self.literals[s] = addr
        return self.literals[s]

    def func_address(self, name):
        if name not in self.fn_addr:
            addr = 0x7F000000 + 16 * (len(self.fn_addr) + 1)
            self.fn_addr[name] = addr
            self.addr_fn[addr] = name
        return self.fn_addr[name]

    # ---- runtime functions (RUNTIME.md) ----------------------------------
    def make_runtime(self):
        m = self
        W = "I64"

        def boxed(v):
            return (v << 3) & MASK64

        def key_of(w):
            s = m.obj(w, StrObj)
            if s is not None:
                return ("s", s.data)
            return ("w", w & MASK64)

        def split(s, sep):
            a, b = m.text(s), m.text(sep)
            parts = [bytes([c]) for c in a] if b == b"" else a.split(b)
            return m.new_obj(ArrObj([m.new_str(p) for p in parts]))

        def arr_get(a, i):
            o = m.obj(a, ArrObj)
            if o is None:
                return NIL
            i = wrap(i, "I64")
            if i < 0:
                i += len(o.items)
            return o.items[i] if 0 <= i < len(o.items) else NIL

        def arr_set(a, i, w):
            o = m.obj(a, ArrObj)
            if o is None:
                return None
            i = wrap(i, "I64")
            if i < 0:
                i += len(o.items)
            if 0 <= i < len(o.items):
                o.items[i] = w & MASK64
            return None

        def arr_pop(a):
            o = m.obj(a, ArrObj)
            return o.items.pop() if o is not None and o.items else NIL

        def enum_new(eid, disc, payload):
            return m.new_obj(EnumObj(eid & 0xFFFFFFFF, disc & 0xFFFFFFFF, payload & MASK64))

        def enum_disc(w):
            o = m.obj(w, EnumObj)
            return o.disc if o is not None else -1

        def enum_payload(w):
            o = m.obj(w, EnumObj)
            return o.payload if o is not None else NIL

        def enum_id(w):
            o = m.obj(w, EnumObj)
            return o.eid if o is not None else -1

        def is_none(w):
            if w & MASK64 == NIL:
                return 1
            o = m.obj(w, EnumObj)
            return 1 if o is not None and o.eid == 1 and o.disc == 1 else 0

        def tuple_get(t, i):
            o = m.obj(t, ArrObj)
            if o is None or not 0 <= i < len(o.items):
                return NIL
            return o.items[i]

        def tuple_set(t, i, w):
            o = m.obj(t, ArrObj)
            if o is None or not 0 <= i < len(o.items):
                return 0
            o.items[i] = w & MASK64
            return 1

        def clos_set(c, i, w):
            o = m.obj(c, ClosObj)
            if o is None or not 0 <= i < len(o.caps):
                return 0
            o.caps[i] = w & MASK64
            return 1

        def clos_get(c, i):
            o = m.obj(c, ClosObj)
            if o is None or not 0 <= i < len(o.caps):
                return NIL
            return o.caps[i]

        def clos_fn(w):
            o = m.obj(w, ClosObj)
            return o.fn if o is not None else 0

        def dict_set(d, k, v):
            o = m.obj(d, DictObj)
            if o is not None:
                o.entries[key_of(k)] = (k & MASK64, v & MASK64)
            return None

        def dict_get(d, k):
            o = m.obj(d, DictObj)
            if o is None:
                return NIL
            e = o.entries.get(key_of(k))
            return e[1] if e else NIL

        def dict_contains(d, k):
            o = m.obj(d, DictObj)
            return 1 if o is not None and key_of(k) in o.entries else 0

        def dict_remove(d, k):
            o = m.obj(d, DictObj)
            if o is not None:
                e = o.entries.pop(key_of(k), None)
                return e[1] if e else NIL
            return NIL

        def dict_len(d):
            o = m.obj(d, DictObj)
            return len(o.entries) if o is not None else 0

        def rt_len(w):
            s = m.obj(w, StrObj)
            if s is not None:
                return len(s.data)
            a = m.obj(w, ArrObj)
            return len(a.items) if a is not None else 0

        def string_len(w):
            return len(m.text(w)) if m.is_text(w) else -1

        def slice_(p, start, end):
            data = m.text(p)[start:end]
            addr = m.mem.alloc(len(data) + 1, 8)
            m.mem.write(addr, data + b"\0")
            return addr

        def strcat(a, b):
            data = m.text(a) + m.text(b)
            addr = m.mem.alloc(len(data) + 1, 8)
            m.mem.write(addr, data + b"\0")
            return addr

        def interp_cstr(w):
            s = m.obj(w, StrObj)
            return s.addr + 16 if s is not None else w & MASK64

        def find(s, sub):
            return m.text(s).find(m.text(sub))

        def rfind(s, sub):
            return m.text(s).rfind(m.text(sub))

        def to_int(w):
            t = m.text(w).strip()
            sign, digits = 1, t
            if digits[:1] in (b"-", b"+"):
                sign = -1 if digits[:1] == b"-" else 1
                digits = digits[1:]
            num = b""
            for c in digits:
                if 48 <= c <= 57:
                    num += bytes([c])
                else:
                    break
            return sign * int(num) if num else 0

        def panic(fn_args):
            if len(fn_args) >= 2:
                msg = m.mem.read(fn_args[0], fn_args[1]) if fn_args[1] else b""
            else:
                msg = m.text(fn_args[0])
            raise RuntimeErr("runtime error: panic: " + msg.decode("utf-8", "replace"))

        def bounds(i, n):
            if i < 0 or i >= n:
                raise RuntimeErr("runtime error: index %d out of bounds for length %d" % (i, n))
            return 0

        def out(data):
            m.out.extend(data)

        def rt_alloc(n):
            return m.mem.alloc(n, 16)

        def as_float(w):
            b = m.obj(w, FloatBox)
            return b.v if b is not None else 0.0

        def rt_exit(code):
            raise ExitRun(code)

        P = "Ptr"
        table = {
            "rt_print": ([P], None, lambda p: out(m.text(p))),
            "rt_println": ([P], None, lambda p: out(m.text(p) + b"\n")),
            "rt_print_str": ([P, "U64"], None, lambda p, n: out(m.mem.read(p, n) if n else b"")),
            "rt_println_str": ([P, "U64"], None, lambda p, n: out((m.mem.read(p, n) if n else b"") + b"\n")),
            "rt_raw_i64_to_string": ([W], W, lambda v: m.new_str(b"%d" % v)),
            "rt_raw_u64_to_string": (["U64"], W, lambda v: m.new_str(b"%d" % v)),
            "rt_raw_bool_to_string": ([W], W, lambda v: m.new_str(b"true" if v else b"false")),
            "rt_raw_f64_to_string": (["F64"], W, lambda x: m.new_str(f64_text(x).encode())),
            "rt_interp_cstr": ([W], P, interp_cstr),
            "rt_string_new": ([P, "U64"], W, lambda p, n: NIL if (p == 0 and n > 0) else m.new_str(m.mem.read(p, n) if n else b"")),
            "rt_string_len": ([W], W, string_len),
            "rt_strlen": ([P], W, lambda p: len(m.text(p))),
            "rt_len": ([W], W, rt_len),
            "rt_strcat": ([P, P], P, strcat),
            "rt_strcat_tagged": ([W, W], W, lambda a, b: m.new_str(m.text(a) + m.text(b))),
            "rt_text_eq_any": ([W, W], W, lambda a, b: 1 if (a == b or m.text(a) == m.text(b)) else 0),
            "rt_text_cmp_any": ([W, W], W, lambda a, b: (m.text(a) > m.text(b)) - (m.text(a) < m.text(b))),
            "rt_string_starts_with": ([W, W], W, lambda a, b: 1 if m.text(a).startswith(m.text(b)) else 0),
            "rt_string_ends_with": ([W, W], W, lambda a, b: 1 if m.text(a).endswith(m.text(b)) else 0),
            "rt_string_contains": ([W, W], W, lambda a, b: 1 if m.text(b) in m.text(a) else 0),
            "rt_string_find": ([W, W], W, find),
            "rt_string_rfind": ([W, W], W, rfind),
            "rt_string_split": ([W, W], W, split),
            "rt_string_replace": ([W, W, W], W, lambda s, a, b: m.new_str(m.text(s).replace(m.text(a), m.text(b)))),
            "rt_string_trim": ([W], W, lambda s: m.new_str(m.text(s).strip(b" \t\r\n"))),
            "rt_string_to_lower": ([W], W, lambda s: m.new_str(m.text(s).lower())),
            "rt_string_to_int_any": ([W], W, to_int),
            "spl_str_slice": ([P, W, W], P, slice_),
            "spl_str_len": ([P], W, lambda p: len(m.text(p))),
            "rt_array_new": ([W], W, lambda cap: m.new_obj(ArrObj([]))),
            "rt_array_push": ([W, W], "I8", lambda a, w: (m.obj(a, ArrObj).items.append(w & MASK64), 1)[1] if m.obj(a, ArrObj) else 0),
            "rt_array_len": ([W], W, lambda a: len(m.obj(a, ArrObj).items) if m.obj(a, ArrObj) else 0),
            "rt_array_get": ([W, W], W, arr_get),
            "rt_array_set": ([W, W, W], None, arr_set),
            "rt_array_pop": ([W], W, arr_pop),
            "rt_enum_new": ([W, W, W], W, enum_new),
            "rt_enum_discriminant": ([W], W, enum_disc),
            "rt_enum_payload": ([W], W, enum_payload),
            "rt_enum_id": ([W], W, enum_id),
            "rt_is_none": ([W], "I8", is_none),
            "rt_is_some": ([W], "I8", lambda w: 1 - is_none(w)),
            "rt_tuple_new": ([W], W, lambda n: m.new_obj(ArrObj([0] * n, True))),
            "rt_tuple_set": ([W, W, W], "I8", tuple_set),
            "rt_tuple_get": ([W, W], W, tuple_get),
            "rt_closure_new": ([W, W], W, lambda f, n: m.new_obj(ClosObj(f & MASK64, n))),
            "rt_closure_set_capture": ([W, W, W], "I8", clos_set),
            "rt_closure_get_capture": ([W, W], W, clos_get),
            "rt_closure_func_ptr": ([W], W, clos_fn),
            "rt_dict_new": ([W], W, lambda hint: m.new_obj(DictObj())),
            "rt_dict_set": ([W, W, W], None, dict_set),
            "rt_dict_get": ([W, W], W, dict_get),
            "rt_dict_contains": ([W, W], W, dict_contains),
            "rt_dict_remove": ([W, W], W, dict_remove),
            "rt_dict_len": ([W], W, dict_len),
            "rt_value_float": (["F64"], W, lambda x: m.new_obj(FloatBox(x))),
            "rt_value_as_float": ([W], "F64", as_float),
            "rt_alloc": ([W], P, rt_alloc),
            "rt_exit": ([W], None, rt_exit),
            "__simple_intrinsic_likely": ([W], W, lambda v: v),
            "__simple_intrinsic_unlikely": ([W], W, lambda v: v),
            "__simple_intrinsic_assume": ([W], W, lambda v: v),
            "__simple_intrinsic_bounds_check": ([W, W], W, bounds),
        }
        table["rt_panic"] = ("var", None, panic)
        return table

    # ---- operands --------------------------------------------------------
    def const(self, fn, value, ty):
        if value is None:
            raise LoadErr("composite constant without a value in `%s`" % fn["name"])
        if isinstance(value, str) and value == "Zero":
            return normalize(0.0 if is_float(ty) else 0, ty)
        if isinstance(value, str):
            if isinstance(ty, dict) and "FuncPtr" in ty:
                return self.func_address(value)
            return self.literal(value)
        if isinstance(value, bool):
            return normalize(1 if value else 0, ty)
        if is_float(ty):
            return normalize(float(value), ty)
        return normalize(value, ty)

    def operand(self, frame, op):
        if "Copy" in op or "Move" in op:
            lid = op.get("Copy", op.get("Move"))
            return frame.vals[lid], frame.types[lid]
        c = op["Const"]
        return self.const(frame.fn, c["value"], c["type"]), c["type"]

    # ---- calls -----------------------------------------------------------
    def resolve(self, fop):
        c = fop["Const"]
        v = c["value"]
        if isinstance(v, str):
            return v, c["type"]
        if isinstance(v, int) and v in self.by_symbol:
            return self.by_symbol[v]["name"], c["type"]
        raise LoadErr("bad callee")

    def call_named(self, caller, name, argvals, depth):
        """Returns (value, type)."""
        if name in self.funcs:
            f = self.funcs[name]
            sig = f["signature"]
            if len(sig["params"]) != len(argvals):
                raise LoadErr("argument count for `%s`" % name)
            args = [convert(v, t, p) for (v, t), p in zip(argvals, sig["params"])]
            if depth + 1 > MAX_DEPTH:
                raise trap(name, "stack overflow (call depth exceeded %d)" % MAX_DEPTH)
            return self.run_fn(f, args, depth + 1), sig["return_type"]
        if name in self.runtime:
            params, ret, impl = self.runtime[name]
            if params == "var":
                impl([convert(v, t, "I64") & MASK64 for v, t in argvals])
                return None, None
            if len(params) != len(argvals):
                raise LoadErr("argument count for runtime `%s`: %d vs %d" % (name, len(params), len(argvals)))
            args = []
            for (v, t), p in zip(argvals, params):
                if p == "F64":
                    args.append(float(v) if is_float(t) else bits_f64(to_word(v, t)))
                elif p == "Ptr":
                    args.append(to_word(v, t))
                elif p == "U64":
                    args.append(to_word(v, t))
                else:
                    args.append(wrap(to_word(v, t), "I64"))
            res = impl(*args)
            if ret is None:
                return None, None
            if ret == "Ptr":
                return res & MASK64, "U64"
            return normalize(res, ret), ret
        raise RuntimeErr("runtime error: function `%s` is not defined" % name)

    # ---- execution -------------------------------------------------------
    def run_fn(self, f, args, depth):
        fr = Frame(f)
        arg_ids = {}
        for loc in f["locals"]:
            k = loc["kind"]
            if isinstance(k, dict) and "Arg" in k:
                arg_ids[k["Arg"]] = loc["id"]
        for i, v in enumerate(args):
            fr.vals[arg_ids[i]] = v
        blocks = {b["id"]: b for b in f["blocks"]}
        cur, pred = f["entry_block"], None
        steps = 0
        while True:
            steps += 1
            if steps > 5_000_000:
                raise RuntimeErr("model: step limit")
            b = blocks[cur]
            for inst in b["instructions"]:
                self.exec_inst(fr, inst, pred, depth)
            t = b["terminator"]
            nxt = self.exec_term(fr, t, depth)
            if isinstance(nxt, Ret):
                return nxt.value
            pred, cur = cur, nxt

    def set(self, fr, dest, value, src_type):
        fr.vals[dest] = convert(value, src_type, fr.types[dest])

    def exec_inst(self, fr, inst, pred, depth):
        if inst == "Nop":
            return
        if isinstance(inst, dict) and list(inst.keys()) == ["kind"]:
            return self.exec_inst(fr, inst["kind"], pred, depth)
        (kind, a), = inst.items()
        fn = fr.fn["name"]
        if kind == "Const":
            fr.vals[a["dest"]] = convert(self.const(fr.fn, a["value"], a["type"]), a["type"], fr.types[a["dest"]])
        elif kind in ("Copy", "Move"):
            self.set(fr, a["dest"], fr.vals[a["src"]], fr.types[a["src"]])
        elif kind in ("BinOp", "CheckedBinOp"):
            l, lt = self.operand(fr, a["left"])
            r, rt = self.operand(fr, a["right"])
            v, vt = self.binop(fn, a["op"], l, lt, r, rt, kind == "CheckedBinOp", fr.types[a["dest"]])
            self.set(fr, a["dest"], v, vt)
        elif kind == "UnaryOp":
            v, t = self.operand(fr, a["operand"])
            op = a["op"]
            if op == "Neg":
                res = -v
            elif op == "Not":
                res = (0 if v else 1) if t == "Bool" else ~v
            else:
                res = ~v
            fr.vals[a["dest"]] = normalize(res, t) if not is_unit(t) else None
            fr.vals[a["dest"]] = convert(fr.vals[a["dest"]], t, fr.types[a["dest"]])
        elif kind == "Cast":
            v, t = self.operand(fr, a["operand"])
            fr.vals[a["dest"]] = convert(self.cast(v, t, a["target"]), a["target"], fr.types[a["dest"]])
        elif kind == "Bitcast":
            v, t = self.operand(fr, a["operand"])
            fr.vals[a["dest"]] = from_word(to_word(v, t), a["target"])
        elif kind == "Alloc":
            fr.vals[a["dest"]] = self.mem.alloc(size_of(a["type"]), 16)
        elif kind == "Load":
            p, pt = self.operand(fr, a["ptr"])
            dt = fr.types[a["dest"]]
            ty = pt["Ptr"]["pointee"] if isinstance(pt, dict) and "Ptr" in pt else dt
            fr.vals[a["dest"]] = convert(self.load(p, ty), ty, dt)
        elif kind == "Store":
            p, pt = self.operand(fr, a["ptr"])
            v, vt = self.operand(fr, a["value"])
            ty = pt["Ptr"]["pointee"] if isinstance(pt, dict) and "Ptr" in pt else vt
            self.store(p, convert(v, vt, ty), ty)
        elif kind == "GlobalAddr":
            sym = a["symbol"]
            if sym not in self.globals:
                self.globals[sym] = self.mem.alloc(8, 8)
            fr.vals[a["dest"]] = self.globals[sym]
        elif kind == "Call":
            name, _ = self.resolve(a["func"])
            argvals = [self.operand(fr, o) for o in a["args"]]
            v, t = self.call_named(fr.fn, name, argvals, depth)
            if a["dest"] is not None:
                self.set(fr, a["dest"], v if v is not None else 0, t if t is not None else "I64")
        elif kind == "CallIndirect":
            p, _ = self.operand(fr, a["ptr"])
            if p not in self.addr_fn:
                raise trap(fn, "call through an invalid function pointer")
            argvals = [self.operand(fr, o) for o in a["args"]]
            v, t = self.call_named(fr.fn, self.addr_fn[p], argvals, depth)
            if a["dest"] is not None:
                self.set(fr, a["dest"], v, t)
        elif kind == "Intrinsic":
            self.intrinsic(fr, a, pred, depth)
        elif kind == "Aggregate":
            self.aggregate(fr, a)
        elif kind == "GetField":
            base, _ = self.operand(fr, a["base"])
            w = struct.unpack("<Q", self.mem.read(base + 8 * a["field"], 8))[0]
            fr.vals[a["dest"]] = from_word(w, fr.types[a["dest"]])
        elif kind == "SetField":
            base, _ = self.operand(fr, a["base"])
            v, t = self.operand(fr, a["value"])
            self.mem.write(base + 8 * a["field"], struct.pack("<Q", to_word(v, t)))
        elif kind in ("DecisionProbe", "ConditionProbe"):
            self.operand(fr, a["result"])
        elif kind == "DebugValue":
            pass
        else:
            raise LoadErr("unsupported instruction %s in `%s`" % (kind, fn))

    def aggregate(self, fr, a):
        k = a["kind"]
        words = []
        for o in a["operands"]:
            v, t = self.operand(fr, o)
            words.append(to_word(v, t))
        if k == "Tuple" or (isinstance(k, dict) and "Struct" in k):
            base = self.mem.alloc(8 * max(len(words), 1), 16)
            for i, w in enumerate(words):
                self.mem.write(base + 8 * i, struct.pack("<Q", w))
            fr.vals[a["dest"]] = base
        elif "Array" in k:
            fr.vals[a["dest"]] = self.new_obj(ArrObj(list(words)))
        elif "Enum" in k:
            e = k["Enum"]
            if not words:
                payload = 0
            elif len(words) == 1:
                payload = words[0]
            else:
                payload = self.new_obj(ArrObj(list(words), True))
            fr.vals[a["dest"]] = self.new_obj(EnumObj(e["symbol"] & 0xFFFFFFFF, e["variant"] & 0xFFFFFFFF, payload))
        else:
            raise LoadErr("bad aggregate kind")

    def intrinsic(self, fr, a, pred, depth):
        name = a["name"]
        args = [self.operand(fr, o) for o in a["args"]]
        fn = fr.fn["name"]
        if name == "__simple_ssa_phi":
            if len(args) < 4:
                v, t = args[0]
            else:
                v, t = args[1]
                for i in range(0, len(args) - 1, 2):
                    if args[i][0] == pred:
                        v, t = args[i + 1]
                        break
            res, rt = v, t
        elif name == "bounds_check":
            i, n = wrap(to_word(*args[0]), "I64"), wrap(to_word(*args[1]), "I64")
            if i < 0 or i >= n:
                raise trap(fn, "index %d out of bounds for length %d" % (i, n))
            res, rt = None, None
        elif name in ("sqrt", "fabs", "floor", "ceil", "trunc"):
            v, t = args[0]
            f = {"sqrt": math.sqrt, "fabs": abs, "floor": math.floor, "ceil": math.ceil, "trunc": math.trunc}[name]
            res, rt = float(f(v)), t
        else:
            v, t = self.call_named(fr.fn, "__simple_intrinsic_" + name,
                                   [(wrap(to_word(x, xt), "I64"), "I64") for x, xt in args], depth)
            res, rt = v, t
        if a["dest"] is not None:
            self.set(fr, a["dest"], res if res is not None else 0, rt if rt is not None else "I64")

    def load(self, p, ty):
        n = size_of(ty)
        raw = int.from_bytes(self.mem.read(p, n), "little")
        if ty == "F32":
            return bits_f32(raw)
        if ty == "F64":
            return bits_f64(raw)
        return from_word(raw, ty) if is_int(ty) else normalize(raw, ty)

    def store(self, p, v, ty):
        n = size_of(ty)
        self.mem.write(p, (to_word(v, ty) & ((1 << (8 * n)) - 1)).to_bytes(n, "little"))

    def cast(self, v, src, dst):
        if is_float(dst):
            if is_float(src):
                return normalize(v, dst)
            return normalize(float(v), dst)
        if is_float(src):
            if math.isnan(v):
                return 0
            if is_int(dst):
                bits = INT_BITS[dst]
                lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if is_signed(dst) else (0, (1 << bits) - 1)
                if math.isinf(v):
                    return hi if v > 0 else lo
                return max(lo, min(hi, math.trunc(v)))
            return normalize(int(v), dst)
        if dst == "Bool":
            return 1 if v else 0
        if is_int(dst):
            return wrap(v, dst) if is_int(src) or src in ("Bool", "Char") else wrap(to_word(v, src), dst)
        return to_word(v, src)

    def binop(self, fn, op, l, lt, r, rt, checked, dt):
        t = lt
        if op in ("Eq", "Ne", "Lt", "Le", "Gt", "Ge"):
            res = {"Eq": l == r, "Ne": l != r, "Lt": l < r, "Le": l <= r, "Gt": l > r, "Ge": l >= r}[op]
            return (1 if res else 0), "Bool"
        if is_float(t):
            if op == "Add":
                res = l + r
            elif op == "Sub":
                res = l - r
            elif op == "Mul":
                res = l * r
            elif op == "Div":
                res = l / r if r != 0 else (math.copysign(math.inf, l) * math.copysign(1, r) if l != 0 and not math.isnan(l) else math.nan)
            elif op == "Rem":
                res = math.fmod(l, r) if r != 0 else math.nan
            elif op == "Pow":
                res = math.pow(l, r)
            else:
                raise LoadErr("bad float op")
            return normalize(res, t), t
        if op == "Offset":
            pointee = lt["Ptr"]["pointee"] if isinstance(lt, dict) and "Ptr" in lt else "U8"
            return (l + r * size_of(pointee)) & MASK64, lt
        if not is_int(t):
            if t == "Bool":
                res = {"BitAnd": l & r, "BitOr": l | r, "BitXor": l ^ r}.get(op)
                if res is None:
                    raise LoadErr("bad bool op")
                return res, t
            t = "U64"
            l, r = to_word(l, lt), to_word(r, rt)
        bits = INT_BITS[t]
        if op in ("Add", "Sub", "Mul"):
            res = {"Add": l + r, "Sub": l - r, "Mul": l * r}[op]
            if checked and wrap(res, t) != res:
                raise trap(fn, "attempt to %s with overflow" % {"Add": "add", "Sub": "subtract", "Mul": "multiply"}[op])
            return wrap(res, t), t
        if op in ("Div", "Rem"):
            if r == 0:
                raise trap(fn, "attempt to divide by zero" if op == "Div" else
                           "attempt to calculate the remainder with a divisor of zero")
            if is_signed(t) and l == -(1 << (bits - 1)) and r == -1:
                raise trap(fn, "attempt to divide with overflow" if op == "Div" else
                           "attempt to calculate the remainder with overflow")
            q = abs(l) // abs(r)
            if (l < 0) != (r < 0):
                q = -q
            return wrap(q if op == "Div" else l - q * r, t), t
        if op in ("Shl", "Shr"):
            amt = r & MASK64 if not is_signed(rt) else r
            if amt < 0 or amt >= bits:
                raise trap(fn, "attempt to shift %s with overflow" % ("left" if op == "Shl" else "right"))
            return wrap(l << amt if op == "Shl" else l >> amt, t), t
        if op == "BitAnd":
            return wrap(l & r, t), t
        if op == "BitOr":
            return wrap(l | r, t), t
        if op == "BitXor":
            return wrap(l ^ r, t), t
        if op == "Pow":
            if r < 0:
                raise trap(fn, "attempt to raise an integer to a negative power")
            return wrap(pow(l, r, 1 << bits), t), t
        raise LoadErr("bad op %s" % op)

    def exec_term(self, fr, t, depth):
        fn = fr.fn["name"]
        if t == "Unreachable":
            raise trap(fn, "entered unreachable code")
        if "kind" in t and t["kind"] in ("throw", "resume"):
            # The old serializer's shape {"kind":"throw"|"resume","value":op}: tag 0.
            v, vt = self.operand(fr, t["value"])
            raise Raise(to_word(v, vt), 0, fn)
        (kind, a), = t.items()
        if kind == "Goto":
            return a
        if kind == "Return":
            if a is None:
                rid = [l["id"] for l in fr.fn["locals"] if l["kind"] == "Return"]
                return Ret(fr.vals.get(rid[0]) if rid else None)
            v, vt = self.operand(fr, a)
            return Ret(convert(v, vt, fr.fn["signature"]["return_type"]))
        if kind == "If":
            v, _ = self.operand(fr, a["cond"])
            return a["then"] if v else a["else"]
        if kind == "Switch":
            v, _ = self.operand(fr, a["value"])
            for c in a["targets"]:
                if c["value"] == v:
                    return c["target"]
            return a["default"]
        if kind == "Abort":
            raise trap(fn, "aborted: " + a)
        if kind in ("Throw", "Resume"):
            p, pt = self.operand(fr, a["payload"])
            g, gt = self.operand(fr, a["type_tag"])
            raise Raise(to_word(p, pt), wrap(to_word(g, gt), "I64"), fn)
        if kind == "CallTerminator":
            name, _ = self.resolve(a["func"])
            argvals = [self.operand(fr, o) for o in a["args"]]
            try:
                v, vt = self.call_named(fr.fn, name, argvals, depth)
            except Raise as r:
                if a.get("unwind") is None:
                    raise
                if a.get("unwind_payload_dest") is not None:
                    d = a["unwind_payload_dest"]
                    fr.vals[d] = from_word(r.payload, fr.types[d])
                if a.get("unwind_type_tag_dest") is not None:
                    d = a["unwind_type_tag_dest"]
                    fr.vals[d] = from_word(r.tag, fr.types[d])
                return a["unwind"]
            if a["dest"] is not None:
                self.set(fr, a["dest"], v, vt)
            return a["normal"]
        raise LoadErr("unsupported terminator %s in `%s`" % (kind, fn))

    # ---- entry -----------------------------------------------------------
    def execute(self, name):
        try:
            v = self.run_fn(self.funcs[name], [], 1)
            return ("ret", wrap(to_word(v, self.funcs[name]["signature"]["return_type"]), "I64"))
        except Raise as r:
            if r.tag == 300003:
                return ("err", "runtime error in `%s`: uncaught exception: %s"
                        % (r.fn, self.text(r.payload).decode("utf-8", "replace")))
            return ("err", "runtime error in `%s`: uncaught exception (type tag %d)" % (r.fn, r.tag))
        except RuntimeErr as e:
            return ("err", str(e))
        except ExitRun as e:
            return ("exit", e.code)


class Ret:
    def __init__(self, value):
        self.value = value


class Frame:
    def __init__(self, f):
        self.fn = f
        self.types = {l["id"]: l["type"] for l in f["locals"]}
        self.vals = {l["id"]: (None if is_unit(l["type"]) else normalize(0, l["type"])) for l in f["locals"]}


def run_text(text, entry="main"):
    """Runs the JSON text; returns (stdout bytes, (kind, value))."""
    module = parse_json(text)
    m = Machine(module)
    res = m.execute(entry)
    return bytes(m.out), res


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        out, (kind, val) = run_text(f.read())
    sys.stdout.buffer.write(out)
    print("[%s] %s" % (kind, val))


if __name__ == "__main__":
    main()
