"""janome's tokenizer (surfaces only) over the mecab-ipadic source files, for golden values.

janome itself cannot be installed on the machine that made the golden values (no PyPI). This
is a line-by-line port of janome 0.4's Tokenizer.__tokenize_partial / Lattice (Apache-2.0,
github.com/mocobeta/janome, janome/tokenizer.py and janome/lattice.py) that reads the
dictionary janome compiles, mecab-ipadic 2.7.0-20070801 (Debian package mecab-ipadic, EUC-JP
CSVs + matrix.def + char.def + unk.def) plus janome's one patch (Noun.proper.csv: 令和),
instead of janome's prebuilt FST. The TypeScript port (src/core/metrics/janomeTokenize.ts)
reads kuromoji's compiled copy of the same dictionary, so agreement checks the dictionary
data as well as the algorithm. generate_fidelity.py also cross-checks against MeCab.

Usage: tok = JanomeIpadic('/usr/share/mecab/dic/ipadic'); tok.tokenize(text) -> [surface, ...]
"""
import glob
import os
import re

MAX_CHUNK_SIZE = 1000
CHUNK_SIZE = 500
MAX_UNKNOWN_LENGTH = 1024


class JanomeIpadic:
    def __init__(self, ipadic_dir, enc='euc-jp'):
        self.entries = {}  # surface -> [(left, right, cost)]
        for f in sorted(glob.glob(os.path.join(ipadic_dir, '*.csv'))):
            with open(f, encoding=enc) as fp:
                for line in fp:
                    cols = line.rstrip('\n').split(',')
                    self.entries.setdefault(cols[0], []).append((int(cols[1]), int(cols[2]), int(cols[3])))
        self.entries.setdefault('令和', []).append((1288, 1288, 5904))  # janome's Noun.proper.csv.patch
        self.max_len = max(len(s) for s in self.entries)
        with open(os.path.join(ipadic_dir, 'matrix.def'), encoding=enc) as fp:
            lsize, rsize = map(int, fp.readline().split())
            self.conn = [[0] * rsize for _ in range(lsize)]
            for line in fp:
                a, b, c = line.split()
                self.conn[int(a)][int(b)] = int(c)
        self.categories = {}
        self.ranges = []
        with open(os.path.join(ipadic_dir, 'char.def'), encoding=enc) as fp:
            for line in fp:
                line = re.sub(r'#.*', '', line).strip()
                if not line:
                    continue
                cols = line.split()
                if cols[0].startswith('0x'):
                    if '..' in cols[0]:
                        a, b = cols[0].split('..')
                    else:
                        a = b = cols[0]
                    self.ranges.append((int(a, 16), int(b, 16), cols[1], cols[2:]))
                else:
                    self.categories[cols[0]] = {'INVOKE': cols[1] == '1', 'GROUP': cols[2] == '1', 'LENGTH': int(cols[3])}
        self.unknowns = {}
        with open(os.path.join(ipadic_dir, 'unk.def'), encoding=enc) as fp:
            for line in fp:
                cols = line.rstrip('\n').split(',')
                self.unknowns.setdefault(cols[0], []).append((int(cols[1]), int(cols[2]), int(cols[3])))

    def char_categories(self, c):
        res = {}
        cp = ord(c)
        for a, b, cate, compat in self.ranges:
            if a <= cp <= b:
                res[cate] = compat
        if not res:
            res = {'DEFAULT': []}
        return res

    def tokenize(self, text):
        text = text.strip()
        out = []
        processed = 0
        while processed < len(text):
            toks, pos = self._partial(text[processed:])
            out += toks
            processed += pos
        return out

    def _should_split(self, text, pos):
        return pos >= len(text) or pos >= MAX_CHUNK_SIZE or (
            pos >= CHUNK_SIZE and (text[:pos][-1] in '、。,.？?！!' or text[:pos].endswith('\n\n') or text[:pos].endswith('\r\n\r\n')))

    def _partial(self, text):
        chunk_size = min(len(text), MAX_CHUNK_SIZE)
        # nodes: [surface, left, right, cost, min_cost, back]
        bos = ['', 0, 0, 0, 0, None]
        enodes = [[], [bos]] + [[] for _ in range(chunk_size + 1)]
        p = 1

        def add(node):
            for e in enodes[p]:
                cost = self.conn[e[2]][node[1]] + node[3]
                if e[4] + cost < node[4]:
                    node[4] = e[4] + cost
                    node[5] = e
            enodes[p + max(len(node[0]), 1)].append(node)

        pos = 0
        init = 2 ** 31 - 1
        while not self._should_split(text, pos):
            partial = text[pos:pos + min(50, chunk_size - pos)]
            matched = False
            for n in range(1, min(self.max_len, len(partial)) + 1):
                for left, right, cost in self.entries.get(partial[:n], ()):
                    add([partial[:n], left, right, cost, init, None])
                    matched = True
            for cate, _ in self.char_categories(text[pos]).items():
                info = self.categories[cate]
                if matched and not info['INVOKE']:
                    continue
                length = info['LENGTH'] if not info['GROUP'] else MAX_UNKNOWN_LENGTH
                buf = text[pos]
                for q in range(pos + 1, min(chunk_size, pos + length + 1)):
                    cs = self.char_categories(text[q])
                    if cate in cs or any(cate in compat for compat in cs.values()):
                        buf += text[q]
                    else:
                        break
                for left, right, cost in self.unknowns[cate]:
                    add([buf, left, right, cost, init, None])
            old = p
            p += 1
            while not enodes[p]:
                p += 1
            pos += p - old
        eos = ['', 0, 0, 0, init, None]
        for e in enodes[p]:
            cost = self.conn[e[2]][0]
            if e[4] + cost < eos[4]:
                eos[4] = e[4] + cost
                eos[5] = e
        path = []
        n = eos[5]
        while n is not bos:
            path.append(n[0])
            n = n[5]
        return list(reversed(path)), pos
