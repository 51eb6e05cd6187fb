//! The page's controls agree with the URL table (`vae_playground::params::PARAMS`): every
//! `<input>` or `<select>` of the component's template whose id is a parameter's key has that
//! parameter's bounds, step and default, and offers only values the table takes as they are.

use vae_playground::params::{Kind, PARAMS, Param, Value, default_value, parse_one};

/// The component's markup.
const TEMPLATE: &str = include_str!("../../www/template.js");

/// An element's start tag: its name and its attributes (`None` for a bare attribute).
#[derive(Debug)]
struct Tag {
    name: String,
    attributes: Vec<(String, Option<String>)>,
}

impl Tag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    fn has(&self, name: &str) -> bool {
        self.attributes.iter().any(|(n, _)| n == name)
    }
}

/// The start tags of `html` in order (`<name attr="value" bare>`), end tags left out; the
/// byte offset after each.
fn tags(html: &str) -> Vec<(Tag, usize)> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut offset = 0;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            offset += start + 1;
            rest = after;
            continue;
        }
        // Attributes up to the `>` that is not inside quotes.
        let mut attributes = Vec::new();
        let mut chars = after[name.len()..].char_indices().peekable();
        let mut end = after.len();
        while let Some(&(i, c)) = chars.peek() {
            if c == '>' {
                end = name.len() + i + 1;
                break;
            }
            if c.is_whitespace() || c == '/' {
                chars.next();
                continue;
            }
            let mut attribute = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() || c == '=' || c == '>' {
                    break;
                }
                attribute.push(c);
                chars.next();
            }
            let mut value = None;
            if chars.peek().is_some_and(|&(_, c)| c == '=') {
                chars.next();
                let mut text = String::new();
                match chars.peek().map(|&(_, c)| c) {
                    Some(quote @ ('"' | '\'')) => {
                        chars.next();
                        for (_, c) in chars.by_ref() {
                            if c == quote {
                                break;
                            }
                            text.push(c);
                        }
                    }
                    _ => {
                        while let Some(&(_, c)) = chars.peek() {
                            if c.is_whitespace() || c == '>' {
                                break;
                            }
                            text.push(c);
                            chars.next();
                        }
                    }
                }
                value = Some(text);
            }
            attributes.push((attribute, value));
        }
        offset += start + 1 + end;
        rest = &after[end.min(after.len())..];
        out.push((
            Tag {
                name: name.to_ascii_lowercase(),
                attributes,
            },
            offset,
        ));
    }
    out
}

/// A number attribute of a control.
fn number(tag: &Tag, attribute: &str, key: &str) -> f64 {
    let text = tag
        .get(attribute)
        .unwrap_or_else(|| panic!("#{key} has no {attribute}"));
    text.parse()
        .unwrap_or_else(|_| panic!("#{key}: {attribute}=\"{text}\" is not a number"))
}

/// What the table makes of `raw` for `param`: the value, if it takes it as it is.
fn taken_as_is(param: &Param, raw: &str) -> Result<Value, String> {
    match parse_one(param.key, raw) {
        Ok((value, None)) => Ok(value),
        Ok((_, Some(notice))) => Err(notice),
        Err(e) => Err(e),
    }
}

