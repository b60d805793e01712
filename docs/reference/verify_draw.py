#!/usr/bin/env python3
"""Independent reference implementation of the choucha draw protocol, versions 1 and 2.

Written from ``docs/draw-protocol.md`` alone (no Rust source was read), so that
agreement with the test vectors checks the *specification*, not a translation of
the implementation.  Python 3.9+ standard library only; ChaCha20 is implemented
here (the block function of §4.2).

Usage::

    python3 verify_draw.py vectors DIR
        Check every DIR/*.json test vector (§10): inputs digest, key, the first
        four words of streams 0 and 1, and the result text and result digest --
        or the expected ``no_team`` error.  DIR/rng/below.json, if present, is
        checked too (keystream layout and ``below``).  One line per vector,
        ``ok NAME`` or ``FAIL NAME: reason``; exit status 0 only if all pass.

    python3 verify_draw.py package FILE.json
        Verify an audit package (§9, §21.1) or a public package (§21.2-§21.3),
        v1 or v2, with the rules of §22: inputs digest, every draw reproduced
        byte for byte (a public package: its institution part), every
        adjustment valid.  Says which kind it checked and prints
        ``已复现 / reproduced`` and exits 0, or names the first difference and
        exits 1.  DIR for ``vectors`` may contain v2/ (§23), checked too.

    python3 verify_draw.py draw INPUTS.txt SEED
        Run one draw and print its result text (§7) on standard output, byte
        for byte; the result digest goes to standard error, so that
        ``python3 verify_draw.py draw inputs.txt SEED > result.txt`` stores the
        exact text.  Exit 1 (with a message) if the inputs or the seed are
        refused, or if the draw fails (no team for a drawn institution).

Section numbers (§) refer to docs/draw-protocol.md.
"""

import hashlib
import json
import os
import re
import sys

PROTOCOL = 1
KEY_TAG = b"choucha-draw-key-v1"
CLASSES = ["A", "B", "C", "D"]
MASK32 = 0xFFFFFFFF
TWO64 = 2 ** 64


class DrawError(Exception):
    """Refused inputs or seed: there is no draw."""


class NoTeam(Exception):
    """§6.4: a drawn institution found no full team; the whole draw fails."""

    def __init__(self, inst_code, cls):
        Exception.__init__(self, "no team for drawn institution %s (class %s)" % (inst_code, cls))
        self.institution = inst_code
        self.cls = cls


# ---------------------------------------------------------------------------
# §1.3 The seed
# ---------------------------------------------------------------------------

def _is_cc(cp):
    """General category Cc: U+0000–U+001F, U+007F–U+009F."""
    return cp <= 0x1F or 0x7F <= cp <= 0x9F


_INVISIBLE_RANGES = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x206F), (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
]

# Unicode property White_Space (complete list).  Rule 3 already removes the
# control / invisible ones, so only the second row can matter for rule 4.
_WHITE_SPACE_RANGES = [
    (0x0009, 0x000D), (0x0085, 0x0085), (0x2028, 0x2029),
    (0x0020, 0x0020), (0x00A0, 0x00A0), (0x1680, 0x1680), (0x2000, 0x200A),
    (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000),
]


def _in_ranges(cp, ranges):
    for lo, hi in ranges:
        if lo <= cp <= hi:
            return True
    return False


def check_seed(seed):
    """Raise DrawError if the seed breaks a rule of §1.3 (checked in order)."""
    if seed == "":
        raise DrawError("seed: empty")
    if len(seed) > 256:  # Python str length = number of code points
        raise DrawError("seed: %d characters, at most 256 allowed" % len(seed))
    for pos, ch in enumerate(seed, 1):
        cp = ord(ch)
        if _is_cc(cp) or _in_ranges(cp, _INVISIBLE_RANGES):
            raise DrawError("seed: control or invisible character U+%04X at position %d" % (cp, pos))
        if 0xD800 <= cp <= 0xDFFF:  # cannot be encoded as UTF-8 (only reachable from Python)
            raise DrawError("seed: lone surrogate U+%04X at position %d" % (cp, pos))
    if _in_ranges(ord(seed[0]), _WHITE_SPACE_RANGES):
        raise DrawError("seed: starts with white space U+%04X" % ord(seed[0]))
    if _in_ranges(ord(seed[-1]), _WHITE_SPACE_RANGES):
        raise DrawError("seed: ends with white space U+%04X" % ord(seed[-1]))


# ---------------------------------------------------------------------------
# §2 Canonical input bytes
# ---------------------------------------------------------------------------

class Institution(object):
    def __init__(self, code, kind, region, cls):
        self.code, self.kind, self.region, self.cls = code, kind, region, cls


class Inspector(object):
    def __init__(self, pid, region, certified, expertise, conflicts):
        self.id, self.region, self.certified = pid, region, certified
        self.expertise = expertise          # sorted list of names
        self.conflicts = conflicts          # sorted list of institution codes


class Item(object):
    def __init__(self, code, applies_to):
        self.code, self.applies_to = code, applies_to


class Inputs(object):
    """Parsed draw inputs (§2.2)."""

    def __init__(self):
        self.version = PROTOCOL
        self.title = ""
        self.year = 0
        self.rate_bp = {}
        self.team_size = 0
        self.require_certified = False
        self.cross_region = False
        self.max_tasks_per_inspector = 0
        self.alternates_per_class = 0
        self.expertise_rules = []   # list of (kind, expertise)
        self.items = []
        self.institutions = []
        self.inspectors = []


_NUMBER_RE = re.compile(r"\A(?:0|[1-9][0-9]*)\Z")  # ASCII digits only, no leading zeros


def _number(field, what, maximum=4294967295):
    if not _NUMBER_RE.match(field):
        raise DrawError("%s: not a canonical number: %r" % (what, field))
    v = int(field)
    if v > maximum:
        raise DrawError("%s: %s exceeds %d" % (what, field, maximum))
    return v


def _flag(field, what):
    if field not in ("0", "1"):
        raise DrawError("%s: flag must be 0 or 1, not %r" % (what, field))
    return field == "1"


def _text(field, what):
    for ch in field:
        if _is_cc(ord(ch)):
            raise DrawError("%s: control character U+%04X" % (what, ord(ch)))
    return field


def _name(field, what):
    if field == "":
        raise DrawError("%s: empty name" % what)
    if "," in field:
        raise DrawError("%s: name contains a comma: %r" % (what, field))
    return _text(field, what)


def _list(field, what):
    if field == "":
        return []
    return [_name(e, what) for e in field.split(",")]


def _class(field, what):
    if field not in CLASSES:
        raise DrawError("%s: class must be A, B, C or D, not %r" % (what, field))
    return field


def canonical_bytes(x):
    """§2.7: serialise, sorting lists and dropping duplicate list elements / pairs."""
    out = []

    def line(*fields):
        out.append("\t".join(fields) + "\n")

    def b(flag):
        return "1" if flag else "0"

    def canon(lst):
        return ",".join(sorted(set(lst)))

    line("choucha-draw-inputs", str(x.version))
    line("title", x.title)
    line("year", str(x.year))
    for c in CLASSES:
        line("rate", c, str(x.rate_bp[c]))
    line("team_size", str(x.team_size))
    line("require_certified", b(x.require_certified))
    line("cross_region", b(x.cross_region))
    line("max_tasks_per_inspector", str(x.max_tasks_per_inspector))
    line("alternates_per_class", str(x.alternates_per_class))
    for kind, exp in sorted(set(x.expertise_rules)):
        line("expertise", kind, exp)
    for it in sorted(x.items, key=lambda r: r.code):
        line("item", it.code, canon(it.applies_to))
    for i in sorted(x.institutions, key=lambda r: r.code):
        line("institution", i.code, i.kind, i.region, i.cls)
    for p in sorted(x.inspectors, key=lambda r: r.id):
        line("inspector", p.id, p.region, b(p.certified), canon(p.expertise), canon(p.conflicts))
    return "".join(out).encode("utf-8")


_HEADER = [
    # (tag, number of fields including the tag)
    ("choucha-draw-inputs", 2), ("title", 2), ("year", 2),
    ("rate", 3), ("rate", 3), ("rate", 3), ("rate", 3),
    ("team_size", 2), ("require_certified", 2), ("cross_region", 2),
    ("max_tasks_per_inspector", 2), ("alternates_per_class", 2),
]
_RECORD_FIELDS = {"expertise": 3, "item": 3, "institution": 5, "inspector": 6}


