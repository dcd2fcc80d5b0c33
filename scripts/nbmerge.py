#!/usr/bin/env python3
"""Cell-aware 3-way merge of notebooks (cells matched by id), for merging branches that edit the same notebooks:
git's line merge of .ipynb JSON conflicts where cells were only added or moved. Usage: nbmerge.py BASE OURS THEIRS OUT
Exit 1 (and writes nothing) when a cell's source conflicts."""
import json, sys, subprocess, tempfile, os


class N:
    """The repository's notebook JSON layout: indent 1, UTF-8, a trailing newline; source as a list of lines."""
    @staticmethod
    def load(p): return json.load(open(p, encoding='utf-8'))
    @staticmethod
    def save(p, nb): open(p, 'w', encoding='utf-8').write(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    @staticmethod
    def src(c): return ''.join(c['source'])
    @staticmethod
    def set_src(c, text):
        lines = text.split('\n')
        c['source'] = [l + '\n' for l in lines[:-1]] + ([lines[-1]] if lines[-1] else [])

def merge_text(b, o, t, label):
    if o == t: return o
    if o == b: return t
    if t == b: return o
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for name, text in (('o', o), ('b', b), ('t', t)):
            p = os.path.join(d, name); open(p, 'w', encoding='utf-8').write(text); paths.append(p)
        r = subprocess.run(['git', 'merge-file', '-p', *paths], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f'conflict in {label}:\n{r.stdout}')
        return r.stdout

def merge_value(b, o, t, label):
    if o == t: return o
    if o == b: return t
    if t == b: return o
    raise SystemExit(f'conflict in {label}: both sides changed')

def main(base, ours, theirs, out):
    B, O, T = N.load(base), N.load(ours), N.load(theirs)
    bc = {c['id']: c for c in B['cells']}; oc = {c['id']: c for c in O['cells']}; tc = {c['id']: c for c in T['cells']}
    result = []
    for c in O['cells']:
        i = c['id']
        if i in bc and i not in tc:          # deleted by theirs
            if c == bc[i]: continue
            raise SystemExit(f'conflict: cell {i} deleted by theirs, changed by ours')
        if i in bc and i in tc:
            b, t = bc[i], tc[i]
            m = dict(c)
            for k in set(b) | set(c) | set(t):
                bv, ov, tv = b.get(k), c.get(k), t.get(k)
                if k == 'source':
                    m[k] = None
                    text = merge_text(N.src(b), N.src(c), N.src(t), f'cell {i}')
                    N.set_src(m, text)
                else:
                    v = merge_value(bv, ov, tv, f'cell {i} field {k}')
                    if v is None: m.pop(k, None)
                    else: m[k] = v
            result.append(m)
        else:
            result.append(c)                  # new in ours (or id clash handled below)
    ids = [c['id'] for c in result]
    # cells new in theirs: insert after their predecessor in theirs' order
    for pos, c in enumerate(T['cells']):
        i = c['id']
        if i in bc or i in oc: continue
        prev = None
        for q in range(pos - 1, -1, -1):
            if T['cells'][q]['id'] in ids: prev = T['cells'][q]['id']; break
        at = ids.index(prev) + 1 if prev is not None else 0
        result.insert(at, c); ids.insert(at, i)
    # cells deleted by ours but changed by theirs
    for i, c in bc.items():
        if i not in oc and i in tc and tc[i] != c:
            raise SystemExit(f'conflict: cell {i} deleted by ours, changed by theirs')
    merged = dict(O); merged['cells'] = result
    merged['metadata'] = merge_value(B['metadata'], O['metadata'], T['metadata'], 'notebook metadata')
    N.save(out, merged)

if __name__ == '__main__':
    main(*sys.argv[1:5])
