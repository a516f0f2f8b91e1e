//! The key table's own checks: no key does two things in one place, every
//! hinted key is bound, and the hint lines read as meant.

use super::*;

#[test]
fn no_key_does_two_things_in_one_place() {
    let places = [
        Place::TooSmall,
        Place::Help,
        Place::Picker,
        Place::Run,
        Place::Explore,
    ];
    for place in places {
        let mut seen: Vec<Key> = Vec::new();
        for b in BINDINGS.iter().filter(|b| b.places.contains(&place)) {
            for k in b.keys {
                assert!(!seen.contains(k), "{k:?} is bound twice in {place:?}");
                seen.push(*k);
            }
        }
    }
}

#[test]
fn every_hinted_or_explained_key_is_bound() {
    let bars = [
        Bar::Picker,
        Bar::Step,
        Bar::Running,
        Bar::Done,
        Bar::Pool,
        Bar::Timing,
        Bar::ExploreReplay,
        Bar::Explore,
        Bar::Goal,
        Bar::GoalWon,
    ];
    let bound = |a: Action| BINDINGS.iter().any(|b| b.action == a);
    for bar in bars {
        for (a, _) in bar_items(bar) {
            assert!(bound(*a), "{a:?} in {bar:?} has no key");
        }
    }
    for p in HELP_PARAGRAPHS {
        if let Paragraph::Keys(_, keys) = p {
            assert!(keys.iter().all(|(a, _)| bound(*a)));
        }
    }
}

#[test]
fn hint_lines_read_as_before() {
    assert_eq!(
        hint_line(Bar::Step, Lang::En, |_| true),
        "␣ step · n next · 1-9 step Pn · u undo · p play · i lesson · l locks · w sleeps · \
         r restart · t term · s save · e explore · Esc back · ? · q"
    );
    // Narrow: the words go from the end, the keys stay.
    assert_eq!(
        hint_line_within(Bar::Step, Lang::En, |_| true, 80),
        "␣ step · n next · 1-9 step Pn · u · p · i · l · w · r · t · s · e · Esc · ? · q"
    );
    assert_eq!(
        hint_line(Bar::Running, Lang::En, |a| a != Action::Locks),
        "p pause · +/- speed · v timing · r restart · t term · Esc · ? · q"
    );
    assert_eq!(bare_hint_line(Bar::Goal), "h · g");
}