def parse_inputs(data):
    """Parse and validate canonical input bytes (§2); raise DrawError on refusal."""
    if not isinstance(data, bytes):
        raise TypeError("inputs must be bytes")
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise DrawError("inputs: not valid UTF-8 (%s)" % e)
    if not text.endswith("\n"):
        raise DrawError("inputs: the last line does not end with LF")
    lines = text[:-1].split("\n")
    rows = []
    for n, ln in enumerate(lines, 1):
        if ln == "":
            raise DrawError("inputs line %d: empty line" % n)
        rows.append((n, ln.split("\t")))
    if len(rows) < len(_HEADER):
        raise DrawError("inputs: only %d lines, at least %d required" % (len(rows), len(_HEADER)))

    x = Inputs()
    for (n, fields), (tag, count) in zip(rows, _HEADER):
        if fields[0] != tag or len(fields) != count:
            raise DrawError("inputs line %d: expected %r with %d fields, got %r"
                            % (n, tag, count, "\t".join(fields)))
    head = [f for _, f in rows[:len(_HEADER)]]
    where = "inputs line 1"
    x.version = _number(head[0][1], where)
    if x.version != PROTOCOL:
        raise DrawError("inputs: version %d, this verifier runs protocol %d" % (x.version, PROTOCOL))
    x.title = _text(head[1][1], "inputs line 2 (title)")
    x.year = _number(head[2][1], "inputs line 3 (year)", 2147483647)
    for i, c in enumerate(CLASSES):
        f = head[3 + i]
        if f[1] != c:
            raise DrawError("inputs line %d: expected rate of class %s, got %r" % (4 + i, c, f[1]))
        x.rate_bp[c] = _number(f[2], "inputs line %d (rate %s)" % (4 + i, c))
    x.team_size = _number(head[7][1], "inputs line 8 (team_size)")
    x.require_certified = _flag(head[8][1], "inputs line 9 (require_certified)")
    x.cross_region = _flag(head[9][1], "inputs line 10 (cross_region)")
    x.max_tasks_per_inspector = _number(head[10][1], "inputs line 11 (max_tasks_per_inspector)")
    x.alternates_per_class = _number(head[11][1], "inputs line 12 (alternates_per_class)")

    inst_codes, insp_ids, item_codes = set(), set(), set()
    for n, f in rows[len(_HEADER):]:
        tag = f[0]
        where = "inputs line %d (%s)" % (n, tag)
        if tag not in _RECORD_FIELDS:
            raise DrawError("inputs line %d: unknown tag %r" % (n, tag))
        if len(f) != _RECORD_FIELDS[tag]:
            raise DrawError("%s: %d fields, expected %d" % (where, len(f), _RECORD_FIELDS[tag]))
        if tag == "expertise":
            x.expertise_rules.append((_name(f[1], where), _name(f[2], where)))
        elif tag == "item":
            code = _name(f[1], where)
            if code in item_codes:
                raise DrawError("%s: duplicate item code %s" % (where, code))
            item_codes.add(code)
            x.items.append(Item(code, _list(f[2], where)))
        elif tag == "institution":
            code = _name(f[1], where)
            if code in inst_codes:
                raise DrawError("%s: duplicate institution code %s" % (where, code))
            inst_codes.add(code)
            x.institutions.append(Institution(code, _name(f[2], where), _text(f[3], where),
                                              _class(f[4], where)))
        else:
            pid = _name(f[1], where)
            if pid in insp_ids:
                raise DrawError("%s: duplicate inspector id %s" % (where, pid))
            insp_ids.add(pid)
            x.inspectors.append(Inspector(pid, _text(f[2], where), _flag(f[3], where),
                                          _list(f[4], where), _list(f[5], where)))

    # §2.7: the bytes must be exactly the canonical serialisation (order, no duplicates).
    canon = canonical_bytes(x)
    if canon != data:
        raise DrawError("inputs: not in canonical form (%s)" % _first_difference(data, canon))

    # §2.6 further validity rules
    for c in CLASSES:
        if x.rate_bp[c] > 10000:
            raise DrawError("inputs: rate of class %s is %d > 10000" % (c, x.rate_bp[c]))
    if not 2 <= x.team_size <= 20:
        raise DrawError("inputs: team_size %d not in 2..20" % x.team_size)
    if x.max_tasks_per_inspector < 1:
        raise DrawError("inputs: max_tasks_per_inspector must be at least 1")
    for kind in sorted(set(i.kind for i in x.institutions)):
        if len(requirements(x, kind)) > x.team_size:
            raise DrawError("inputs: kind %s has %d requirements, more than team_size %d"
                            % (kind, len(requirements(x, kind)), x.team_size))
    return x


def _first_difference(got, want):
    g, w = got.split(b"\n"), want.split(b"\n")
    for i in range(max(len(g), len(w))):
        a = g[i] if i < len(g) else None
        b = w[i] if i < len(w) else None
        if a != b:
            return "line %d is %r, canonical form has %r" % (
                i + 1, a.decode("utf-8", "replace") if a is not None else None,
                b.decode("utf-8", "replace") if b is not None else None)
    return "same lines, different bytes"


# ---------------------------------------------------------------------------
# §3 Inputs digest, §4 Randomness
# ---------------------------------------------------------------------------

def inputs_digest_raw(data):
    return hashlib.sha256(data).digest()


def derive_key(digest_raw, seed):
    """§4.1"""
    return hashlib.sha256(KEY_TAG + b"\x00" + digest_raw + seed.encode("utf-8")).digest()


def chacha20_block(key, counter, stream):
    """§4.2: one 64-byte block, original (DJB) layout: 64-bit counter, 64-bit stream id."""
    init = ([0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]           # "expand 32-byte k"
            + [int.from_bytes(key[i:i + 4], "little") for i in range(0, 32, 4)]
            + [counter & MASK32, counter >> 32, stream & MASK32, stream >> 32])
    s = list(init)

    def qr(a, b, c, d):
        s[a] = (s[a] + s[b]) & MASK32
        t = s[d] ^ s[a]
        s[d] = ((t << 16) | (t >> 16)) & MASK32
        s[c] = (s[c] + s[d]) & MASK32
        t = s[b] ^ s[c]
        s[b] = ((t << 12) | (t >> 20)) & MASK32
        s[a] = (s[a] + s[b]) & MASK32
        t = s[d] ^ s[a]
        s[d] = ((t << 8) | (t >> 24)) & MASK32
        s[c] = (s[c] + s[d]) & MASK32
        t = s[b] ^ s[c]
        s[b] = ((t << 7) | (t >> 25)) & MASK32

    for _ in range(10):                                # 10 double rounds = 20 rounds
        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
    return b"".join(((a + b) & MASK32).to_bytes(4, "little") for a, b in zip(s, init))


class Stream(object):
    """§4.3: a keystream read as 64-bit little-endian words, from word 0."""

    def __init__(self, key, stream_id):
        self.key = key
        self.stream_id = stream_id
        self.counter = 0
        self.buf = b""
        self.pos = 0
        self.words_read = 0

    def next_word(self):
        if self.pos == len(self.buf):
            self.buf = chacha20_block(self.key, self.counter, self.stream_id)
            self.counter += 1
            self.pos = 0
        w = int.from_bytes(self.buf[self.pos:self.pos + 8], "little")
        self.pos += 8
        self.words_read += 1
        return w


def below(stream, n, trace=None):
    """§4.4: uniform integer in [0, n), by rejection; always reads at least one word.

    If ``trace`` is a list, every word read is appended to it (for rng/below.json)."""
    if n < 1:
        raise ValueError("below(n) needs n >= 1")
    r = TWO64 % n
    while True:
        x = stream.next_word()
        if trace is not None:
            trace.append(x)
        if x < TWO64 - r:
            return x % n


# ---------------------------------------------------------------------------
# §5 Strata, §6 Teams, §7 Result text
# ---------------------------------------------------------------------------

def ceil_div(a, b):
    return (a + b - 1) // b


def requirements(x, kind):
    """§6.2: ('certified', None) first if required, then ('expertise', E) by E."""
    reqs = []
    if x.require_certified:
        reqs.append(("certified", None))
    for k, e in sorted(x.expertise_rules):
        if k == kind:
            reqs.append(("expertise", e))
    return reqs


def satisfies(p, req):
    if req[0] == "certified":
        return p.certified
    return req[1] in p.expertise


class Task(object):
    def __init__(self, cls, rank, inst, team, items):
        self.cls, self.rank, self.inst, self.team, self.items = cls, rank, inst, team, items


