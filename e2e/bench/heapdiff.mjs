// What survived between two V8 heap snapshots (the soak's HERALD_SOAK_SNAPSHOTS): objects in
// B whose ids are not in A, grouped by type and constructor name, biggest first; and the change
// of each group's total. Usage: node bench/heapdiff.mjs A.heapsnapshot B.heapsnapshot [N]
import { readFileSync } from 'node:fs';

function load(file) {
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const f = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const [ti, ni, ii, si] = ['type', 'name', 'id', 'self_size'].map((k) => f.indexOf(k));
  const nodes = new Map();
  for (let i = 0; i < s.nodes.length; i += f.length) {
    const type = types[s.nodes[i + ti]];
    let name = s.strings[s.nodes[i + ni]];
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = JSON.stringify(name.slice(0, 60));
    nodes.set(s.nodes[i + ii], { key: `${type} ${name}`, size: s.nodes[i + si] });
  }
  return nodes;
}

const [a, b] = [load(process.argv[2]), load(process.argv[3])];
const top = Number(process.argv[4] ?? 30);
const group = (entries) => {
  const g = new Map();
  for (const n of entries) {
    const x = g.get(n.key) ?? { count: 0, size: 0 };
    x.count += 1;
    x.size += n.size;
    g.set(n.key, x);
  }
  return g;
};
const fresh = group([...b].filter(([id]) => !a.has(id)).map(([, n]) => n));
const total = (m) => [...m.values()].reduce((s, n) => s + n.size, 0);
console.log(`A: ${a.size} objects, ${total(a)} bytes; B: ${b.size} objects, ${total(b)} bytes`);
console.log(`\nnew in B (not in A), by group, biggest first:`);
for (const [k, v] of [...fresh].sort((x, y) => y[1].size - x[1].size).slice(0, top)) console.log(`${String(v.size).padStart(9)} B ${String(v.count).padStart(6)}×  ${k}`);
const ga = group(a.values());
const gb = group(b.values());
const keys = new Set([...ga.keys(), ...gb.keys()]);
const delta = [...keys].map((k) => [k, (gb.get(k)?.count ?? 0) - (ga.get(k)?.count ?? 0), (gb.get(k)?.size ?? 0) - (ga.get(k)?.size ?? 0)]);
console.log(`\ngroups that grew, by bytes:`);
for (const [k, c, s] of delta.filter((d) => d[2] > 0).sort((x, y) => y[2] - x[2]).slice(0, top)) console.log(`${String(s).padStart(9)} B ${String(c).padStart(6)}×  ${k}`);
