//! The library's layering, checked from its source: every `crate::`, `super::` and `self::`
//! path of every file under `src/` (tests and binaries aside) is an edge between two modules.
//! Between the children of any one module there is no circle, and at the top every edge goes
//! down: `lib.rs` lists its modules in layers, lowest first (`// layer: NAME` lines), and a
//! module may use only modules of its own layer or below.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every library file's module path and source, tests cut off.
fn files() -> Vec<(Module, String)> {
    let mut out = Vec::new();
    walk(Path::new("src"), &mut Vec::new(), &mut out);
    out
}

fn walk(dir: &Path, at: &mut Module, out: &mut Vec<(Module, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            if at.is_empty() && name == "bin" {
                continue;
            }
            at.push(name);
            walk(&p, at, out);
            at.pop();
        } else if p.extension().is_some_and(|e| e == "rs") && name != "tests" {
            let mut m = at.clone();
            if name != "mod" && name != "lib" {
                m.push(name);
            }
            out.push((m, code(&std::fs::read_to_string(&p).unwrap())));
        }
    }
}

/// The source without comments and without its `#[cfg(test)]` module.
fn code(src: &str) -> String {
    let src = match src.find("#[cfg(test)]\nmod tests") {
        Some(i) => &src[..i],
        None => src,
    };
    src.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Every path of a use tree starting at `s` (just after `crate::`): `a::b::{c, d::e}` gives
/// `a::b::c` and `a::b::d::e`.
fn paths(s: &str) -> Vec<Module> {
    let mut out = Vec::new();
    tree(&mut s.chars().peekable(), Vec::new(), &mut out);
    out
}

fn tree(s: &mut std::iter::Peekable<std::str::Chars>, mut at: Module, out: &mut Vec<Module>) {
    loop {
        while s.peek().is_some_and(|c| c.is_whitespace()) {
            s.next();
        }
        if s.peek() == Some(&'{') {
            s.next();
            loop {
                tree(s, at.clone(), out);
                match s.next() {
                    Some(',') => continue,
                    _ => break,
                }
            }
            return;
        }
        let seg: String = std::iter::from_fn(|| s.next_if(|c| c.is_alphanumeric() || *c == '_')).collect();
        if seg.is_empty() || seg == "self" {
            out.push(at);
            return;
        }
        at.push(seg);
        while s.peek().is_some_and(|c| c.is_whitespace()) {
            s.next();
        }
        if s.peek() == Some(&':') {
            s.next();
            s.next();
        } else {
            out.push(at);
            return;
        }
    }
}

/// Every module a file names, as absolute module paths (the longest known prefix).
fn references(m: &Module, src: &str, known: &BTreeSet<Module>) -> BTreeSet<Module> {
    let mut out = BTreeSet::new();
    // `super` is the parent module, for a folder's mod.rs as for a file.
    let parent: Module = m[..m.len().saturating_sub(1)].to_vec();
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent), ("self::", m.clone())] {
        for (i, _) in src.match_indices(prefix) {
            let before = src[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            for p in paths(&src[i + prefix.len()..]) {
                let full: Module = base.iter().cloned().chain(p).collect();
                if let Some(t) =
                    (0..=full.len()).rev().map(|k| full[..k].to_vec()).find(|k| known.contains(k))
                {
                    out.insert(t);
                }
            }
        }
    }
    out
}

/// Edges between siblings: for each parent module, child -> child.
fn edges() -> BTreeMap<Module, BTreeSet<(String, String)>> {
    let files = files();
    let known: BTreeSet<Module> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut out: BTreeMap<Module, BTreeSet<(String, String)>> = BTreeMap::new();
    for (s, src) in &files {
        for t in references(s, src, &known) {
            let common = s.iter().zip(&t).take_while(|(a, b)| a == b).count();
            // A module using its own ancestor or descendant is how folders work, not a circle.
            if common == s.len() || common == t.len() {
                continue;
            }
            out.entry(s[..common].to_vec()).or_default().insert((s[common].clone(), t[common].clone()));
        }
    }
    out
}

/// The circles of a graph: each set of two or more nodes that all reach one another.
fn circles(edges: &BTreeSet<(String, String)>) -> Vec<BTreeSet<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(n) = todo.pop() {
            for (_, t) in edges.iter().filter(|(s, _)| *s == n) {
                if seen.insert(t.clone()) {
                    todo.push(t.clone());
                }
            }
        }
        seen
    };
    let nodes: BTreeSet<String> = edges.iter().flat_map(|(s, t)| [s.clone(), t.clone()]).collect();
    let reaches: BTreeMap<String, BTreeSet<String>> = nodes.iter().map(|n| (n.clone(), reach(n))).collect();
    let mut out: Vec<BTreeSet<String>> = Vec::new();
    for n in &nodes {
        let group: BTreeSet<String> =
            nodes.iter().filter(|m| reaches[n].contains(*m) && reaches[*m].contains(n)).cloned().collect();
        if group.len() > 1 && !out.contains(&group) {
            out.push(group);
        }
    }
    out
}

#[test]
fn no_module_is_in_a_circle() {
    let mut found = Vec::new();
    for (parent, e) in edges() {
        for c in self::circles(&e) {
            let names: Vec<String> = c.into_iter().collect();
            found.push(format!("in crate::{}: {}", parent.join("::"), names.join(", ")));
        }
    }
    assert!(found.is_empty(), "modules that use one another in a circle:\n{}", found.join("\n"));
}

/// `lib.rs`'s layers, lowest first: each `// layer: NAME` line starts one, its `mod` lines follow.
fn layers() -> BTreeMap<String, usize> {
    let lib = std::fs::read_to_string("src/lib.rs").unwrap();
    let mut out = BTreeMap::new();
    let mut layer = 0;
    for line in lib.lines() {
        if line.trim_start().starts_with("// layer:") {
            layer += 1;
        } else if let Some(m) = line.trim().strip_prefix("pub mod ").and_then(|m| m.strip_suffix(';')) {
            out.insert(m.to_string(), layer);
        }
    }
    out
}

#[test]
fn every_module_uses_only_its_own_layer_and_those_below() {
    let layers = layers();
    assert!(layers.values().all(|&l| l > 0), "every module of lib.rs sits under a `// layer:` line");
    let top = edges().remove(&Vec::new()).unwrap_or_default();
    let up: Vec<String> = top
        .iter()
        .filter(|(s, t)| layers[s] < layers[t])
        .map(|(s, t)| format!("{s} (layer {}) uses {t} (layer {})", layers[s], layers[t]))
        .collect();
    assert!(up.is_empty(), "imports from a lower layer to a higher one:\n{}", up.join("\n"));
}

#[test]
fn the_reader_finds_grouped_and_relative_paths() {
    let got = paths("a::{b::C, d, e::{f, g::H}}, x");
    let want: Vec<Module> =
        [vec!["a", "b", "C"], vec!["a", "d"], vec!["a", "e", "f"], vec!["a", "e", "g", "H"]]
            .iter()
            .map(|p| p.iter().map(|s| s.to_string()).collect())
            .collect();
    assert_eq!(got, want);
    let e: BTreeSet<(String, String)> =
        [("a", "b"), ("b", "c"), ("c", "a")].iter().map(|(s, t)| (s.to_string(), t.to_string())).collect();
    assert_eq!(circles(&e).len(), 1);
}