class Result(object):
    def __init__(self):
        self.strata = []       # (class, N, k, m - k)
        self.tasks = []        # drawn, §6.1 order
        self.alternates = []   # §6.1 order
        self.text = ""
        self.digest = ""


def run_draw(data, seed):
    """The whole protocol: (inputs bytes, seed) -> Result; raises DrawError / NoTeam."""
    x = parse_inputs(data)
    check_seed(seed)
    digest_raw = inputs_digest_raw(data)
    key = derive_key(digest_raw, seed)

    # §5 strata and sample sizes, stream 0
    s0 = Stream(key, 0)
    res = Result()
    drawn, alternates = [], []
    for c in CLASSES:
        P = [inst for inst in x.institutions if inst.cls == c]   # canonical order
        N = len(P)
        k = min(N, ceil_div(x.rate_bp[c] * N, 10000))
        m = min(N, k + x.alternates_per_class)
        for i in range(m):                                       # partial Fisher–Yates
            j = i + below(s0, N - i)
            P[i], P[j] = P[j], P[i]
        for pos in range(m):
            if pos < k:
                drawn.append((c, pos + 1, P[pos]))
            else:
                alternates.append((c, pos + 1, P[pos]))
        res.strata.append((c, N, k, m - k))

    # §6 teams, stream 1
    s1 = Stream(key, 1)
    load = dict((p.id, 0) for p in x.inspectors)

    def assign(inst):
        reqs = requirements(x, inst.kind)
        team = []
        for _slot in range(x.team_size):
            unmet = None
            for r in reqs:
                if not any(satisfies(q, r) for q in team):
                    unmet = r
                    break
            candidates = [p for p in x.inspectors                # canonical order (by id)
                          if inst.code not in p.conflicts
                          and not (x.cross_region and p.region == inst.region)
                          and load[p.id] < x.max_tasks_per_inspector
                          and p not in team
                          and (unmet is None or satisfies(p, unmet))]
            if not candidates:
                return None                                      # reads no word for this slot
            team.append(candidates[below(s1, len(candidates))])
        for p in team:                                           # only after the team is complete
            load[p.id] += 1
        return team

    def items_for(inst):
        return [it.code for it in x.items if inst.kind in it.applies_to]   # by code

    for c, rank, inst in drawn:
        team = assign(inst)
        if team is None:
            raise NoTeam(inst.code, c)
        res.tasks.append(Task(c, rank, inst, team, items_for(inst)))
    for c, rank, inst in alternates:
        team = assign(inst)
        if team is None:
            team = []                 # empty team; loads unchanged, words stay read
        res.alternates.append(Task(c, rank, inst, team, items_for(inst)))

    # §7 result text
    out = []

    def line(*fields):
        out.append("\t".join(str(f) for f in fields) + "\n")

    line("choucha-draw-result", PROTOCOL)
    line("inputs", digest_raw.hex())
    line("seed", seed)
    for c, N, k, a in res.strata:
        line("stratum", c, N, k, a)
    for no, t in enumerate(res.tasks, 1):
        line("task", no, t.cls, t.rank, t.inst.code, ",".join(p.id for p in t.team), ",".join(t.items))
    for t in res.alternates:
        line("alternate", t.cls, t.rank, t.inst.code, ",".join(p.id for p in t.team), ",".join(t.items))
    res.text = "".join(out)
    res.digest = hashlib.sha256(res.text.encode("utf-8")).hexdigest()
    return res


def first_words(key, stream_id, n=4):
    s = Stream(key, stream_id)
    return [s.next_word() for _ in range(n)]


def first_differing_line(got, want, got_label="got", want_label="expected"):
    g, w = got.split("\n"), want.split("\n")
    for i in range(max(len(g), len(w))):
        a = g[i] if i < len(g) else "<missing>"
        b = w[i] if i < len(w) else "<missing>"
        if a != b:
            return "line %d: %s %r, %s %r" % (i + 1, want_label, b, got_label, a)
    return "texts differ"


# ---------------------------------------------------------------------------
# CLI: vectors
# ---------------------------------------------------------------------------

def check_vector(directory, v):
    """Return None if vector v reproduces, else a reason."""
    with open(os.path.join(directory, v["inputs_file"]), "rb") as f:
        data = f.read()
    if v.get("protocol") != PROTOCOL:
        return "protocol %r, this verifier runs %d" % (v.get("protocol"), PROTOCOL)
    digest_raw = inputs_digest_raw(data)
    if digest_raw.hex() != v["inputs_digest"]:
        return "inputs digest %s, expected %s" % (digest_raw.hex(), v["inputs_digest"])
    key = derive_key(digest_raw, v["seed"])
    if key.hex() != v["key_hex"]:
        return "key %s, expected %s" % (key.hex(), v["key_hex"])
    for sid in (0, 1):
        want = [int(w) for w in v["stream%d_first_words" % sid]]
        got = first_words(key, sid, len(want))
        if got != want:
            return "stream %d first words %s, expected %s" % (sid, got, want)
    try:
        res = run_draw(data, v["seed"])
    except NoTeam as e:
        if v.get("error") != "no_team":
            return "draw failed unexpectedly: %s" % e
        if (e.institution, e.cls) != (v["error_institution"], v["error_class"]):
            return "no_team for %s (class %s), expected %s (class %s)" % (
                e.institution, e.cls, v["error_institution"], v["error_class"])
        return None
    except DrawError as e:
        return "refused: %s" % e
    if "error" in v:
        return "expected error %r, but the draw succeeded" % v["error"]
    if res.text != v["result_text"]:
        return "result text differs, " + first_differing_line(res.text, v["result_text"])
    if res.digest != v["result_digest"]:
        return "result digest %s, expected %s" % (res.digest, v["result_digest"])
    return None


def check_below_vector(v):
    """tests/vectors/rng/below.json: keystream layout and below(), incl. rejections."""
    zero = bytes(32)
    for sid in (0, 1):
        want = [int(w) for w in v["zero_key_stream%d_first_words" % sid]]
        got = first_words(zero, sid, len(want))
        if got != want:
            return "all-zero key, stream %d: words %s, expected %s" % (sid, got, want)
    if derive_key(bytes(32), "rejection").hex() != v["key_hex"]:
        # The description says key_hex = derive_key(32 zero bytes, "rejection").
        return "key_hex is not derive_key(32 zero bytes, \"rejection\")"
    key = bytes.fromhex(v["key_hex"])
    want = [int(w) for w in v["words"]]
    got = first_words(key, v.get("stream", 0), len(want))
    if got != want:
        return "stream words differ from 'words'"
    s = Stream(key, v.get("stream", 0))
    for i, call in enumerate(v["calls"]):
        trace = []
        value = below(s, int(call["n"]), trace)
        exp_words = [int(w) for w in call["rejected"]] + [int(call["accepted"])]
        if trace != exp_words or value != int(call["value"]) \
                or s.words_read != call["words_read_after"]:
            return "call %d below(%s): read %s -> %d (%d words so far), expected %s -> %s (%d)" % (
                i, call["n"], trace, value, s.words_read, exp_words, call["value"],
                call["words_read_after"])
    return None


def cmd_vectors(directory):
    all_ok = True
    names = sorted(f for f in os.listdir(directory) if f.endswith(".json"))
    if not names:
        print("FAIL %s: no *.json vectors found" % directory)
        return 1
    for fname in names:
        name = fname[:-len(".json")]
        try:
            with open(os.path.join(directory, fname), "rb") as f:
                v = json.loads(f.read().decode("utf-8"))
            name = v.get("name", name)
            reason = check_vector(directory, v)
        except Exception as e:   # a malformed vector is a failure, not a crash
            reason = "%s: %s" % (type(e).__name__, e)
        if reason is None:
            print("ok %s" % name)
        else:
            all_ok = False
            print("FAIL %s: %s" % (name, reason))
    v2dir = os.path.join(directory, "v2")
    if os.path.isdir(v2dir):
        for fname in sorted(f for f in os.listdir(v2dir) if f.endswith(".json")):
            try:
                with open(os.path.join(v2dir, fname), "rb") as f:
                    v = json.loads(f.read().decode("utf-8"))
                reason = check_v2_vector(v2dir, v)
            except Exception as e:
                reason = "%s: %s" % (type(e).__name__, e)
            name = "v2/" + fname[:-len(".json")]
            if reason is None:
                print("ok %s" % name)
            else:
                all_ok = False
                print("FAIL %s: %s" % (name, reason))
    below_path = os.path.join(directory, "rng", "below.json")
    if os.path.exists(below_path):
        try:
            with open(below_path, "rb") as f:
                reason = check_below_vector(json.loads(f.read().decode("utf-8")))
        except Exception as e:
            reason = "%s: %s" % (type(e).__name__, e)
        if reason is None:
            print("ok rng/below")
        else:
            all_ok = False
            print("FAIL rng/below: %s" % reason)
    return 0 if all_ok else 1


