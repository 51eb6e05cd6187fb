//! The crate's top-level modules use one another without a circle, and the lowest layers use
//! only what lies below them.
//!
//! Every `.rs` file under `src/` belongs to a top-level module: `src/foo.rs` and every file
//! under `src/foo/` to `foo` (`lib.rs` is the root, which only declares them; `src/bin/` is
//! another crate). A module uses another where its code names it: `use crate::foo…`,
//! `crate::foo::…` anywhere in the code (`$crate::foo::…` in a macro too), `use crate::{foo, …}`,
//! and `super::…` that climbs out of the module, resolved through the nesting of files and of
//! inline `mod` blocks. Comments (so doc links), strings and character literals are skipped:
//! a doc link to a module above is a pointer for the reader, not a use.
//!
//! Test code is left out: a `#[cfg(test)]` module (inline, or in a file of its own declared
//! `#[cfg(test)] mod tests;`) is a module that no other code can use, so it closes no circle,
//! and the tests of a low module may build what lies above it (`names`' tests read back the
//! names that `config`, `layers` and `model` declare).

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A token of Rust source, enough to follow paths: an identifier (a keyword, a number or
/// `$crate` too), `::`, or one character of punctuation; with its line.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Punct(char),
}

/// The tokens of `source`, skipping comments (nested block comments too), strings (raw and
/// byte strings too), character literals and lifetimes, each with its line (from 1).
fn tokens(source: &str) -> Vec<(Token, usize)> {
    let c: Vec<char> = source.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let ident_char = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    // Steps past `c[i]`, counting lines.
    let skip_to = |i: &mut usize, end: usize, line: &mut usize| {
        while *i < end.min(c.len()) {
            if c[*i] == '\n' {
                *line += 1;
            }
            *i += 1;
        }
    };
    while i < c.len() {
        let ch = c[i];
        if ch == '/' && at(i + 1) == '/' {
            let end = (i..c.len()).find(|&j| c[j] == '\n').unwrap_or(c.len());
            skip_to(&mut i, end, &mut line);
        } else if ch == '/' && at(i + 1) == '*' {
            let (mut depth, mut j) = (0usize, i);
            while j < c.len() {
                if c[j] == '/' && at(j + 1) == '*' {
                    depth += 1;
                    j += 2;
                } else if c[j] == '*' && at(j + 1) == '/' {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            skip_to(&mut i, j, &mut line);
        } else if ch == '"' || ((ch == 'b' || ch == 'c') && at(i + 1) == '"') {
            // A string: up to the next quote not escaped.
            let mut j = if ch == '"' { i + 1 } else { i + 2 };
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            skip_to(&mut i, j + 1, &mut line);
        } else if (ch == 'r' && matches!(at(i + 1), '"' | '#'))
            || (ch == 'b' || ch == 'c') && at(i + 1) == 'r' && matches!(at(i + 2), '"' | '#')
        {
            // A raw string, `r#"…"#` (or `r#ident`, a raw identifier).
            let mut j = if ch == 'r' { i + 1 } else { i + 2 };
            let hashes = (j..c.len()).take_while(|&k| c[k] == '#').count();
            j += hashes;
            if at(j) != '"' {
                // r#ident
                let end = (j..c.len()).find(|&k| !ident_char(c[k])).unwrap_or(c.len());
                out.push((Token::Ident(c[j..end].iter().collect()), line));
                i = end;
                continue;
            }
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let rest: String = c[j + 1..].iter().collect();
            let len = rest
                .find(&closing)
                .map_or(rest.len(), |n| n + closing.len());
            let end = j + 1 + rest[..len].chars().count();
            skip_to(&mut i, end, &mut line);
        } else if ch == '\'' || ch == 'b' && at(i + 1) == '\'' {
            // A character literal, `'x'`, `'\n'`, `b'x'`, or a lifetime or label, `'a`.
            let j = if ch == '\'' { i + 1 } else { i + 2 };
            if at(j) == '\\' {
                let end = (j + 2..c.len()).find(|&k| c[k] == '\'').unwrap_or(c.len());
                skip_to(&mut i, end + 1, &mut line);
            } else if at(j + 1) == '\'' {
                skip_to(&mut i, j + 2, &mut line);
            } else {
                let end = (j..c.len()).find(|&k| !ident_char(c[k])).unwrap_or(c.len());
                i = end;
            }
        } else if ident_char(ch) || ch == '$' && ident_char(at(i + 1)) {
            let end = (i + 1..c.len())
                .find(|&k| !ident_char(c[k]))
                .unwrap_or(c.len());
            let word: String = c[i..end].iter().collect();
            out.push((Token::Ident(word.trim_start_matches('$').to_string()), line));
            i = end;
        } else if ch == ':' && at(i + 1) == ':' {
            out.push((Token::PathSep, line));
            i += 2;
        } else {
            if ch == '\n' {
                line += 1;
            } else if !ch.is_whitespace() {
                out.push((Token::Punct(ch), line));
            }
            i += 1;
        }
    }
    out
}

/// One use of a module by another: the file and line where the path is written, and the path.
#[derive(Clone, Debug)]
struct Site {
    file: String,
    line: usize,
    path: String,
}

/// The crate's graph: for each top-level module, the modules it uses and where.
type Graph = BTreeMap<String, BTreeMap<String, Vec<Site>>>;

/// The module path of a file under `src/` (`playground/view.rs` is `playground::view`,
/// `playground/mod.rs` is `playground`), or `None` for `lib.rs` and the binaries.
fn module_of(relative: &Path) -> Option<Vec<String>> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.first().is_some_and(|p| p == "bin") || parts == ["lib.rs"] {
        return None;
    }
    let file = parts.pop()?;
    let stem = file.strip_suffix(".rs")?;
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    Some(parts)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a path names, from the tokens after its `crate` (or after the last
/// `super` that leaves the module): one name, or each first name of a group `{a, b::c}`.
fn first_names(tokens: &[(Token, usize)]) -> Vec<String> {
    match tokens.first() {
        Some((Token::Ident(name), _)) => vec![name.clone()],
        Some((Token::Punct('{'), _)) => {
            let (mut depth, mut names, mut expect) = (0, Vec::new(), true);
            for (token, _) in tokens {
                match token {
                    Token::Punct('{') => {
                        depth += 1;
                        expect = depth == 1;
                    }
                    Token::Punct('}') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Token::Punct(',') if depth == 1 => expect = true,
                    Token::Ident(name) if expect => {
                        names.push(name.clone());
                        expect = false;
                    }
                    _ => expect = false,
                }
            }
            names
        }
        _ => Vec::new(),
    }
}

/// Whether the tokens before `k` end in `# [ cfg ( test ) ]`, possibly followed by other
/// attributes and `pub`: the item at `k` builds only in tests.
fn under_cfg_test(tokens: &[(Token, usize)], k: usize) -> bool {
    let mut j = k;
    // Step back over `pub`, `pub(crate)` and the like, and over other attributes.
    loop {
        match tokens[..j].last() {
            Some((Token::Ident(w), _)) if w == "pub" => j -= 1,
            Some((Token::Punct(')'), _)) if j >= 4 && tokens[j - 4].0 == ident("pub") => j -= 4,
            Some((Token::Punct(']'), _)) => {
                let open = (0..j).rev().find(|&i| tokens[i].0 == Token::Punct('['));
                let Some(open) = open.filter(|&i| i >= 1 && tokens[i - 1].0 == Token::Punct('#'))
                else {
                    return false;
                };
                let inside: Vec<&Token> = tokens[open + 1..j - 1].iter().map(|(t, _)| t).collect();
                if inside
                    == [
                        &ident("cfg"),
                        &Token::Punct('('),
                        &ident("test"),
                        &Token::Punct(')'),
                    ]
                {
                    return true;
                }
                j = open - 1;
            }
            _ => return false,
        }
    }
}

fn ident(word: &str) -> Token {
    Token::Ident(word.to_string())
}

/// A file of the crate: its module's path, its path under `src/`, its tokens.
struct Source {
    module: Vec<String>,
    file: String,
    tokens: Vec<(Token, usize)>,
}

/// Reads `src` (a crate's source folder) into its graph of top-level modules.
fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let sources: Vec<Source> = files
        .iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(src).expect("under src");
            let module = module_of(relative)?;
            let text = fs::read_to_string(path).expect("a source file is readable");
            Some(Source {
                module,
                file: relative.display().to_string(),
                tokens: tokens(&text),
            })
        })
        .collect();
    // Test modules in files of their own: `#[cfg(test)] mod tests;` in `foo.rs` or
    // `foo/mod.rs` is `foo::tests`.
    let test_files: BTreeSet<Vec<String>> = sources
        .iter()
        .flat_map(|Source { module, tokens, .. }| {
            (2..tokens.len()).filter_map(move |k| {
                let Token::Ident(name) = &tokens[k - 1].0 else {
                    return None;
                };
                (tokens[k].0 == Token::Punct(';')
                    && tokens[k - 2].0 == ident("mod")
                    && under_cfg_test(tokens, k - 2))
                .then(|| module.iter().cloned().chain([name.clone()]).collect())
            })
        })
        .collect();
    let modules: BTreeSet<String> = sources.iter().map(|s| s.module[0].clone()).collect();
    let mut graph: Graph = modules
        .iter()
        .map(|m| (m.clone(), BTreeMap::new()))
        .collect();
    for Source {
        module,
        file,
        tokens,
    } in &sources
    {
        if test_files.iter().any(|t| module.starts_with(t)) {
            continue;
        }
        // Inline `mod name {` blocks around the current token: their names, the brace depth
        // inside them, and whether they build only in tests.
        let mut inline: Vec<(String, usize, bool)> = Vec::new();
        let mut depth = 0usize;
        for (k, (token, line)) in tokens.iter().enumerate() {
            let next_is_sep = matches!(tokens.get(k + 1), Some((Token::PathSep, _)));
            let previous_is_sep = k > 0 && matches!(tokens[k - 1].0, Token::PathSep);
            let named: Vec<String> = match token {
                Token::Punct('{') => {
                    depth += 1;
                    if k >= 2
                        && tokens[k - 2].0 == ident("mod")
                        && let Token::Ident(name) = &tokens[k - 1].0
                    {
                        inline.push((name.clone(), depth, under_cfg_test(tokens, k - 2)));
                    }
                    continue;
                }
                Token::Punct('}') => {
                    if inline.last().is_some_and(|&(_, d, _)| d == depth) {
                        inline.pop();
                    }
                    depth -= 1;
                    continue;
                }
                // Test code is left out (see the module's documentation).
                _ if inline.iter().any(|&(_, _, test)| test) => continue,
                Token::Ident(word) if word == "crate" && next_is_sep && !previous_is_sep => {
                    first_names(&tokens[k + 2..])
                }
                Token::Ident(word) if word == "super" && next_is_sep && !previous_is_sep => {
                    let mut climbs = 0;
                    while tokens
                        .get(k + 2 * climbs)
                        .is_some_and(|(t, _)| *t == ident("super"))
                        && matches!(tokens.get(k + 2 * climbs + 1), Some((Token::PathSep, _)))
                    {
                        climbs += 1;
                    }
                    let here: Vec<&String> = module
                        .iter()
                        .chain(inline.iter().map(|(name, _, _)| name))
                        .collect();
                    assert!(climbs <= here.len(), "{file}:{line}: super past the crate");
                    match here.len() - climbs {
                        0 => first_names(&tokens[k + 2 * climbs..]),
                        _ => vec![here[0].clone()],
                    }
                }
                _ => continue,
            };
            let path: String = tokens[k..]
                .iter()
                .take_while(|(t, _)| matches!(t, Token::Ident(_) | Token::PathSep))
                .map(|(t, _)| match t {
                    Token::Ident(w) => w.as_str(),
                    _ => "::",
                })
                .collect();
            let path = match path.ends_with("::") {
                true => format!("{path}{{…}}"),
                false => path,
            };
            for name in named {
                if name != module[0] && modules.contains(&name) {
                    graph
                        .get_mut(&module[0])
                        .expect("every module is a node")
                        .entry(name)
                        .or_default()
                        .push(Site {
                            file: file.clone(),
                            line: *line,
                            path: path.clone(),
                        });
                }
            }
        }
    }
    graph
}

