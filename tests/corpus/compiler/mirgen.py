"""Building blocks for gen.py: MIR functions as Python data in the exact shape
upstream `src/compiler/50.mir/mir_json.spl` writes, and its serializer.

Nothing here executes MIR; refmodel.py does that independently.
"""

import math

# ---- types (mir_json.spl serialize_mir_type) --------------------------------
I8, I16, I32, I64 = "I8", "I16", "I32", "I64"
U8, U16, U32, U64 = "U8", "U16", "U32", "U64"
F32, F64, BOOL, CHAR, UNIT = "F32", "F64", "Bool", "Char", "Unit"
STR = {"Opaque": "str"}


def Ptr(t, mutable=False):
    return {"Ptr": {"pointee": t, "mutable": mutable}}


def Sig(params, ret):
    return {"params": list(params), "return_type": ret, "is_variadic": False}


def FnPtr(params, ret):
    return {"FuncPtr": Sig(params, ret)}


def Arr(t, n=0):
    return {"Array": {"element": t, "size": n}}


def StructT(sym):
    return {"Struct": sym}


def TupleT(*ts):
    return {"Tuple": list(ts)}


def EnumT(sym):
    return {"Enum": sym}


def DictT(k, v):
    return {"Dict": {"key": k, "value": v}}


def ResultT(ok, err):
    return {"Result": {"ok": ok, "err": err}}


# ---- operands ---------------------------------------------------------------
def k(v, t):
    return {"Const": {"value": v, "type": t}}


def ki(v):
    return k(v, I64)


def ks(s):
    return k(s, STR)


def kb(b):
    return k(bool(b), BOOL)


def mv(local):
    return {"Move": local}


def op(x):
    """A local id is a Copy operand; a dict is already an operand."""
    if isinstance(x, dict):
        return x
    return {"Copy": x}


def box(v):
    """The tagged word of a small int (RUNTIME.md: v << 3)."""
    return v << 3


# ---- serializer (byte-compatible with mir_json.spl) ------------------------
class Raw:
    """A token written as is (the serializer's NaN / inf / -inf)."""

    def __init__(self, text):
        self.text = text


def esc(s):
    # escape_json_string: only " \ \n \r \t are escaped; everything else raw.
    out = []
    for c in s:
        out.append({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, c))
    return "".join(out)


