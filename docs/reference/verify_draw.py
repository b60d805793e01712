#!/usr/bin/env python3
"""Independent reference implementation of the choucha draw protocol, version 1.

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
        Verify an audit package (§9): inputs digest, every draw reproduced byte
        for byte, every adjustment valid.  Prints ``已复现 / reproduced`` and
        exits 0, or names the first difference and exits 1.

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


def verify_package(pkg):
    """Raise PackageError naming the first difference (§9); return a short summary."""
    if not isinstance(pkg, dict):
        raise PackageError("not a JSON object")
    if pkg.get("format") != "choucha-audit-package":
        raise PackageError("format is %r, expected \"choucha-audit-package\"" % pkg.get("format"))
    if pkg.get("format_version") != 1:
        raise PackageError("format_version is %r, expected 1" % pkg.get("format_version"))
    protocol = pkg.get("protocol")
    if protocol != PROTOCOL:
        raise PackageError("protocol %r: this verifier runs protocol %d" % (protocol, PROTOCOL))
    if not isinstance(pkg.get("inputs"), str):
        raise PackageError("inputs missing or not a string")
    data = pkg["inputs"].encode("utf-8")

    # 1. inputs digest
    digest = hashlib.sha256(data).hexdigest()
    if digest != pkg.get("inputs_digest"):
        raise PackageError("inputs_digest: SHA-256 of inputs is %s, package says %r"
                           % (digest, pkg.get("inputs_digest")))

    # 2. every draw, oldest first
    draws = pkg.get("draws")
    if not isinstance(draws, list):
        raise PackageError("draws missing or not an array")
    current = None
    for n, d in enumerate(draws, 1):
        if not isinstance(d, dict):
            raise PackageError("draws[%d] is not an object" % (n - 1))
        where = "draws[%d] (seed %r)" % (n - 1, d.get("seed"))
        if d.get("protocol") != protocol:
            raise PackageError("%s: protocol %r differs from the package's %r"
                               % (where, d.get("protocol"), protocol))
        if not isinstance(d.get("seed"), str):
            raise PackageError("%s: seed missing or not a string" % where)
        try:
            res = run_draw(data, d["seed"])
        except (DrawError, NoTeam) as e:
            raise PackageError("%s: rerun gives no result: %s" % (where, e))
        if not isinstance(d.get("result"), str):
            raise PackageError("%s: result missing or not a string" % where)
        if res.text != d["result"]:
            raise PackageError("%s: result differs, %s"
                               % (where, first_differing_line(res.text, d["result"], "rerun gives", "package has")))
        if res.digest != d.get("result_digest"):
            raise PackageError("%s: result_digest is %r, rerun gives %s"
                               % (where, d.get("result_digest"), res.digest))
        current = res

    # 3. adjustments against the current (last) draw
    adjustments = pkg.get("adjustments")
    if not isinstance(adjustments, list):
        raise PackageError("adjustments missing or not an array")
    if adjustments and current is None:
        raise PackageError("adjustments[0]: there is no draw to adjust")
    held, used = {}, set()
    if current is not None:
        for no, t in enumerate(current.tasks, 1):
            held[no] = t.inst.code
    for n, a in enumerate(adjustments):
        where = "adjustments[%d]" % n
        if not isinstance(a, dict):
            raise PackageError("%s is not an object" % where)
        no = a.get("task")
        if isinstance(no, bool) or not isinstance(no, int) or no not in held:
            raise PackageError("%s: task %r does not exist in the current draw" % (where, no))
        task = current.tasks[no - 1]
        if a.get("replaced") != held[no]:
            raise PackageError("%s: task %d was held by %s, not %r"
                               % (where, no, held[no], a.get("replaced")))
        chosen = None
        for alt in current.alternates:                     # by rank within the class
            if alt.cls == task.cls and alt.team and (alt.cls, alt.rank) not in used:
                chosen = alt
                break
        if chosen is None:
            raise PackageError("%s: class %s has no unused alternate with a team"
                               % (where, task.cls))
        if a.get("replacement") != chosen.inst.code:
            raise PackageError("%s: replacement %r, expected %s (the first unused alternate of "
                               "class %s with a team)" % (where, a.get("replacement"),
                                                          chosen.inst.code, task.cls))
        if a.get("replacement_rank") != chosen.rank:
            raise PackageError("%s: replacement_rank %r, expected %d"
                               % (where, a.get("replacement_rank"), chosen.rank))
        want_team = [p.id for p in chosen.team]
        if _team_ids(a.get("team"), where) != want_team:
            raise PackageError("%s: team %r, expected %s"
                               % (where, a.get("team"), ",".join(want_team)))
        # §9 says only "reason is not empty".  (choucha itself also refuses a reason
        # of white space only; the document does not say so -- see the audit report.)
        if not isinstance(a.get("reason"), str) or a.get("reason") == "":
            raise PackageError("%s: reason is empty" % where)
        used.add((chosen.cls, chosen.rank))
        held[no] = chosen.inst.code
    return "%d draw(s), %d adjustment(s), inputs %s" % (len(draws), len(adjustments), digest)


def cmd_package(path):
    try:
        with open(path, "rb") as f:
            pkg = json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        print("FAIL %s: cannot read the package: %s" % (path, e))
        return 1
    try:
        summary = verify_package(pkg)
    except PackageError as e:
        print("未复现 / not reproduced: %s" % e)
        return 1
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        print("未复现 / not reproduced: malformed package (%s: %s)" % (type(e).__name__, e))
        return 1
    print("已复现 / reproduced (%s)" % summary)
    return 0


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