/// Every disagreement between the template's controls and the table, and the keys checked.
fn disagreements(template: &str) -> (Vec<String>, Vec<&'static str>) {
    let mut wrong = Vec::new();
    let mut checked = Vec::new();
    let tags = tags(template);
    for (k, (tag, end)) in tags.iter().enumerate() {
        if tag.name != "input" && tag.name != "select" {
            continue;
        }
        let Some(param) = tag
            .get("id")
            .and_then(|id| PARAMS.iter().find(|p| p.key == id))
        else {
            continue;
        };
        let key = param.key;
        checked.push(key);
        let default = default_value(param);
        match (tag.name.as_str(), tag.get("type").unwrap_or("text")) {
            ("input", "range" | "number") => {
                let Kind::Number { min, max, .. } = param.kind else {
                    wrong.push(format!("#{key} is a slider, but {key} is not a number"));
                    continue;
                };
                let (lo, hi) = (number(tag, "min", key), number(tag, "max", key));
                if (lo, hi) != (min, max) {
                    wrong.push(format!(
                        "#{key} runs from min=\"{lo}\" to max=\"{hi}\", the table from {min} to {max}"
                    ));
                }
                let step = number(tag, "step", key);
                if param.step != Some(step) {
                    wrong.push(format!(
                        "#{key} has step=\"{step}\", the table {:?}",
                        param.step
                    ));
                }
                let value = tag.get("value").unwrap_or("");
                if taken_as_is(param, value) != Ok(default.clone()) {
                    wrong.push(format!(
                        "#{key} starts at value=\"{value}\", the table's default is {}",
                        param.default
                    ));
                }
            }
            ("input", "checkbox") => {
                if param.kind != Kind::Flag {
                    wrong.push(format!("#{key} is a checkbox, but {key} is not a flag"));
                } else if Value::Flag(tag.has("checked")) != default {
                    wrong.push(format!(
                        "#{key} is {}, the table's default is {}",
                        if tag.has("checked") {
                            "checked"
                        } else {
                            "not checked"
                        },
                        param.default
                    ));
                }
            }
            ("select", _) => {
                if let Some(step) = param.step {
                    wrong.push(format!(
                        "#{key} is a list, but the table gives it a step, {step}"
                    ));
                }
                let options: Vec<&Tag> = tags[k + 1..]
                    .iter()
                    .take_while(|(t, at)| {
                        t.name == "option" && !template[*end..*at].contains("</select")
                    })
                    .map(|(t, _)| t)
                    .collect();
                if options.is_empty() {
                    wrong.push(format!("#{key} offers nothing"));
                }
                for option in &options {
                    let value = option.get("value").unwrap_or("");
                    match taken_as_is(param, value) {
                        Ok(Value::Word(w)) if w != value => wrong.push(format!(
                            "#{key} offers \"{value}\", which the table writes \"{w}\""
                        )),
                        Ok(_) => {}
                        Err(why) => wrong.push(format!("#{key} offers \"{value}\": {why}")),
                    }
                }
                // The option shown first: the one marked selected, else the first.
                let selected: Vec<&Tag> = options
                    .iter()
                    .copied()
                    .filter(|o| o.has("selected"))
                    .collect();
                if selected.len() > 1 {
                    wrong.push(format!("#{key} has {} options selected", selected.len()));
                }
                if let Some(shown) = selected.first().or(options.first()) {
                    let value = shown.get("value").unwrap_or("");
                    if taken_as_is(param, value) != Ok(default.clone()) {
                        wrong.push(format!(
                            "#{key} starts at \"{value}\", the table's default is {}",
                            param.default
                        ));
                    }
                }
            }
            (name, kind) => wrong.push(format!(
                "#{key} is an {name} of type {kind}, which this test does not know"
            )),
        }
    }
    // A step belongs to a slider or a number field of the page.
    for param in PARAMS.iter().filter(|p| p.step.is_some()) {
        let slider = tags.iter().any(|(t, _)| {
            t.name == "input"
                && t.get("id") == Some(param.key)
                && matches!(t.get("type"), Some("range" | "number"))
        });
        if !slider {
            wrong.push(format!(
                "{} has a step, but the page has no slider or number field for it",
                param.key
            ));
        }
    }
    (wrong, checked)
}

#[test]
fn the_page_s_controls_agree_with_the_url_table() {
    let (wrong, checked) = disagreements(TEMPLATE);
    assert!(
        wrong.is_empty(),
        "www/template.js disagrees with crate/src/params.rs:\n{}",
        wrong.join("\n")
    );
    for key in [
        "dataset", "beta", "lr", "noise", "batch", "speed", "range", "map",
    ] {
        assert!(checked.contains(&key), "#{key} was checked: {checked:?}");
    }
}

/// The reader and the checks themselves, on made-up markup that disagrees in every way.
#[test]
fn a_control_that_disagrees_is_named() {
    let page = r#"
      <input id="beta" type="range" min="0" max="20" step="0.1" value="2" aria-label="a > b">
      <select id="lr"><option value="0.001">x</option><option value="100" selected>y</option></select>
      <select id="noise"><option value="SAMPLE" selected>s</option></select>
      <input id="map" type=checkbox checked>
      <input id="caption" type="text">
    "#;
    let (wrong, checked) = disagreements(page);
    assert_eq!(checked, ["beta", "lr", "noise", "map", "caption"]);
    let text = wrong.join("\n");
    for want in [
        "#beta runs from min=\"0\" to max=\"20\", the table from 0 to 10",
        "#beta has step=\"0.1\", the table Some(0.05)",
        "#beta starts at value=\"2\", the table's default is 1",
        "#lr offers \"100\": lr=\"100\" is above the largest value, 10",
        "#lr starts at \"100\"",
        "#noise offers \"SAMPLE\", which the table writes \"sample\"",
        "#map is checked, the table's default is 0",
        "#caption is an input of type text",
    ] {
        assert!(text.contains(want), "{want}\nin:\n{text}");
    }
    let (wrong, _) = disagreements(
        r#"<input id="beta" type="range" min="0" max="10" step="0.05" value="1">
           <select id="lr"><option value="0.0001">a</option><option value="0.001" selected>b</option></select>"#,
    );
    assert!(wrong.is_empty(), "{wrong:?}");
}
