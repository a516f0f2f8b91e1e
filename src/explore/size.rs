//! How many schedules a lesson has, before searching them all: Knuth's
//! estimate from random runs, and the refusal of a space over the limit.

use std::path::Path;

use super::moves::ExploreChooser;
use super::{ExploreError, Settings, run_once};
use crate::drive::DriveError;
use crate::lesson::Lesson;

/// Random runs that check the first run's bound on every search.
const QUICK_PROBES: u64 = 12;
/// Random runs that estimate a space that may be near or over the limit.
const PROBES: u64 = 200;

/// The number of schedules to expect, for the progress line; a space
/// probably over `settings.limit` is refused.
pub(super) fn expected_schedules(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
) -> Result<f64, ExploreError> {
    // How many schedules: the first run's steps alone do not tell (a buyer
    // who finds a ticket does more than one who finds none; a child
    // terminated late makes more choices than one terminated early). A few
    // random runs estimate it, and many more when it may be large.
    let limit = settings.limit as f64;
    let (quick_mean, quick_widest) = estimate(lesson, settings, exe, 0, QUICK_PROBES)?;
    let mut total = quick_mean.max(1.0);
    if quick_mean > limit / 20.0 || quick_widest > limit / 4.0 {
        // Far over already: no need for a closer look.
        let (mean, widest) = if quick_mean > 4.0 * limit {
            (quick_mean, quick_widest)
        } else {
            let (m, w) = estimate(lesson, settings, exe, QUICK_PROBES, PROBES)?;
            let all = (QUICK_PROBES + PROBES) as f64;
            let mean = (m * PROBES as f64 + quick_mean * QUICK_PROBES as f64) / all;
            (mean, w.max(quick_widest))
        };
        total = mean;
        // The estimate is a mean of very unequal samples, low more often
        // than high: a mean near the limit, or one sample far over it, says
        // the space is probably over it.
        if mean > 0.75 * limit || widest > 8.0 * limit {
            return Err(ExploreError::TooLarge {
                estimate: mean,
                limit: settings.limit,
                counted: false,
                shrinkable: lesson.shrinkable() && lesson.process_count() > 2,
            });
        }
    }
    Ok(total)
}

/// Knuth's estimate of the number of schedules: the mean, over random
/// runs, of the product of the branch sizes met on the way; and the
/// largest such product.
fn estimate(
    lesson: &Lesson,
    settings: &Settings,
    exe: &Path,
    first: u64,
    probes: u64,
) -> Result<(f64, f64), DriveError> {
    let (mut sum, mut widest) = (0.0, 0.0f64);
    for i in first..first + probes {
        let mut chooser = ExploreChooser::random(settings.seed.wrapping_add(i), settings.reduce);
        run_once(lesson, settings, exe, &mut chooser)?;
        sum += chooser.weight;
        widest = widest.max(chooser.weight);
        if widest.is_infinite() {
            // Past counting (a run that never ends): more runs tell nothing.
            return Ok((f64::INFINITY, widest));
        }
    }
    Ok((sum / probes as f64, widest))
}