# ---------------------------------------------------------------------------
# CLI: package (§9)
# ---------------------------------------------------------------------------

class PackageError(Exception):
    pass


def _team_ids(value, where):
    """An adjustment's `team`: a JSON array of inspector ids, in pick order."""
    if isinstance(value, list) and all(isinstance(t, str) for t in value):
        return value
    raise PackageError("%s: team must be an array of inspector ids, not %r" % (where, value))


def _check_adjustments(current_tasks, current_alts, adjustments, with_team):
    """§9 step 3 on (class, rank, code, team-or-None, has_team) records."""
    held, used = {}, set()
    for no, t in enumerate(current_tasks, 1):
        held[no] = t[2]
    for n, a in enumerate(adjustments):
        where = "adjustments[%d]" % n
        no = a["task"]
        if no not in held:
            raise PackageError("%s: task %r does not exist in the current draw" % (where, no))
        cls = current_tasks[no - 1][0]
        if a["replaced"] != held[no]:
            raise PackageError("%s: task %d was held by %s, not %r" % (where, no, held[no], a["replaced"]))
        chosen = None
        for alt in current_alts:                     # §6.1 order: by rank within the class
            if alt[0] == cls and alt[4] and (alt[0], alt[1]) not in used:
                chosen = alt
                break
        if chosen is None:
            raise PackageError("%s: class %s has no unused alternate with a team" % (where, cls))
        if a["replacement"] != chosen[2] or a["replacement_rank"] != chosen[1]:
            raise PackageError("%s: replacement %r (rank %r), expected %s (rank %d), the first unused "
                               "alternate of class %s with a team"
                               % (where, a["replacement"], a["replacement_rank"], chosen[2], chosen[1], cls))
        if with_team and a["team"] != chosen[3]:
            raise PackageError("%s: team %r, expected %s" % (where, a["team"], ",".join(chosen[3])))
        reason = a["reason"] if with_team else a["reason_category"]
        if reason.strip(WHITE_SPACE) == "":
            raise PackageError("%s: reason is empty" % where)
        if not with_team and reason not in REASON_CATEGORIES:
            raise PackageError("%s: reason_category %r is not one of %s" % (where, reason, REASON_CATEGORIES))
        used.add((chosen[0], chosen[1]))
        held[no] = chosen[2]


# ---------------------------------------------------------------------------
# §22 General package rules (both versions, both kinds)
# ---------------------------------------------------------------------------

REASON_CATEGORIES = ["closed", "not_found", "conflict", "other"]
# Unicode White_Space, for "not only white space" (§22.3).
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
              "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_TIME_RE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\Z")
_HEX64_RE = re.compile(r"\A[0-9a-f]{64}\Z")

S, I, O, A = "string", "integer", "object", "array"

AUDIT_FIELDS = {
    "format": S, "format_version": I, "plan": O, "protocol": I, "inputs": S, "inputs_digest": S,
    "frozen_at": S, "frozen_by": S, "draws": A, "adjustments": A, "audit_log_head": O, "how_to_verify": S,
}
AUDIT_DRAW = {"protocol": I, "seed": S, "result": S, "result_digest": S, "reason": S,
              "drawn_at": S, "drawn_by": S}
AUDIT_ADJ = {"task": I, "replaced": S, "replacement": S, "replacement_rank": I, "team": A,
             "reason": S, "at": S, "actor": S}
PUBLIC_FIELDS = {
    "format": S, "format_version": I, "plan": O, "protocol": I, "public_inputs": S, "public_digest": S,
    "sealed_digest": S, "inputs_digest": S, "frozen_at": S, "draws": A, "adjustments": A,
    "audit_log_head": O, "how_to_verify": S,
}
PUBLIC_DRAW = {"protocol": I, "seed": S, "reason": S, "drawn_at": S, "institutions": S,
               "institutions_digest": S, "teams_digest": S, "result_digest": S, "alternates_without_team": A}
PUBLIC_ADJ = {"task": I, "replaced": S, "replacement": S, "replacement_rank": I, "reason_category": S, "at": S}
PLAN_FIELDS = {"id": I, "title": S, "year": I, "status": S, "spec": S}
LOG_HEAD = {"seq": I, "hash": S}
ALT_REF = {"class": S, "rank": I}


def _fields(obj, spec, where):
    """§22.1: exactly the listed fields, each of its JSON type."""
    if not isinstance(obj, dict):
        raise PackageError("%s is not an object" % where)
    for k in obj:
        if k not in spec:
            raise PackageError("%s: unknown field %r" % (where, k))
    for k, t in spec.items():
        if k not in obj:
            raise PackageError("%s: missing field %r" % (where, k))
        v = obj[k]
        ok = {S: isinstance(v, str), O: isinstance(v, dict), A: isinstance(v, list),
              I: isinstance(v, int) and not isinstance(v, bool) and v >= 0}[t]
        if not ok:
            raise PackageError("%s: field %r must be a %s" % (where, k, t if t != I else "non-negative integer"))


