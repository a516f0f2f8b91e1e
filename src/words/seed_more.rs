//! Sentences for the lessons from the rest of the seed posts (issue 16).

use crate::lesson::Lang;

/// The pool phases' times in lesson time, side by side:
/// `in lesson time (real × speed 4): Pool(2).apply 10016 ms · Pool(2).apply_async 6006 ms`.
/// `phases` are each phase's label and its lesson ms.
pub fn pool_lesson_time(phases: &[(String, i64)], speed: f64, lang: Lang) -> String {
    let unit = match lang {
        Lang::En => "ms",
        Lang::Zh => "毫秒",
    };
    let each: Vec<String> = phases
        .iter()
        .map(|(label, ms)| format!("{label} {ms} {unit}"))
        .collect();
    match lang {
        Lang::En => format!(
            "in lesson time (real × speed {speed}): {}",
            each.join(" · ")
        ),
        Lang::Zh => format!("按课程时间（实际 × 速度 {speed}）：{}", each.join(" · ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phases_stand_side_by_side_in_both_languages() {
        let phases = [
            ("Pool(2).apply".to_string(), 10016),
            ("Pool(2).apply_async".to_string(), 6006),
        ];
        assert_eq!(
            pool_lesson_time(&phases, 4.0, Lang::En),
            "in lesson time (real × speed 4): Pool(2).apply 10016 ms · Pool(2).apply_async 6006 ms"
        );
        assert_eq!(
            pool_lesson_time(&phases, 0.5, Lang::Zh),
            "按课程时间（实际 × 速度 0.5）：Pool(2).apply 10016 毫秒 · Pool(2).apply_async 6006 毫秒"
        );
    }
}