/// The circles of `graph`: for each group of modules that reach one another (a strongly
/// connected component of more than one), the group and, for each module in it, the shortest
/// circle through it (module names, the first again at the end), each circle once.
fn circles(graph: &Graph) -> Vec<(BTreeSet<String>, Vec<Vec<String>>)> {
    let reaches = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(m) = stack.pop() {
            for next in graph[&m].keys() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reaches(m))).collect();
    let mut done = BTreeSet::new();
    let mut found = Vec::new();
    for first in graph.keys() {
        if done.contains(first) || !reach[first].contains(first) {
            continue;
        }
        let group: BTreeSet<String> = graph
            .keys()
            .filter(|m| reach[first].contains(*m) && reach[*m].contains(first))
            .cloned()
            .collect();
        done.extend(group.iter().cloned());
        let mut shown: Vec<Vec<String>> = Vec::new();
        for start in &group {
            let circle = shortest_circle(graph, &group, start);
            // The same circle from another of its modules is shown once.
            let steps = |c: &[String]| -> BTreeSet<(String, String)> {
                c.windows(2).map(|w| (w[0].clone(), w[1].clone())).collect()
            };
            if !shown.iter().any(|c| steps(c) == steps(&circle)) {
                shown.push(circle);
            }
        }
        found.push((group, shown));
    }
    found
}

