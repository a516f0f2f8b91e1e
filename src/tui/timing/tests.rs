//! Unit tests of the timing views' scaling, cells, rows and zoom.

use super::*;

#[test]
fn columns_are_to_scale() {
    let s = Scale::new(0.0, 100.0, 50);
    assert_eq!(s.ms_per_col(), 2.0);
    assert_eq!(s.col(0.0), Some(0));
    assert_eq!(s.col(1.99), Some(0));
    assert_eq!(s.col(2.0), Some(1));
    assert_eq!(s.col(50.0), Some(25));
    assert_eq!(s.col(100.0), Some(49));
    assert_eq!(s.col(-0.1), None);
    assert_eq!(s.col(100.1), None);
    assert_eq!(s.cell(25), (50.0, 52.0));
    // A zoomed window starts elsewhere.
    let z = Scale::new(40.0, 60.0, 20);
    assert_eq!(z.col(45.5), Some(5));
    // An empty range still draws.
    assert_eq!(Scale::new(5.0, 5.0, 10).to_ms, 6.0);
}

#[test]
fn ticks_are_round_and_spaced() {
    assert_eq!(nice_step(0.3), 0.5);
    assert_eq!(nice_step(7.0), 10.0);
    assert_eq!(nice_step(20.0), 20.0);
    assert_eq!(nice_step(21.0), 50.0);
    assert_eq!(nice_step(1200.0), 2000.0);
    let s = Scale::new(0.0, 100.0, 60);
    let t = s.ticks(8);
    // 8 columns are 13.3 ms: steps of 20 ms.
    let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(labels, ["0", "20", "40", "60", "80", "100"]);
    assert_eq!(t[1].0, 12);
    assert!(t.windows(2).all(|w| w[1].0 - w[0].0 >= 8));
    assert_eq!(s.unit(8), "ms");
    let long = Scale::new(0.0, 6000.0, 60);
    let labels: Vec<String> = long.ticks(8).into_iter().map(|(_, l)| l).collect();
    assert_eq!(labels, ["0", "1", "2", "3", "4", "5", "6"]);
    assert_eq!(long.unit(8), "s");
    let fine = Scale::new(10.0, 11.0, 40);
    let labels: Vec<String> = fine.ticks(8).into_iter().map(|(_, l)| l).collect();
    assert_eq!(labels, ["10.0", "10.2", "10.4", "10.6", "10.8", "11.0"]);
}

#[test]
fn an_axis_counts_from_its_origin() {
    // A run that began to move 4.3 s after the lesson opened: its axis reads
    // 0 there, not 4300.
    let s = Scale::new(4300.0, 5800.0, 60).counting_from(4300.0);
    let t = s.ticks(8);
    let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        ["0", "200", "400", "600", "800", "1000", "1200", "1400"]
    );
    assert_eq!(t[0].0, 0);
    // 200 ms in is 8 columns in (25 ms a column).
    assert_eq!(t[1].0, 8);
    // Zoomed into the middle, the labels still count from the origin.
    let z = Scale::new(5000.0, 5500.0, 50).counting_from(4300.0);
    let labels: Vec<String> = z.ticks(8).into_iter().map(|(_, l)| l).collect();
    assert_eq!(labels.first().map(String::as_str), Some("700"));
    assert_eq!(labels.last().map(String::as_str), Some("1200"));
}

#[test]
fn measured_times_read_well() {
    assert_eq!(format_ms(5.123), "5.1 ms");
    assert_eq!(format_ms(56.4), "56.4 ms");
    assert_eq!(format_ms(156.4), "156 ms");
    assert_eq!(format_ms(3020.0), "3.02 s");
    assert_eq!(bar_text(8 * 3 + 4), "███▌");
    assert_eq!(bar_text(1), "▏");
}

fn span(group: usize) -> ProcSpan {
    ProcSpan {
        label: "P".into(),
        group,
        created_ms: 10.0,
        exited_ms: Some(50.0),
        otherwise: Activity::Waiting,
        stretches: vec![
            Stretch {
                from_ms: 10.0,
                to_ms: 12.0,
                activity: Activity::Starting,
            },
            Stretch {
                from_ms: 30.0,
                to_ms: 30.01,
                activity: Activity::Running,
            },
        ],
        note: String::new(),
    }
}

#[test]
fn a_cell_shows_the_strongest_activity_in_it() {
    let s = span(0);
    assert_eq!(s.activity_in(0.0, 5.0), None);
    assert_eq!(s.activity_in(8.0, 11.0), Some(Activity::Starting));
    assert_eq!(s.activity_in(20.0, 25.0), Some(Activity::Waiting));
    // A task far shorter than the cell still shows.
    assert_eq!(s.activity_in(28.0, 33.0), Some(Activity::Running));
    let (act, share) = s.cell(28.0, 33.0).unwrap();
    assert_eq!(act.glyph_for(share), BRIEF);
    assert_eq!(s.cell(10.0, 11.0), Some((Activity::Starting, 1.0)));
    assert_eq!(Activity::Running.glyph_for(0.75), '█');
    assert_eq!(s.activity_in(50.0, 55.0), None);
    // A process that lived inside one cell gets it.
    let mut tiny = span(0);
    tiny.created_ms = 20.0;
    tiny.exited_ms = Some(20.5);
    tiny.stretches.clear();
    assert_eq!(tiny.activity_in(19.0, 21.0), Some(Activity::Waiting));
    tiny.otherwise = Activity::Running;
    assert_eq!(tiny.activity_in(19.0, 21.0), Some(Activity::Running));
}

#[test]
fn rows_merge_within_groups_only() {
    let groups: Vec<usize> = std::iter::repeat_n(0, 4)
        .chain(std::iter::repeat_n(1, 100))
        .collect();
    // Room for all: one row each.
    assert_eq!(plan_rows(&groups, 200).len(), 104);
    // 13 rows: the 4 workers keep theirs, 100 processes share 9.
    let plan = plan_rows(&groups, 13);
    assert_eq!(plan.len(), 13);
    assert_eq!(plan[..4], [0..1, 1..2, 2..3, 3..4]);
    assert_eq!(plan[4], 4..16);
    assert_eq!(plan.last(), Some(&(100..104)));
    // Every span is on exactly one row, in order.
    let flat: Vec<usize> = plan.iter().flat_map(|r| r.clone()).collect();
    assert_eq!(flat, (0..104).collect::<Vec<_>>());
    // Fewer rows than groups: each group still gets one.
    assert_eq!(plan_rows(&groups, 1), vec![0..4, 4..104]);
}

#[test]
fn zoom_cycles_through_the_phases() {
    let marks = vec![
        PhaseMark {
            label: "a".into(),
            from_ms: 0.0,
            to_ms: 5.0,
        },
        PhaseMark {
            label: "b".into(),
            from_ms: 5.0,
            to_ms: 9.0,
        },
    ];
    let mut ui = TimingUi::default();
    assert_eq!(ui.window(&marks, (0.0, 10.0)), (0.0, 10.0, None));
    ui.zoom_by(true, marks.len());
    assert_eq!(ui.window(&marks, (0.0, 10.0)), (0.0, 5.0, Some(0)));
    ui.zoom_by(false, marks.len());
    ui.zoom_by(false, marks.len());
    assert_eq!(ui.window(&marks, (0.0, 10.0)), (5.0, 9.0, Some(1)));
}
