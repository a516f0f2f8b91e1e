//! Texts in two languages: the `Lang` a learner reads, a `Text` with its
//! English and Chinese, and the `{name}` placeholders templates use.

use serde::{Deserialize, Serialize};

/// Display language of lesson texts and the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language `LANG`/`LC_ALL` asks for: Chinese for `zh*`, else English.
    pub fn from_env() -> Lang {
        let pick = |v: &str| v.to_ascii_lowercase().starts_with("zh");
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return if pick(&v) { Lang::Zh } else { Lang::En };
            }
        }
        Lang::En
    }
}

/// A text in English and (optionally) Chinese; English stands in when Chinese is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
}

impl From<&str> for Text {
    /// A text that reads the same in both languages.
    fn from(en: &str) -> Text {
        Text {
            en: en.to_string(),
            zh: None,
        }
    }
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.en,
        }
    }
}

/// Fill `{name}` placeholders of a template; `lookup` gives each name's text.
pub fn fill(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match lookup(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names a template uses, or an error for an unclosed `{`.
pub fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("`{{` without a closing `}}` in \"{template}\""))?;
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    Ok(out)
}
