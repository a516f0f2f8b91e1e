//! `lockstep run` on a timing lesson (the pool): its events as JSON lines
//! if asked, then its measurements and verdict.

use std::io::Write;

use super::super::summary::{self, millis};
use super::Request;
use super::pool_report as report;
use crate::supervisor::Event;
use crate::words::report::heading;
use crate::words::report::summary as words;

/// Run the pool lesson's measurement and print it.
pub fn measure_and_print(
    req: &Request,
    decl: &crate::lesson::PoolDecl,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let json = req.json;
    let mut write_err = None;
    let mut watch = |phase: &str, ev: &Event| {
        if json && let Err(e) = writeln!(out, "{}", summary::event_line(ev, None, Some(phase))) {
            write_err.get_or_insert(e);
        }
    };
    let started = std::time::Instant::now();
    let result = crate::pool::run_phases(req.lesson, decl, &req.opts, req.exe, &mut watch)?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    let lang = req.lang;
    let check = &req.lesson.check;
    let actual = result.actual(&req.lesson.check.measure, req.opts.speed);
    let ok = check.rule.holds(actual, check.expect);
    let template = if ok { &check.ok } else { &check.broken };
    let sentence = crate::words::run::check_sentence(template.get(lang), actual, check.expect);
    if json {
        let verdict = report::Verdict {
            lesson: &req.lesson.id,
            unlocked: &req.opts.off,
            ok,
            expected: check.expect,
            actual,
            rule: check.rule,
            quantity: check.quantity.get(lang),
            sentence,
            elapsed_ms: millis(started.elapsed()),
        };
        let summary = report::PoolSummary::new(&result, verdict);
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
    } else {
        writeln!(
            out,
            "{}",
            heading(&req.lesson.id, req.lesson.title.get(lang))
        )?;
        report::text(&result, lang, out)?;
        if let crate::lesson::Measure::PhaseMs(_) = check.measure {
            let speed = req.opts.speed;
            let phases: Vec<(String, i64)> = (result.phases.iter())
                .map(|p| {
                    (
                        crate::pool::phase_label(&result, p.name, lang),
                        (p.ms * speed).round() as i64,
                    )
                })
                .collect();
            let line = crate::words::seed_more::pool_lesson_time(&phases, speed, lang);
            writeln!(out, "{line}")?;
        }
        writeln!(out, "{}", words::verdict_line(lang, ok, &sentence, None))?;
    }
    Ok(())
}
