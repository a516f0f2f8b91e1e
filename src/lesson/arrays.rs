//! Shared arrays, Python's `Array('i', n)`: a value declared with `len` is
//! `len` slots, each a shared value of its own named `a[0]`, `a[1]`, … A
//! `read` or `write` names a slot as `a[EXPR]` (`a[index]`, `a[0]`), the
//! index an expression of the process's locals, evaluated when it runs.

use std::str::FromStr;

use super::Lesson;
use crate::expr::Expr;

/// The most slots one array may have.
pub const MAX_ARRAY_LEN: u32 = 1024;

/// `a[i]` → `("a", Some("i"))`; `v` → `("v", None)`; `None` when the
/// brackets are not one pair at the end.
pub fn split_index(value: &str) -> Option<(&str, Option<&str>)> {
    match value.find('[') {
        None if !value.contains(']') => Some((value, None)),
        None => None,
        Some(open) => {
            let inner = value[open + 1..].strip_suffix(']')?;
            (!inner.contains(['[', ']'])).then_some((&value[..open], Some(inner)))
        }
    }
}

/// The name of slot `i` of array `base`, as the model and the run's files
/// know it.
pub fn slot_name(base: &str, i: i64) -> String {
    format!("{base}[{i}]")
}

/// The index expression of a value reference (`a[i + 1]` → `i + 1`), if it
/// has one that parses.
pub fn index_expr(value: &str) -> Option<Result<Expr, String>> {
    let (_, index) = split_index(value)?;
    index.map(Expr::from_str)
}

impl Lesson {
    /// Every shared value the run makes, with its initial value: a plain
    /// value under its name, an array as one value per slot.
    pub fn value_slots(&self) -> Vec<(String, i64)> {
        self.values
            .iter()
            .flat_map(|v| match v.len {
                None => vec![(v.name.clone(), v.initial)],
                Some(n) => (0..i64::from(n))
                    .map(|i| (slot_name(&v.name, i), v.initial))
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_reference_splits_into_its_name_and_index() {
        assert_eq!(split_index("v"), Some(("v", None)));
        assert_eq!(split_index("a[i]"), Some(("a", Some("i"))));
        assert_eq!(split_index("a[i + 1]"), Some(("a", Some("i + 1"))));
        assert_eq!(split_index("a[0"), None);
        assert_eq!(split_index("a]"), None);
        assert_eq!(split_index("a[0][1]"), None);
        assert_eq!(split_index("a[0]x"), None);
        assert_eq!(slot_name("a", 2), "a[2]");
    }
}
