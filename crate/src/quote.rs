//! How a value someone wrote is quoted back in a message: cut to a length a notice can hold,
//! with control characters shown as escapes, so that a link or a file of any size gets a
//! message of a few lines, and what was written can be told from what is shown.

/// The longest piece of a value quoted back in a message, in characters.
pub const QUOTE: usize = 40;

/// `value` in double quotes: at most [`QUOTE`] characters (then `…`), control characters shown
/// as escapes (`\u{7}`).
///
/// ```
/// use vae_playground::quote::quote;
/// assert_eq!(quote("vae"), "\"vae\"");
/// assert_eq!(quote(&"x".repeat(100)), format!("\"{}…\"", "x".repeat(40)));
/// assert_eq!(quote("a\u{7}"), "\"a\\u{7}\"");
/// ```
pub fn quote(value: &str) -> String {
    let clean: String = value
        .chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_unicode().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect();
    if clean.chars().count() > QUOTE {
        let cut: String = clean.chars().take(QUOTE).collect();
        format!("\"{cut}…\"")
    } else {
        format!("\"{clean}\"")
    }
}