def fnum(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def ser(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return fnum(v)
    if isinstance(v, str):
        return '"' + esc(v) + '"'
    if isinstance(v, list):
        return "[" + ",".join(ser(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join('"' + esc(key) + '":' + ser(val) for key, val in v.items()) + "}"
    raise TypeError(repr(v))


# ---- functions (mirrors upstream MirBuilder in mir_data.spl) --------------
class Fn:
    def __init__(self, module, name, params=(), ret=I64, symbol=None):
        self.module = module
        self.name = name
        self.symbol = symbol if symbol is not None else module.next_symbol()
        self.params = [t for _, t in params]
        self.ret_type = ret
        self.locals = []
        self.blocks = []
        self.extra = {}
        # begin_function: the Return local "_return" (non-Unit only), then Args.
        self.ret = self.local("_return", ret, "Return") if ret != UNIT else None
        self.args = [self.local(nm, t, {"Arg": i}) for i, (nm, t) in enumerate(params)]
        self.cur = None
        self.at(self.block("entry"))
        module.fns.append(self)

    # locals and blocks
    def local(self, name, t, kind):
        lid = len(self.locals)
        self.locals.append({"id": lid, "name": name, "type": t, "kind": kind})
        return lid

    def temp(self, t):
        return self.local(None, t, "Temp")

    def var(self, name, t):
        return self.local(name, t, "Var")

    def block(self, label):
        b = {"id": len(self.blocks), "label": label, "instructions": [], "terminator": "Unreachable"}
        self.blocks.append(b)
        return b["id"]

    def at(self, bid):
        self.cur = self.blocks[bid]

    def E(self, inst):
        self.cur["instructions"].append(inst)

    def T(self, term):
        self.cur["terminator"] = term

    # instructions
    def const(self, v, t, dest=None):
        d = self.temp(t) if dest is None else dest
        self.E({"Const": {"dest": d, "value": v, "type": t}})
        return d

    def copy(self, dest, src):
        self.E({"Copy": {"dest": dest, "src": src}})

    def move(self, dest, src):
        self.E({"Move": {"dest": dest, "src": src}})

    def bin(self, o, a, b, t=I64):
        d = self.temp(t)
        self.E({"BinOp": {"dest": d, "op": o, "left": op(a), "right": op(b)}})
        return d

    def cmp(self, o, a, b):
        return self.bin(o, a, b, BOOL)

    def un(self, o, a, t):
        d = self.temp(t)
        self.E({"UnaryOp": {"dest": d, "op": o, "operand": op(a)}})
        return d

    def cast(self, a, t):
        d = self.temp(t)
        self.E({"Cast": {"dest": d, "operand": op(a), "target": t}})
        return d

    def call_op(self, func, args, ret, dest_given=None):
        if ret == UNIT or ret is None:
            self.E({"Call": {"dest": None, "func": func, "args": [op(a) for a in args]}})
            self.temp(UNIT)  # the compiler's Unit temp after a Unit call
            return None
        d = self.temp(ret) if dest_given is None else dest_given
        self.E({"Call": {"dest": d, "func": func, "args": [op(a) for a in args]}})
        return d

    def call(self, callee, args, dest=None):
        """Call of a module function: the call site carries its real FuncPtr type."""
        func = k(callee.name, FnPtr(callee.params, callee.ret_type))
        return self.call_op(func, args, callee.ret_type, dest)

    def rt(self, name, args, ret=I64):
        """Call of a runtime helper: the compiler writes "params": []."""
        return self.call_op(k(name, FnPtr([], ret)), args, ret)

    def agg(self, kind, operands, t):
        d = self.temp(t)
        self.E({"Aggregate": {"dest": d, "kind": kind, "operands": [op(o) for o in operands]}})
        return d

    def getf(self, base, field, t):
        d = self.temp(t)
        self.E({"GetField": {"dest": d, "base": op(base), "field": field}})
        return d

    def setf(self, base, field, value):
        self.E({"SetField": {"base": op(base), "field": field, "value": op(value)}})

    def gaddr(self, symbol, mutable, t=None):
        d = self.temp(t if t is not None else Ptr(I64, mutable))
        self.E({"GlobalAddr": {"dest": d, "symbol": symbol, "mutable": mutable}})
        return d

    def load(self, p, t):
        d = self.temp(t)
        self.E({"Load": {"dest": d, "ptr": op(p)}})
        return d

    def store(self, p, v):
        self.E({"Store": {"ptr": op(p), "value": op(v)}})

    def intr(self, name, args, t=None):
        d = self.temp(t) if t is not None else None
        self.E({"Intrinsic": {"dest": d, "name": name, "args": [op(a) for a in args]}})
        return d

    # terminators
    def goto(self, b):
        self.T({"Goto": b})

    def ret_(self, v=None):
        self.T({"Return": None if v is None else op(v)})

    def if_(self, c, then, els):
        self.T({"If": {"cond": op(c), "then": then, "else": els}})

    def switch(self, v, cases, default):
        self.T({"Switch": {"value": op(v), "targets": [{"value": a, "target": b} for a, b in cases],
                           "default": default}})

    def throw(self, payload, tag):
        self.T({"Throw": {"payload": op(payload), "type_tag": op(tag)}})

    def resume(self, payload, tag):
        self.T({"Resume": {"payload": op(payload), "type_tag": op(tag)}})

    def callterm(self, callee, args, normal, unwind, pdest=None, tdest=None, dest=None):
        if isinstance(callee, Fn):
            func = k(callee.name, FnPtr(callee.params, callee.ret_type))
            ret = callee.ret_type
        else:
            func = k(callee[0], FnPtr([], callee[1]))
            ret = callee[1]
        if dest is None and ret != UNIT:
            dest = self.temp(ret)
        self.T({"CallTerminator": {"dest": dest, "func": func, "args": [op(a) for a in args],
                                   "normal": normal, "unwind": unwind,
                                   "unwind_payload_dest": pdest, "unwind_type_tag_dest": tdest}})
        return dest

    def to_json(self):
        d = {"symbol": self.symbol, "name": self.name,
             "signature": Sig(self.params, self.ret_type),
             "locals": self.locals, "blocks": self.blocks, "entry_block": 0}
        d.update(self.extra)
        return d

    # ---- common lowerings ----------------------------------------------
    def say(self, text):
        """`print "text"`: rt_println of the literal."""
        self.rt("rt_println", [ks(text)], UNIT)

    def render(self, kind, value):
        fn = {"i": "rt_raw_i64_to_string", "u": "rt_raw_u64_to_string",
              "b": "rt_raw_bool_to_string", "f": "rt_raw_f64_to_string"}[kind]
        return self.rt(fn, [value], STR)

    def interp(self, parts):
        """An interpolated text: literal pieces and rendered values joined with
        rt_strcat_tagged. parts: str literals or (kind, local) with kind in
        i u b f (rendered) or s (already a text word). Returns the text local."""
        acc = None
        for p in parts:
            if isinstance(p, str):
                w = ks(p)
            elif p[0] == "s":
                w = p[1]
            else:
                w = self.render(p[0], p[1])
            acc = w if acc is None else self.rt("rt_strcat_tagged", [acc, w], STR)
        if not isinstance(acc, int):
            acc = self.rt("rt_strcat_tagged", [acc, ks("")], STR)
        return acc

    def say_parts(self, parts):
        """`print "...{x}..."`: build the text, rt_interp_cstr, rt_println."""
        t = self.interp(parts)
        c = self.rt("rt_interp_cstr", [t], STR)
        self.rt("rt_println", [c], UNIT)

    def loop(self, count, body, label="for"):
        """for i in 0..count: body(i). count is a local or operand."""
        i = self.var("i", I64)
        self.const(0, I64, dest=i)
        cond = self.block(label + "_cond")
        bod = self.block(label + "_body")
        inc = self.block(label + "_inc")
        ex = self.block(label + "_exit")
        self.goto(cond)
        self.at(cond)
        c = self.cmp("Lt", i, count)
        self.if_(c, bod, ex)
        self.at(bod)
        body(i)
        self.goto(inc)
        self.at(inc)
        n = self.bin("Add", i, ki(1))
        self.copy(i, n)
        self.goto(cond)
        self.at(ex)
        return i


class Module:
    def __init__(self, name):
        self.name = name
        self.fns = []
        self._sym = 0
        self.functions_object = False
        self.extra = {}
        self.bare = False

    def next_symbol(self):
        self._sym += 1
        return self._sym

    def fn(self, name, params=(), ret=I64, symbol=None):
        return Fn(self, name, params, ret, symbol)

    def text(self):
        fns = [f.to_json() for f in self.fns]
        if self.bare:
            assert len(fns) == 1
            return ser(fns[0]) + "\n"
        head = '{"name":' + ser(self.name) + ","
        if self.functions_object:
            body = '"functions":{\n' + ",\n".join(
                '"%d":%s' % (f["symbol"], ser(f)) for f in fns) + "\n}"
        else:
            body = '"functions":[\n' + ",\n".join(ser(f) for f in fns) + "\n]"
        tail = "".join("," + ser(key) + ":" + ser(val) for key, val in self.extra.items())
        return head + body + tail + "}\n"