def _check_time(v, where):
    if not _TIME_RE.match(v):
        raise PackageError("%s: %r is not a time YYYY-MM-DDTHH:MM:SS" % (where, v))
    import datetime
    try:
        datetime.datetime.strptime(v, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        raise PackageError("%s: %r is not a valid date and time" % (where, v))


def _check_draw_list(pkg):
    """§22.3, §22.4, §22.5 and the audit-log head of §22.1."""
    _check_time(pkg["frozen_at"], "frozen_at")
    draws = pkg["draws"]
    if not draws:
        raise PackageError("draws is empty")
    prev = pkg["frozen_at"]
    seeds = []
    for n, d in enumerate(draws):
        where = "draws[%d]" % n
        _check_time(d["drawn_at"], where + ".drawn_at")
        if d["drawn_at"] < pkg["frozen_at"]:
            raise PackageError("%s: drawn_at %s is before frozen_at %s" % (where, d["drawn_at"], pkg["frozen_at"]))
        if d["drawn_at"] < prev:
            raise PackageError("%s: drawn_at is before the previous draw's" % where)
        prev = d["drawn_at"]
        if d["seed"] in seeds:
            raise PackageError("%s: duplicated draw (seed %r already recorded)" % (where, d["seed"]))
        seeds.append(d["seed"])
        if n == 0 and d["reason"] != "":
            raise PackageError("%s: the first draw has a reason" % where)
        if n > 0 and d["reason"].strip(WHITE_SPACE) == "":
            raise PackageError("%s: a redraw without a reason" % where)
        if d["protocol"] != pkg["protocol"]:
            raise PackageError("%s: protocol %r differs from the package's %r" % (where, d["protocol"], pkg["protocol"]))
        try:
            check_seed(d["seed"])
        except DrawError as e:
            raise PackageError("%s: seed refused: %s" % (where, e))
    last_at = prev
    for n, a in enumerate(pkg["adjustments"]):
        where = "adjustments[%d].at" % n
        _check_time(a["at"], where)
        if a["at"] < last_at:
            raise PackageError("%s: %s is before the current draw or the previous adjustment" % (where, a["at"]))
        last_at = a["at"]
    head = pkg["audit_log_head"]
    _fields(head, LOG_HEAD, "audit_log_head")
    if head["seq"] < 1 or not _HEX64_RE.match(head["hash"]):
        raise PackageError("audit_log_head: seq must be >= 1 and hash 64 lowercase hex")


def _rate_bp(v):
    """§22.8 percent string -> basis points, or None."""
    if not isinstance(v, str):
        return None
    t = v.strip(WHITE_SPACE)
    if t.endswith("%"):
        t = t[:-1].strip(WHITE_SPACE)
    m = re.match(r"\A([0-9]{1,3})(?:\.([0-9]{1,2}))?\Z", t)
    if not m:
        return None
    frac = m.group(2) or ""
    bp = int(m.group(1)) * 100 + (int(frac) * (10 if len(frac) == 1 else 1) if frac else 0)
    return bp if bp <= 10000 else None


def _check_spec(plan, x):
    """§22.8: plan.spec terms against the inputs (v1 Inputs or the v2 public section)."""
    import tomllib
    try:
        spec = tomllib.loads(plan["spec"])
    except Exception as e:
        raise PackageError("plan.spec is not TOML: %s" % e)

    def contradiction(what, a, b):
        raise PackageError("plan.spec contradicts the inputs: %s is %r in plan.spec but %r in the inputs" % (what, a, b))
    if plan["title"] != x.title:
        contradiction("plan.title", plan["title"], x.title)
    if plan["year"] != x.year:
        contradiction("plan.year", plan["year"], x.year)
    if spec.get("title") != x.title:
        contradiction("title", spec.get("title"), x.title)
    if spec.get("year") != x.year:
        contradiction("year", spec.get("year"), x.year)
    rates = spec.get("rates", {})
    for c in CLASSES:
        if _rate_bp(rates.get(c)) != x.rate_bp[c]:
            contradiction("rates." + c, rates.get(c), x.rate_bp[c])
    team = spec.get("team", {})
    for key, default, value in [("size", None, x.team_size), ("require_certified", True, x.require_certified),
                                ("cross_region", False, x.cross_region),
                                ("max_tasks_per_inspector", None, x.max_tasks_per_inspector)]:
        got = team.get(key, default)
        if got is None or type(got) is not type(value) or got != value:
            contradiction("team." + key, got, value)
    per_class = spec.get("alternates", {}).get("per_class", 0)
    if per_class != x.alternates_per_class:
        contradiction("alternates.per_class", per_class, x.alternates_per_class)
    expertise = team.get("expertise", {})
    pairs = sorted(set((k, e) for k, es in expertise.items() for e in es))
    if pairs and pairs != sorted(set(x.expertise_rules)):
        contradiction("team.expertise", pairs, sorted(x.expertise_rules))
    scope = spec.get("scope", {})
    if scope.get("items"):
        for it in x.items:
            if it.code not in scope["items"]:
                contradiction("scope.items", scope["items"], it.code)
    if scope.get("institution_types"):
        for i in x.institutions:
            if i.kind not in scope["institution_types"]:
                contradiction("scope.institution_types", scope["institution_types"], i.kind)
    if scope.get("regions"):
        for i in x.institutions:
            if i.region not in scope["regions"]:
                contradiction("scope.regions", scope["regions"], i.region)


def _no_dup_keys(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise PackageError("duplicate key %r in a JSON object" % k)
        d[k] = v
    return d


def _all_strings_utf8(v, where="package"):
    """§22.2: lone surrogates (\\ud800) are no text."""
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            raise PackageError("%s: a string with a lone surrogate" % where)
    elif isinstance(v, list):
        for i, e in enumerate(v):
            _all_strings_utf8(e, "%s[%d]" % (where, i))
    elif isinstance(v, dict):
        for k, e in v.items():
            _all_strings_utf8(k, where)
            _all_strings_utf8(e, "%s.%s" % (where, k))


# ---------------------------------------------------------------------------
# Part II: protocol version 2 (§13-§20)
# ---------------------------------------------------------------------------

_SALT_RE = re.compile(r"\A[0-9a-f]{32}\Z")


def sha_hex(b):
    return hashlib.sha256(b).hexdigest()


def commitment(code, cls, salt):
    """§16.2"""
    return sha_hex(("choucha-class-commitment-v2\t%s\t%s\t%s\n" % (code, cls, salt)).encode("utf-8"))


def v2_inputs_digest(public_digest, sealed_digest):
    """§15"""
    return sha_hex(("choucha-draw-inputs\t2\npublic\t%s\nsealed\t%s\n" % (public_digest, sealed_digest)).encode("ascii"))


def v2_result_digest(inputs_digest, inst_digest, teams_digest):
    """§20.3"""
    return sha_hex(("choucha-draw-result\t2\ninputs\t%s\ninstitutions\t%s\nteams\t%s\n"
                    % (inputs_digest, inst_digest, teams_digest)).encode("ascii"))


def v2_key(tag, digest_hex, seed):
    """§17"""
    return hashlib.sha256(tag + b"\x00" + bytes.fromhex(digest_hex) + seed.encode("utf-8")).digest()


class Public(object):
    """A parsed public section (§14.1): Inputs without inspectors, plus mode and commitments."""


_PUBLIC_HEADER = [
    ("choucha-draw-public", 2), ("classes", 2), ("title", 2), ("year", 2),
    ("rate", 3), ("rate", 3), ("rate", 3), ("rate", 3),
    ("team_size", 2), ("require_certified", 2), ("cross_region", 2),
    ("max_tasks_per_inspector", 2), ("alternates_per_class", 2),
]


def _lines(data, what):
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise DrawError("%s: not valid UTF-8 (%s)" % (what, e))
    if not text.endswith("\n"):
        raise DrawError("%s: the last line does not end with LF" % what)
    rows = []
    for n, ln in enumerate(text[:-1].split("\n"), 1):
        if ln == "":
            raise DrawError("%s line %d: empty line" % (what, n))
        rows.append((n, ln.split("\t")))
    return rows


def public_bytes(x):
    out = []

    def line(*f):
        out.append("\t".join(f) + "\n")

    def b(v):
        return "1" if v else "0"

    def canon(lst):
        return ",".join(sorted(set(lst)))
    line("choucha-draw-public", "2")
    line("classes", x.mode)
    line("title", x.title)
    line("year", str(x.year))
    for c in CLASSES:
        line("rate", c, str(x.rate_bp[c]))
    line("team_size", str(x.team_size))
    line("require_certified", b(x.require_certified))
    line("cross_region", b(x.cross_region))
    line("max_tasks_per_inspector", str(x.max_tasks_per_inspector))
    line("alternates_per_class", str(x.alternates_per_class))
    for kind, exp in sorted(set(x.expertise_rules)):
        line("expertise", kind, exp)
    for it in sorted(x.items, key=lambda r: r.code):
        line("item", it.code, canon(it.applies_to))
    for i in sorted(x.institutions, key=lambda r: r.code):
        line("institution", i.code, i.kind, i.region, i.cls if x.mode == "published" else x.commitments[i.code])
    return "".join(out).encode("utf-8")


def sealed_bytes(x):
    out = []

    def line(*f):
        out.append("\t".join(f) + "\n")

    def canon(lst):
        return ",".join(sorted(set(lst)))
    line("choucha-draw-sealed", "2")
    if x.mode == "committed":
        for i in sorted(x.institutions, key=lambda r: r.code):
            line("class", i.code, i.cls, x.salts[i.code])
    for p in sorted(x.inspectors, key=lambda r: r.id):
        line("inspector", p.id, p.region, "1" if p.certified else "0", canon(p.expertise), canon(p.conflicts))
    return "".join(out).encode("utf-8")


def parse_public(data):
    """§14.1 and §14.3 for the public section alone; raises DrawError."""
    rows = _lines(data, "public section")
    if len(rows) < len(_PUBLIC_HEADER):
        raise DrawError("public section: only %d lines" % len(rows))
    for (n, f), (tag, count) in zip(rows, _PUBLIC_HEADER):
        if f[0] != tag or len(f) != count:
            raise DrawError("public section line %d: expected %r with %d fields" % (n, tag, count))
    h = [f for _, f in rows[:len(_PUBLIC_HEADER)]]
    x = Inputs()
    if h[0][1] != "2":
        raise DrawError("public section: version must be 2")
    x.version = 2
    if h[1][1] not in ("published", "committed"):
        raise DrawError("public section line 2: classes must be published or committed")
    x.mode = h[1][1]
    x.title = _text(h[2][1], "title")
    x.year = _number(h[3][1], "year", 2147483647)
    for i, c in enumerate(CLASSES):
        if h[4 + i][1] != c:
            raise DrawError("public section line %d: expected rate of class %s" % (5 + i, c))
        x.rate_bp[c] = _number(h[4 + i][2], "rate " + c)
    x.team_size = _number(h[8][1], "team_size")
    x.require_certified = _flag(h[9][1], "require_certified")
    x.cross_region = _flag(h[10][1], "cross_region")
    x.max_tasks_per_inspector = _number(h[11][1], "max_tasks_per_inspector")
    x.alternates_per_class = _number(h[12][1], "alternates_per_class")
    x.commitments, x.salts = {}, {}
    codes, items = set(), set()
    fields = {"expertise": 3, "item": 3, "institution": 5}
    for n, f in rows[len(_PUBLIC_HEADER):]:
        where = "public section line %d" % n
        if f[0] not in fields or len(f) != fields[f[0]]:
            raise DrawError("%s: unexpected line %r" % (where, "\t".join(f)))
        if f[0] == "expertise":
            x.expertise_rules.append((_name(f[1], where), _name(f[2], where)))
        elif f[0] == "item":
            if f[1] in items:
                raise DrawError("%s: duplicate item" % where)
            items.add(f[1])
            x.items.append(Item(_name(f[1], where), _list(f[2], where)))
        else:
            code = _name(f[1], where)
            if code in codes:
                raise DrawError("%s: duplicate institution %s" % (where, code))
            codes.add(code)
            if x.mode == "published":
                cls = _class(f[4], where)
            else:
                if not _HEX64_RE.match(f[4]):
                    raise DrawError("%s: commitment is not 64 lowercase hex" % where)
                x.commitments[code] = f[4]
                cls = None
            x.institutions.append(Institution(code, _name(f[2], where), _text(f[3], where), cls))
    canon = public_bytes(x)
    if canon != data:
        raise DrawError("public section: not in canonical form (%s)" % _first_difference(data, canon))
    _validity(x)
    return x


def _validity(x):
    """§2.6 as far as the public section decides it."""
    for c in CLASSES:
        if x.rate_bp[c] > 10000:
            raise DrawError("rate of class %s > 10000" % c)
    if not 2 <= x.team_size <= 20:
        raise DrawError("team_size not in 2..20")
    if x.max_tasks_per_inspector < 1:
        raise DrawError("max_tasks_per_inspector must be at least 1")
    for kind in sorted(set(i.kind for i in x.institutions)):
        if len(requirements(x, kind)) > x.team_size:
            raise DrawError("kind %s has more requirements than team_size" % kind)


def parse_v2(data):
    """§14: public section ‖ sealed section; returns (Inputs with classes and inspectors, public bytes, sealed bytes)."""
    at = data.find(b"\nchoucha-draw-sealed\t")
    if at < 0:
        raise DrawError("v2 inputs: no choucha-draw-sealed line")
    pub, sealed = data[:at + 1], data[at + 1:]
    x = parse_public(pub)
    rows = _lines(sealed, "sealed section")
    if rows[0][1] != ["choucha-draw-sealed", "2"]:
        raise DrawError("sealed section line 1: expected choucha-draw-sealed\\t2")
    by_code = dict((i.code, i) for i in x.institutions)
    ids = set()
    for n, f in rows[1:]:
        where = "sealed section line %d" % n
        if f[0] == "class" and len(f) == 4:
            if x.mode != "committed":
                raise DrawError("%s: class line under published classes" % where)
            inst = by_code.get(f[1])
            if inst is None or inst.cls is not None:
                raise DrawError("%s: class line for unknown or repeated code %r" % (where, f[1]))
            inst.cls = _class(f[2], where)
            if not _SALT_RE.match(f[3]):
                raise DrawError("%s: salt is not 32 lowercase hex" % where)
            if commitment(f[1], inst.cls, f[3]) != x.commitments[f[1]]:
                raise DrawError("%s: the class of %s does not open its commitment" % (where, f[1]))
            x.salts[f[1]] = f[3]
        elif f[0] == "inspector" and len(f) == 6:
            pid = _name(f[1], where)
            if pid in ids:
                raise DrawError("%s: duplicate inspector %s" % (where, pid))
            ids.add(pid)
            x.inspectors.append(Inspector(pid, _text(f[2], where), _flag(f[3], where),
                                          _list(f[4], where), _list(f[5], where)))
        else:
            raise DrawError("%s: unexpected line %r" % (where, "\t".join(f)))
    if any(i.cls is None for i in x.institutions):
        raise DrawError("sealed section: an institution has no class line")
    canon = sealed_bytes(x)
    if canon != sealed:
        raise DrawError("sealed section: not in canonical form (%s)" % _first_difference(sealed, canon))
    return x, pub, sealed


def v2_tickets(public_digest, seed, n):
    s = Stream(v2_key(b"choucha-draw-institutions-v2", public_digest, seed), 0)
    return [s.next_word() for _ in range(n)]


def v2_select(x, tickets):
    """§18 on institutions with known classes."""
    idx = dict((inst.code, t) for inst, t in zip(x.institutions, tickets))
    strata, drawn, alternates = [], [], []
    for c in CLASSES:
        P = sorted((i for i in x.institutions if i.cls == c), key=lambda i: (idx[i.code], i.code.encode("utf-8")))
        N = len(P)
        k = min(N, ceil_div(x.rate_bp[c] * N, 10000))
        m = min(N, k + x.alternates_per_class)
        for pos in range(m):
            (drawn if pos < k else alternates).append((c, pos + 1, P[pos]))
        strata.append((c, N, k, m - k))
    return strata, drawn, alternates, idx


def _items_for(x, inst):
    return [it.code for it in x.items if inst.kind in it.applies_to]


def v2_institution_part(x, public_digest, seed, strata, drawn, alternates, idx):
    out = []

    def line(*f):
        out.append("\t".join(str(v) for v in f) + "\n")
    line("choucha-draw-institutions", 2)
    line("public", public_digest)
    line("seed", seed)
    for st in strata:
        line("stratum", *st)
    salt = lambda i: x.salts.get(i.code, "") if x.mode == "committed" else ""
    for no, (c, r, i) in enumerate(drawn, 1):
        line("task", no, c, r, i.code, idx[i.code], salt(i), ",".join(_items_for(x, i)))
    for c, r, i in alternates:
        line("alternate", c, r, i.code, idx[i.code], salt(i), ",".join(_items_for(x, i)))
    return "".join(out)


class V2Result(object):
    pass


def run_draw_v2(data, seed):
    """§13-§20: (v2 inputs bytes, seed) -> V2Result; raises DrawError / NoTeam (with .inst_part)."""
    x, pub, sealed = parse_v2(data)
    check_seed(seed)
    pd, sd = sha_hex(pub), sha_hex(sealed)
    idg = v2_inputs_digest(pd, sd)
    tickets = v2_tickets(pd, seed, len(x.institutions))
    strata, drawn, alternates, idx = v2_select(x, tickets)
    inst_part = v2_institution_part(x, pd, seed, strata, drawn, alternates, idx)
    s1 = Stream(v2_key(b"choucha-draw-teams-v2", idg, seed), 1)
    load = dict((p.id, 0) for p in x.inspectors)

    def assign(inst):
        reqs = requirements(x, inst.kind)
        team = []
        for _slot in range(x.team_size):
            unmet = next((r for r in reqs if not any(satisfies(q, r) for q in team)), None)
            cands = [p for p in x.inspectors
                     if inst.code not in p.conflicts
                     and not (x.cross_region and p.region == inst.region)
                     and load[p.id] < x.max_tasks_per_inspector
                     and p not in team
                     and (unmet is None or satisfies(p, unmet))]
            if not cands:
                return None
            team.append(cands[below(s1, len(cands))])
        for p in team:
            load[p.id] += 1
        return team
    r = V2Result()
    r.public_digest, r.sealed_digest, r.inputs_digest = pd, sd, idg
    r.institution_part = inst_part
    r.tasks, r.alternates = [], []
    for c, rank, inst in drawn:
        team = assign(inst)
        if team is None:
            e = NoTeam(inst.code, c)
            e.inst_part = inst_part
            raise e
        r.tasks.append((c, rank, inst.code, [p.id for p in team], True))
    for c, rank, inst in alternates:
        team = assign(inst) or []
        r.alternates.append((c, rank, inst.code, [p.id for p in team], bool(team)))
    inst_digest = sha_hex(inst_part.encode("utf-8"))
    out = ["choucha-draw-teams\t2\n", "inputs\t%s\n" % idg, "institutions\t%s\n" % inst_digest]
    for no, t in enumerate(r.tasks, 1):
        out.append("task\t%d\t%s\t%s\n" % (no, t[2], ",".join(t[3])))
    for t in r.alternates:
        out.append("alternate\t%s\t%d\t%s\t%s\n" % (t[0], t[1], t[2], ",".join(t[3])))
    r.team_part = "".join(out)
    r.institutions_digest = inst_digest
    r.teams_digest = sha_hex(r.team_part.encode("utf-8"))
    r.text = inst_part + r.team_part
    r.digest = v2_result_digest(idg, inst_digest, r.teams_digest)
    return r


def parse_institution_part(text):
    """§20.1 -> (public digest, seed, strata, tasks, alternates); each listed record is
    (class, rank, code, ticket, salt, items).  Refuses non-canonical text (§21.3 4b)."""
    if not text.endswith("\n"):
        raise PackageError("institution part: no final LF")
    rows = [ln.split("\t") for ln in text[:-1].split("\n")]
    if len(rows) < 7 or rows[0] != ["choucha-draw-institutions", "2"] or rows[1][0] != "public" \
            or len(rows[1]) != 2 or rows[2][0] != "seed" or len(rows[2]) != 2:
        raise PackageError("institution part: bad header lines")
    strata = []
    for i, c in enumerate(CLASSES):
        f = rows[3 + i]
        if len(f) != 5 or f[0] != "stratum" or f[1] != c:
            raise PackageError("institution part line %d: expected the stratum of class %s" % (4 + i, c))
        strata.append((c, _number(f[2], "N"), _number(f[3], "k"), _number(f[4], "alternates")))
    tasks, alts = [], []
    for n, f in enumerate(rows[7:], 8):
        try:
            if f[0] == "task" and len(f) == 8 and not alts:
                if _number(f[1], "no") != len(tasks) + 1:
                    raise PackageError("institution part line %d: task number out of sequence" % n)
                tasks.append((_class(f[2], "class"), _number(f[3], "rank"), f[4],
                              _number(f[5], "ticket", TWO64 - 1), f[6], f[7]))
            elif f[0] == "alternate" and len(f) == 7:
                alts.append((_class(f[1], "class"), _number(f[2], "rank"), f[3],
                             _number(f[4], "ticket", TWO64 - 1), f[5], f[6]))
            else:
                raise PackageError("institution part line %d: unexpected line" % n)
        except DrawError as e:
            raise PackageError("institution part line %d: %s" % (n, e))
    return rows[1][1], rows[2][1], strata, tasks, alts


def check_institution_part(x, public_digest, text, seed):
    """§21.3 step 4b (also valid under published classes); returns (tasks, alternates)."""
    pd, pseed, strata, tasks, alts = parse_institution_part(text)
    if pd != public_digest:
        raise PackageError("institution part names public digest %s" % pd)
    if pseed != seed:
        raise PackageError("institution part names seed %r, the draw %r" % (pseed, seed))
    if sum(st[1] for st in strata) != len(x.institutions):
        raise PackageError("strata count %d institutions, the public section %d"
                           % (sum(st[1] for st in strata), len(x.institutions)))
    for c, N, k, a in strata:
        kk = min(N, ceil_div(x.rate_bp[c] * N, 10000))
        m = min(N, kk + x.alternates_per_class)
        if (k, a) != (kk, m - kk):
            raise PackageError("stratum %s: N = %d gives %d drawn and %d alternates, not %d and %d" % (c, N, kk, m - kk, k, a))
    want_t = [(c, r) for c, N, k, a in strata for r in range(1, k + 1)]
    want_a = [(c, r) for c, N, k, a in strata for r in range(k + 1, k + a + 1)]
    if [(t[0], t[1]) for t in tasks] != want_t:
        raise PackageError("task lines do not match the strata")
    if [(t[0], t[1]) for t in alts] != want_a:
        raise PackageError("alternate lines do not match the strata")
    tickets = v2_tickets(public_digest, seed, len(x.institutions))
    index = dict((inst.code, n) for n, inst in enumerate(x.institutions))
    seen, last = set(), {}
    for t in sorted(tasks + alts, key=lambda t: (t[0], t[1])):
        c, r, code, ticket, salt, items = t
        if code not in index:
            raise PackageError("%s is not an institution of the public section" % code)
        if code in seen:
            raise PackageError("%s is listed twice" % code)
        seen.add(code)
        inst = x.institutions[index[code]]
        if ticket != tickets[index[code]]:
            raise PackageError("the ticket of %s is %d, not %d" % (code, tickets[index[code]], ticket))
        if x.mode == "committed":
            if not _SALT_RE.match(salt) or commitment(code, c, salt) != x.commitments[code]:
                raise PackageError("%s in class %s: the class and salt do not open its commitment" % (code, c))
        elif salt != "" or inst.cls != c:
            raise PackageError("%s is of class %s, not %s" % (code, inst.cls, c))
        if items != ",".join(_items_for(x, inst)):
            raise PackageError("the items of %s differ from its kind's" % code)
        key = (ticket, code.encode("utf-8"))
        if c in last and last[c] >= key:
            raise PackageError("class %s: %s does not come after the previous institution by ticket" % (c, code))
        last[c] = key
    # Canonical form: rebuild and compare (§21.3 4b).
    out = ["choucha-draw-institutions\t2\n", "public\t%s\n" % pd, "seed\t%s\n" % pseed]
    out += ["stratum\t%s\t%d\t%d\t%d\n" % st for st in strata]
    out += ["task\t%d\t%s\t%d\t%s\t%d\t%s\t%s\n" % ((n,) + t) for n, t in enumerate(tasks, 1)]
    out += ["alternate\t%s\t%d\t%s\t%d\t%s\t%s\n" % t for t in alts]
    if "".join(out) != text:
        raise PackageError("institution part is not in canonical form")
    return tasks, alts


# ---------------------------------------------------------------------------
# Packages (§9, §21, §22)
# ---------------------------------------------------------------------------

def verify_package(pkg):
    """Raise PackageError naming the first difference; return (kind, summary)."""
    if not isinstance(pkg, dict):
        raise PackageError("not a JSON object")
    _all_strings_utf8(pkg)
    fmt = pkg.get("format")
    if fmt == "choucha-audit-package":
        return "audit package / 审计包", verify_audit(pkg)
    if fmt == "choucha-public-package":
        return "public package / 公开验证包", verify_public(pkg)
    raise PackageError("format is %r: neither an audit nor a public package" % fmt)


def verify_audit(pkg):
    _fields(pkg, AUDIT_FIELDS, "package")
    _fields(pkg["plan"], PLAN_FIELDS, "plan")
    for n, d in enumerate(pkg["draws"]):
        _fields(d, AUDIT_DRAW, "draws[%d]" % n)
    for n, a in enumerate(pkg["adjustments"]):
        _fields(a, AUDIT_ADJ, "adjustments[%d]" % n)
        if not all(isinstance(t, str) for t in a["team"]):
            raise PackageError("adjustments[%d].team must hold inspector ids" % n)
    if pkg["format_version"] != 1:
        raise PackageError("format_version is %r, expected 1" % pkg["format_version"])
    protocol = pkg["protocol"]
    if protocol not in (1, 2):
        raise PackageError("protocol %r is not implemented" % protocol)
    data = pkg["inputs"].encode("utf-8")
    try:
        if protocol == 1:
            digest = hashlib.sha256(data).hexdigest()
            if digest != pkg["inputs_digest"]:
                raise PackageError("inputs_digest: SHA-256 of inputs is %s, package says %r" % (digest, pkg["inputs_digest"]))
            x = parse_inputs(data)
        else:
            x, pub, sealed = parse_v2(data)
            digest = v2_inputs_digest(sha_hex(pub), sha_hex(sealed))
            if digest != pkg["inputs_digest"]:
                raise PackageError("inputs_digest: the sections give %s, package says %r" % (digest, pkg["inputs_digest"]))
    except DrawError as e:
        raise PackageError("inputs refused: %s" % e)
    _check_spec(pkg["plan"], x)
    _check_draw_list(pkg)
    current = None
    for n, d in enumerate(pkg["draws"]):
        where = "draws[%d] (seed %r)" % (n, d["seed"])
        try:
            res = run_draw(data, d["seed"]) if protocol == 1 else run_draw_v2(data, d["seed"])
        except (DrawError, NoTeam) as e:
            raise PackageError("%s: rerun gives no result: %s" % (where, e))
        if res.text != d["result"]:
            raise PackageError("%s: result differs, %s"
                               % (where, first_differing_line(res.text, d["result"], "rerun gives", "package has")))
        if res.digest != d["result_digest"]:
            raise PackageError("%s: result_digest is %r, rerun gives %s" % (where, d["result_digest"], res.digest))
        current = res
    if protocol == 1:
        tasks = [(t.cls, t.rank, t.inst.code, [p.id for p in t.team], True) for t in current.tasks]
        alts = [(t.cls, t.rank, t.inst.code, [p.id for p in t.team], bool(t.team)) for t in current.alternates]
    else:
        tasks, alts = current.tasks, current.alternates
    _check_adjustments(tasks, alts, pkg["adjustments"], True)
    return "protocol %d, %d draw(s), %d adjustment(s), inputs %s" % (
        protocol, len(pkg["draws"]), len(pkg["adjustments"]), digest)


def verify_public(pkg):
    """§21.3"""
    _fields(pkg, PUBLIC_FIELDS, "package")
    _fields(pkg["plan"], PLAN_FIELDS, "plan")
    for n, d in enumerate(pkg["draws"]):
        _fields(d, PUBLIC_DRAW, "draws[%d]" % n)
        for m, ref in enumerate(d["alternates_without_team"]):
            _fields(ref, ALT_REF, "draws[%d].alternates_without_team[%d]" % (n, m))
    for n, a in enumerate(pkg["adjustments"]):
        _fields(a, PUBLIC_ADJ, "adjustments[%d]" % n)
    if pkg["format_version"] != 1 or pkg["protocol"] != 2:
        raise PackageError("format_version must be 1 and protocol 2")
    pub = pkg["public_inputs"].encode("utf-8")
    try:
        x = parse_public(pub)
    except DrawError as e:
        raise PackageError("public_inputs refused: %s" % e)
    pd = sha_hex(pub)
    if pd != pkg["public_digest"]:
        raise PackageError("public_digest: public_inputs hash to %s, package says %r" % (pd, pkg["public_digest"]))
    if not _HEX64_RE.match(pkg["sealed_digest"]):
        raise PackageError("sealed_digest is not 64 lowercase hex")
    idg = v2_inputs_digest(pd, pkg["sealed_digest"])
    if idg != pkg["inputs_digest"]:
        raise PackageError("inputs_digest: the section digests give %s, package says %r" % (idg, pkg["inputs_digest"]))
    _check_spec(pkg["plan"], x)
    _check_draw_list(pkg)
    current = None
    for n, d in enumerate(pkg["draws"]):
        where = "draws[%d] (seed %r)" % (n, d["seed"])
        if x.mode == "published":
            tickets = v2_tickets(pd, d["seed"], len(x.institutions))
            strata, drawn, alternates, idx = v2_select(x, tickets)
            ours = v2_institution_part(x, pd, d["seed"], strata, drawn, alternates, idx)
            if ours != d["institutions"]:
                raise PackageError("%s: institution part differs, %s"
                                   % (where, first_differing_line(ours, d["institutions"], "rerun gives", "package has")))
        try:
            tasks, alts = check_institution_part(x, pd, d["institutions"], d["seed"])
        except PackageError as e:
            raise PackageError("%s: %s" % (where, e))
        inst_digest = sha_hex(d["institutions"].encode("utf-8"))
        if inst_digest != d["institutions_digest"]:
            raise PackageError("%s: institutions_digest is %r, the part hashes to %s" % (where, d["institutions_digest"], inst_digest))
        if not _HEX64_RE.match(d["teams_digest"]):
            raise PackageError("%s: teams_digest is not 64 lowercase hex" % where)
        rd = v2_result_digest(idg, inst_digest, d["teams_digest"])
        if rd != d["result_digest"]:
            raise PackageError("%s: result_digest is %r, the digests give %s" % (where, d["result_digest"], rd))
        order = [(a[0], a[1]) for a in alts]
        last = -1
        for ref in d["alternates_without_team"]:
            key = (ref["class"], ref["rank"])
            if key not in order or order.index(key) <= last:
                raise PackageError("%s: alternates_without_team names %r out of order or not an alternate" % (where, ref))
            last = order.index(key)
        current = (tasks, alts, d)
    tasks, alts, d = current
    without = set((r["class"], r["rank"]) for r in d["alternates_without_team"])
    _check_adjustments([(t[0], t[1], t[2], None, True) for t in tasks],
                       [(a[0], a[1], a[2], None, (a[0], a[1]) not in without) for a in alts],
                       pkg["adjustments"], False)
    return ("protocol 2, classes %s, %d draw(s), %d adjustment(s), inputs %s; teams not checkable "
            "(no personal data in a public package) / 检查组无法核对" % (
                x.mode, len(pkg["draws"]), len(pkg["adjustments"]), idg))


def cmd_package(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
        if raw.startswith(b"\xef\xbb\xbf"):
            raise ValueError("the file starts with a byte-order mark")
        pkg = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_dup_keys)
    except (OSError, ValueError, PackageError) as e:
        print("未复现 / not reproduced: cannot read the package: %s" % e)
        return 1
    try:
        kind, summary = verify_package(pkg)
    except PackageError as e:
        print("未复现 / not reproduced: %s" % e)
        return 1
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        print("未复现 / not reproduced: malformed package (%s: %s)" % (type(e).__name__, e))
        return 1
    print("已复现 / reproduced: %s (%s)" % (kind, summary))
    return 0


def check_v2_vector(directory, v):
    """§23: one v2 vector; None if it passes, else the reason."""
    with open(os.path.join(directory, v["public_file"]), "rb") as f:
        pub = f.read()
    with open(os.path.join(directory, v["sealed_file"]), "rb") as f:
        sealed = f.read()
    seed = v["seed"]
    pd, sd = sha_hex(pub), sha_hex(sealed)
    for what, got, want in [("public_digest", pd, v["public_digest"]), ("sealed_digest", sd, v["sealed_digest"])]:
        if got != want:
            return "%s %s, vector says %s" % (what, got, want)
    idg = v2_inputs_digest(pd, sd)
    if idg != v["inputs_digest"]:
        return "inputs_digest %s, vector says %s" % (idg, v["inputs_digest"])
    ik = v2_key(b"choucha-draw-institutions-v2", pd, seed)
    tk = v2_key(b"choucha-draw-teams-v2", idg, seed)
    if ik.hex() != v["institution_key_hex"] or tk.hex() != v["team_key_hex"]:
        return "keys differ"
    if [str(w) for w in first_words(ik, 0)] != v["institution_stream_first_words"]:
        return "institution stream words differ"
    if [str(w) for w in first_words(tk, 1)] != v["team_stream_first_words"]:
        return "team stream words differ"
    x = parse_public(pub)
    try:
        check_institution_part(x, pd, v["institution_part"], seed)
    except PackageError as e:
        return "public check of the institution part: %s" % e
    if sha_hex(v["institution_part"].encode("utf-8")) != v["institutions_digest"]:
        return "institutions_digest differs"
    try:
        r = run_draw_v2(pub + sealed, seed)
    except NoTeam as e:
        if v.get("error") != "no_team" or e.institution != v["error_institution"] or e.cls != v["error_class"]:
            return "no_team for %s (%s), vector says %r" % (e.institution, e.cls, v.get("error"))
        if e.inst_part != v["institution_part"]:
            return "institution part differs: %s" % first_differing_line(e.inst_part, v["institution_part"])
        return None
    if "error" in v:
        return "expected %s, the draw succeeded" % v["error"]
    if r.institution_part != v["institution_part"]:
        return "institution part differs: %s" % first_differing_line(r.institution_part, v["institution_part"])
    if r.team_part != v["team_part"]:
        return "team part differs: %s" % first_differing_line(r.team_part, v["team_part"])
    if r.teams_digest != v["teams_digest"] or r.digest != v["result_digest"]:
        return "digests differ"
    return None


# ---------------------------------------------------------------------------
# CLI: draw
# ---------------------------------------------------------------------------

def cmd_draw(inputs_path, seed):
    with open(inputs_path, "rb") as f:
        data = f.read()
    try:
        res = run_draw(data, seed)
    except (DrawError, NoTeam) as e:
        sys.stderr.write("no draw: %s\n" % e)
        return 1
    out = getattr(sys.stdout, "buffer", None)
    if out is not None:
        sys.stdout.flush()
        out.write(res.text.encode("utf-8"))
        out.flush()
    else:
        sys.stdout.write(res.text)
    sys.stderr.write("result_digest\t%s\n" % res.digest)
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "vectors":
        return cmd_vectors(argv[2])
    if len(argv) == 3 and argv[1] == "package":
        return cmd_package(argv[2])
    if len(argv) == 4 and argv[1] == "draw":
        return cmd_draw(argv[2], argv[3])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    # Print UTF-8 regardless of the locale (Chinese messages, seeds, codes).
    for _s in (sys.stdout, sys.stderr):
        try:
            _s.reconfigure(encoding="utf-8")
        except AttributeError:
            pass
    sys.exit(main(sys.argv))