/// The shortest circle from `start` back to it within `group` (breadth first).
fn shortest_circle(graph: &Graph, group: &BTreeSet<String>, start: &String) -> Vec<String> {
    let mut came_from: BTreeMap<String, String> = BTreeMap::new();
    let mut last = None;
    let mut queue = std::collections::VecDeque::from([start.clone()]);
    'search: while let Some(m) = queue.pop_front() {
        for next in graph[&m].keys() {
            if next == start {
                last = Some(m.clone());
                break 'search;
            }
            if group.contains(next) && !came_from.contains_key(next) {
                came_from.insert(next.clone(), m.clone());
                queue.push_back(next.clone());
            }
        }
    }
    let mut circle = vec![start.clone()];
    let mut m = last.expect("a module of the group reaches itself");
    while &m != start {
        circle.push(m.clone());
        m = came_from[&m].clone();
    }
    circle.push(start.clone());
    circle.reverse();
    circle
}

/// A circle as the reader should see it: each step with the places that make it.
fn describe(graph: &Graph, circle: &[String]) -> String {
    let mut text = circle.join(" → ");
    for step in circle.windows(2) {
        let sites = &graph[&step[0]][&step[1]];
        let shown: Vec<String> = sites
            .iter()
            .take(3)
            .map(|s| format!("{}:{} {}", s.file, s.line, s.path))
            .collect();
        let more = sites.len().saturating_sub(3);
        text.push_str(&format!(
            "\n  {} uses {}: {}{}",
            step[0],
            step[1],
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    text
}

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_modules_use_one_another_without_a_circle() {
    let graph = graph(&src());
    assert!(
        graph.len() > 20,
        "the modules were found: {:?}",
        graph.keys()
    );
    // The reading works: layers uses real (a `use crate::real::Real`).
    assert!(
        graph["layers"].contains_key("real"),
        "{:?}",
        graph["layers"]
    );
    let found = circles(&graph);
    let mut report = String::new();
    for (group, circles) in &found {
        report.push_str(&format!("\n{group:?} reach one another:"));
        for circle in circles {
            report.push_str(&format!("\n{}", describe(&graph, circle)));
        }
    }
    assert!(
        found.is_empty(),
        "the modules use one another in a circle:{report}"
    );
}

/// The scalar type at the bottom uses no module of the crate; the kernels only it, the
/// per-pixel loss and one another; the per-type dispatch only those.
#[test]
fn the_lowest_layers_use_only_what_lies_below() {
    let graph = graph(&src());
    let layers: [(&str, &[&str]); 5] = [
        ("real", &[]),
        ("bce", &["real"]),
        ("narrow", &["real"]),
        ("simd", &["bce"]),
        ("gemm", &["narrow"]),
    ];
    let mut below: BTreeSet<&str> = BTreeSet::new();
    for (module, _) in layers {
        let uses: BTreeSet<&str> = graph[module].keys().map(String::as_str).collect();
        let above: Vec<&&str> = uses.iter().filter(|m| !below.contains(**m)).collect();
        assert!(
            above.is_empty(),
            "{module} uses {above:?}, not below it ({below:?}): {:?}",
            graph[module]
        );
        below.insert(module);
    }
    for (module, uses) in layers {
        let want: BTreeSet<&str> = uses.iter().copied().collect();
        let got: BTreeSet<&str> = graph[module].keys().map(String::as_str).collect();
        assert_eq!(got, want, "{module}");
    }
    let dispatch: BTreeSet<&str> = graph["dispatch"].keys().map(String::as_str).collect();
    assert!(
        dispatch.is_subset(&below),
        "dispatch uses {dispatch:?}, beyond the kernels {below:?}"
    );
}

/// The reader itself: paths in code count, in comments, strings and characters not; groups
/// and `super` resolve to the modules they name.
#[test]
fn the_reader_finds_the_paths_in_code_only() {
    let dir = std::env::temp_dir().join(format!("modules-test-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("c")).unwrap();
    fs::write(
        dir.join("lib.rs"),
        "pub mod a; pub mod b; pub mod c; pub mod d;",
    )
    .unwrap();
    fs::write(
        dir.join("a.rs"),
        "//! [`crate::d`]\n/* crate::d:: /* nested */ crate::d:: */\nuse crate::{b::X, c};\n\
         const S: &str = \"crate::d::\"; const R: &str = r#\"crate::d::\"#;\n\
         const Q: char = '\"'; fn f<'a>(_: &'a str) -> char { '\\'' }\n\
         #[cfg(test)]\nmod tests { use super::*; use crate::d; }\n",
    )
    .unwrap();
    fs::write(
        dir.join("b.rs"),
        "pub struct X; fn g() { super::a::f(\"\"); }",
    )
    .unwrap();
    fs::write(
        dir.join("c/mod.rs"),
        "mod inner; pub use self::inner::*;\n#[cfg(test)]\npub(crate) mod tests;",
    )
    .unwrap();
    fs::write(dir.join("c/tests.rs"), "use crate::a;").unwrap();
    fs::write(
        dir.join("c/inner.rs"),
        "use super::super::d as e; mod deeper { fn h() { super::super::super::d::g(); } }",
    )
    .unwrap();
    fs::write(dir.join("d.rs"), "pub fn g() {}").unwrap();
    let graph = graph(&dir);
    fs::remove_dir_all(&dir).unwrap();
    let uses = |m: &str| graph[m].keys().cloned().collect::<Vec<_>>();
    assert_eq!(uses("a"), ["b", "c"]);
    assert_eq!(uses("b"), ["a"]);
    assert_eq!(uses("c"), ["d"]);
    assert_eq!(graph["c"]["d"].len(), 2);
    assert!(uses("d").is_empty());
    let found = circles(&graph);
    assert_eq!(found.len(), 1);
    let (group, circles) = &found[0];
    assert_eq!(group.iter().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(circles, &[["a", "b", "a"]]);
    assert!(describe(&graph, &circles[0]).contains("b.rs:1 super::a::f"));
}
